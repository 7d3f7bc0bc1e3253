/**
 * Plausible numbers (issue 18, point 2): the schemas bound every count, duration, amount and
 * quantity; a spec and a scenario with every bounded number at its maximum render and simulate
 * without a single "Infinity" or "NaN" in any output; a number beyond the bound is a located
 * Danish error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import JSZip from "jszip";
import { describe, test } from "vitest";
import assert from "node:assert/strict";
import { stringify } from "yaml";
import { readSpec } from "../src/read/index.js";
import { renderSpec } from "../src/render/index.js";
import { cli, tmpDir, writeFiles } from "./helpers.js";
import { extremeScenario, extremeSpec, KEEP } from "./hostile/extreme.js";

const BAD = /Infinity|NaN/;

describe("extreme-but-valid values", () => {
  const { data, changed } = extremeSpec((k) => KEEP.includes(k));
  const dir = writeFiles({ "udbud.yaml": stringify(data, { lineWidth: 0 }) });

  test("the extreme spec changes many values and is valid", () => {
    assert.ok(changed > 150, `only ${changed} values set to their maximum`);
    const r = readSpec(dir);
    assert.deepEqual(r.errors.map((e) => e.message), []);
  });

  test("every document in every format: no Infinity, no NaN", async () => {
    const out = tmpDir();
    const res = await renderSpec(dir, { out, formats: ["md", "html", "docx"] });
    assert.deepEqual(res.errors, []);
    const files = fs.readdirSync(out).filter((f) => /\.(md|html|docx)$/.test(f));
    assert.ok(files.length >= 3 * 15, `only ${files.length} files`);
    for (const f of files) {
      let text: string;
      if (f.endsWith(".docx")) {
        const zip = await JSZip.loadAsync(fs.readFileSync(path.join(out, f)));
        text = await zip.file("word/document.xml")!.async("string");
      } else text = fs.readFileSync(path.join(out, f), "utf8");
      assert.ok(text.length > 500, `${f} is nearly empty`);
      const m = BAD.exec(text);
      assert.equal(m, null, `${f}: …${m ? text.slice(Math.max(0, m.index - 60), m.index + 20) : ""}…`);
    }
    // The maxima reached the documents (a days count at its bound, Danish thousands separator).
    const all = files.filter((f) => f.endsWith(".md")).map((f) => fs.readFileSync(path.join(out, f), "utf8")).join("\n");
    assert.match(all, /3\.650|2\.500/);
  });

  test("simulate with an extreme scenario: terminal summary and every CSV without Infinity or NaN", async () => {
    const sc = extremeScenario();
    assert.ok(sc.changed > 10, `only ${sc.changed} scenario values set to their maximum`);
    const scenario = path.join(dir, "scenarie.yaml");
    fs.writeFileSync(scenario, stringify(sc.data, { lineWidth: 0 }));
    const out = tmpDir();
    const r = await cli("simulate", dir, "--scenario", scenario, "--format", "csv,json,md", "--out", out);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.length > 200);
    assert.equal(BAD.exec(r.stdout), null, r.stdout);
    for (const f of fs.readdirSync(out)) {
      const text = fs.readFileSync(path.join(out, f), "utf8");
      assert.equal(BAD.exec(text), null, `${f}: ${text.slice(0, 300)}`);
    }
    assert.ok(fs.readdirSync(out).includes("breakeven.csv"));
  });
});

describe("numbers beyond the plausible maximum", () => {
  test("1e308 as a count of days, an amount, a quantity: located Danish errors", () => {
    const { data } = extremeSpec((k) => KEEP.includes(k));
    data.kontraktvilkår.betaling.frist_dage = 1e308;
    const text = stringify(data, { lineWidth: 0 });
    const r = readSpec(writeFiles({ "udbud.yaml": text }));
    const e = r.errors.find((x) => x.path === "kontraktvilkår.betaling.frist_dage");
    assert.ok(e, r.errors.map((x) => x.path).join(", "));
    assert.match(e!.message, /højst 3650, men er 1e\+308/);
    const line = text.split("\n").findIndex((l) => /frist_dage: 1e\+308/.test(l)) + 1;
    assert.equal(e!.line, line);
  });

  test("a scenario timepris of 1e308 is refused", async () => {
    const sc = extremeScenario();
    const dir = writeFiles({ "udbud.yaml": stringify(extremeSpec((k) => KEEP.includes(k)).data, { lineWidth: 0 }) });
    const indsats = sc.data.delkontrakter.udsatte.indsatser.T1;
    indsats.priser = { ...(indsats.priser ?? {}), timepris: 1e308 };
    fs.writeFileSync(path.join(dir, "scenarie.yaml"), stringify(sc.data, { lineWidth: 0 }));
    const r = await cli("simulate", dir, "--out", tmpDir());
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /scenarie\.yaml:\d+:\d+: fejl: .*timepris/);
    assert.doesNotMatch(r.stderr, /Infinity|intern fejl/);
  });
});
