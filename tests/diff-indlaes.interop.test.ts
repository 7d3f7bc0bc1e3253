/**
 * `udbud indlæs`: one of our contract DOCX edited with python-docx (a changed bod percentage, a
 * reworded paragraph, a new paragraph, a deleted one) comes back as a proposal; merged into a copy
 * of the spec and rendered again, it gives the edited text back.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { parseDocument } from "yaml";
import { diffDocuments } from "../src/diff/align.js";
import { readDocx } from "../src/diff/read-docx/index.js";
import { cli, repoRoot, tmpDir } from "./helpers.js";
import { requirePrereq } from "./prereq.js";

const python = fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const hasDocx = spawnSync(python, ["-c", "import docx"]).status === 0;
const spec = path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte");

/** The spec's text with `overrides` added to its own `klausuler` (the example has some). */
function withOverrides(text: string, overrides: unknown[]): string {
  const doc = parseDocument(text);
  const own = doc.get("klausuler");
  if (own && typeof own === "object" && "items" in (own as object)) for (const o of overrides) (own as { add: (v: unknown) => void }).add(doc.createNode(o));
  else doc.set("klausuler", overrides);
  return doc.toString({ lineWidth: 0 });
}

/** Copies a spec folder. */
function copySpec(to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(spec)) fs.copyFileSync(path.join(spec, f), path.join(to, f));
}

test("a lawyer's Word edits come back as field changes and overrides, and re-render to the edited text", async (ctx) => {
  requirePrereq(!hasDocx, "python3-docx mangler", ctx.skip);
  const dir = tmpDir();
  let r = await cli("render", spec, "--format", "docx", "--only", "rammeaftale", "--out", path.join(dir, "r"));
  assert.equal(r.code, 0, r.stderr);
  const edited = path.join(dir, "rammeaftale-rettet.docx");
  const py = spawnSync(python, [path.join(repoRoot, "tests", "fixtures", "edit-docx.py"), path.join(dir, "r", "rammeaftale.docx"), edited], { encoding: "utf8" });
  assert.equal(py.status, 0, py.stderr);
  const did = JSON.parse(py.stdout);
  assert.equal(did.bod, 2, "both bod sentences carry the percentage");

  const before = fs.readFileSync(path.join(spec, "udbud.yaml"), "utf8");
  r = await cli("indlæs", edited, spec, "--out", path.join(dir, "ud"), "--json");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(fs.readFileSync(path.join(spec, "udbud.yaml"), "utf8"), before, "the spec itself is never written");
  const p = JSON.parse(r.stdout);
  const file = yaml.load(fs.readFileSync(path.join(dir, "ud", "indlæsning.yaml"), "utf8")) as typeof p;
  assert.deepEqual(file.klausuler, p.klausuler);

  // The percentage is a proposed field change with its file and line, not an override of "bod".
  assert.equal(p.feltændringer.length, 1, JSON.stringify(p.feltændringer));
  const f = p.feltændringer[0];
  assert.equal(f.felt, "kontraktvilkår.bod.forsinkelse_procent");
  assert.deepEqual([f.nuværende, f.foreslået], [10, 12]);
  assert.equal(f.fil, "specs/kk-2020-udsatte-sygemeldte/udbud.yaml");
  assert.match(before.split("\n")[f.linje - 1], /forsinkelse_procent:\s*10\b/);
  assert.ok(!p.klausuler.some((k: any) => k.id === "bod"), "the bod clause needs no override");
  // The three text edits are overrides with the lawyer's text; references are {ref:id}.
  const texts = p.klausuler.map((k: any) => k.tekst ?? "").join("\n");
  assert.ok(texts.includes(did.reword.new));
  assert.ok(texts.includes(did.inserted));
  assert.ok(!texts.includes(did.deleted.slice(0, 50)));
  assert.ok(p.klausuler.every((k: any) => k.handling === "erstat"));
  assert.match(texts, /\{ref:[a-zæøå-]+\}/);
  // A point of another annex ("bilag E (pkt. 13)", "pkt. 13 i bilag E") is not a clause number.
  const ownNumbers = texts.replace(/bilag [A-Z]\d? \(pkt\. \d+\)|pkt\. \d+ i bilag [A-Z]/g, "");
  assert.ok(!/pkt\. \d/.test(ownNumbers), "no literal clause numbers left in the overrides");

  // Merge the proposal into a copy of the spec, render again, compare with the edited DOCX.
  const copy = path.join(dir, "kopi");
  copySpec(copy);
  const target = path.join(copy, path.basename(f.fil));
  const lines = fs.readFileSync(target, "utf8").split("\n");
  lines[f.linje - 1] = lines[f.linje - 1].slice(0, f.kolonne - 1) + lines[f.linje - 1].slice(f.kolonne - 1).replace(String(f.nuværende), String(f.foreslået));
  fs.writeFileSync(target, withOverrides(lines.join("\n"), p.klausuler));
  r = await cli("render", copy, "--format", "docx", "--only", "rammeaftale", "--out", path.join(dir, "r2"));
  assert.equal(r.code, 0, r.stderr);
  const again = await readDocx(fs.readFileSync(path.join(dir, "r2", "rammeaftale.docx")), "igen");
  const lawyer = await readDocx(fs.readFileSync(edited), "rettet");
  const d = diffDocuments(lawyer, again);
  const changed = d.clauses.filter((c) => c.kinds.some((k) => k !== "renumbered"));
  assert.deepEqual(changed.map((c) => [c.kinds, c.new?.ref, c.blocks.filter((b) => b.op !== "equal").map((b) => b.runs)]), []);
});

test("a deleted clause and a new one come back as udelad and tilføj-efter, and re-render to the edited text", async (ctx) => {
  requirePrereq(!hasDocx, "python3-docx mangler", ctx.skip);
  const dir = tmpDir();
  let r = await cli("render", spec, "--format", "docx", "--only", "rammeaftale", "--out", path.join(dir, "r"));
  assert.equal(r.code, 0, r.stderr);
  const edited = path.join(dir, "rettet.docx");
  const py = spawnSync(python, [path.join(repoRoot, "tests", "fixtures", "edit-docx-clauses.py"), path.join(dir, "r", "rammeaftale.docx"), edited], { encoding: "utf8" });
  assert.equal(py.status, 0, py.stderr);
  r = await cli("indlæs", edited, spec, "--out", path.join(dir, "ud"), "--json");
  assert.equal(r.code, 0, r.stderr);
  const p = JSON.parse(r.stdout);
  assert.deepEqual(p.feltændringer, []);
  assert.deepEqual(p.klausuler, [
    { id: "habilitet", handling: "udelad" },
    { id: "forsikring", handling: "tilføj-efter", nyt_id: "cyberforsikring", titel: "Cyberforsikring", tekst: "Leverandøren skal have en cyberforsikring, jf. {ref:forsikring}." },
  ]);
  const copy = path.join(dir, "kopi");
  copySpec(copy);
  fs.writeFileSync(path.join(copy, "udbud.yaml"), withOverrides(fs.readFileSync(path.join(copy, "udbud.yaml"), "utf8"), p.klausuler));
  r = await cli("render", copy, "--format", "docx", "--only", "rammeaftale", "--out", path.join(dir, "r2"));
  assert.equal(r.code, 0, r.stderr);
  const again = await readDocx(fs.readFileSync(path.join(dir, "r2", "rammeaftale.docx")), "igen");
  const lawyer = await readDocx(fs.readFileSync(edited), "rettet");
  // Word renumbers the headings itself, but the lawyer's cross-references keep their cached
  // numbers until the fields are updated (F9); the render has the new ones. So: the same clauses
  // with the same words, numbers aside.
  const norm = (doc: typeof lawyer) => doc.clauses.map((c) => `${c.heading}: ${c.blocks.map((b) => b.text).join(" ")}`.replace(/\d+(\.\d+)*/g, "#"));
  assert.deepEqual(norm(lawyer), norm(again));
  assert.ok(again.clauses.some((c) => c.heading === "Cyberforsikring" && c.blocks[0]?.text === "Leverandøren skal have en cyberforsikring, jf. pkt. 5.5."));
});
