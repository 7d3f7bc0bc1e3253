/**
 * Evaluation documents: the evaluation model (evalueringsmodel), the blank evaluation sheets
 * (evalueringsark-<N>-<lot>) and the evaluation record (evalueringsnotat). Rendered through the
 * CLI and the record builder; DOCX read back with mammoth. The worked example is recomputed here
 * independently from the spec's own parameters.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import mammoth from "mammoth";
import { parse } from "yaml";
import { evaluateSpec } from "../src/evaluate/evaluate.js";
import type { EvaluationResult, LotEvaluation, ScoredBid } from "../src/evaluate/types.js";
import { readSpec } from "../src/read/index.js";
import { buildEvaluationRecord, writeEvaluationRecord } from "../src/render/evaluation-record.js";
import { cli, mutated, minimalDir, repoRoot, tmpDir } from "./helpers.js";

const spec2024 = path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte");
const spec2020 = path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte");

/** Danish number formatting, written independently of src/format.ts. */
const da = (n: number) => new Intl.NumberFormat("da-DK", { maximumFractionDigits: 2, useGrouping: true }).format(n);
const norm = (s: string) => s.replace(/\s+/g, " ");

async function renderEvaluation(spec: string, formats = "md,docx"): Promise<string> {
  const out = tmpDir();
  const r = await cli("render", spec, "--out", out, "--format", formats, "--only", "evaluering");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "", "no errors or warnings");
  return out;
}

const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, name), "utf8");

function leaves(list: any[], factor = 1, parent: string | null = null): { id: string; titel: string; type: string; vægt: number; eff: number; parent: string | null }[] {
  return list.flatMap((k) => {
    const eff = factor * k.vægt;
    if (k.type === "kvalitet" && k.underkriterier?.length) return leaves(k.underkriterier, eff / 100, k.titel);
    return [{ id: k.id, titel: k.titel, type: k.type, vægt: k.vægt, eff, parent }];
  });
}

test("2024: evalueringsmodel and one evaluation sheet per lot are planned and render without warnings", async () => {
  const out = await renderEvaluation(spec2024, "docx,pdf,html,md");
  const manifest = JSON.parse(read(out, "manifest.json"));
  assert.deepEqual(
    manifest.documents.map((d: any) => [d.id, d.title]),
    [
      ["evalueringsmodel", "Tildelingskriterier og evalueringsmodel"],
      ["evalueringsark-1-udsatte", "Evalueringsark for udbudsområde 1"],
      ["evalueringsark-2-sygemeldte", "Evalueringsark for udbudsområde 2"],
      ["evalueringsark-3-hjerneskade", "Evalueringsark for udbudsområde 3"],
    ],
  );
  for (const d of manifest.documents) assert.deepEqual(Object.keys(d.files), ["docx", "pdf", "html", "md"]);
});

test("every example spec and the minimal fixture render in full with zero errors and warnings", async () => {
  for (const spec of [spec2024, spec2020, minimalDir]) {
    const out = tmpDir();
    const r = await cli("render", spec, "--out", out, "--format", "md");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "", `${spec}: no warnings`);
    assert.ok(fs.existsSync(path.join(out, "evalueringsmodel.md")), spec);
  }
  await renderEvaluation(spec2020, "docx,pdf,html,md");
  await renderEvaluation(minimalDir, "docx,pdf,html,md");
});

test("2024 evalueringsmodel: weights, nested sub-criteria, scale, formula, volumes (Markdown and DOCX)", async () => {
  const out = await renderEvaluation(spec2024);
  const md = read(out, "evalueringsmodel.md");
  const u = parse(fs.readFileSync(path.join(spec2024, "udbud.yaml"), "utf8"));
  // Top level: kvalitet 80 %, pris 20 % (the spec marks the weights '# illustrativ': marked "==…==").
  assert.match(md, /\| 1 \| \*\*Kvalitet\*\* \| ==80 %== \| ==80 %== \|/);
  assert.match(md, /\| 2 \| \*\*Pris\*\* \| ==20 %== \| ==20 %== \|/);
  // Sub-criteria with own weight and effective weight (30 % of 80 % = 24 %, …).
  const subs = u.tildeling.underkriterier[0].underkriterier;
  subs.forEach((k: any, i: number) => {
    assert.ok(md.includes(`| 1.${i + 1} | ${k.titel} | ==${k.vægt} %== | ==${da((80 * k.vægt) / 100)} %== |`), k.titel);
    assert.ok(md.includes(`{#kriterium-${k.id}}`), `section for ${k.id}`);
  });
  assert.equal(subs.reduce((s: number, k: any) => s + k.vægt, 0), 100);
  // Point scale with its verbal anchors.
  for (const a of u.tildeling.pointskala.ankre) assert.ok(md.includes(`| ${a.point} | ${a.betegnelse} |`), a.betegnelse);
  // The formula in symbols and with the parameters, in words too.
  assert.ok(md.includes("Point = S − S × (P − Pmin) / (X % × Pmin)"));
  assert.ok(md.includes("Point = 10 − 10 × (P − Pmin) / (100 % × Pmin)"));
  assert.ok(md.includes("Samlede point = K × ==80 %== + prispoint × ==20 %=="));
  assert.match(md, /hvis pris er 100 % højere end den laveste pris eller mere, får 0 point/);
  assert.ok(md.includes("P = Σ (enhedspris × mængde)"));
  // Volumes table per lot.
  for (const v of u.tildeling.prisevaluering.evalueringsteknisk_pris.mængder) {
    assert.match(md, new RegExp(`\\| (Indsats|Element) [^|]*\\| ${da(v.mængde).replace(/\./g, "\\.")} \\|`), `${v.delkontrakt}/${v.indsats ?? v.element}`);
  }
  for (const m of u.tildeling.mindstekrav) assert.ok(norm(md).includes(norm(m.tekst)), m.id);

  const { value: docx } = await mammoth.extractRawText({ path: path.join(out, "evalueringsmodel.docx") });
  for (const want of [
    "Point = 10 − 10 × (P − Pmin) / (100 % × Pmin)",
    "Samlede point = K × 80 % + prispoint × 20 %",
    "Progression og resultatopfølgning",
    "Særdeles tilfredsstillende",
    "Tilbud C er i eksemplet det økonomisk mest fordelagtige tilbud",
  ]) assert.ok(norm(docx).includes(want), `evalueringsmodel.docx: ${want}`);
  const html = (await mammoth.convertToHtml({ path: path.join(out, "evalueringsmodel.docx") })).value;
  // Heading numbers are Word's list numbers (not typed): the TOC shows them ("3.\tUnderkriterier …").
  assert.match(html, /<h1>(?:<a id="[^"]*"><\/a>)*Underkriterier og vægtning<\/h1>/);
  assert.match(html, /<h2>(?:<a id="[^"]*"><\/a>)*Kvalitet<\/h2>/);
  assert.match(html, /3\.\tUnderkriterier og vægtning\t\d+/);
});

test("2024 worked example: recomputed independently from the spec's prices, volumes, weights and model", async () => {
  const out = await renderEvaluation(spec2024);
  const md = read(out, "evalueringsmodel.md");
  const u = parse(fs.readFileSync(path.join(spec2024, "udbud.yaml"), "utf8"));
  const lot = parse(fs.readFileSync(path.join(spec2024, "udbudsomraade-1.yaml"), "utf8"));
  const S = u.tildeling.pointskala.max;
  const X = u.tildeling.prisevaluering.spænd_procent / 100;
  const volume = (p: any) => u.tildeling.prisevaluering.evalueringsteknisk_pris.mængder.find((v: any) => v.delkontrakt === lot.id && (v.indsats ?? v.element) === (p.indsats ?? p.element)).mængde;
  // The example's fictitious bids: 100 %, 90 % and 110 % of the spec's prices, within the corridor.
  const levels = [1.0, 0.9, 1.1];
  const P = levels.map((f) => lot.prismodel.priser.reduce((s: number, p: any) => s + Math.min(p.max, Math.max(p.min, Math.round(p.beløb * f))) * volume(p), 0));
  const Pmin = Math.min(...P);
  const pp = P.map((p) => Math.max(0, S - (S * (p - Pmin)) / (X * Pmin)));
  // Quality shares of the scale, cycled over the four quality criteria.
  const shares = [
    [0.6, 0.6, 0.8, 0.6],
    [0.4, 0.6, 0.4, 0.6],
    [0.8, 0.8, 0.6, 1.0],
  ];
  const q = leaves(u.tildeling.underkriterier).filter((l) => l.type === "kvalitet");
  const qWeight = q.reduce((s, l) => s + l.eff, 0);
  assert.equal(qWeight, 80);
  const K = shares.map((sh) => q.reduce((s, l, i) => s + Math.round(sh[i % 4] * S) * l.eff, 0) / qWeight);
  const total = K.map((k, i) => (k * 80) / 100 + (pp[i] * 20) / 100);
  assert.deepEqual(P, [52_520_000, 47_268_000, 57_772_000]);
  assert.ok(md.includes(`| **Evalueringsteknisk pris (P)** | – | **${da(P[0])}** | **${da(P[1])}** | **${da(P[2])}** |`));
  assert.ok(md.includes(`| **Kvalitetspoint (K)** | – | **${da(K[0])}** | **${da(K[1])}** | **${da(K[2])}** |`));
  assert.ok(md.includes(`Pmin = ${da(Pmin)} kr.`));
  const names = ["Tilbud A", "Tilbud B", "Tilbud C"];
  const rank = total.map((t) => 1 + total.filter((o) => o > t).length);
  names.forEach((n, i) => {
    assert.ok(md.includes(`| ${n} | ${da(P[i])} | ${S} − ${S} × (${da(P[i])} − ${da(Pmin)}) / (100 % × ${da(Pmin)}) | ${da(pp[i])} |`), `price points ${n}`);
    assert.ok(md.includes(`| ${n} | ${da((K[i] * 80) / 100)} | ${da((pp[i] * 20) / 100)} | ${da(total[i])} | ${rank[i]} |`), `total ${n}`);
  });
  assert.deepEqual(rank, [2, 3, 1]);
  assert.ok(md.includes("Rangordenen er Tilbud C, Tilbud A og Tilbud B."));
});

test("2024 evaluation sheets: one sheet per quality sub-criterion with a box per bidder, aspects, scale, signatures, summary matrix", async () => {
  const out = await renderEvaluation(spec2024);
  const u = parse(fs.readFileSync(path.join(spec2024, "udbud.yaml"), "utf8"));
  const q = leaves(u.tildeling.underkriterier).filter((l) => l.type === "kvalitet");
  const lots = [
    ["evalueringsark-1-udsatte", "udbudsomraade-1.yaml"],
    ["evalueringsark-2-sygemeldte", "udbudsomraade-2.yaml"],
    ["evalueringsark-3-hjerneskade", "udbudsomraade-3.yaml"],
  ];
  for (const [id, file] of lots) {
    const lot = parse(fs.readFileSync(path.join(spec2024, file), "utf8"));
    const rows = Math.max(5, lot.antal_leverandører + 2);
    const md = read(out, `${id}.md`);
    const sheets = md.split(/^## \d+\. Kriterium /m).slice(1);
    assert.equal(sheets.length, q.length, `${id}: one sheet per quality criterion`);
    q.forEach((k, i) => {
      const sheet = sheets[i];
      assert.ok(sheet.startsWith(`1.${i + 1}: ${k.titel} {#ark-${k.id}}`), `${id}: sheet ${k.titel}`);
      assert.ok(sheet.includes(`Vægt: ==${da(k.eff)} %== af den samlede vurdering (==${k.vægt} %== af ”Kvalitet”)`), `${id}: weight ${k.id}`);
      // What is emphasised (the evaluation aspects), then a box per bidder with room to write.
      const aspects: string[] = (k as any).lægges_vægt_på ?? [];
      for (const a of aspects) assert.ok(norm(sheet).includes(`- ${a}`), `${id} ${k.id}: aspect ${a}`);
      for (let r = 1; r <= rows; r++) assert.ok(sheet.includes(`| Tilbud ${r}. Tilbudsgivers navn: |`), `${id} ${k.id}: box ${r}`);
      assert.equal((sheet.match(/^\| Styrker: \|$/gm) ?? []).length, rows);
      assert.equal((sheet.match(/^\| Svagheder: \|$/gm) ?? []).length, rows);
      assert.equal((sheet.match(/^\| Point \(0–10\): \|$/gm) ?? []).length, rows);
      assert.equal((sheet.match(/^\| Begrundelse: \|$/gm) ?? []).length, rows);
      assert.ok(sheet.includes("| Bedømmer | Dato | Underskrift |"), "signature line");
    });
    // Scale and anchors repeated for the evaluator.
    for (const a of u.tildeling.pointskala.ankre) assert.ok(md.includes(`| ${a.point} | ${a.betegnelse} |`));
    // Summary matrix: bidders × criteria with effective weights, totals empty.
    assert.ok(md.includes(`| Tilbudsgiver | 1.1 (==24 %==) | 1.2 (==20 %==) | 1.3 (==16 %==) | 1.4 (==20 %==) | 2 (==20 %==) | Samlede point | Placering |`), `${id}: matrix`);
    for (let r = 1; r <= rows; r++) assert.ok(md.includes(`| ${r}. |  |  |  |  |  |  |  |`), `${id}: matrix row ${r}`);

    const html = (await mammoth.convertToHtml({ path: path.join(out, `${id}.docx`) })).value;
    const boxes = html.split("<table>").slice(1).filter((t) => /Point \(0–10\):/.test(t));
    assert.equal(boxes.length, q.length * rows, `${id}.docx: a box per bidder on each sheet`);
    for (const t of boxes) assert.ok((t.match(/<tr>/g) ?? []).length >= 12, `${id}.docx: room to write`);
    // Habilitet declaration and the konditionsmæssighed check before the sheets.
    assert.ok(md.indexOf("Erklæring om habilitet") < md.indexOf("Kontrol af konditionsmæssighed"));
    assert.ok(md.indexOf("Kontrol af konditionsmæssighed") < md.indexOf("Kriterium 1.1"));
    for (let m = 1; m <= u.tildeling.mindstekrav.length; m++) assert.match(md, new RegExp(`^\\| Mindstekrav ${m} \\|`, "m"));
    const { value: text } = await mammoth.extractRawText({ path: path.join(out, `${id}.docx`) });
    for (const k of q) assert.ok(norm(text).includes(`Kriterium 1.${q.indexOf(k) + 1}: ${k.titel}`));
    assert.ok(text.includes("Evalueringsudvalgets underskrifter"));
  }
});

test("a lot with its own price-only model: separate model sections, no sheet; conversion model example recomputed", async () => {
  const { dir } = mutated((s) => {
    s.tildeling.prisevaluering = { model: "prisomregning-beløb", beløb_pr_point: 100000, evalueringsteknisk_pris: { mængder: s.tildeling.prisevaluering.evalueringsteknisk_pris.mængder.map((v: any) => ({ delkontrakt: "mentor", ...v })) } };
    const second = JSON.parse(JSON.stringify(s.delkontrakter[0]));
    second.id = "psykolog";
    second.nummer = 2;
    second.titel = "Psykologbistand";
    second.antal_leverandører = 1;
    s.delkontrakter.push(second);
    second.tildeling = {
      kriterium: "pris",
      underkriterier: [{ id: "pris2", titel: "Pris", type: "pris", vægt: 100 }],
      prisevaluering: { model: "proportional", evalueringsteknisk_pris: { mængder: [{ indsats: "1A", mængde: 10 }, { indsats: "1B", mængde: 20 }, { element: "E1", mængde: 30 }] } },
    };
    s.ordregiver.kontaktpersoner.push({ delkontrakt: "psykolog", navn: "Bo Berg" });
  });
  const out = tmpDir();
  const r = await cli("render", dir, "--out", out, "--format", "md,docx", "--only", "evaluering");
  assert.equal(r.code, 0, r.stderr);
  const manifest = JSON.parse(read(out, "manifest.json"));
  assert.deepEqual(manifest.documents.map((d: any) => d.id), ["evalueringsmodel", "evalueringsark-1-mentor"]);
  const md = read(out, "evalueringsmodel.md");
  assert.match(md, /## \d+\. Evalueringsmodel for udbudsområde 1 \{#evalueringsmodel\}/);
  assert.match(md, /## \d+\. Evalueringsmodel for udbudsområde 2 \{#evalueringsmodel-psykolog\}/);
  assert.ok(md.includes("Kvalitetskorrigeret pris = P − 100.000 kr. × K"));
  assert.ok(md.includes("Point = 10 × Pmin / P"));
  // Conversion example: P − 100.000 × K, lowest first.
  const prices = [
    [1500, 1000],
    [3500, 500],
    [1200, 200],
  ];
  const P = [1.0, 0.9, 1.1].map((f) => prices.reduce((s, [p, m], i) => s + Math.max(i === 0 ? 1000 : 0, Math.min(i === 0 ? 2500 : Infinity, Math.round(p * f))) * m, 0));
  const K = [
    [6, 6],
    [4, 6],
    [8, 8],
  ].map(([a, b]) => a * 0.6 + b * 0.4);
  const res = P.map((p, i) => p - 100000 * K[i]);
  ["Tilbud A", "Tilbud B", "Tilbud C"].forEach((n, i) => {
    assert.ok(md.includes(`| ${n} | ${da(P[i])} | ${da(K[i])} | ${da(P[i])} − 100.000 × ${da(K[i])} | ${da(res[i])} | ${1 + res.filter((x) => x < res[i]).length} |`), n);
  });
});

// ---------------------------------------------------------------------------------------------
// The evaluation record
// ---------------------------------------------------------------------------------------------

function scored(name: string, o: Partial<ScoredBid> & { kval: number[]; pp: number; P: number; placering: number | null }): ScoredBid {
  const ids = ["progression", "virksomhedssamarbejde", "jobcentersamarbejde", "dokumentation"];
  const w = [24, 20, 16, 20];
  const K = o.kval.reduce((s, p, i) => s + p * w[i], 0) / 80;
  return {
    tilbudsgiver: name,
    evalueringspris: o.P,
    prispoint: o.pp,
    kriterier: [
      ...ids.map((id, i) => ({ id, titel: id, vægt: w[i], point: o.kval[i], vægtet: (o.kval[i] * w[i]) / 100, type: "kvalitet" as const, bedømmelser: [{ bedømmer: "AJ", point: o.kval[i] }], konsensus: false })),
      { id: "pris", titel: "Pris", vægt: 20, point: o.pp, vægtet: (o.pp * 20) / 100, type: "pris" as const, bedømmelser: [], konsensus: false },
    ],
    kvalitetspoint: K,
    samlet: K * 0.8 + o.pp * 0.2,
    placering: o.placering,
    afvist: o.afvist ?? [],
    lighed: false,
    afvisningsgrunde: o.afvisningsgrunde ?? [],
    prislinjer: [
      { indsats: "H1", pris: o.P / 1170, mængde: 780, beløb: (o.P / 1170) * 780 },
      { indsats: "H2", pris: o.P / 1170, mængde: 390, beløb: (o.P / 1170) * 390 },
    ],
  };
}

function handMadeResult(): EvaluationResult {
  const alfa = scored("Alfa Rehab ApS", { P: 4_680_000, pp: 10 - (10 * (4_680_000 - 4_212_000)) / 4_212_000, kval: [8, 8, 8, 8], placering: 1 });
  alfa.kriterier[0].bedømmelser = [{ bedømmer: "konsensus", point: 8, begrundelse: "Konkret progressionsmodel med ugentlig opfølgning." }];
  alfa.kriterier[0].konsensus = true;
  const delta = scored("Delta Center", { P: 5_148_000, pp: 10 - (10 * (5_148_000 - 4_212_000)) / 4_212_000, kval: [7, 7, 7, 7], placering: 2 });
  const beta = scored("Beta Neuro A/S", { P: 4_212_000, pp: 10, kval: [6, 6, 6, 6], placering: 3 });
  const gamma = scored("Gamma Job", {
    P: 3_861_000,
    pp: 10,
    kval: [5, 5, 5, 5],
    placering: null,
    afvist: ["case-rapport"],
    afvisningsgrunde: ["Mindstekrav ikke opfyldt (case-rapport): Løsningsbeskrivelsen skal indeholde et eksempel på en afsluttende leverandørrapport."],
  });
  const lot: LotEvaluation = {
    delkontrakt: "hjerneskade",
    titel: "Borgere med erhvervet hjerneskade",
    prismodel: "lineær",
    lavestBedst: false,
    bud: [alfa, delta, beta, gamma],
    rangfølge: ["Alfa Rehab ApS", "Delta Center", "Beta Neuro A/S"],
    advarsler: ["Pointmodellen 'lineær' afhænger af det laveste tilbud (Pmin)."],
    rangomvending: [{ fjernet: "Beta Neuro A/S", før: ["Alfa Rehab ApS", "Delta Center"], efter: ["Delta Center", "Alfa Rehab ApS"] }],
    vægtfølsomhed: [{ kriterium: "kvalitet", ændring: -12.5, nyVinder: "Beta Neuro A/S" }],
    nummer: 3,
    formel: "Lineær model",
    maksPoint: 10,
    prisvægt: 20,
    kvalitetsvægt: 80,
    lavestePris: 4_212_000,
    antalLeverandører: 2,
    tildeles: ["Alfa Rehab ApS", "Delta Center"],
  };
  return { udbud: "kk-2024-udsatte-sygemeldte", titel: "Rammeaftale", delkontrakter: [lot] };
}

test("evaluation record from a hand-made EvaluationResult: ranking, rejection reasons, award, warnings (Markdown and DOCX)", async () => {
  const spec = readSpec(spec2024);
  assert.ok(spec.udbud);
  const result = handMadeResult();
  const rec = buildEvaluationRecord(spec.udbud!, result, spec.sourceMap, { dato: "2024-04-26" });
  assert.deepEqual(rec.errors, []);
  assert.ok(rec.tree);
  assert.equal(rec.tree!.id, "evalueringsnotat");
  const out = tmpDir();
  const { names: files, errors: writeErrors } = await writeEvaluationRecord(rec.tree!, out);
  assert.deepEqual(writeErrors, []);
  assert.deepEqual(files, ["evalueringsnotat.docx", "evalueringsnotat.pdf", "evalueringsnotat.html", "evalueringsnotat.md"]);
  const md = read(out, "evalueringsnotat.md");
  // Ranking with weighted totals.
  const lot = result.delkontrakter[0];
  lot.bud.filter((b) => b.placering !== null).forEach((b) => {
    assert.ok(md.includes(`| ${b.placering} | ${b.tilbudsgiver} | ${da(b.kvalitetspoint)} | ${da(b.kvalitetspoint * 0.8)} | ${da(b.prispoint)} | ${da(b.prispoint * 0.2)} | **${da(b.samlet)}** |`), b.tilbudsgiver);
  });
  // Rejection with its reason; the rejected bid is not ranked.
  assert.match(md, /### \d+\.\d+ Afviste tilbud/);
  assert.ok(md.includes("**Gamma Job**"));
  assert.ok(md.includes("- Mindstekrav ikke opfyldt (case-rapport): Løsningsbeskrivelsen skal indeholde et eksempel på en afsluttende leverandørrapport."));
  assert.ok(md.includes("| Gamma Job | Nej |"));
  assert.ok(!/\| \d+ \| Gamma Job \|/.test(md), "no rank for a rejected bid");
  // Prices, quality with the evaluators' justification, award and warnings.
  assert.ok(md.includes("(Pmin) er 4.212.000 kr."));
  assert.ok(md.includes("| Alfa Rehab ApS | 8 | 1,92 | Konsensus |"));
  assert.ok(md.includes("- Konsensus (8 point): Konkret progressionsmodel med ugentlig opfølgning."));
  assert.ok(md.includes("På grundlag af evalueringen tildeler Ordregiver kontrakt på udbudsområde 3 til Alfa Rehab ApS og Delta Center, der har afgivet de økonomisk mest fordelagtige tilbud"));
  assert.ok(md.includes("Beta Neuro A/S tildeles ikke kontrakt"));
  assert.ok(md.includes("- Pointmodellen 'lineær' afhænger af det laveste tilbud (Pmin)."));
  assert.ok(md.includes("| Beta Neuro A/S | Alfa Rehab ApS, Delta Center | Delta Center, Alfa Rehab ApS |"));
  assert.ok(md.includes("| Kvalitet | Nedsat med mere end 12,5 procentpoint (pris tilsvarende forøget) | Beta Neuro A/S |"));
  assert.ok(md.includes("Notatets dato: 26. april 2024."));

  const { value: docx } = await mammoth.extractRawText({ path: path.join(out, "evalueringsnotat.docx") });
  for (const want of ["Evalueringsnotat", "Afviste tilbud", "Mindstekrav ikke opfyldt (case-rapport)", "Alfa Rehab ApS og Delta Center", "Samlet resultat og rangorden"]) {
    assert.ok(norm(docx).includes(want), `evalueringsnotat.docx: ${want}`);
  }
});

test("evaluation record: a result for another tender or an unknown lot is an error, not a document", () => {
  const spec = readSpec(spec2024);
  const wrong = handMadeResult();
  wrong.udbud = "andet-udbud";
  wrong.delkontrakter[0].delkontrakt = "findes-ikke";
  const rec = buildEvaluationRecord(spec.udbud!, wrong, spec.sourceMap);
  assert.equal(rec.tree, null);
  assert.deepEqual(rec.errors.map((e) => e.code), ["record.udbud", "record.delkontrakt"]);
});

test("evaluation record from the 2024 sample bids (evaluateSpec)", async () => {
  const bids = path.join(spec2024, "bud.yaml");
  const ev = evaluateSpec(spec2024, bids);
  assert.deepEqual(ev.errors, []);
  const spec = readSpec(spec2024);
  const rec = buildEvaluationRecord(spec.udbud!, ev.result!, spec.sourceMap);
  assert.deepEqual(rec.errors, []);
  const out = tmpDir();
  assert.deepEqual((await writeEvaluationRecord(rec.tree!, out)).errors, []);
  const md = read(out, "evalueringsnotat.md");
  for (const lot of ev.result!.delkontrakter) {
    assert.ok(md.includes(`{#delkontrakt-${lot.delkontrakt}}`), lot.delkontrakt);
    lot.rangfølge.forEach((name: string) => {
      const b = lot.bud.find((x: ScoredBid) => x.tilbudsgiver === name)!;
      assert.ok(md.includes(`| ${b.placering} | ${name} |`), `${lot.delkontrakt}: ${name}`);
    });
    for (const b of lot.bud.filter((x: ScoredBid) => x.placering === null)) {
      assert.ok(md.includes(`**${b.tilbudsgiver}**`), `rejected ${b.tilbudsgiver}`);
      for (const g of b.afvisningsgrunde) assert.ok(norm(md).includes(norm(g).slice(0, 40)), g);
    }
    assert.ok(md.includes(`kontrakt på udbudsområde ${lot.nummer} til ${lot.tildeles.length > 1 ? `${lot.tildeles.slice(0, -1).join(", ")} og ${lot.tildeles[lot.tildeles.length - 1]}` : lot.tildeles[0]}`), `award ${lot.delkontrakt}`);
  }
  const { value: docx } = await mammoth.extractRawText({ path: path.join(out, "evalueringsnotat.docx") });
  assert.ok(norm(docx).includes("Samlet resultat og rangorden"));
});
