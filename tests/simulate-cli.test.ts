/**
 * `udbud simulate` end to end: the 2024 example through the CLI, the report read back with
 * readers we did not write (mammoth, pdfjs, saxes for the SVG), CSV and JSON shapes,
 * determinism, one thread = many threads, bad input with Danish located errors, nothing written
 * on error, and progress on stderr.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import mammoth from "mammoth";
import { SaxesParser } from "saxes";
import { cli, lineOf, repoRoot, tmpDir, writeFiles } from "./helpers.js";
import { simulateSpec } from "../src/simulate/index.js";
import { resultJson, CSV_KOLONNER, BREAKEVEN_KOLONNER } from "../src/simulate/report.js";

const spec2024 = path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte");
const spec2020 = path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte");

async function pdfText(file: string): Promise<string> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(file)), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((it: any) => ("str" in it ? it.str + (it.hasEOL ? "\n" : " ") : "")).join(""));
  }
  return pages.join("\n").replace(/\s+/g, " ");
}

let shared: { out: string; stdout: string; stderr: string } | undefined;
/** One full run of the 2024 example in every format, shared by the tests below. */
async function fullRun() {
  if (shared) return shared;
  const out = tmpDir();
  const r = await cli("simulate", spec2024, "--runs", "400", "--out", out, "--format", "html,docx,pdf,md,csv,json");
  assert.equal(r.code, 0, r.stderr);
  shared = { out, stdout: r.stdout, stderr: r.stderr };
  return shared;
}

test("simulate the 2024 example: terminal summary with totals and break-even ugepris per offer", async () => {
  const { stdout, stderr, out } = await fullRun();
  assert.match(stdout, /Hele udbuddet, pr\. år/);
  assert.match(stdout, /Timepris\s+\d+,\d mio\. kr\./);
  assert.match(stdout, /Ugepris\s+\d+,\d mio\. kr\./);
  assert.match(stdout, /Break-even ugepris/);
  // Every offer of the scenario is listed with its timepris.
  for (const id of ["1 T1", "1 PSY", "2 MK", "3 H1", "3 H2"]) assert.ok(stdout.includes(id), id);
  assert.match(stdout, /1 T1\s+timepris 650 kr\.\s+→\s+[\d.]+ kr\. pr\. uge\s+ugepris 3\.200 kr\./);
  assert.match(stderr, /✓ 7 filer/);
  assert.deepEqual(fs.readdirSync(out).sort(), ["breakeven.csv", "prissimulering.docx", "prissimulering.html", "prissimulering.md", "prissimulering.pdf", "simulering.csv", "simulering.json"]);
});

test("JSON: documented shape, three lots, break-even consistent with the simulated costs", async () => {
  const { out } = await fullRun();
  const j = JSON.parse(fs.readFileSync(path.join(out, "simulering.json"), "utf8"));
  assert.equal(j.version, 1);
  assert.equal(j.kørsler, 400);
  assert.equal(j.frø, 2025);
  assert.deepEqual(j.delkontrakter.map((d: any) => d.id), ["udsatte", "sygemeldte", "hjerneskade"]);
  assert.deepEqual(j.i_alt.modeller.map((m: any) => m.model), ["timepris", "ugepris"]);
  const t1 = j.delkontrakter[0].ydelser.find((y: any) => y.id === "T1");
  const tp = t1.modeller.find((m: any) => m.model === "timepris"), up = t1.modeller.find((m: any) => m.model === "ugepris");
  assert.equal(tp.enhedspris, 650);
  assert.equal(up.enhedspris, 3200);
  assert.equal(up.priskilde, "udbud");
  assert.equal(tp.priskilde, "scenarie");
  const be = t1.breakeven.priser.find((p: any) => p.model === "ugepris");
  // At the break-even ugepris the ugepris cost equals the timepris cost (same simulated courses).
  assert.ok(Math.abs((be.breakeven / 3200) * up.årlig.middel - tp.årlig.middel) < 1e-6 * tp.årlig.middel);
  assert.ok(Math.abs(be.forskel_procent - ((3200 - be.breakeven) / be.breakeven) * 100) < 1e-9);
  // Every pricing model appears somewhere: dagspris on MK, helårsperson on H1, resultatbaseret on V1.
  const models = new Set(j.delkontrakter.flatMap((d: any) => d.ydelser.flatMap((y: any) => y.modeller.map((m: any) => m.model))));
  assert.deepEqual([...models].sort(), ["dagspris", "helårsperson", "resultatbaseret", "timepris", "ugepris"]);
  const h1 = j.delkontrakter[2].ydelser.find((y: any) => y.id === "H1");
  assert.equal(h1.helårsperson.pladser, 16);
  assert.equal(h1.helårsperson.kurve.length, 6);
  // Lot totals add up to the grand total; monthly payments add up to the annual cost.
  const sum = j.delkontrakter.reduce((s: number, d: any) => s + d.i_alt.modeller.find((m: any) => m.model === "ugepris").årlig.middel, 0);
  const tot = j.i_alt.modeller.find((m: any) => m.model === "ugepris");
  assert.ok(Math.abs(sum - tot.årlig.middel) < 1e-6 * sum);
  assert.ok(Math.abs(tot.betalinger_pr_måned.reduce((s: number, x: number) => s + x, 0) - tot.årlig.middel) < 1e-6 * sum);
  assert.equal(j.i_alt.prisreduktion.rækker.find((r: any) => r.budgetændring_procent === -20).udløst, true);
});

test("CSV: UTF-8 with BOM, semicolons, decimal commas, documented columns", async () => {
  const { out } = await fullRun();
  const text = fs.readFileSync(path.join(out, "simulering.csv"), "utf8");
  assert.ok(text.startsWith("\ufeff"));
  const lines = text.slice(1).trimEnd().split("\r\n");
  assert.deepEqual(lines[0]!.split(";"), [...CSV_KOLONNER]);
  const rows = lines.slice(1).map((l) => l.split(";"));
  assert.ok(rows.every((r) => r.length === CSV_KOLONNER.length));
  const t1 = rows.find((r) => r[0] === "ydelse" && r[1] === "udsatte" && r[2] === "T1" && r[3] === "ugepris")!;
  assert.equal(t1[5], "3200");
  assert.match(t1[6]!, /^\d+(,\d+)?$/);
  assert.equal(rows.filter((r) => r[0] === "i-alt").length, 2);
  const be = fs.readFileSync(path.join(out, "breakeven.csv"), "utf8").slice(1).trimEnd().split("\r\n");
  assert.deepEqual(be[0]!.split(";"), [...BREAKEVEN_KOLONNER]);
  assert.ok(be.some((l) => l.startsWith("udsatte;T1;timepris;650;ugepris;")));
});

test("report: HTML with valid inline SVG charts; DOCX and PDF read back carry the tables and figure captions", async () => {
  const { out } = await fullRun();
  const html = fs.readFileSync(path.join(out, "prissimulering.html"), "utf8");
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  assert.ok(svgs.length >= 8, `${svgs.length} charts`);
  for (const svg of svgs) {
    const p = new SaxesParser({ xmlns: true });
    let err: Error | undefined;
    p.on("error", (e) => { err = e; });
    p.write(svg).close();
    assert.equal(err, undefined);
  }
  for (const s of ["Break-even priser", "Betalinger pr. måned", "Risikofordeling", "Prisreduktionsklausulen", "Følsomhed", "Administrativ byrde", "Helårspersoner og belægning", "Antagelser og metode"]) {
    assert.ok(html.includes(s), s);
  }
  assert.match(html, /<figcaption>Figur 1\./);
  const docx = (await mammoth.extractRawText({ path: path.join(out, "prissimulering.docx") })).value;
  assert.match(docx, /Break-even ugepris/);
  assert.match(docx, /Figur 2\. Ugepris i udbuddet og break-even ugepris/);
  assert.match(docx, /Prisreduktionsklausulen/);
  const pdf = await pdfText(path.join(out, "prissimulering.pdf"));
  assert.match(pdf, /Break-even ugepris/);
  assert.match(pdf, /Helårspersoner og belægning/);
  // Chart text is drawn as vector text in the PDF (axis labels from the charts).
  assert.match(pdf, /Forventet årlig udgift/);
  const md = fs.readFileSync(path.join(out, "prissimulering.md"), "utf8");
  assert.match(md, /data:image\/svg\+xml;base64,/);
});

test("determinism: the same seed gives byte-identical files; another seed changes the numbers", async () => {
  const a = tmpDir(), b = tmpDir(), c = tmpDir();
  for (const [dir, seed] of [[a, "7"], [b, "7"], [c, "8"]] as const) {
    const r = await cli("simulate", spec2024, "--runs", "150", "--seed", seed, "--out", dir, "--format", "json,csv,html,md,docx,pdf");
    assert.equal(r.code, 0, r.stderr);
  }
  for (const f of fs.readdirSync(a)) assert.ok(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), f);
  assert.notEqual(fs.readFileSync(path.join(a, "simulering.json"), "utf8"), fs.readFileSync(path.join(c, "simulering.json"), "utf8"));
});

test("worker threads give exactly the result of one thread", async () => {
  const one = await simulateSpec(spec2024, { runs: 700, tråde: 1 });
  const many = await simulateSpec(spec2024, { runs: 700, tråde: 2 });
  assert.ok(one.result && many.result);
  assert.equal(resultJson(one.result), resultJson(many.result));
});

test("the 2020 example (timepris) simulates with its own scenario; alternatives are ugepriser", async () => {
  const r = await simulateSpec(spec2020, { runs: 200 });
  assert.deepEqual(r.errors, []);
  const lot = r.result!.delkontrakter[0]!;
  assert.equal(lot.afregningsform, "timepris");
  const a1 = lot.ydelser.find((y) => y.id === "1A")!;
  assert.equal(a1.breakeven.reference, "timepris");
  assert.equal(a1.breakeven.priser.find((p) => p.model === "ugepris")!.aktuel, 2340);
});

test("bad scenario: Danish errors with file, line and column; exit 1; nothing written", async () => {
  const text = fs.readFileSync(path.join(spec2024, "scenarie.yaml"), "utf8");
  const cases: { broken: string; needle: string; message: RegExp }[] = [
    // Outcomes that sum to 0.95 instead of 1 (a semantic check).
    { broken: text.replace("ingen: 0.55}", "ingen: 0.50}"), needle: "ingen: 0.50}", message: /summerer til 0,95/ },
    // A negative referral count (a schema check).
    { broken: text.replace(/pr_måned: 32\b/, "pr_måned: -32"), needle: "pr_måned: -32", message: /skal være mindst 0, men er -32/ },
  ];
  for (const c of cases) {
    assert.notEqual(c.broken, text);
    const dir = writeFiles({ "scenarie.yaml": c.broken });
    const out = path.join(tmpDir(), "ud");
    const r = await cli("simulate", spec2024, "--scenario", path.join(dir, "scenarie.yaml"), "--out", out);
    assert.equal(r.code, 1);
    const line = lineOf(c.broken, c.needle);
    assert.ok(r.stderr.includes(`${path.join(dir, "scenarie.yaml")}:${line}:`), r.stderr);
    assert.match(r.stderr, c.message);
    assert.match(r.stderr, /✗ \d+ fejl; der er ikke simuleret/);
    assert.equal(fs.existsSync(out), false);
  }
});

test("missing scenario, bad --runs, --seed and --format are refused in Danish", async () => {
  const lone = writeFiles({ "udbud.yaml": fs.readFileSync(path.join(repoRoot, "tests", "fixtures", "minimal", "udbud.yaml"), "utf8") });
  const r1 = await cli("simulate", lone);
  assert.equal(r1.code, 1);
  assert.match(r1.stderr, /Der er intet scenarie/);
  const r2 = await cli("simulate", spec2024, "--runs", "mange");
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /--runs skal være et helt tal/);
  const r3 = await cli("simulate", spec2024, "--runs", "0");
  assert.equal(r3.code, 2);
  const r4 = await cli("simulate", spec2024, "--seed", "-1");
  assert.equal(r4.code, 2);
  // Untrusted input cannot ask for unbounded memory or time.
  const r6 = await cli("simulate", spec2024, "--runs", "400000", "--format", "json", "--out", tmpDir());
  assert.equal(r6.code, 1);
  assert.match(r6.stderr, /Simuleringen er for stor: 400\.000 kørsler × 14 indsatser/);
  const huge = fs.readFileSync(path.join(spec2024, "scenarie.yaml"), "utf8").replace(/pr_måned: 32\b/, "pr_måned: 90000");
  const hd = writeFiles({ "scenarie.yaml": huge });
  const r7 = await cli("simulate", spec2024, "--scenario", path.join(hd, "scenarie.yaml"), "--format", "json", "--out", tmpDir());
  assert.equal(r7.code, 1);
  assert.match(r7.stderr, /scenarie\.yaml:\d+:\d+: fejl: Simuleringen er for stor: 10\.000 kørsler × [\d.]+ henvisninger/);
  const long = fs.readFileSync(path.join(spec2024, "scenarie.yaml"), "utf8").replace("forlængelse: {sandsynlighed: 0.25, uger: 13}", "forlængelse: {sandsynlighed: 0.25, uger: 100000}");
  const ld = writeFiles({ "scenarie.yaml": long });
  const r8 = await cli("simulate", spec2024, "--scenario", path.join(ld, "scenarie.yaml"), "--format", "json", "--out", tmpDir());
  assert.equal(r8.code, 1);
  assert.match(r8.stderr, /højst 260/);
  const r5 = await cli("simulate", spec2024, "--format", "xlsx");
  assert.equal(r5.code, 2);
  assert.match(r5.stderr, /ukendt format 'xlsx'/);
});

test("an output folder that holds the scenario is refused rather than overwriting an input", async () => {
  const dir = writeFiles({ "simulering.json": fs.readFileSync(path.join(spec2024, "scenarie.yaml")) });
  const before = fs.readFileSync(path.join(dir, "simulering.json"));
  const r = await cli("simulate", spec2024, "--scenario", path.join(dir, "simulering.json"), "--runs", "20", "--out", dir, "--format", "json");
  assert.equal(r.code, 1);
  assert.match(r.stderr, /overskrive en af inputfilerne/);
  assert.ok(fs.readFileSync(path.join(dir, "simulering.json")).equals(before));
});

test("long runs report progress on stderr with --fremdrift, and not when stderr is not a terminal", async () => {
  const out = tmpDir();
  const r = await cli("simulate", spec2024, "--runs", "25000", "--out", out, "--format", "json", "--fremdrift");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Simulerer … 100 %/);
  const quiet = await cli("simulate", spec2024, "--runs", "25000", "--out", out, "--format", "json");
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.doesNotMatch(quiet.stderr, /Simulerer/);
});
