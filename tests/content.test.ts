/**
 * Publishable content across the three specs (2020, 2024, the small helårsperson fixture): Danish
 * labels instead of enum keys, one formulation per obligation, contract text that fits the pricing
 * model, places printed, the price-reduction clause only when the spec has one.
 */
import { describe, test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli, minimalDir, mutated, tmpDir, writeFiles } from "./helpers.js";
import { readSpec } from "../src/read/index.js";
import { docs, specs } from "./three-specs.js";


/** A document's sections: the text under each heading up to the next heading. */
function sections(md: string): { heading: string; body: string }[] {
  const out: { heading: string; body: string }[] = [];
  let cur = { heading: "(start)", body: "" };
  for (const line of md.split("\n")) {
    if (/^#{1,6} /.test(line)) {
      out.push(cur);
      cur = { heading: line, body: "" };
    } else cur.body += line + "\n";
  }
  out.push(cur);
  return out;
}

const sentencesOf = (text: string) =>
  text
    .split("\n")
    .filter((l) => !l.startsWith("|") && l.trim() && !/^[-*] /.test(l))
    .join(" ")
    .split(/(?<=[.!?])\s+(?=[A-ZÆØÅ])/)
    .map((s) => s.trim())
    .filter((s) => s.split(/\s+/).length >= 6);

describe.each(Object.keys(specs))("%s", (name) => {
  test("no raw enum keys, no grammar slips, no duplicated sentence inside a section", async () => {
    for (const [id, md] of Object.entries(await docs(name))) {
      for (const raw of ["særligt-stort", "meget-stort", "psykiske-lidelser:", "leverede-timer", "påbegyndte-uger", "bedste-forhold-mellem-pris-og-kvalitet", "ordinære-timer"])
        assert.ok(!md.includes(raw), `${name}/${id}: raw enum key '${raw}'`);
      assert.doesNotMatch(md, /\*\*Eksempel (\d+): Eksempel \1\*\*/, `${name}/${id}: "Eksempel 1: Eksempel 1"`);
      assert.doesNotMatch(md, /\b1 (indsatser|leverandører|uger|timer|pladser|helårspladser)\b/, `${name}/${id}: plural after 1`);
      assert.doesNotMatch(md, /\d+\. dag\. [a-zæøå]/, `${name}/${id}: "hver 14. dag. ved"`);
      for (const s of sections(md)) {
        const seen = new Set<string>();
        for (const sentence of sentencesOf(s.body)) {
          assert.ok(!seen.has(sentence), `${name}/${id} ${s.heading}: the sentence appears twice: ${sentence}`);
          seen.add(sentence);
        }
      }
    }
  });
});

describe("one formulation per obligation", () => {
  test("2024: where the spec words an offer's duration, its section prints those words and no generated twin", async () => {
    const d = await docs("2024");
    const u = readSpec(specs["2024"]).udbud!;
    let checked = 0;
    for (const lot of u.delkontrakter) {
      const md = Object.entries(d).find(([id]) => id === `bilag-a${lot.nummer}-${lot.id}`)![1];
      for (const offer of lot.indsatsspor.flatMap((s) => s.indsatser)) {
        if (!offer.varighed?.tekst) continue;
        const section = sections(md).find((s) => s.heading.includes(`{#indsats-${offer.id}}`));
        assert.ok(section, `${lot.id}/${offer.id}: section`);
        const words = offer.varighed.tekst.trim().replace(/\s+/g, " ");
        assert.ok(section.body.replace(/\s+/g, " ").includes(words), `${lot.id}/${offer.id}: the spec's own words`);
        assert.doesNotMatch(section.body, /skal typisk leveres|skal som udgangspunkt leveres/, `${lot.id}/${offer.id}: no generated twin`);
        checked++;
      }
    }
    assert.ok(checked >= 3, `checked ${checked} offers`);
  });

  test("the generated follow-up sentence continues into the spec's text instead of breaking it", async () => {
    const a1 = (await docs("2024"))["bilag-a1-udsatte"];
    assert.match(a1, /mindst hver 14\. dag ved virksomhedstilknytning/);
  });
});

describe("contract text per pricing model", () => {
  test("helårsperson: places bought and paid regardless of occupancy, no free cancellation, no price reduction", async () => {
    const d = await docs("helårsperson");
    const contract = d["rammeaftale"];
    assert.ok(contract.includes("Ordregiver køber 20 helårspladser på udbudsområde 1 (Beskæftigelsesforløb for unge), 10 pr. leverandør. Pladserne betales uanset belægning, jf. bilag C1."));
    assert.ok(!contract.includes("ikke nogen forpligtelse til at aftage"), "no 'no purchase obligation' sentence");
    assert.ok(!/afbestille en Ordre/.test(contract), "no free cancellation");
    const c1 = d["bilag-c1-forloeb"];
    assert.match(c1, /Ordregiver køber 20 helårspladser på udbudsområdet, 10 pr\. leverandør\./);
    assert.match(c1, /\| Indsats 1: Forløb med faste pladser \| Helårsplads \| 20 \|/);
    assert.ok(!c1.includes("– til –"), "no empty corridor");
    assert.match(c1, /Helårspladserne kan ikke afbestilles/);
    for (const [id, md] of Object.entries(d)) assert.ok(!/Prisreduktion|reduktion af en eller flere/.test(md), `${id}: no price-reduction clause`);
    // 52-week course with delmål in the kravspecifikation.
    assert.match(d["bilag-a1-forloeb"], /op til 52 uger/);
    assert.match(d["bilag-a1-forloeb"], /uddannelsesplan efter 13 uger/);
  });

  test("timepris and ugepris keep the framework wording and the price-reduction clause", async () => {
    for (const name of ["2020", "2024"]) {
      const contract = (await docs(name))["rammeaftale"];
      assert.ok(contract.includes("hvorfor Ordregiver ikke har nogen forpligtelse til at aftage en bestemt mængde Ydelser"), name);
      assert.match(contract, /kan Ordregiver anmode Leverandøren om en reduktion af en eller flere af Leverandørens/, name);
      assert.ok(!contract.includes("helårsplads"), name);
    }
  });

  test("validate warns when two spec facts contradict a clause (free cancellation of paid places), and not once the clause is worded", async () => {
    const base = fs.readFileSync(path.join(specs["helårsperson"], "udbud.yaml"), "utf8");
    const conflict = base.replace("    afbestilling_dage_før_start: 1\n", "    afbestilling_dage_før_start: 1\n    afbestilling_vederlagsfri: true\n");
    assert.notEqual(conflict, base);
    const dir = writeFiles({ "udbud.yaml": conflict });
    const r = await cli("validate", "--json", dir);
    const json = JSON.parse(r.stdout);
    const w = json.warnings.find((x: any) => x.code === "validate.clause-conflict" || /clause-conflict/.test(x.code));
    assert.ok(w, JSON.stringify(json.warnings));
    assert.match(w.message, /Afbestilling uden beregning passer ikke til helårspladser/);
    assert.equal(w.line, conflict.split("\n").findIndex((l) => l.includes("afbestilling_vederlagsfri")) + 1);
    const worded = conflict + "klausuler:\n  - id: ordrebekræftelse-og-afbestilling\n    handling: erstat\n    tekst: Pladserne kan ikke afbestilles.\n";
    const r2 = JSON.parse((await cli("validate", "--json", writeFiles({ "udbud.yaml": worded }))).stdout);
    assert.ok(!r2.warnings.some((x: any) => /clause-conflict/.test(x.code)), JSON.stringify(r2.warnings));
  });

  test("optioner get their own clause in the rammeaftale (2024), none without options", async () => {
    const c2024 = (await docs("2024"))["rammeaftale"];
    assert.match(c2024, /^### \d+\.\d+ Optioner \{#optioner\}/m);
    assert.match(c2024, /^#### \d+\.\d+\.\d+ Nye indsatser og forløbstyper i aftaleperioden \{#option-nye-indsatser\}/m);
    assert.match(c2024, /Optionens anslåede værdi er ==DKK 20 mio\.== ekskl\. moms\./);
    assert.ok(!(await docs("2020"))["rammeaftale"].includes("{#optioner}"));
  });

  test("antal_leverandører { højst: 4 } reads 'op til fire' in the kravspecifikation and 'op til 4' in the evaluation model", async () => {
    const { dir } = mutated((s) => {
      s.delkontrakter[0].antal_leverandører = { højst: 4 };
    });
    const out = tmpDir();
    const r = await cli("render", dir, "--out", out, "--format", "md");
    assert.equal(r.code, 0, r.stderr);
    assert.match(fs.readFileSync(path.join(out, "bilag-a1-mentor.md"), "utf8"), /Ordregiver indgår aftale med op til fire leverandører på udbudsområdet\./);
    assert.match(fs.readFileSync(path.join(out, "evalueringsmodel.md"), "utf8"), /\| 1\. Mentorstøtte \| op til 4 \|/);
    assert.ok(fs.existsSync(minimalDir));
  });
});
