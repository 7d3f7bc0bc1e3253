/** Bad input: every kind of unreadable or malformed file gives a Danish error with a location and exit 1. */
import { test } from "vitest";
import { LIMITS } from "../src/read/limits.js";
import { requirePrereq } from "./prereq.js";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { cli, lineOf, minimalDir, validateJson, writeFiles, tmpDir } from "./helpers.js";

const base = fs.readFileSync(path.join(minimalDir, "udbud.yaml"), "utf8");

async function onlyError(dir: string) {
  const { code, json } = await validateJson(dir);
  assert.equal(code, 1, "exit code 1 for invalid input");
  assert.equal(json.valid, false);
  assert.ok(json.errors.length >= 1);
  return json.errors;
}

test("malformed YAML: Danish syntax error with line and column", async () => {
  const text = base.replace("titel: Testudbud om mentorstøtte", 'titel: "Testudbud om mentorstøtte');
  const errors = await onlyError(writeFiles({ "udbud.yaml": text }));
  assert.match(errors[0].message, /^YAML-fejl:/);
  assert.ok(errors[0].line >= lineOf(text, "titel:"), "points at or after the broken line");
  assert.equal(errors[0].file.endsWith("udbud.yaml"), true);
});

test("bad indentation gives a Danish hint", async () => {
  const text = base.replace("  navn: Testkommune", "  navn: Testkommune\n   enhed: Forvaltningen");
  const errors = await onlyError(writeFiles({ "udbud.yaml": text }));
  assert.equal(errors.length, 1, "one error per place");
  assert.match(errors[0].message, /YAML-fejl/);
  const line = lineOf(text, "enhed: Forvaltningen");
  assert.ok(errors[0].line === line || errors[0].line === line - 1, `line ${errors[0].line}`);
});

test("duplicate keys are an error at the second key", async () => {
  const text = base.replace("titel: Testudbud om mentorstøtte", "titel: Testudbud om mentorstøtte\ntitel: Igen");
  const errors = await onlyError(writeFiles({ "udbud.yaml": text }));
  assert.equal(errors[0].code, "yaml.DUPLICATE_KEY");
  assert.match(errors[0].message, /Samme nøgle står to gange/);
  assert.equal(errors[0].line, lineOf(text, "titel: Igen"));
  assert.equal(errors[0].column, 1);
});

test("wrong type: a number where text is expected suggests quotes", async () => {
  const text = base.replace('cvr: "12345678"', "cvr: 12345678");
  const errors = await onlyError(writeFiles({ "udbud.yaml": text }));
  const e = errors.find((x) => x.path === "ordregiver.cvr")!;
  assert.ok(e, JSON.stringify(errors));
  assert.match(e.message, /CVR-nummer: skal være tekst, men er et helt tal\. Sæt værdien i anførselstegn/);
  assert.equal(e.line, lineOf(text, "cvr: 12345678"));
  assert.equal(e.column, 8);
});

test("wrong type: an amount written as text explains how to write numbers", async () => {
  const text = base.replace("grundperiode: 24000000", "grundperiode: 24 mio. kr.");
  const errors = await onlyError(writeFiles({ "udbud.yaml": text }));
  const e = errors.find((x) => x.path === "værdi.grundperiode")!;
  assert.match(e.message, /skal være et tal, men er tekst\. Skriv beløb og tal uden punktummer/);
});

test("wrong type: a percentage written with a %-sign explains how to write percentages", async () => {
  const text = base.replace("forsinkelse_procent: 10", 'forsinkelse_procent: "10 %"');
  const errors = await onlyError(writeFiles({ "udbud.yaml": text }));
  const e = errors.find((x) => x.path === "kontraktvilkår.bod.forsinkelse_procent")!;
  assert.match(e.message, /Dagbod i procent: skal være et tal, men er tekst\. Skriv procent som et tal uden %-tegn, fx 10\./);
});

test("unknown key: names the key, suggests the closest and points at the key", async () => {
  const text = base.replace("    spænd_procent: 100", "    spaend_procent: 100");
  const errors = await onlyError(writeFiles({ "udbud.yaml": text }));
  assert.equal(errors.length, 1, "semantic checks wait until the schema passes, so no follow-on errors");
  const e = errors.find((x) => x.code === "schema.additionalProperties")!;
  assert.match(e.message, /Ukendt felt 'spaend_procent' i Prisevaluering\. Mente du 'spænd_procent'\?/);
  assert.equal(e.line, lineOf(text, "spaend_procent"));
  assert.equal(e.column, 5);
});

test("unknown enum value: lists the allowed values and suggests one", async () => {
  const text = base.replace("type: ugepris", "type: ugpris");
  const errors = await onlyError(writeFiles({ "udbud.yaml": text }));
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /Afregningsform: 'ugpris' er ikke en tilladt værdi\. Mente du 'ugepris'\? Tilladte værdier: timepris, ugepris, dagspris, helårsperson, resultatbaseret\./);
  assert.equal(errors[0].path, "delkontrakter[0].prismodel.type");
  assert.equal(errors[0].line, lineOf(text, "type: ugpris"));
});

test("missing required field: names the field and what it is, at the parent", async () => {
  const text = base.replace("  tilbudsfrist: 2024-03-15\n", "");
  const errors = await onlyError(writeFiles({ "udbud.yaml": text }));
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /feltet 'tilbudsfrist' mangler \(Tilbudsfrist: Frist for afgivelse af tilbud\.\)/);
  assert.equal(errors[0].line, lineOf(text, "tidsplan:"));
});

test("invalid date", async () => {
  const text = base.replace("spørgefrist: 2024-03-01", "spørgefrist: 2024-02-30");
  const errors = await onlyError(writeFiles({ "udbud.yaml": text }));
  assert.match(errors[0].message, /'2024-02-30' er ikke en gyldig dato\. Skriv ÅÅÅÅ-MM-DD/);
});

test("all problems are reported at once", async () => {
  const text = base
    .replace("type: ugepris", "type: ugpris")
    .replace('cvr: "12345678"', "cvr: 1234")
    .replace("    spænd_procent: 100", "    spænd_procent: 100\n    farve: rød");
  const errors = await onlyError(writeFiles({ "udbud.yaml": text }));
  assert.equal(errors.length, 3, JSON.stringify(errors.map((e) => e.message)));
  const lines = errors.map((e) => e.line);
  assert.deepEqual(lines, [...lines].sort((a, b) => a - b), "sorted by line");
});

test("alias bomb stops at the node limit with a clear error", async () => {
  let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    bomb += `${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(", ")}]\n`;
  }
  // Time and memory are bounded in tests/hostile.interop.test.ts (a child process with limits).
  const errors = await onlyError(writeFiles({ "udbud.yaml": bomb }));
  assert.equal(errors[0].code, "read.too-many-alias-nodes");
  assert.match(errors[0].file, /udbud\.yaml$/, "located in the file");
  assert.match(errors[0].message, /alias-bombe/);
});

test("oversized file is refused before parsing", async () => {
  const big = "# " + "x".repeat(6 * 1024 * 1024) + "\n";
  const errors = await onlyError(writeFiles({ "udbud.yaml": big }));
  assert.equal(errors[0].code, "read.too-large");
  assert.match(errors[0].message, /Filen er for stor/);
});

test("binary file", async () => {
  const errors = await onlyError(writeFiles({ "udbud.yaml": Buffer.from([0x69, 0x64, 0x3a, 0x20, 0x00, 0x01, 0x02]) }));
  assert.equal(errors[0].code, "read.binary");
  assert.equal(errors[0].line, 1);
  assert.equal(errors[0].column, 5);
});

test("Latin-1 file: not UTF-8, with the position of the first bad byte", async () => {
  const latin1 = Buffer.from("id: test\ntitel: Udbud om støtte\n", "latin1");
  const errors = await onlyError(writeFiles({ "udbud.yaml": latin1 }));
  assert.equal(errors[0].code, "read.encoding");
  assert.match(errors[0].message, /ikke gyldig UTF-8/);
  assert.equal(errors[0].line, 2);
  assert.equal(errors[0].column, 19);
});

test("UTF-16 file", async () => {
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("id: test\n", "utf16le")]);
  const errors = await onlyError(writeFiles({ "udbud.yaml": utf16 }));
  assert.equal(errors[0].code, "read.utf16");
});

test("UTF-8 with BOM is accepted", async () => {
  const { code } = await validateJson(writeFiles({ "udbud.yaml": "\ufeff" + base }));
  assert.equal(code, 0);
});

test("missing spec, folder without udbud.yaml, empty file", async () => {
  const missing = await validateJson(path.join(tmpDir(), "findes-ikke"));
  assert.equal(missing.code, 1);
  assert.match(missing.json.errors[0].message, /findes ikke/);
  const empty = await validateJson(tmpDir());
  assert.equal(empty.code, 1);
  assert.match(empty.json.errors[0].message, /indeholder ingen udbud\.yaml/);
  const blank = await validateJson(writeFiles({ "udbud.yaml": "# kun en kommentar\n" }));
  assert.equal(blank.code, 1);
  assert.match(blank.json.errors[0].message, /Filen er tom/);
});

const lotYaml = stringify(parse(base).delkontrakter[0]);

test("a spec split into files validates like one file", async () => {
  const main = base.replace(/delkontrakter:\n[\s\S]*?prisvilkår:/, "delkontrakter:\n  - $inkluder: lots/mentor.yaml\nprisvilkår:");
  const dir = writeFiles({ "udbud.yaml": main, "lots/mentor.yaml": lotYaml });
  const { code, json } = await validateJson(dir);
  assert.equal(code, 0, JSON.stringify(json.errors));
});

test("errors inside an included file name that file and line", async () => {
  const main = base.replace(/delkontrakter:\n[\s\S]*?prisvilkår:/, "delkontrakter:\n  - $inkluder: mentor.yaml\nprisvilkår:");
  const lot = lotYaml.replace("type: ugepris", "type: ugpris");
  const { json } = await validateJson(writeFiles({ "udbud.yaml": main, "mentor.yaml": lot }));
  assert.equal(json.errors.length, 1);
  assert.ok(json.errors[0].file.endsWith("mentor.yaml"));
  assert.equal(json.errors[0].line, lineOf(lot, "type: ugpris"));
  assert.equal(json.errors[0].path, "delkontrakter[0].prismodel.type");
});

test("include problems: missing file, cycle, outside the folder, absolute path, not YAML", async () => {
  const inc = (target: string) => base.replace(/delkontrakter:\n[\s\S]*?prisvilkår:/, `delkontrakter:\n  - $inkluder: ${target}\nprisvilkår:`);
  const missing = await onlyError(writeFiles({ "udbud.yaml": inc("mangler.yaml") }));
  assert.equal(missing[0].code, "include.missing");
  assert.equal(missing[0].line, lineOf(inc("mangler.yaml"), "$inkluder"));

  const cyc = await onlyError(writeFiles({ "udbud.yaml": inc("a.yaml"), "a.yaml": "$inkluder: b.yaml\n", "b.yaml": "$inkluder: a.yaml\n" }));
  assert.equal(cyc[0].code, "include.cycle");
  assert.match(cyc[0].message, /løkke: a\.yaml → b\.yaml → a\.yaml/);

  const self = await onlyError(writeFiles({ "udbud.yaml": inc("udbud.yaml") }));
  assert.equal(self[0].code, "include.cycle");

  const outsideDir = writeFiles({ "spec/udbud.yaml": inc("../hemmelig.yaml"), "hemmelig.yaml": lotYaml });
  const outside = await onlyError(path.join(outsideDir, "spec"));
  assert.equal(outside[0].code, "include.outside");

  const abs = await onlyError(writeFiles({ "udbud.yaml": inc("/etc/passwd.yaml") }));
  assert.equal(abs[0].code, "include.absolute");

  // A relative path inside the folder, to a file that is not YAML: the not-YAML branch itself.
  const notYaml = await onlyError(writeFiles({ "udbud.yaml": inc("noter.txt"), "noter.txt": "id: x\n" }));
  assert.equal(notYaml[0].code, "include.not-yaml");
  assert.equal(notYaml[0].line, lineOf(inc("noter.txt"), "$inkluder"));
});

test("include limits: a chain deeper than maxIncludeDepth, more files than maxFiles", async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < LIMITS.maxIncludeDepth + 2; i++) files[`k${i}.yaml`] = `$inkluder: k${i + 1}.yaml\n`;
  files[`k${LIMITS.maxIncludeDepth + 2}.yaml`] = lotYaml;
  const deep = await onlyError(writeFiles({ "udbud.yaml": base.replace(/delkontrakter:\n[\s\S]*?prisvilkår:/, "delkontrakter:\n  - $inkluder: k0.yaml\nprisvilkår:"), ...files }));
  assert.equal(deep[0].code, "include.too-deep");
  const many: Record<string, string> = {};
  const n = LIMITS.maxFiles + 1;
  for (let i = 0; i < n; i++) many[`d${i}.yaml`] = "navn: x\n";
  const list = Array.from({ length: n }, (_, i) => `    - $inkluder: d${i}.yaml`).join("\n");
  const wide = await onlyError(writeFiles({ "udbud.yaml": `${base}\nekstra:\n  liste:\n${list}\n`, ...many }));
  assert.equal(wide[0].code, "include.too-many");
});

test("symlink escaping the spec folder is refused", async (ctx) => {
  const dir = writeFiles({ "spec/udbud.yaml": base.replace(/delkontrakter:\n[\s\S]*?prisvilkår:/, "delkontrakter:\n  - $inkluder: link.yaml\nprisvilkår:"), "ude.yaml": lotYaml });
  try {
    fs.symlinkSync(path.join(dir, "ude.yaml"), path.join(dir, "spec", "link.yaml"));
  } catch {
    requirePrereq(true, "symlinks not available", ctx.skip);
    return;
  }
  const errors = await onlyError(path.join(dir, "spec"));
  assert.equal(errors[0].code, "include.outside");
});

test("YAML tags such as !include are refused with a pointer to $inkluder", async () => {
  const text = base.replace(/delkontrakter:\n[\s\S]*?prisvilkår:/, "delkontrakter:\n  - !include lot.yaml\nprisvilkår:");
  const errors = await onlyError(writeFiles({ "udbud.yaml": text }));
  assert.equal(errors[0].code, "yaml.TAG_RESOLVE_FAILED");
  assert.match(errors[0].message, /\$inkluder/);
});

test("several YAML documents in one file", async () => {
  const errors = await onlyError(writeFiles({ "udbud.yaml": base + "---\nid: nummer-to\n" }));
  assert.match(errors[0].message, /flere YAML-dokumenter/);
});

test("deep nesting is refused", async () => {
  const deep = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
  const errors = await onlyError(writeFiles({ "udbud.yaml": deep }));
  assert.ok(errors.some((e) => e.code === "read.too-deep" || e.code.startsWith("yaml.")), JSON.stringify(errors));
});

test("__proto__ keys cannot pollute objects", async () => {
  const text = base.replace("titel: Testudbud om mentorstøtte", "titel: Testudbud om mentorstøtte\n__proto__: { polluted: true }");
  const errors = await onlyError(writeFiles({ "udbud.yaml": text }));
  assert.match(errors[0].message, /Ukendt felt '__proto__'/);
  assert.equal(({} as any).polluted, undefined);
});

test("numeric ids are read as text", async () => {
  const text = base.replace("- id: 1A", "- id: 1").replace("indsats: 1A, beløb: 1500", "indsats: 1, beløb: 1500").replace("- { indsats: 1A, mængde: 1000 }", "- { indsats: 1, mængde: 1000 }");
  const { code, json } = await validateJson(writeFiles({ "udbud.yaml": text }));
  assert.equal(code, 0, JSON.stringify(json.errors));
});

test("the input file is never modified", async () => {
  const dir = writeFiles({ "udbud.yaml": base });
  const before = fs.statSync(path.join(dir, "udbud.yaml")).mtimeMs;
  await cli("validate", dir);
  assert.equal(fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8"), base);
  assert.equal(fs.statSync(path.join(dir, "udbud.yaml")).mtimeMs, before);
});

test("the fast reader (js-yaml events) and the careful reader (yaml) agree on data and positions", async () => {
  const { loadSpec, loadCareful } = await import("../src/read/load.js");
  const { repoRoot } = await import("./helpers.js");
  for (const dir of [minimalDir, path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte"), path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte")]) {
    const fast = loadSpec(dir);
    const careful = loadCareful(dir);
    assert.deepEqual(fast.diagnostics, []);
    assert.deepEqual(JSON.stringify(fast.data), JSON.stringify(careful.data), dir);
    for (const ptr of ["/titel", "/delkontrakter/0/indsatsspor/0/indsatser/1/id", "/delkontrakter/0/prismodel/priser/0/beløb", "/tidsplan"]) {
      assert.deepEqual(fast.sourceMap.locate(ptr), careful.sourceMap.locate(ptr), `${dir} ${ptr}`);
      assert.deepEqual(fast.sourceMap.locate(ptr, true), careful.sourceMap.locate(ptr, true), `${dir} ${ptr} (key)`);
    }
  }
});
