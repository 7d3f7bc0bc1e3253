/**
 * Issue 11, point 8, over the three specs (2020, 2024, the helårsperson fixture): the checks
 * tests/content.test.ts does not already make. The spec's obligations are printed in its own
 * words (no "skal"/"typisk"/"som udgangspunkt" drift), the tilbudsliste fits the pricing model,
 * every example value is marked and the first page counts exactly the marks, and `--endelig`
 * fails with one located error per example value.
 */
import { describe, test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli, tmpDir } from "./helpers.js";
import { norm } from "./fidelity.js";
import { readSpec } from "../src/read/index.js";
import { docs, specs } from "./three-specs.js";


/** Every string under a lot's outlines (disposition, målgruppe.disposition) and the offers' own texts. */
function specTexts(dir: string): string[] {
  const u = readSpec(dir).udbud!;
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    // Table cells and figure data are not running text.
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (k !== "tabel" && k !== "figur") walk(x);
  };
  for (const lot of u.delkontrakter) {
    walk(lot.disposition);
    walk(lot.målgruppe?.disposition);
    // With an outline, the outline is the text (the offers' own fields feed generated blocks only).
    if (!lot.disposition) for (const o of lot.indsatsspor.flatMap((s) => s.indsatser)) walk([o.beskrivelse, o.målgruppe, o.varighed?.tekst]);
  }
  return out;
}

const MODALS = ["skal", "typisk", "som udgangspunkt", "forventes", "kan"];

/** The spec's sentences that carry a modal word (how binding the obligation is). */
function modalSentences(texts: string[]): string[] {
  return texts
    .flatMap((t) => t.split(/(?<=[.!?])\s+(?=[A-ZÆØÅ])/))
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s.split(" ").length >= 6 && !/\{(ref|nr):/.test(s) && MODALS.some((m) => new RegExp(`\\b${m}\\b`).test(s)));
}

describe.each(Object.keys(specs))("%s", (name) => {
  test("the spec's obligations are printed in its own words: no 'skal'/'typisk'/'som udgangspunkt' drift", async () => {
    const d = await docs(name);
    const body = norm(Object.values(d).join("\n"));
    const texts = specTexts(specs[name]);
    const own = norm(texts.join("\n"));
    const sentences = modalSentences(texts);
    let checked = 0;
    for (const s of sentences) {
      if (/[*_`#<>|\\[\]]/.test(s)) continue; // Markdown-significant characters are escaped in the output
      assert.ok(body.includes(norm(s)), `${name}: the spec's sentence is printed verbatim: ${s}`);
      for (const m of MODALS) {
        if (!new RegExp(`\\b${m}\\b`).test(s)) continue;
        for (const other of MODALS.filter((x) => x !== m)) {
          const drifted = norm(s.replace(new RegExp(`\\b${m}\\b`), other));
          if (own.includes(drifted)) continue; // the spec itself has that wording too
          assert.ok(!body.includes(drifted), `${name}: '${m}' became '${other}': ${s}`);
        }
      }
      checked++;
    }
    assert.ok(checked >= { "2020": 50, "2024": 10, helårsperson: 0 }[name]!, `${name}: checked ${checked} sentences`);
    // The strengthened twin the issue found ("forventes … som udgangspunkt" printed as "skal").
    for (const [id, md] of Object.entries(d)) assert.doesNotMatch(md, /Borgeren (\*\*)?skal(\*\*)? som udgangspunkt/, `${name}/${id}`);
  });

  test("tilbudsliste: id · ydelse · enhed · (priskorridor) · evalueringsmængde · tilbudt enhedspris · pris × mængde, the total, a tegningsberettiget signatory", async () => {
    const d = await docs(name);
    const lists = Object.entries(d).filter(([id]) => id.startsWith("tilbudsliste-"));
    assert.ok(lists.length >= 1);
    const u = readSpec(specs[name]).udbud!;
    for (const [id, md] of lists) {
      const lot = u.delkontrakter.find((l) => id.endsWith(`-${l.id}`))!;
      const corridor = lot.prismodel.priser.some((p) => p.min != null || p.max != null);
      const header = md.split("\n").find((l) => l.startsWith("| Id |"))!;
      const cols = header.split("|").slice(1, -1).map((c) => c.trim().replace(/- (?=\p{Ll})/gu, ""));
      assert.deepEqual(cols.slice(0, 3), ["Id", "Ydelse", "Enhed"], id);
      assert.equal(cols.includes("Priskorridor (kr.)"), corridor, `${id}: corridor column only when there is one`);
      const rest = cols.slice(corridor ? 4 : 3);
      assert.equal(rest.length, 3, `${id}: ${cols.join(" · ")}`);
      assert.equal(rest[0], "Evalueringsmængde", id);
      assert.match(rest[1], /^Tilbudt pris pr\. (time|uge|dag|plads|forløb) \(kr\.\)$/, id);
      assert.equal(rest[2], "Pris × mængde (kr.)", id);
      // A row per offer and element with a price, ids as in the spec, then the total.
      const lines = md.split("\n");
      const from = lines.indexOf(header) + 2;
      const to = lines.findIndex((l) => /^\| +\| (\*\*)?Evalueringsteknisk pris i alt(\*\*)? \|/.test(l));
      assert.ok(to > from, `${id}: total row after the rows`);
      const rows = lines.slice(from, to);
      const ids = lot.prismodel.priser.map((p) => String(p.indsats ?? p.element));
      assert.deepEqual(rows.map((r) => r.split("|")[1].trim()).sort(), [...ids].sort(), id);
      assert.match(md, /^\| +\| \*\*Evalueringsteknisk pris i alt\*\* \|(?: +\|)* \\_(\\_)+ \|$/m, `${id}: total row with room for the total`);
      assert.doesNotMatch(md, /– til –/, `${id}: no empty corridor`);
      assert.doesNotMatch(md, /pr\. Aktivitetstime\./, `${id}: the old capitalised unit sentence`);
      assert.equal((md.match(/Enhedsprisen angives pr\./g) ?? []).length, 1, `${id}: one sentence on the unit`);
      assert.match(md, /tegningsberettiget for tilbudsgiver/, `${id}: signatory`);
      for (const f of ["Navn:", "Titel:", "Underskrift:"]) assert.ok(md.includes(`| ${f} |`), `${id}: ${f}`);
      if (lot.prismodel.type === "helårsperson") {
        const places = lot.prismodel.priser.reduce((s, p) => s + (p.pladser ?? 0), 0);
        assert.ok(md.includes(`Ordregiver køber ${places} helårspladser, som betales uanset belægning`), `${id}: places bought`);
        assert.doesNotMatch(md, /udgør ikke et tilsagn om køb/, `${id}: no 'no commitment' for bought places`);
      } else if (lot.prismodel.priser.length) assert.match(md, /Den evalueringstekniske pris er summen af hver tilbudt enhedspris ganget med den offentliggjorte evalueringsmængde\. Mængderne er alene beregningstekniske og udgør ikke et tilsagn om køb\./, id);
    }
  });

  test("example values: every document counts on its first page exactly the values it marks; none unmarked in the price and evaluation documents", async () => {
    const d = await docs(name);
    const read = readSpec(specs[name]);
    let total = 0;
    for (const [id, md] of Object.entries(d)) {
      const marks = (md.match(/==[^=\n]+?==/g) ?? []).length;
      const notice = /Dokumentet indeholder (én|\d+) eksempelværdi(?:er)? \(markeret\)/.exec(md);
      if (marks === 0) assert.equal(notice, null, `${name}/${id}: no notice without example values`);
      else {
        assert.ok(notice, `${name}/${id}: ${marks} marks but no notice`);
        assert.equal(notice[1] === "én" ? 1 : Number(notice[1]), marks, `${name}/${id}: the notice counts the marks`);
        assert.ok(md.indexOf(notice[0]) < md.search(/^## /m), `${name}/${id}: the notice comes before the first section`);
      }
      total += marks;
    }
    assert.equal(total > 0, read.eksempelværdier.length > 0, `${name}: marks exactly when the spec has example values`);
    // Corridors and weights marked '# illustrativ' are marked in the tilbudsliste and the evaluation documents too.
    const u = read.udbud!;
    for (const lot of u.delkontrakter) {
      const li = u.delkontrakter.indexOf(lot);
      const list = Object.entries(d).find(([id]) => id === `tilbudsliste-${lot.nummer}-${lot.id}`)?.[1];
      lot.prismodel.priser.forEach((p, i) => {
        if (p.min == null || !read.eksempelværdier.some((e) => e.pointer === `/delkontrakter/${li}/prismodel/priser/${i}/min`)) return;
        const row = list!.split("\n").find((l) => l.startsWith(`| ${p.indsats ?? p.element} |`))!;
        assert.match(row, /\| ==[\d.]+== til ==[\d.]+== \|/, `${name}: corridor of ${p.indsats ?? p.element} marked in the tilbudsliste`);
      });
    }
    const weights = read.eksempelværdier.filter((e) => /^\/tildeling\/underkriterier\/\d+\/vægt$/.test(e.pointer));
    if (weights.length && d["evalueringsmodel"]) {
      for (const w of weights) {
        const k = u.tildeling.underkriterier[Number(w.pointer.split("/")[3])];
        assert.match(d["evalueringsmodel"], new RegExp(`\\| \\*\\*${k.titel}\\*\\* \\| ==${k.vægt} %== \\|`), `${name}: weight of ${k.titel} marked`);
      }
      const sheet = Object.entries(d).find(([id]) => id.startsWith("evalueringsark-"))?.[1];
      if (sheet) assert.match(sheet, /Vægt: ==[\d,]+ %== af den samlede vurdering/, `${name}: weight marked on the sheet`);
    }
  });
});

test("--endelig on the 2020 example: one located error per example value, in the file and on the line that holds it; nothing written", async () => {
  const read = readSpec(specs["2020"]);
  const v = await cli("validate", "--endelig", specs["2020"]);
  assert.equal(v.code, 1);
  const lines = v.stderr.split("\n").filter((l) => l.includes("Eksempelværdi (# illustrativ)"));
  assert.equal(lines.length, read.eksempelværdier.length);
  assert.ok(lines.length > 50, `${lines.length} example values`);
  for (const [i, e] of read.eksempelværdier.entries()) {
    const m = /^(.+?):(\d+):(\d+): fejl: Eksempelværdi/.exec(lines[i]);
    assert.ok(m, lines[i]);
    assert.equal(path.resolve(m[1]), path.resolve(e.file), lines[i]);
    assert.equal(Number(m[2]), e.line, lines[i]);
    const text = fs.readFileSync(e.file, "utf8").split("\n");
    // The value's line, or the line below a comment line of its own.
    assert.ok(/#\s*illustrativ/.test(text[e.line - 1]) || /#\s*illustrativ/.test(text[e.line - 2] ?? ""), `${lines[i]}: '# illustrativ' at or above the line`);
  }
  const out = tmpDir();
  const r = await cli("render", "--endelig", specs["2020"], "--out", out, "--format", "md");
  assert.equal(r.code, 1);
  assert.equal(r.stderr.split("\n").filter((l) => l.includes("Eksempelværdi (# illustrativ)")).length, read.eksempelværdier.length);
  assert.deepEqual(fs.readdirSync(out), []);
});

test("a table row in an outline with more cells than columns is a located error (cells would be dropped)", async () => {
  const dir = tmpDir();
  for (const f of fs.readdirSync(specs["2020"])) fs.copyFileSync(path.join(specs["2020"], f), path.join(dir, f));
  const file = path.join(dir, "udbudsomraade-2.yaml");
  const text = fs.readFileSync(file, "utf8");
  const broken = text.replace('- ["Sygedagpengemodtagere", "5.623", "81 pct."]', '- ["Sygedagpengemodtagere", "5.623", "81 pct.", "løs stump"]');
  assert.notEqual(broken, text);
  fs.writeFileSync(file, broken);
  const line = broken.split("\n").findIndex((l) => l.includes("løs stump")) + 1;
  const r = await cli("validate", dir);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`udbudsomraade-2\\.yaml:${line}:\\d+: fejl: Rækken har 4 celler, men tabellen har 3 kolonner\\.`));
});
