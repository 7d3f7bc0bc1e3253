/**
 * The first hour of a procurement officer (issue 12): `udbud ny`, every error in one run, Danish
 * number habits, `$schema` comments, output folders that cannot be mixed up, one convention for
 * every command, `udbud klausuler`, and the term check's Danish inflection.
 */
import { describe, test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { spawnSync } from "node:child_process";
import { cli, lineOf, repoRoot, tmpDir, writeFiles } from "./helpers.js";
import { termPattern } from "../src/doc/terms.js";

/** A fresh tender made by `udbud ny` in a temporary folder outside the repository. */
async function newTender(name = "mit-udbud"): Promise<string> {
  const dir = path.join(tmpDir(), name);
  const r = await cli("ny", dir);
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = fs.readFileSync(file, "utf8");
  const next = text.replace(from, to);
  assert.notEqual(next, text, `${from} not found in ${file}`);
  fs.writeFileSync(file, next);
}

describe("udbud ny", () => {
  test("makes a valid tender with a fresh id, every file, $schema comments that resolve and editor settings", async () => {
    const dir = await newTender("Mit Udbud 2025");
    const files = fs.readdirSync(dir).sort();
    assert.deepEqual(files, [".vscode", "bud.yaml", "delkontrakt-1.yaml", "scenarie.yaml", "udbud.yaml"]);
    const spec = parse(fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8"));
    assert.equal(spec.id, "mit-udbud-2025");
    // Every required top-level field of the schema is present.
    const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, "schemas", "udbud.schema.json"), "utf8"));
    for (const k of schema.required) assert.ok(k in spec, `field ${k}`);
    // Danish comments and illustrative markers.
    const text = fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8");
    assert.ok((text.match(/# illustrativ/g) ?? []).length >= 20);
    assert.match(text, /Skriv beløb uden punktummer/);
    for (const f of ["udbud.yaml", "delkontrakt-1.yaml", "scenarie.yaml"]) {
      const first = fs.readFileSync(path.join(dir, f), "utf8").split("\n")[0];
      const m = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
      assert.ok(m, `${f}: ${first}`);
      assert.ok(!path.isAbsolute(m[1]), "relative from the folder");
      assert.ok(fs.existsSync(path.resolve(dir, m[1])), `${f}: ${m[1]} resolves`);
    }
    const settings = JSON.parse(fs.readFileSync(path.join(dir, ".vscode", "settings.json"), "utf8"));
    const mapped = Object.entries<string[]>(settings["yaml.schemas"]);
    assert.equal(mapped.length, 3);
    for (const [schemaUrl] of mapped) assert.ok(fs.existsSync(fileURLToPath(schemaUrl)), schemaUrl);
    assert.ok(mapped.some(([s, globs]) => s.endsWith("delkontrakt.schema.json") && globs.includes("delkontrakt-*.yaml")));
    const v = await cli("validate", dir, "--json");
    assert.equal(v.code, 0, v.stdout);
    const json = JSON.parse(v.stdout);
    assert.deepEqual(json.errors, []);
    assert.deepEqual(json.warnings, []);
  });

  test("the new tender renders, simulates and evaluates as it is", async () => {
    const dir = await newTender();
    const out = path.join(path.dirname(dir), "ud");
    const r = await cli("render", dir, "--format", "md", "--out", out);
    assert.equal(r.code, 0, r.stderr);
    const md = fs.readFileSync(path.join(out, "rammeaftale.md"), "utf8");
    assert.match(md, /Rammeaftale om Mit udbud/);
    const e = await cli("evaluate", dir, "--bids", path.join(dir, "bud.yaml"), "--json");
    assert.equal(e.code, 0, e.stdout + e.stderr);
    const ev = JSON.parse(e.stdout);
    assert.equal(ev.delkontrakter[0].bud.length, 2, "the bid naming the lot by number is the same lot");
    const s = await cli("simulate", dir, "--runs", "50", "--format", "json", "--out", path.join(out, "sim"));
    assert.equal(s.code, 0, s.stderr);
    assert.ok(fs.existsSync(path.join(out, "sim", "simulering.json")));
  });

  test("--fra copies an example with a new id; a folder that is not empty is refused", async () => {
    const dir = path.join(tmpDir(), "kopi");
    const r = await cli("ny", dir, "--fra", "kk-2024-udsatte-sygemeldte");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(parse(fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8")).id, "kopi");
    assert.equal(parse(fs.readFileSync(path.join(dir, "bud.yaml"), "utf8")).udbud, "kopi");
    const first = fs.readFileSync(path.join(dir, "udbudsomraade-1.yaml"), "utf8").split("\n")[0];
    assert.ok(fs.existsSync(path.resolve(dir, first.split("$schema=")[1])));
    const v = await cli("validate", dir, "--json");
    assert.equal(v.code, 0, v.stdout);
    const again = await cli("ny", dir);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /findes allerede og er ikke tom/);
    const bad = await cli("ny", path.join(tmpDir(), "x"), "--fra", "kk-2042");
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Mulige eksempler: kk-2020-udsatte-sygemeldte, kk-2024-udsatte-sygemeldte/);
  });
});

describe("every error in one run", () => {
  test("a schema error in a lot and a weight error in the award come together, with a notice for what was not checked", async () => {
    const dir = await newTender();
    edit(path.join(dir, "delkontrakt-1.yaml"), "type: ugepris", "type: ugpris");
    edit(path.join(dir, "udbud.yaml"), "- { id: pris, titel: Pris, type: pris, vægt: 40 }", "- { id: pris, titel: Pris, type: pris, vægt: 50 }");
    const r = await cli("validate", dir, "--json");
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    const codes = json.errors.map((e: { code: string }) => e.code);
    assert.ok(codes.includes("schema.enum"), codes.join());
    assert.ok(codes.includes("semantic.weights"), codes.join());
    const enumErr = json.errors.find((e: { code: string }) => e.code === "schema.enum");
    assert.match(enumErr.message, /Mente du 'ugepris'\?/);
    const weights = json.errors.find((e: { code: string }) => e.code === "semantic.weights");
    assert.match(weights.message, /110 %/);
    const skipped = json.warnings.find((w: { code: string }) => w.code === "semantic.skipped");
    assert.ok(skipped, "says that the lot's rules were not checked");
    assert.match(skipped.message, /delkontrakten 'delkontrakt-1' er ikke tjekket.*prismodel\.type/);
  });

  test("a missing field does not switch off the rule checks elsewhere", async () => {
    const dir = await newTender();
    edit(path.join(dir, "udbud.yaml"), /^  betaling: \{ frist_dage: 30 \} # illustrativ\n/m, "");
    edit(path.join(dir, "delkontrakt-1.yaml"), "beløb: 1500, min: 1000, max: 2500", "beløb: 1500, min: 2000, max: 1000");
    const json = JSON.parse((await cli("validate", dir, "--json")).stdout);
    const codes = json.errors.map((e: { code: string }) => e.code);
    assert.ok(codes.includes("schema.required"), codes.join());
    assert.ok(codes.includes("semantic.min-max"), codes.join());
  });

  test("a wrong clause id fails validate with a suggestion", async () => {
    const dir = await newTender();
    fs.appendFileSync(path.join(dir, "udbud.yaml"), "klausuler:\n  - { id: bodd, handling: erstat, tekst: Ny tekst. }\n");
    const r = await cli("validate", dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /udbud\.yaml:\d+:\d+: fejl: Klausulen 'bodd' findes ikke i dokumentet 'rammeaftale'\. Mente du 'bod'\?/);
  });

  test("simulate reports the scenario's schema errors and an unknown offer in one run", async () => {
    const dir = await newTender();
    fs.writeFileSync(path.join(dir, "scenarie.yaml"), "titel: T\nkørsler: mange\ndelkontrakter:\n  delkontrakt-1:\n    indsatser:\n      A1:\n        henvisninger: { pr_måned: 10 }\n        fremmøde: 1.5\n      A9:\n        henvisninger: { pr_måned: 5 }\n");
    const r = await cli("simulate", dir, "--json", "--out", path.join(path.dirname(dir), "sim"));
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    const msgs = json.errors.map((e: { message: string }) => e.message).join("\n");
    assert.match(msgs, /Kørsler/);
    assert.match(msgs, /Fremmøde/);
    assert.match(msgs, /'A9' findes ikke/);
  });

  test("evaluate reports the spec's errors and the bids file's errors in one run", async () => {
    const dir = await newTender();
    edit(path.join(dir, "udbud.yaml"), "- { id: pris, titel: Pris, type: pris, vægt: 40 }", "- { id: pris, titel: Pris, type: pris, vægt: 50 }");
    edit(path.join(dir, "bud.yaml"), "{ kriterium: progression, point: 8 }", "{ kriterium: progression, point: 80 }");
    const r = await cli("evaluate", dir, "--bids", path.join(dir, "bud.yaml"), "--json");
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    const files = json.errors.map((e: { file: string; message: string }) => `${path.basename(e.file)}: ${e.message}`).join("\n");
    assert.match(files, /udbud\.yaml: Vægtene for underkriterierne giver 110 %/);
    assert.match(files, /bud\.yaml: 80 point for 'progression' ligger uden for pointskalaen/);
  });
});

describe("Danish number habits and $schema comments", () => {
  test("500.000 and a decimal comma in a flow value are warnings with the fix", async () => {
    const dir = await newTender();
    edit(path.join(dir, "udbud.yaml"), "tingskade: 500000", "tingskade: 500.000");
    edit(path.join(dir, "delkontrakt-1.yaml"), "ugentlige_timer: { min: 2, max: 4 }", "ugentlige_timer: { min: 2,5, max: 4 }");
    const json = JSON.parse((await cli("validate", dir, "--json")).stdout);
    const thousands = json.warnings.find((w: { code: string }) => w.code === "habit.thousands");
    assert.ok(thousands);
    assert.match(thousands.message, /'500\.000' læses som 500.*skriv 500000/);
    assert.equal(thousands.path, "kontraktvilkår.forsikring.tingskade");
    assert.equal(thousands.line, lineOf(fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8"), "tingskade: 500.000"));
    const comma = json.warnings.find((w: { code: string }) => w.code === "habit.decimal-comma");
    assert.ok(comma);
    assert.match(comma.message, /Skriv decimaltal med punktum: 2\.5/);
  });

  test("a $schema comment that does not resolve after a move is a warning naming the right path", async () => {
    const dir = await newTender();
    const deeper = path.join(path.dirname(dir), "a", "b", "mit-udbud");
    fs.mkdirSync(path.dirname(deeper), { recursive: true });
    fs.renameSync(dir, deeper);
    const json = JSON.parse((await cli("validate", deeper, "--json")).stdout);
    const ws = json.warnings.filter((w: { code: string }) => w.code === "habit.schema-comment");
    assert.equal(ws.length, 2, "udbud.yaml and the lot file");
    const fix = /\$schema=(\S+)$/.exec(ws[0].message)![1];
    assert.ok(fs.existsSync(path.resolve(deeper, fix)), fix);
  });
});

describe("output folders", () => {
  test("--only merges into the manifest; another tender with the same id is refused; counts in Danish", async () => {
    const dir = await newTender();
    const out = path.join(path.dirname(dir), "ud");
    const all = await cli("render", dir, "--format", "md", "--out", out, "--json");
    assert.equal(all.code, 0, all.stdout);
    const m1 = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    assert.equal(m1.udbud.id, "mit-udbud");
    assert.equal(path.resolve(out, m1.udbud.spec), path.join(dir, "udbud.yaml"));
    assert.deepEqual(JSON.parse(all.stdout).documents, m1.documents);
    // Options before the argument; --only does not swallow the spec.
    const one = await cli("render", "--only", "rammeaftale", "--format", "md", "--out", out, dir);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /✓ 1 dokument, 1 fil i .*manifest\.json lister 6 dokumenter\./);
    const m2 = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    assert.deepEqual(m2.documents.map((d: { id: string }) => d.id), m1.documents.map((d: { id: string }) => d.id));
    // A copy of the tender (same id) into the same folder.
    const copy = path.join(path.dirname(dir), "kopi");
    fs.cpSync(dir, copy, { recursive: true });
    const before = fs.readFileSync(path.join(out, "rammeaftale.md"));
    const clash = await cli("render", copy, "--format", "md", "--out", out);
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /tilhører udbuddet 'mit-udbud' \(.*mit-udbud[\\/]udbud\.yaml\).*kopi[\\/]udbud\.yaml.*--overskriv/);
    assert.deepEqual(fs.readFileSync(path.join(out, "rammeaftale.md")), before);
    const forced = await cli("render", copy, "--format", "md", "--out", out, "--overskriv");
    assert.equal(forced.code, 0, forced.stderr);
    const m3 = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    assert.equal(path.resolve(out, m3.udbud.spec), path.join(copy, "udbud.yaml"));
  });
});

describe("one convention for every command", () => {
  const commands = ["ny", "validate", "render", "klausuler", "diff", "evaluate", "simulate"];

  test("help texts are Danish with an example for every command", async () => {
    for (const c of commands) {
      const r = await cli(c, "--help");
      assert.equal(r.code, 0);
      assert.doesNotMatch(r.stdout, /\[options\]|\(default:|Usage:|Options:|Arguments:/, c);
      assert.match(r.stdout, /Eksempler:\n  udbud /, c);
    }
  });

  test("errors come in one JSON shape from every command", async () => {
    const dir = writeFiles({ "udbud.yaml": "id: X\n" });
    const runs = [
      ["validate", dir, "--json"],
      ["render", dir, "--json"],
      ["simulate", dir, "--json"],
      ["evaluate", dir, "--bids", path.join(dir, "bud.yaml"), "--json"],
      ["diff", path.join(dir, "findes-ikke.md"), path.join(dir, "heller-ikke.md"), "--json"],
      ["klausuler", "--spec", dir, "--json"],
    ];
    for (const args of runs) {
      const r = await cli(...args);
      assert.equal(r.code, 1, `${args[0]}: ${r.stderr}`);
      const json = JSON.parse(r.stdout);
      assert.ok(Array.isArray(json.errors) && json.errors.length > 0, args[0]);
      assert.ok(Array.isArray(json.warnings), args[0]);
      for (const e of json.errors) assert.deepEqual(Object.keys(e).sort(), ["code", "column", "file", "line", "message", "path"], args[0]);
    }
  });

  test("validate on a lot file says to point at the tender folder", async () => {
    const dir = await newTender();
    const r = await cli("validate", path.join(dir, "delkontrakt-1.yaml"));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /er en delkontraktfil.*Peg på udbuddets mappe/);
  });
});

describe("udbud klausuler", () => {
  test("lists clause ids with number and heading; docs/klausuler.md is up to date", async () => {
    const r = await cli("klausuler", "rammeaftale", "--json");
    assert.equal(r.code, 0, r.stderr);
    const docs = JSON.parse(r.stdout).dokumenter;
    assert.equal(docs.length, 1);
    const bod = docs[0].klausuler.find((k: { id: string }) => k.id === "bod");
    assert.ok(bod);
    assert.match(bod.nummer, /^\d+(\.\d+)*$/);
    assert.ok(bod.overskrift.length > 2);
    const md = await cli("klausuler");
    assert.equal(md.stdout, fs.readFileSync(path.join(repoRoot, "docs", "klausuler.md"), "utf8"), "regenerate with: udbud klausuler > docs/klausuler.md");
  });
});

describe("defined terms", () => {
  test("Danish inflection on each word, adjective -e/-t", () => {
    const re = termPattern("Lokalt forankret projekt");
    assert.ok(re.test("Lokalt forankrede projekter skal godkendes."));
    assert.ok(re.test("det Lokalt forankrede projekts mål"));
    assert.ok(!re.test("lokale projekter"));
    assert.ok(termPattern("Ordre").test("Ordrens varighed"));
    assert.ok(!termPattern("Ordre").test("Ordrestyringssystemet"));
  });

  test("an unused extra definition is reported at its own line", async () => {
    const dir = await newTender();
    fs.appendFileSync(path.join(dir, "udbud.yaml"), "definitioner:\n  - begreb: Lokalt forankret projekt\n    definition: et projekt, der drives lokalt.\n  - begreb: Helt ubrugt begreb\n    definition: bruges ikke.\n");
    const r = await cli("render", dir, "--format", "md", "--out", path.join(path.dirname(dir), "ud"), "--json");
    assert.equal(r.code, 0, r.stdout);
    const unused = JSON.parse(r.stdout).warnings.filter((w: { code: string }) => w.code === "render.term-unused");
    const mine = unused.find((w: { message: string }) => w.message.includes("Helt ubrugt begreb"));
    assert.ok(mine, JSON.stringify(unused));
    assert.equal(mine.line, lineOf(fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8"), "begreb: Helt ubrugt begreb"));
  });
});

describe("the user guide", () => {
  test("chapter 2's commands, run as written in a fresh folder, give a valid and rendered tender", () => {
    const guide = fs.readFileSync(path.join(repoRoot, "docs", "brugervejledning.md"), "utf8");
    assert.match(guide, /^# Brugervejledning/);
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const firstLink = /\]\(([^)]+)\)/.exec(readme)![1];
    assert.equal(firstLink, "docs/brugervejledning.md", "the README links the guide first");
    const chapter = guide.slice(guide.indexOf("## 2. "), guide.indexOf("## 3. "));
    const commands = [...chapter.matchAll(/```sh\n([\s\S]*?)```/g)]
      .flatMap((m) => m[1].split("\n"))
      .map((l) => l.replace(/\s+#.*$/, "").trim())
      .filter((l) => l.startsWith("udbud ") && !l.includes("--fra"));
    assert.deepEqual(commands, ["udbud ny mit-udbud", "udbud validate mit-udbud", "udbud render mit-udbud"]);
    const cwd = tmpDir();
    for (const c of commands) {
      const r = spawnSync(process.execPath, [path.join(repoRoot, "bin", "udbud.js"), ...c.split(" ").slice(1)], { cwd, encoding: "utf8" });
      assert.equal(r.status, 0, `${c}\n${r.stdout}${r.stderr}`);
      if (c.includes("validate")) assert.match(r.stdout, /✓ mit-udbud er gyldigt\./, "the guide quotes this line");
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(cwd, "output", "mit-udbud", "manifest.json"), "utf8"));
    assert.equal(manifest.udbud.id, "mit-udbud");
    assert.ok(fs.existsSync(path.join(cwd, "output", "mit-udbud", "rammeaftale.docx")), "the guide opens this file");
  });
});
