/**
 * The tilbudsliste as an Excel workbook (tilbudsliste-N-<lot>.xlsx) that bidders fill in:
 *
 *   Vejledning   instructions in Danish
 *   Priser       the same rows and columns as the tilbudsliste document (compute/price-schedule.ts),
 *                line totals and the total "Evalueringsteknisk pris i alt" as formulas, the bidder
 *                block; only the price cells and the bidder block are unlocked; price cells carry
 *                data validation (a number ≥ 0, inside the corridor where there is one) and a
 *                defined name (pris_T1, …); A4, header rows repeated, fit to width
 *   udbud-data   hidden: spec id, lot id, row ids, quantities, corridors and the digest of the
 *                locked content, which the reader (read/xlsx/) checks
 *
 * Sheet protection has no password: it keeps a bidder from overwriting a quantity by mistake and
 * claims nothing more. What protects the evaluation is the read-back check.
 *
 * Deterministic: fixed dates in the package properties and in the ZIP entries, so the same input
 * gives the same bytes. Library: exceljs (pinned; we only write fresh workbooks with it, never
 * read-modify-write, which is where its data validation and protection issues are).
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import type { PriceSchedule } from "../../compute/price-schedule.js";
import { scheduleDigest } from "../../compute/price-schedule.js";
import { formatNumber } from "../../format.js";
import {
  BIDDER_FIELDS, BIDDER_LABEL_COL, BIDDER_VALUE_COL, FIRST_ROW, FORMAT_ID, HEADER_ROW, META_COLUMNS, META_TABLE_ROW, NOTE_ROW,
  SHEET_GUIDE, SHEET_META, SHEET_PRICES, SUBTITLE_ROW, TITLE_ROW, addr, bidderHeaderRow, bidderRow, columns, corridorText,
  lineFormula, priceName, totalFormula, totalRow,
} from "./layout.js";

export const KR_FORMAT = '#,##0 "kr."';
export const KR_DECIMALS_FORMAT = '#,##0.00 "kr."';
export const NUMBER_FORMAT = "#,##0";

export interface WorkbookOptions {
  /** The tender's title (shown under the heading). */
  udbudTitel: string;
  /** The contracting authority (creator in the package properties). */
  ordregiver: string;
  /** ISO date for the package properties (the spec's dato or publication date): fixed, not now. */
  dato: string;
}

const FILL_INPUT: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF2CC" } };
const FILL_HEADER: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFD9E1F2" } };
const THIN: ExcelJS.Border = { style: "thin", color: { argb: "FF808080" } };
const BOX: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function guide(s: PriceSchedule): string[] {
  const corridor = s.harKorridor
    ? "Er der angivet en priskorridor, skal prisen ligge inden for den; regnearket afviser en pris uden for korridoren, og et tilbud med en pris uden for korridoren er ukonditionsmæssigt."
    : null;
  return [
    `Tilbudsliste for udbudsområde ${s.nummer}: ${s.titel}`,
    "",
    "Sådan udfylder du regnearket",
    `1. Gå til arket '${SHEET_PRICES}'. Skriv jeres enhedspris i kr. ekskl. moms i hver gul celle i kolonnen 'Tilbudt enhedspris' (pris pr. ${s.enhed}).`,
    "2. Alle priscellerne skal udfyldes. Skriv kun et tal (fx 3200 eller 3.200,50), ikke en formel eller en henvisning til en anden fil.",
    ...(corridor ? [`3. ${corridor}`] : []),
    `${corridor ? 4 : 3}. Pris × mængde og 'Evalueringsteknisk pris i alt' beregnes af regnearket. Mængderne er alene beregningstekniske og udgør ikke et tilsagn om køb.`,
    `${corridor ? 5 : 4}. Udfyld tilbudsgivers oplysninger under priserne (virksomhedens navn, CVR-nummer, kontaktperson og dato).`,
    `${corridor ? 6 : 5}. Gem filen som Excel-projektmappe (.xlsx), ikke som .xlsm eller .csv, og vedlæg den tilbuddet.`,
    "",
    "Hvorfor kan de andre celler ikke ændres?",
    "Arket er beskyttet uden adgangskode, så ydelser, enheder, mængder og formler ikke ændres ved en fejl. Ordregiver kontrollerer ved modtagelsen, at intet andet end priserne og tilbudsgivers oplysninger er ændret, og regner selv pris × mængde og summen efter. Ændrede rækker, mængder eller formler betyder, at tilbudslisten ikke kan læses.",
    "",
    "Kontrol før afsendelse",
    "Ordregiver og tilbudsgiver kan kontrollere den udfyldte fil med kommandoen: udbud tilbud tjek <fil.xlsx> --spec <udbuddet>",
  ];
}

/** Builds the workbook for one lot's price schedule. Returns the .xlsx bytes (deterministic). */
export async function writeWorkbook(s: PriceSchedule, opts: WorkbookOptions): Promise<Buffer> {
  const { wb, fixed } = newWorkbook(opts.ordregiver, opts.dato);
  wb.title = `Tilbudsliste for udbudsområde ${s.nummer}`;
  wb.subject = opts.udbudTitel;
  wb.company = opts.ordregiver;
  wb.calcProperties = { fullCalcOnLoad: true };

  // --- Vejledning ---
  const g = wb.addWorksheet(SHEET_GUIDE, { properties: { tabColor: { argb: "FF4472C4" } }, pageSetup: { paperSize: 9, orientation: "portrait", fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  g.getColumn(1).width = 110;
  const headings = new Set(["Sådan udfylder du regnearket", "Hvorfor kan de andre celler ikke ændres?", "Kontrol før afsendelse"]);
  guide(s).forEach((line, i) => {
    const c = g.getCell(i + 1, 1);
    c.value = line;
    c.alignment = { wrapText: true, vertical: "top" };
    if (i === 0) c.font = { bold: true, size: 14 };
    else if (headings.has(line)) c.font = { bold: true };
  });
  await g.protect("", { selectLockedCells: true, selectUnlockedCells: true });

  // --- Priser ---
  const c = columns(s);
  const ws = wb.addWorksheet(SHEET_PRICES, {
    views: [{ state: "frozen", ySplit: HEADER_ROW, activeCell: addr(c.pris, FIRST_ROW), showGridLines: false }],
    pageSetup: {
      paperSize: 9,
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: `&L${s.udbud} · udbudsområde ${s.nummer}&RSide &P af &N` },
  });
  const widths: Record<number, number> = { [c.id]: 8, [c.ydelse]: 60, [c.enhed]: 9, [c.mængde]: 18, [c.pris]: 22, [c.beløb]: 22 };
  if (c.korridor) widths[c.korridor] = 18;
  for (const [col, w] of Object.entries(widths)) ws.getColumn(Number(col)).width = w;

  ws.getCell(TITLE_ROW, 1).value = `Tilbudsliste for udbudsområde ${s.nummer}: ${s.titel}`;
  ws.getCell(TITLE_ROW, 1).font = { bold: true, size: 14 };
  ws.getCell(SUBTITLE_ROW, 1).value = opts.udbudTitel;
  ws.getCell(NOTE_ROW, 1).value = `Udfyld de gule celler: enhedspris i kr. ekskl. moms pr. ${s.enhed}, og tilbudsgivers oplysninger nederst. Se arket '${SHEET_GUIDE}'.`;
  ws.getCell(NOTE_ROW, 1).font = { italic: true };

  c.headers.forEach((h, i) => {
    const cell = ws.getCell(HEADER_ROW, i + 1);
    cell.value = h;
    cell.font = { bold: true };
    cell.fill = FILL_HEADER;
    cell.border = BOX;
    cell.alignment = { wrapText: true, vertical: "middle", horizontal: i + 1 >= c.mængde ? "right" : "left" };
  });
  ws.getRow(HEADER_ROW).height = 32;

  s.rows.forEach((r, i) => {
    const row = FIRST_ROW + i;
    const set = (col: number, v: ExcelJS.CellValue, fmt?: string) => {
      const cell = ws.getCell(row, col);
      cell.value = v;
      cell.border = BOX;
      if (fmt) cell.numFmt = fmt;
      return cell;
    };
    set(c.id, r.id);
    set(c.ydelse, r.ydelse).alignment = { wrapText: true, vertical: "top" };
    set(c.enhed, r.enhed);
    if (c.korridor) set(c.korridor, corridorText(r.min, r.max, formatNumber)).alignment = { horizontal: "right" };
    set(c.mængde, r.mængde, NUMBER_FORMAT);
    const price = set(c.pris, null, KR_DECIMALS_FORMAT);
    price.fill = FILL_INPUT;
    price.protection = { locked: false };
    const lo = r.min ?? 0;
    const corridorMsg = r.min !== null || r.max !== null ? `Prisen skal ligge inden for priskorridoren ${corridorText(r.min, r.max, formatNumber)} kr.` : "Prisen skal være et tal på 0 eller derover.";
    price.dataValidation = {
      type: "decimal",
      operator: r.max !== null ? "between" : "greaterThanOrEqual",
      formulae: r.max !== null ? [lo, r.max] : [lo],
      allowBlank: true,
      showInputMessage: true,
      promptTitle: "Enhedspris",
      prompt: `Skriv prisen i kr. ekskl. moms pr. ${r.enhed}. ${corridorMsg}`.slice(0, 255),
      showErrorMessage: true,
      errorStyle: "stop",
      errorTitle: "Ugyldig pris",
      error: `Ugyldig pris for ${r.id}. ${corridorMsg}`.slice(0, 255),
    };
    ws.getCell(row, c.pris).name = priceName(r.kind, r.id);
    if (r.mængde !== null) set(c.beløb, { formula: lineFormula(c, row) } as ExcelJS.CellFormulaValue, KR_DECIMALS_FORMAT);
    else set(c.beløb, "–").alignment = { horizontal: "right" };
  });

  const tr = totalRow(s);
  ws.getCell(tr, c.ydelse).value = "Evalueringsteknisk pris i alt";
  ws.getCell(tr, c.ydelse).font = { bold: true };
  if (s.harMængder) {
    const total = ws.getCell(tr, c.beløb);
    total.value = { formula: totalFormula(s, c) } as ExcelJS.CellFormulaValue;
    total.numFmt = KR_DECIMALS_FORMAT;
    total.font = { bold: true };
    total.border = { ...BOX, top: { style: "medium" }, bottom: { style: "double" } };
    total.name = "evalueringsteknisk_pris";
  } else {
    ws.getCell(tr, c.beløb).value = "–";
  }

  const bh = bidderHeaderRow(s);
  ws.getCell(bh, BIDDER_LABEL_COL).value = "Tilbudsgivers oplysninger";
  ws.getCell(bh, BIDDER_LABEL_COL).font = { bold: true };
  for (const f of BIDDER_FIELDS) {
    const row = bidderRow(s, f.key);
    const label = ws.getCell(row, BIDDER_LABEL_COL);
    label.value = f.label;
    label.border = BOX;
    ws.mergeCells(row, BIDDER_VALUE_COL, row, c.last);
    const v = ws.getCell(row, BIDDER_VALUE_COL);
    v.fill = FILL_INPUT;
    v.border = BOX;
    v.protection = { locked: false };
    v.name = `tilbudsgiver_${f.key}`;
    if (f.key === "dato") v.numFmt = "dd-mm-yyyy";
  }
  await ws.protect("", { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });

  // --- udbud-data (hidden) ---
  const m = wb.addWorksheet(SHEET_META, { state: "hidden" });
  const meta: [string, string | number][] = [
    ["format", FORMAT_ID],
    ["udbud", s.udbud],
    ["delkontrakt", s.delkontrakt],
    ["nummer", s.nummer],
    ["titel", s.titel],
    ["prismodel", s.prismodel],
    ["digest", scheduleDigest(s)],
  ];
  meta.forEach(([k, v], i) => {
    m.getCell(i + 1, 1).value = k;
    m.getCell(i + 1, 2).value = v;
  });
  META_COLUMNS.forEach((h, i) => (m.getCell(META_TABLE_ROW, i + 1).value = h));
  s.rows.forEach((r, i) => {
    const vals = [r.id, r.kind, r.nr, r.ydelse, r.enhed, r.mængde, r.min, r.max, `${SHEET_PRICES}!${addr(c.pris, FIRST_ROW + i)}`];
    vals.forEach((v, j) => (m.getCell(META_TABLE_ROW + 1 + i, j + 1).value = v));
  });
  await m.protect("", {});

  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 1, visibility: "visible" }];
  const raw = Buffer.from(await wb.xlsx.writeBuffer());
  return normalizeZip(raw, fixed);
}

/** A workbook by `ordregiver` with its package dates fixed at `dato` (ISO), not now; `fixed` goes to normalizeZip. */
export function newWorkbook(ordregiver: string, dato: string): { wb: ExcelJS.Workbook; fixed: Date } {
  const fixed = new Date(`${dato}T00:00:00Z`);
  const wb = new ExcelJS.Workbook();
  wb.creator = ordregiver;
  wb.lastModifiedBy = ordregiver;
  wb.created = fixed;
  wb.modified = fixed;
  return { wb, fixed };
}

/** Rewrites the ZIP with a fixed date on every entry, in the same order: byte-identical output. */
export async function normalizeZip(data: Buffer, date: Date): Promise<Buffer> {
  const src = await JSZip.loadAsync(data);
  const out = new JSZip();
  for (const name of Object.keys(src.files)) {
    const f = src.files[name];
    if (f.dir) continue;
    out.file(name, await f.async("uint8array"), { date, createFolders: false });
  }
  return out.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 6 }, platform: "DOS" });
}
