/**
 * The tilbudsliste workbook: written by write/xlsx/, read back by read/xlsx/. Workbooks are
 * inspected and tampered with through readers and writers we did not write: SheetJS (xlsx) for
 * cells, formulas and sheets, jszip for the raw XML parts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "vitest";
import assert from "node:assert/strict";
import JSZip from "jszip";
import * as XLSX from "xlsx";
import { priceSchedule } from "../src/compute/price-schedule.js";
import type { Udbud } from "../src/model/types.js";
import { readSpec } from "../src/read/index.js";
import { renderWorkbook } from "../src/render/index.js";
import { readPriceWorkbookData } from "../src/read/xlsx/workbook.js";
import { formatDiagnostic } from "../src/diagnostics.js";
import { cli, repoRoot, tmpDir } from "./helpers.js";

const spec2024 = path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte");
const spec2020 = path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte");
const u2024 = readSpec(spec2024).udbud as Udbud;
const u2020 = readSpec(spec2020).udbud as Udbud;

const PRICES_2024_LOT1 = [3100, 3500, 2700, 1250, 1450, 950];

/** Fills a workbook with SheetJS: prices in column F from row 6, the bidder block. */
function fill(data: Buffer, prices: (number | string)[], bidder = { navn: "Jobhuset ApS", cvr: "12345678", kontakt: "Anne Jensen", dato: "2026-12-01" }, edit?: (ws: XLSX.WorkSheet, wb: XLSX.WorkBook) => void): Buffer {
  const wb = XLSX.read(data, { type: "buffer", cellFormula: true, cellStyles: true });
  const ws = wb.Sheets["Priser"];
  const u = wb.Sheets["udbud-data"];
  // Where the price column is: the hidden sheet's 'celle' column names it (Priser!F6).
  const rows = XLSX.utils.sheet_to_json<any[]>(u, { header: 1 });
  const cells = rows.slice(9).map((r) => String(r[8]).split("!")[1]);
  prices.forEach((p, i) => {
    ws[cells[i]] = typeof p === "number" ? { t: "n", v: p } : { t: "s", v: p };
  });
  const first = Number(cells[0].replace(/^[A-Z]+/, ""));
  const bidderStart = first + cells.length + 3;
  ["navn", "cvr", "kontakt", "dato"].forEach((k, i) => (ws[`C${bidderStart + i}`] = { t: "s", v: (bidder as any)[k] }));
  edit?.(ws, wb);
  return XLSX.write(wb, { type: "buffer", bookType: "xlsx" }) as Buffer;
}

async function check(data: Buffer, u: Udbud | undefined = u2024) {
  const r = await readPriceWorkbookData(data, "tilbud.xlsx", u);
  return { ...r, text: [...r.errors, ...r.warnings].map(formatDiagnostic).join("\n") };
}

/** Moves every cell of rows ≥ from by `by` rows (SheetJS has no row insert). */
function shiftRows(ws: XLSX.WorkSheet, from: number, by: number): void {
  const cells = Object.keys(ws).filter((k) => !k.startsWith("!")).map((k) => ({ k, ...XLSX.utils.decode_cell(k) }));
  const moved = cells.filter((c) => c.r + 1 >= from).sort((a, b) => (by > 0 ? b.r - a.r : a.r - b.r));
  for (const c of moved) {
    const target = XLSX.utils.encode_cell({ r: c.r + by, c: c.c });
    ws[target] = ws[c.k];
    delete ws[c.k];
  }
  const range = XLSX.utils.decode_range(ws["!ref"]!);
  range.e.r += by;
  ws["!ref"] = XLSX.utils.encode_range(range);
  delete ws["!merges"];
}

describe("the workbook", () => {
  test("sheets, hidden data sheet, defined names, validation, protection, formulas, print set-up (raw XML via jszip)", async () => {
    const data = await renderWorkbook(u2024, "udsatte");
    const zip = await JSZip.loadAsync(data);
    const wbXml = await zip.file("xl/workbook.xml")!.async("string");
    assert.match(wbXml, /<sheet [^>]*name="Vejledning"[^>]*state="visible"/);
    assert.match(wbXml, /<sheet [^>]*name="Priser"[^>]*state="visible"/);
    assert.match(wbXml, /<sheet [^>]*name="udbud-data"[^>]*state="hidden"/);
    assert.match(wbXml, /<definedName name="pris_T1">Priser!\$F\$6<\/definedName>/);
    assert.match(wbXml, /<definedName name="pris_element_PSY">Priser!\$F\$11<\/definedName>/);
    assert.match(wbXml, /<definedName name="_xlnm.Print_Titles"[^>]*>&apos;Priser&apos;!\$5:\$5</);
    const sheet = await zip.file("xl/worksheets/sheet2.xml")!.async("string");
    // Protection without a password (no hash, no salt).
    assert.match(sheet, /<sheetProtection sheet="1"/);
    assert.doesNotMatch(sheet, /hashValue|saltValue|password=/);
    // Validation on every price cell: decimal, within the corridor, Danish messages.
    const dv = [...sheet.matchAll(/<dataValidation [^>]*sqref="(F\d+)"[^>]*>\s*<formula1>(\d+)<\/formula1><formula2>(\d+)<\/formula2>/g)].map((m) => [m[1], m[2], m[3]]);
    assert.deepEqual(dv.sort(), [["F10", "1000", "2100"], ["F11", "800", "1400"], ["F6", "2400", "4200"], ["F7", "2700", "4700"], ["F8", "2000", "3600"], ["F9", "900", "1800"]]);
    assert.match(sheet, /type="decimal"/);
    assert.match(sheet, /error="Ugyldig pris for T1\. Prisen skal ligge inden for priskorridoren 2\.400 til 4\.200 kr\."/);
    assert.match(sheet, /prompt="Skriv prisen i kr\. ekskl\. moms pr\. uge\./);
    assert.ok(sheet.includes("<f>IF(F6=&quot;&quot;,&quot;&quot;,F6*E6)</f>"));
    assert.match(sheet, /<f>SUM\(G6:G11\)<\/f>/);
    assert.match(sheet, /<pageSetup paperSize="9" orientation="landscape"[^>]*fitToWidth="1" fitToHeight="0"/);
    assert.match(sheet, /<pageSetUpPr fitToPage="1"\/>/);
    // Danish number formats: the format code is stored with ',' as the thousands separator (shown as '.' in Danish).
    const styles = await zip.file("xl/styles.xml")!.async("string");
    assert.match(styles, /formatCode="#,##0\.00 &quot;kr\.&quot;"/);
    // Only the price cells and the bidder block are unlocked.
    const wb = XLSX.read(data, { type: "buffer", cellStyles: true });
    assert.deepEqual(wb.SheetNames, ["Vejledning", "Priser", "udbud-data"]);
    assert.equal(wb.Workbook!.Sheets![2].Hidden, 1);
    const unlockedStyles = new Set<number>();
    const xfs = [...styles.slice(styles.indexOf("<cellXfs")).matchAll(/<xf [^>]*?(\/>|>[\s\S]*?<\/xf>)/g)].map((m) => m[0]);
    xfs.forEach((x, i) => x.includes('locked="0"') && unlockedStyles.add(i));
    const unlocked = [...sheet.matchAll(/<c r="([A-Z]+\d+)" s="(\d+)"/g)].filter((m) => unlockedStyles.has(Number(m[2]))).map((m) => m[1]);
    assert.deepEqual(unlocked, ["F6", "F7", "F8", "F9", "F10", "F11", "C15", "D15", "E15", "F15", "G15", "C16", "D16", "E16", "F16", "G16", "C17", "D17", "E17", "F17", "G17", "C18", "D18", "E18", "F18", "G18"]);
    // The instruction sheet is Danish.
    const guide = XLSX.utils.sheet_to_json<any[]>(wb.Sheets["Vejledning"], { header: 1 }).map((r) => r[0]).join("\n");
    assert.match(guide, /Sådan udfylder du regnearket/);
    assert.match(guide, /udbud tilbud tjek/);
  });

  test("byte-identical for the same input; fixed dates in the package properties", async () => {
    const a = await renderWorkbook(u2024, "udsatte");
    await new Promise((r) => setTimeout(r, 1100));
    const b = await renderWorkbook(u2024, "udsatte");
    assert.equal(Buffer.compare(a, b), 0);
    const core = await (await JSZip.loadAsync(a)).file("docProps/core.xml")!.async("string");
    assert.match(core, /<dcterms:created[^>]*>2024-01-12T00:00:00Z</);
  });

  test("the workbook has exactly the document's rows (Markdown tilbudsliste vs SheetJS)", async () => {
    for (const [spec, u] of [[spec2024, u2024], [spec2020, u2020]] as const) {
      const out = tmpDir();
      const r = await cli("render", spec, "--out", out, "--format", "md,xlsx", "--only", "tilbudsliste");
      assert.equal(r.code, 0, r.stderr);
      for (const lot of u.delkontrakter) {
        const base = `tilbudsliste-${lot.nummer}-${lot.id}`;
        const md = fs.readFileSync(path.join(out, `${base}.md`), "utf8");
        const section = md.slice(md.indexOf("{#priser}"), md.indexOf("{#evalueringsteknisk-pris}") > 0 ? md.indexOf("{#evalueringsteknisk-pris}") : md.indexOf("{#tilbudsgiver}"));
        const docRows = section.split("\n").filter((l) => /^\| [^ |]+ \|/.test(l) && !/^\| (Id|---) \|/.test(l)).map((l) => l.split("|").slice(1, 4).map((c) => c.trim().replace(/\\(.)/g, "$1")));
        const wb = XLSX.read(fs.readFileSync(path.join(out, `${base}.xlsx`)), { type: "buffer" });
        const sheetRows = XLSX.utils.sheet_to_json<any[]>(wb.Sheets["Priser"], { header: 1, range: 5 }).filter((r) => r[0] !== undefined && r[0] !== "").map((r) => [String(r[0]), r[1], r[2]]);
        assert.ok(docRows.length > 0, base);
        assert.deepEqual(sheetRows.slice(0, docRows.length), docRows, base);
        assert.equal(priceSchedule(u, lot).rows.length, docRows.length, base);
        assert.match(section, /Evalueringsteknisk pris i alt/);
      }
      assert.ok(fs.readdirSync(out).every((f) => !f.endsWith(".xlsx") || f.startsWith("tilbudsliste-")));
    }
  });
});

describe("reading a filled workbook back", () => {
  test("prices, bidder block, recomputed totals; text such as '3.200,50' is a number", async () => {
    const data = fill(await renderWorkbook(u2024, "udsatte"), [3100, 3500, "2.700,50", 1250, 1450, 950]);
    const r = await check(data);
    assert.deepEqual(r.errors, [], r.text);
    assert.equal(r.bid!.tilbudsgiver.navn, "Jobhuset ApS");
    assert.equal(r.bid!.tilbudsgiver.cvr, "12345678");
    assert.deepEqual(r.bid!.linjer.map((l) => l.pris), [3100, 3500, 2700.5, 1250, 1450, 950]);
    assert.equal(r.bid!.total, 3100 * 5200 + 3500 * 4550 + 2700.5 * 3900 + 1250 * 2600 + 1450 * 2600 + 950 * 1300);
  });

  test("a cached formula value that disagrees is reported", async () => {
    const data = fill(await renderWorkbook(u2024, "udsatte"), PRICES_2024_LOT1, undefined, (ws) => {
      ws["G6"] = { t: "n", v: 1, f: 'IF(F6="","",F6*E6)' };
    });
    const r = await check(data);
    assert.deepEqual(r.errors, [], r.text);
    assert.match(r.text, /tilbud\.xlsx › Priser › G6: advarsel: Regnearket viser 1 kr\. som pris × mængde for T1, men 3\.100 × 5\.200 = 16\.120\.000 kr\./);
    assert.equal(r.bid!.linjer[0].beløb, 16_120_000);
  });

  const tamper: [string, (ws: XLSX.WorkSheet, wb: XLSX.WorkBook) => void, RegExp][] = [
    ["changed quantity", (ws) => (ws["E7"] = { t: "n", v: 1 }), /tilbud\.xlsx › Priser › E7: fejl: Evalueringsmængden for T2 er ændret: den skal være 4\.550, men er '1'/],
    ["changed id", (ws) => (ws["A6"] = { t: "s", v: "T9" }), /tilbud\.xlsx › Priser › A6: fejl: Id'et i række 6 er ændret: der skal stå 'T1', men der står 'T9'/],
    ["changed text", (ws) => (ws["B7"] = { t: "s", v: "Noget andet" }), /tilbud\.xlsx › Priser › B7: fejl: Ydelsen i række 7 er ændret: der skal stå 'Tværfagligt forløb – stort støttebehov', men der står 'Noget andet'/],
    ["changed corridor", (ws) => (ws["D8"] = { t: "s", v: "0–9.999" }), /Priser › D8: fejl: Priskorridoren for V1 er ændret/],
    ["changed formula", (ws) => (ws["G9"] = { t: "n", v: 0, f: "F9*1" }), /Priser › G9: fejl: Formlen for pris × mængde er ændret: der skal stå =IF\(F9="","",F9\*E9\), men der står =F9\*1/],
    ["row inserted", (ws) => shiftRows(ws, 8, 1), /Priser › B13: fejl: Der er indsat én række i prislisten: 'Evalueringsteknisk pris i alt' står i række 13, men skal stå i række 12/],
    ["row deleted", (ws) => {
      for (const col of "ABCDEFG") delete ws[`${col}8`];
      shiftRows(ws, 9, -1);
    }, /Priser › B11: fejl: Der er slettet én række i prislisten: 'Evalueringsteknisk pris i alt' står i række 11, men skal stå i række 12/],
    ["text in a price cell", (ws) => (ws["F6"] = { t: "s", v: "cirka tre tusind" }), /Priser › F6: fejl: Prisen for T1 er ikke et tal: 'cirka tre tusind'/],
    ["formula in a price cell", (ws) => (ws["F7"] = { t: "n", v: 3500, f: "3000+500" }), /Priser › F7: fejl: Prisen for T2 er en formel \(=3000\+500\)/],
    ["empty price cell", (ws) => delete ws["F11"], /Priser › F11: fejl: Prisen for PSY mangler\. Alle priscellerne skal udfyldes\./],
    ["price outside the corridor", (ws) => (ws["F6"] = { t: "n", v: 99999 }), /Priser › F6: fejl: Prisen for T1 \(99\.999 kr\.\) ligger uden for priskorridoren 2\.400 til 4\.200 kr\./],
    ["hidden sheet edited", (_ws, wb) => (wb.Sheets["udbud-data"]["F10"] = { t: "n", v: 1 }), /tilbud\.xlsx › udbud-data › B7: fejl: Indholdet af det skjulte ark 'udbud-data' passer ikke med dets kontrolsum/],
    ["missing hidden sheet", (_ws, wb) => {
      wb.SheetNames = wb.SheetNames.filter((n) => n !== "udbud-data");
      delete wb.Sheets["udbud-data"];
      wb.Workbook!.Sheets = wb.Workbook!.Sheets!.filter((s) => s.name !== "udbud-data");
    }, /^tilbud\.xlsx:1:1: fejl: Filen er ikke en tilbudsliste fra udbud: det skjulte ark 'udbud-data' mangler/],
    ["bidder name missing", (ws) => delete ws["C15"], /Priser › C15: fejl: Virksomhedens navn mangler/],
    ["invalid CVR", (ws) => (ws["C16"] = { t: "s", v: "1234" }), /Priser › C16: fejl: CVR-nummeret '1234' er ikke gyldigt/],
  ];
  for (const [name, edit, want] of tamper) {
    test(`tamper: ${name}`, async () => {
      const r = await check(fill(await renderWorkbook(u2024, "udsatte"), PRICES_2024_LOT1, undefined, edit));
      assert.equal(r.bid, undefined, `${name}: no bid`);
      assert.match(r.text, want);
    });
  }

  test("tamper: another spec's workbook", async () => {
    const data = fill(await renderWorkbook(u2020, "udsatte"), Array(12).fill(700));
    const r = await check(data, u2024);
    assert.match(r.text, /udbud-data › B2: fejl: Tilbudslisten hører til udbuddet 'kk-2020-udsatte-sygemeldte', ikke til 'kk-2024-udsatte-sygemeldte'\./);
  });

  test("tamper: a workbook for an older version of the spec", async () => {
    const changed = structuredClone(u2024);
    changed.tildeling.prisevaluering!.evalueringsteknisk_pris!.mængder[0].mængde = 1;
    const r = await check(fill(await renderWorkbook(changed, "udsatte"), PRICES_2024_LOT1), u2024);
    assert.match(r.text, /Tilbudslisten er lavet til en anden version af udbuddet/);
  });

  test("tamper: zip bomb, DOCTYPE, not a ZIP, .xlsm with vbaProject.bin", async () => {
    const zip = new JSZip();
    zip.file("[Content_Types].xml", "<Types/>");
    zip.file("xl/worksheets/sheet1.xml", Buffer.alloc(30 * 1024 * 1024, 0x20));
    const bomb = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
    const r1 = await readPriceWorkbookData(bomb, "bombe.xlsx", u2024, { entryBytes: 10 * 1024 * 1024 });
    assert.match(r1.errors.map(formatDiagnostic).join("\n"), /bombe\.xlsx:1:1: fejl: Filen er ikke en gyldig XLSX \(xl\/worksheets\/sheet1\.xml fylder 30 MB udpakket; højst 10 MB er tilladt – filen ligner en zip-bombe\)/);

    // A bomb in a part that is not XML (exceljs would unpack it without limits).
    const media = await JSZip.loadAsync(await renderWorkbook(u2024, "udsatte"));
    media.file("xl/media/image1.png", Buffer.alloc(30 * 1024 * 1024, 0));
    const r5 = await readPriceWorkbookData(await media.generateAsync({ type: "nodebuffer", compression: "DEFLATE" }), "billede.xlsx", u2024, { entryBytes: 10 * 1024 * 1024 });
    assert.match(r5.errors[0].message, /xl\/media\/image1\.png fylder 30 MB udpakket; højst 10 MB er tilladt – filen ligner en zip-bombe/);

    const good = await JSZip.loadAsync(await renderWorkbook(u2024, "udsatte"));
    good.file("xl/sharedStrings.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><sst/>');
    const r2 = await readPriceWorkbookData(await good.generateAsync({ type: "nodebuffer" }), "dtd.xlsx", u2024);
    assert.match(r2.errors[0].message, /xl\/sharedStrings\.xml indeholder en DOCTYPE-erklæring, som ikke er tilladt/);

    const r3 = await readPriceWorkbookData(Buffer.from("tilbudsgiver;pris\nA;1\n"), "csv.xlsx", u2024);
    assert.match(r3.errors[0].message, /Filen er ikke en gyldig XLSX \(den er ikke et ZIP-arkiv\)/);

    const macro = await JSZip.loadAsync(await renderWorkbook(u2024, "udsatte"));
    macro.file("xl/vbaProject.bin", Buffer.from("VBA"));
    const r4 = await readPriceWorkbookData(await macro.generateAsync({ type: "nodebuffer" }), "makro.xlsx", u2024);
    assert.match(r4.errors[0].message, /Filen indeholder makroer \(vbaProject\.bin\)/);

    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, "tilbud.xlsm"), await renderWorkbook(u2024, "udsatte"));
    const cr = await cli("tilbud", "tjek", path.join(dir, "tilbud.xlsm"));
    assert.equal(cr.code, 1);
    assert.match(cr.stderr, /tilbud\.xlsm:1:1: fejl: Filen er en projektmappe med makroer/);
  });

  test("external links are ignored and reported", async () => {
    const zip = await JSZip.loadAsync(fill(await renderWorkbook(u2024, "udsatte"), PRICES_2024_LOT1));
    zip.file("xl/externalLinks/externalLink1.xml", '<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>');
    const r = await readPriceWorkbookData(await zip.generateAsync({ type: "nodebuffer" }), "links.xlsx", u2024);
    assert.deepEqual(r.errors, []);
    assert.match(r.warnings.map(formatDiagnostic).join("\n"), /henvisning til andre filer \(eksterne kæder\)\. De er ignoreret/);
  });
});

describe("a lot without corridors or published volumes", () => {
  test("no corridor column, no line totals or total; prices ≥ 0 are read back, negative ones refused", async () => {
    const u = structuredClone(readSpec(path.join(repoRoot, "tests", "fixtures", "minimal")).udbud as Udbud);
    for (const p of u.delkontrakter[0].prismodel.priser) {
      delete p.min;
      delete p.max;
    }
    delete u.tildeling.prisevaluering!.evalueringsteknisk_pris;
    const s = priceSchedule(u, u.delkontrakter[0]);
    assert.equal(s.harKorridor, false);
    const data = await renderWorkbook(u, "mentor");
    const wb = XLSX.read(data, { type: "buffer", cellFormula: true });
    const header = XLSX.utils.sheet_to_json<any[]>(wb.Sheets["Priser"], { header: 1 })[4];
    assert.deepEqual(header, ["Id", "Ydelse", "Enhed", "Evalueringsmængde", "Tilbudt enhedspris (kr. ekskl. moms)", "Pris × mængde (kr.)"]);
    const r = await readPriceWorkbookData(fill(data, [1500, 0, 800]), "uden.xlsx", u);
    assert.deepEqual(r.errors, [], r.errors.map(formatDiagnostic).join("\n"));
    assert.deepEqual(r.bid!.linjer.map((l) => [l.id, l.pris, l.mængde, l.beløb]), [["1A", 1500, null, null], ["1B", 0, null, null], ["E1", 800, null, null]]);
    assert.equal(r.bid!.total, null);
    const neg = await readPriceWorkbookData(fill(data, [1500, -5, 800]), "uden.xlsx", u);
    assert.match(neg.errors.map(formatDiagnostic).join("\n"), /uden\.xlsx › Priser › E7: fejl: Prisen for 1B er negativ \(-5 kr\.\)/);
  });
});

describe("udbud tilbud tjek and udbud evaluate with workbooks", () => {
  test("tjek: exit 0 with a summary; exit 1 with located errors; --json", async () => {
    const dir = tmpDir();
    const ok = path.join(dir, "ok.xlsx");
    fs.writeFileSync(ok, fill(await renderWorkbook(u2024, "udsatte"), PRICES_2024_LOT1));
    const r = await cli("tilbud", "tjek", ok, "--spec", spec2024);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /✓ .*ok\.xlsx: Jobhuset ApS \(CVR 12345678\), delkontrakt udsatte: 6 priser, evalueringsteknisk pris 50\.830\.000 kr\./);
    const bad = path.join(dir, "bad.xlsx");
    fs.writeFileSync(bad, fill(await renderWorkbook(u2024, "udsatte"), PRICES_2024_LOT1, undefined, (ws) => (ws["E6"] = { t: "n", v: 2 })));
    const r2 = await cli("tilbud", "tjek", bad);
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /bad\.xlsx › Priser › E6: fejl: Evalueringsmængden for T1 er ændret/);
    const r3 = await cli("tilbud", "tjek", ok, bad, "--json");
    const j = JSON.parse(r3.stdout);
    assert.equal(j[0].ok, true);
    assert.equal(j[1].errors[0].cell, "E6");
    assert.equal(j[1].errors[0].sheet, "Priser");
  });

  test("evaluate with workbooks + bedømmelser ranks like the same prices in YAML (2024, every lot)", async () => {
    const yaml = await import("yaml");
    const bud = yaml.parse(fs.readFileSync(path.join(spec2024, "bud.yaml"), "utf8"));
    const dir = tmpDir();
    const books = path.join(dir, "tilbud");
    fs.mkdirSync(books);
    const workbooks = new Map<string, Buffer>();
    for (const lot of u2024.delkontrakter) workbooks.set(lot.id, await renderWorkbook(u2024, lot.id));
    bud.bud.forEach((b: any, i: number) => {
      const s = priceSchedule(u2024, u2024.delkontrakter.find((l) => l.id === b.delkontrakt)!);
      const prices = s.rows.map((r) => b.priser.find((p: any) => (p.indsats ?? p.element) === r.id).pris);
      fs.writeFileSync(path.join(books, `${i}-${b.delkontrakt}.xlsx`), fill(workbooks.get(b.delkontrakt)!, prices, { navn: b.tilbudsgiver, cvr: String(10000000 + i), kontakt: "x", dato: "2026-12-01" }));
    });
    const scores = { udbud: bud.udbud, bud: bud.bud.map((b: any) => ({ ...b, priser: undefined })) };
    fs.writeFileSync(path.join(dir, "bedømmelser.yaml"), yaml.stringify(scores));
    const fromYaml = await cli("evaluate", spec2024, "--bids", path.join(spec2024, "bud.yaml"), "--json");
    const fromXlsx = await cli("evaluate", spec2024, "--bids", books, "--bedømmelser", path.join(dir, "bedømmelser.yaml"), "--json");
    assert.equal(fromXlsx.code, 0, fromXlsx.stderr);
    const a = JSON.parse(fromYaml.stdout);
    const b = JSON.parse(fromXlsx.stdout);
    assert.deepEqual(b.delkontrakter.map((l: any) => l.rangfølge), a.delkontrakter.map((l: any) => l.rangfølge));
    assert.deepEqual(b.delkontrakter.map((l: any) => l.bud.map((x: any) => [x.tilbudsgiver, x.evalueringspris, x.samlet]).sort()), a.delkontrakter.map((l: any) => l.bud.map((x: any) => [x.tilbudsgiver, x.evalueringspris, x.samlet]).sort()));
    // The comparison: terminal and prissammenligning.xlsx.
    const out = path.join(dir, "notat");
    const t = await cli("evaluate", spec2024, "--bids", books, "--bedømmelser", path.join(dir, "bedømmelser.yaml"), "--out", out);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /Prissammenligning, delkontrakt 3 \(hjerneskade\)/);
    assert.match(t.stdout, /Fremdrift & Trivsel ApS, H2: 1\.400 kr\. = 58 % af medianen 2\.400 kr\./);
    // The evaluation record carries the comparison and the § 169 flags (DOCX read back with mammoth).
    const mammoth = await import("mammoth");
    const docText = (await mammoth.extractRawText({ path: path.join(out, "evalueringsnotat.docx") })).value;
    assert.match(docText, /Prissammenligning/);
    assert.match(docText, /Fremdrift & Trivsel ApS, H2: 1\.400[ \u00a0]kr\. \(58[ \u00a0]% af medianen på 2\.400[ \u00a0]kr\.\)/); // Danish no-break spaces
    assert.match(docText, /udbudslovens §[ \u00a0]169/);
    const cmp = XLSX.read(fs.readFileSync(path.join(out, "prissammenligning.xlsx")), { type: "buffer" });
    assert.deepEqual(cmp.SheetNames, ["Delkontrakt 1", "Delkontrakt 2", "Delkontrakt 3"]);
    const rows = XLSX.utils.sheet_to_json<any[]>(cmp.Sheets["Delkontrakt 3"], { header: 1 });
    assert.deepEqual(rows[3], ["Id", "Ydelse", "Enhed", "Evalueringsmængde", "NeuroJob ApS", "Hjernekraft Rehabilitering", "Kompetencecenter Amager", "Fremdrift & Trivsel ApS"]);
    assert.deepEqual(rows[4].slice(4), [5800, 5200, 6300, 4000]);
  });

  test("evaluate: a workbook without scores, and scores without a workbook, are located errors", async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, "a.xlsx"), fill(await renderWorkbook(u2024, "udsatte"), PRICES_2024_LOT1, { navn: "Ukendt ApS", cvr: "12345678", kontakt: "", dato: "" }));
    const r = await cli("evaluate", spec2024, "--bids", path.join(dir, "a.xlsx"));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /a\.xlsx:1:1: fejl: Tilbudslisterne indeholder kun priser; delkontrakten 'udsatte' har kvalitetskriterier\. Angiv bedømmelserne med --bedømmelser/);
    const r2 = await cli("evaluate", spec2024, "--bids", path.join(dir, "a.xlsx"), "--bedømmelser", path.join(spec2024, "bud.yaml"));
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /Der er ingen bedømmelser af tilbuddet fra 'Ukendt ApS' på delkontrakten 'udsatte'/);
  });
});
