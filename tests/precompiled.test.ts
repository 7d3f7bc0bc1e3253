/**
 * The Handlebars templates precompiled by the build (src/render/precompiled.ts) produce exactly the
 * Markdown of templates compiled at run time, for every document of both examples; an edited
 * template is compiled, never served stale.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { templatesDir } from "../src/paths.js";
import { readSpec } from "../src/read/index.js";
import { planDocuments } from "../src/render/documents.js";
import { generatePrecompiledCode, precompiledFile, templateFiles } from "../src/render/precompiled.js";
import { compileOptions, loadTemplates } from "../src/render/templates.js";
import { buildView } from "../src/render/view.js";
import { repoRoot, tmpDir } from "./helpers.js";

const examples = ["kk-2020-udsatte-sygemeldte", "kk-2024-udsatte-sygemeldte"].map((s) => path.join(repoRoot, "specs", s));

test("the build's precompiled templates are current and cover every template", () => {
  assert.ok(fs.existsSync(precompiledFile), `${precompiledFile} exists (npm run build generates it; npm test builds first)`);
  assert.equal(fs.readFileSync(precompiledFile, "utf8"), generatePrecompiledCode(compileOptions()), "up to date with templates/");
  assert.equal(loadTemplates(templatesDir).precompiled, templateFiles(templatesDir).length);
});

test("precompiled and run-time compiled templates give the same Markdown for every document", () => {
  let documents = 0;
  for (const spec of examples) {
    const read = readSpec(spec);
    assert.ok(read.udbud, spec);
    const plans = planDocuments(read.udbud);
    const pre = loadTemplates(templatesDir);
    assert.ok(pre.precompiled > 10);
    const viaPre = plans.map((p) => pre.render(p.template, buildView(read.udbud!, p, plans, templatesDir)));
    const fresh = loadTemplates(templatesDir, { precompiled: false });
    assert.equal(fresh.precompiled, 0);
    const viaFresh = plans.map((p) => fresh.render(p.template, buildView(read.udbud!, p, plans, templatesDir)));
    assert.deepEqual(viaPre, viaFresh);
    assert.ok(viaPre.every((md) => md.length > 200), "real documents");
    documents += plans.length;
  }
  assert.ok(documents >= 30, `${documents} documents`);
});

test("an edited template is compiled again, not taken from the cache or the build", () => {
  const dir = tmpDir("udbud-tpl-");
  fs.cpSync(templatesDir, dir, { recursive: true });
  const read = readSpec(examples[0]!);
  const plans = planDocuments(read.udbud!);
  const plan = plans.find((p) => p.template === "betaling")!;
  const before = loadTemplates(dir);
  assert.equal(before.precompiled, templateFiles(dir).length, "an unchanged copy uses the precompiled templates");
  assert.equal(loadTemplates(dir), before, "cached while unchanged");
  const file = path.join(dir, "betaling.md.hbs");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8") + "\nRETTET AF TESTEN {{dokument.titel}}\n");
  const after = loadTemplates(dir);
  assert.notEqual(after, before);
  assert.equal(after.precompiled, templateFiles(dir).length - 1);
  assert.match(after.render("betaling", buildView(read.udbud!, plan, plans, dir)), /RETTET AF TESTEN Betalings- og faktureringsbetingelser/);
  fs.rmSync(dir, { recursive: true, force: true });
});
