/**
 * The warm re-render session (src/render/session.ts): the same bytes as `udbud render` for the same
 * input, edits picked up with only the edited file parsed again, errors reported and recovered.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { renderSpec } from "../src/render/index.js";
import { createRenderSession } from "../src/render/session.js";
import { repoRoot, tmpDir } from "./helpers.js";

function copyOf2020(): string {
  const dir = tmpDir("udbud-session-");
  fs.cpSync(path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte"), dir, { recursive: true });
  return dir;
}

async function rendered(spec: string, id: string, format: "html" | "md" | "docx"): Promise<Buffer> {
  const out = tmpDir("udbud-session-out-");
  const res = await renderSpec(spec, { out, formats: [format], only: [id] });
  assert.deepEqual(res.errors, []);
  const data = fs.readFileSync(path.join(out, `${id}.${format}`));
  fs.rmSync(out, { recursive: true, force: true });
  return data;
}

test("a session renders the bytes udbud render writes, before and after an edit", async () => {
  const dir = copyOf2020();
  const session = createRenderSession(dir);
  const first = await session.render("rammeaftale", "html");
  assert.deepEqual(first.errors, []);
  assert.equal(first.stats.filesParsed, 5, "first call parses every file");
  assert.ok(first.data!.equals(await rendered(dir, "rammeaftale", "html")));
  assert.equal(first.title, "Rammeaftale om køb af indsats for udsatte og sygemeldte borgere");

  const again = await session.render("rammeaftale", "html");
  assert.equal(again.stats.modelReused, true, "nothing changed: the checked model is reused");
  assert.ok(again.data!.equals(first.data!));

  const file = path.join(dir, "udbud.yaml");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("maksimum: 400000000", "maksimum: 456000000"));
  const edited = await session.render("rammeaftale", "html");
  assert.deepEqual(edited.errors, []);
  assert.equal(edited.stats.filesParsed, 1, "only the edited file is parsed again");
  assert.equal(edited.stats.filesReused, 4);
  assert.equal(edited.stats.modelReused, false);
  assert.ok(!edited.data!.equals(first.data!), "the edit shows");
  assert.ok(edited.data!.equals(await rendered(dir, "rammeaftale", "html")), "identical to a fresh render of the edited spec");

  // An annex from an edited lot file, in another format.
  const lot = path.join(dir, "udbudsomraade-2.yaml");
  const lotText = fs.readFileSync(lot, "utf8");
  const id = session.documents().find((d) => d.id.startsWith("bilag-a2"))!.id;
  fs.writeFileSync(lot, lotText.replace(/^titel: (.*)$/m, "titel: $1 (rettet)"));
  const annex = await session.render(id, "md");
  assert.deepEqual(annex.errors, []);
  assert.equal(annex.stats.filesParsed, 1);
  assert.match(annex.data!.toString("utf8"), /\(rettet\)/);
  assert.ok(annex.data!.equals(await rendered(dir, id, "md")));
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a bad edit gives located Danish errors and no document; fixing it renders again", async () => {
  const dir = copyOf2020();
  const session = createRenderSession(dir);
  assert.deepEqual((await session.render("rammeaftale", "html")).errors, []);
  const file = path.join(dir, "udbud.yaml");
  const good = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, good.replace("maksimum: 400000000", "maksimum: fire hundrede millioner"));
  const bad = await session.render("rammeaftale", "html");
  assert.equal(bad.data, undefined);
  assert.equal(bad.errors.length, 1);
  assert.match(bad.errors[0]!.message, /skal være et tal/);
  assert.equal(path.basename(bad.errors[0]!.file), "udbud.yaml");
  assert.equal(bad.errors[0]!.line, good.split("\n").findIndex((l) => l.includes("maksimum:")) + 1);
  fs.writeFileSync(file, good.replace("maksimum: 400000000", "maksimum: 410000000"));
  const fixed = await session.render("rammeaftale", "html");
  assert.deepEqual(fixed.errors, []);
  assert.ok(fixed.data!.length > 10_000);
  const unknown = await session.render("rammeaftal", "html");
  assert.equal(unknown.data, undefined);
  assert.match(unknown.errors[0]!.message, /Dokumentet 'rammeaftal' findes ikke/);
  fs.rmSync(dir, { recursive: true, force: true });
});
