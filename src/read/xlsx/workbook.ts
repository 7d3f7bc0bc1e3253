/**
 * Reading a filled tilbudsliste workbook back (the file write/xlsx/workbook.ts made, filled in
 * by a bidder in Excel or LibreOffice) and checking it:
 *
 *   - safe on untrusted files: the DOCX reader's ZIP and XML limits (read/zip.ts); macros
 *     (.xlsm, vbaProject.bin) refused; external links ignored and reported;
 *   - it is our workbook (the hidden sheet, its digest) for this spec and lot (with a spec);
 *   - nothing locked changed: ids, texts, units, quantities, corridors, formulas, rows added or
 *     removed; every deviation is a located Danish error (`fil.xlsx › Priser › D7: …`);
 *   - prices are numbers (text such as "3.200,50" is read as a number); formulas, links and empty
 *     price cells are errors; a price outside the corridor is an error;
 *   - line totals and the total are recomputed here; a cached formula value that disagrees is
 *     reported (a sign that the file was edited outside a spreadsheet program).
 *
 * Without a spec the hidden sheet is the reference (what a bidder can check); with a spec the
 * schedule computed from the spec must also be the one the workbook was made from.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ExcelJS from "exceljs";
import type { Diagnostic } from "../../diagnostics.js";
import { priceSchedule, scheduleDigest, type PriceRow, type PriceSchedule } from "../../compute/price-schedule.js";
import { parseDanishNumber } from "../../evaluate/bids.js";
import { formatNumber } from "../../format.js";
import type { Afregningsform, Udbud } from "../../model/types.js";
import { displayPath } from "../source.js";
import {
  BIDDER_FIELDS, BIDDER_LABEL_COL, BIDDER_VALUE_COL, FIRST_ROW, FORMAT_ID, HEADER_ROW, META_COLUMNS, META_KEYS, META_TABLE_ROW,
  SHEET_META, SHEET_PRICES, addr, bidderHeaderRow, bidderRow, columns, corridorText, lineFormula, totalFormula, totalRow, type BidderKey,
} from "../../write/xlsx/layout.js";
import { SafeZip, ZIP_LIMITS, ZipReadError, type ZipLimits } from "../zip.js";

export interface WorkbookLine {
  kind: "indsats" | "element";
  id: string;
  nr: string;
  pris: number;
  mængde: number | null;
  /** pris × mængde, computed here (null without a volume). */
  beløb: number | null;
}

export interface WorkbookBid {
  file: string;
  udbud: string;
  delkontrakt: string;
  tilbudsgiver: Record<BidderKey, string>;
  linjer: WorkbookLine[];
  /** Σ pris × mængde, computed here; null when a row has no volume. */
  total: number | null;
}

export interface WorkbookResult {
  /** Present when there are no errors. */
  bid?: WorkbookBid;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

const RECOMPUTE_TOLERANCE = 0.005;

class Report {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];
  constructor(readonly file: string) {}
  private make(severity: "fejl" | "advarsel", code: string, message: string, sheet?: string, col = 1, row = 1): Diagnostic {
    const d: Diagnostic = { severity, file: this.file, line: row, column: col, path: "", message, code: `tilbudsliste.${code}` };
    if (sheet !== undefined) {
      d.sheet = sheet;
      d.cell = addr(col, row);
    }
    return d;
  }
  /** An error about the file as a whole. */
  file_(code: string, message: string): void {
    this.errors.push({ severity: "fejl", file: this.file, line: 1, column: 1, path: "", message, code: `tilbudsliste.${code}` });
  }
  error(code: string, sheet: string, col: number, row: number, message: string): void {
    this.errors.push(this.make("fejl", code, message, sheet, col, row));
  }
  warn(code: string, sheet: string | undefined, col: number, row: number, message: string): void {
    this.warnings.push(this.make("advarsel", code, message, sheet, col, row));
  }
}

type Cell = ExcelJS.Cell;

/** What a cell shows as text (for comparing locked text cells). */
function cellText(cell: Cell): string {
  const v = cell.value as any;
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (Array.isArray(v.richText)) return v.richText.map((t: any) => t.text).join("").trim();
  if (typeof v.text === "string") return v.text.trim();
  if ("result" in v) return v.result === undefined || v.result === null ? "" : String(v.result);
  if (v.error) return String(v.error);
  return String(v);
}

function formulaOf(cell: Cell): string | undefined {
  const v = cell.value as any;
  if (v && typeof v === "object" && (typeof v.formula === "string" || typeof v.sharedFormula === "string")) return cell.formula ?? v.formula ?? v.sharedFormula;
  return undefined;
}

const normFormula = (f: string) => f.replace(/^=/, "").replace(/\s+/g, "").replace(/\$/g, "").replace(/^_xlfn\./, "").toUpperCase();

function cachedResult(cell: Cell): number | null {
  const v = cell.value as any;
  return v && typeof v === "object" && typeof v.result === "number" ? v.result : null;
}

function metaNumber(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  return typeof v === "number" ? v : Number(v);
}

/** The schedule as the hidden sheet describes it (null when it cannot be read). */
function scheduleFromMeta(m: ExcelJS.Worksheet): { s: PriceSchedule; format: string; digest: string } | null {
  const kv = new Map<string, string>();
  META_KEYS.forEach((k, i) => {
    if (cellText(m.getCell(i + 1, 1)) === k) kv.set(k, cellText(m.getCell(i + 1, 2)));
  });
  if (META_KEYS.some((k) => !kv.has(k))) return null;
  const header = META_COLUMNS.map((_, j) => cellText(m.getCell(META_TABLE_ROW, j + 1)));
  if (header.join("|") !== META_COLUMNS.join("|")) return null;
  const rows: PriceRow[] = [];
  for (let r = META_TABLE_ROW + 1; r < META_TABLE_ROW + 10_000; r++) {
    const id = cellText(m.getCell(r, 1));
    if (id === "") break;
    const get = (j: number) => m.getCell(r, j + 1).value;
    const kind = cellText(m.getCell(r, 2));
    if (kind !== "indsats" && kind !== "element") return null;
    rows.push({ id, kind, nr: cellText(m.getCell(r, 3)), ydelse: cellText(m.getCell(r, 4)), enhed: cellText(m.getCell(r, 5)), mængde: metaNumber(get(5)), min: metaNumber(get(6)), max: metaNumber(get(7)) });
  }
  const s: PriceSchedule = {
    udbud: kv.get("udbud")!,
    delkontrakt: kv.get("delkontrakt")!,
    nummer: Number(kv.get("nummer")),
    titel: kv.get("titel")!,
    prismodel: kv.get("prismodel") as Afregningsform,
    enhed: rows[0]?.enhed ?? "",
    rows,
    harKorridor: rows.some((r) => r.min !== null || r.max !== null),
    harMængder: rows.length > 0 && rows.every((r) => r.mængde !== null),
  };
  return { s, format: kv.get("format")!, digest: kv.get("digest")! };
}

/** Reads the bytes of a workbook, checks them and returns the bid. Never throws for bad input. */
export async function readPriceWorkbookData(data: Uint8Array, file: string, u?: Udbud, limits: Partial<ZipLimits> = {}): Promise<WorkbookResult> {
  const rep = new Report(file);
  try {
    return await read(data, rep, u, { ...ZIP_LIMITS, ...limits });
  } catch (e) {
    if (e instanceof ZipReadError) rep.file_("unreadable", `${e.message}.`);
    else rep.file_("unreadable", `Filen kunne ikke læses som regneark (${(e as Error)?.message ?? e}).`);
    return { errors: rep.errors, warnings: rep.warnings };
  }
}

/** Reads a workbook file (see readPriceWorkbookData). */
export async function readPriceWorkbook(filePath: string, u?: Udbud, limits: Partial<ZipLimits> = {}): Promise<WorkbookResult> {
  const abs = path.resolve(filePath);
  const display = displayPath(abs);
  const rep = new Report(display);
  const ext = path.extname(abs).toLowerCase();
  if (ext === ".xlsm" || ext === ".xltm" || ext === ".xlsb") {
    rep.file_("macro", `Filen er en projektmappe med makroer eller i binært format (${ext}). Gem tilbudslisten som almindelig Excel-projektmappe (.xlsx) uden makroer.`);
    return { errors: rep.errors, warnings: [] };
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    rep.file_("missing", `Filen '${display}' findes ikke. Tjek stavning og sti.`);
    return { errors: rep.errors, warnings: [] };
  }
  if (!st.isFile()) {
    rep.file_("not-a-file", `'${display}' er ikke en fil.`);
    return { errors: rep.errors, warnings: [] };
  }
  const lim = { ...ZIP_LIMITS, ...limits };
  if (st.size > lim.fileBytes) {
    rep.file_("too-large", `Filen er for stor til at være en tilbudsliste (${Math.round(st.size / 1024 / 1024)} MB; højst ${Math.round(lim.fileBytes / 1024 / 1024)} MB).`);
    return { errors: rep.errors, warnings: [] };
  }
  return readPriceWorkbookData(fs.readFileSync(abs), display, u, lim);
}

async function read(data: Uint8Array, rep: Report, u: Udbud | undefined, lim: ZipLimits): Promise<WorkbookResult> {
  const done = () => ({ errors: rep.errors, warnings: rep.warnings });
  // 1. The package: limits, macros, external links, every XML part well-formed without DOCTYPE.
  const zip = await SafeZip.open(data, lim, "XLSX");
  const names = zip.names();
  if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n) || /\.bin$/i.test(n) && /vba/i.test(n))) {
    rep.file_("macro", "Filen indeholder makroer (vbaProject.bin). Makroer er ikke tilladt i en tilbudsliste: gem den som almindelig Excel-projektmappe (.xlsx).");
    return done();
  }
  const ct = await zip.inflate("[Content_Types].xml");
  if (!ct) throw new ZipReadError("Filen er ikke en gyldig XLSX ([Content_Types].xml mangler)");
  // Every entry is inflated within the limits before exceljs sees the file (it unpacks everything,
  // without limits); XML parts are also parsed without DOCTYPE and within depth and size.
  for (const n of names) {
    const bytes = n === "[Content_Types].xml" ? ct : await zip.inflate(n);
    if (bytes && /\.(xml|rels|vml)$/i.test(n)) zip.checkXml(n, bytes);
  }
  // The main part's content type says whether it is a macro-enabled workbook (a Default for
  // .bin, which some writers always list, does not).
  const overrides = new TextDecoder().decode(ct).match(/<Override\b[^>]*>/g) ?? [];
  if (overrides.some((o) => /macroEnabled/i.test(o) && /PartName="\/?xl\/workbook\.xml"/i.test(o))) {
    rep.file_("macro", "Filen er en projektmappe med makroer. Gem tilbudslisten som almindelig Excel-projektmappe (.xlsx).");
    return done();
  }
  const external = names.filter((n) => /^xl\/externalLinks\//i.test(n) && /\.xml$/i.test(n));
  if (external.length) rep.warn("external-link", undefined, 1, 1, `Regnearket indeholder ${external.length === 1 ? "en henvisning" : `${external.length} henvisninger`} til andre filer (eksterne kæder). De er ignoreret: kun de indtastede tal læses.`);

  // 2. The workbook.
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(data.buffer, data.byteOffset, data.byteLength) as any);
  const meta = wb.getWorksheet(SHEET_META);
  if (!meta) {
    rep.file_("not-ours", `Filen er ikke en tilbudsliste fra udbud: det skjulte ark '${SHEET_META}' mangler. Brug regnearket, som ordregiver har udleveret, og slet ingen ark.`);
    return done();
  }
  const parsed = scheduleFromMeta(meta);
  if (!parsed || parsed.format !== FORMAT_ID) {
    rep.error("meta", SHEET_META, 1, 1, `Det skjulte ark '${SHEET_META}' er ændret eller beskadiget${parsed ? ` (formatet er '${parsed.format}', forventet '${FORMAT_ID}')` : ""}. Brug regnearket, som ordregiver har udleveret.`);
    return done();
  }
  if (scheduleDigest(parsed.s) !== parsed.digest) {
    rep.error("digest", SHEET_META, 2, META_KEYS.indexOf("digest") + 1, `Indholdet af det skjulte ark '${SHEET_META}' passer ikke med dets kontrolsum: arket er ændret. Brug regnearket, som ordregiver har udleveret.`);
    return done();
  }
  let schedule = parsed.s;
  if (u) {
    if (parsed.s.udbud !== u.id) {
      rep.error("other-spec", SHEET_META, 2, 2, `Tilbudslisten hører til udbuddet '${parsed.s.udbud}', ikke til '${u.id}'.`);
      return done();
    }
    const lot = u.delkontrakter.find((l) => l.id === parsed.s.delkontrakt);
    if (!lot) {
      rep.error("other-lot", SHEET_META, 2, 3, `Tilbudslisten hører til delkontrakten '${parsed.s.delkontrakt}', som ikke findes i udbuddet '${u.id}' (delkontrakter: ${u.delkontrakter.map((l) => `'${l.id}'`).join(", ")}).`);
      return done();
    }
    const expected = priceSchedule(u, lot);
    if (scheduleDigest(expected) !== parsed.digest) {
      rep.error("other-version", SHEET_META, 2, META_KEYS.indexOf("digest") + 1, `Tilbudslisten er lavet til en anden version af udbuddet '${u.id}' (delkontrakt '${lot.id}'): ydelser, mængder eller priskorridorer er ændret siden. Brug den seneste tilbudsliste fra ordregiver.`);
      return done();
    }
    schedule = expected;
  }
  const ws = wb.getWorksheet(SHEET_PRICES);
  if (!ws) {
    rep.file_("no-price-sheet", `Arket '${SHEET_PRICES}' mangler i regnearket. Brug regnearket, som ordregiver har udleveret, og slet eller omdøb ingen ark.`);
    return done();
  }
  return checkPrices(ws, schedule, rep, data);
}

function checkPrices(ws: ExcelJS.Worksheet, s: PriceSchedule, rep: Report, _data: Uint8Array): WorkbookResult {
  const c = columns(s);
  const sheet = SHEET_PRICES;
  const expectText = (col: number, row: number, want: string, what: string): boolean => {
    const cell = ws.getCell(row, col);
    const got = cellText(cell);
    if (formulaOf(cell) !== undefined || got !== want) {
      rep.error("changed", sheet, col, row, `${what} er ændret: der skal stå '${want}', men der står '${got}'${formulaOf(cell) !== undefined ? ` (formel =${formulaOf(cell)})` : ""}. Kun priscellerne og tilbudsgivers oplysninger må udfyldes.`);
      return false;
    }
    return true;
  };
  // Header.
  c.headers.forEach((h, i) => expectText(i + 1, HEADER_ROW, h, "Kolonneoverskriften"));
  // Rows added or removed: where is the total row now?
  const tr = totalRow(s);
  if (cellText(ws.getCell(tr, c.ydelse)) !== "Evalueringsteknisk pris i alt") {
    let found = -1;
    for (let r = FIRST_ROW; r <= ws.rowCount; r++) if (cellText(ws.getCell(r, c.ydelse)) === "Evalueringsteknisk pris i alt") found = r;
    if (found > 0) {
      const n = Math.abs(found - tr);
      rep.error("rows", sheet, c.ydelse, found, `Der er ${found > tr ? "indsat" : "slettet"} ${n === 1 ? "én række" : `${n} rækker`} i prislisten: 'Evalueringsteknisk pris i alt' står i række ${found}, men skal stå i række ${tr}. Rækker må ikke indsættes eller slettes.`);
    } else {
      rep.error("rows", sheet, c.ydelse, tr, `Rækken 'Evalueringsteknisk pris i alt' mangler (den skal stå i række ${tr}). Rækker må ikke indsættes eller slettes.`);
    }
    return { errors: rep.errors, warnings: rep.warnings };
  }
  const lines: WorkbookLine[] = [];
  let textPrices = false;
  s.rows.forEach((r, i) => {
    const row = FIRST_ROW + i;
    expectText(c.id, row, r.id, `Id'et i række ${row}`);
    expectText(c.ydelse, row, r.ydelse, `Ydelsen i række ${row}`);
    expectText(c.enhed, row, r.enhed, `Enheden i række ${row}`);
    if (c.korridor) expectText(c.korridor, row, corridorText(r.min, r.max, formatNumber), `Priskorridoren for ${r.id}`);
    const mc = ws.getCell(row, c.mængde);
    const mv = mc.value;
    if (r.mængde !== null && (typeof mv !== "number" || Math.abs(mv - r.mængde) > 1e-9 || formulaOf(mc) !== undefined)) {
      rep.error("quantity", sheet, c.mængde, row, `Evalueringsmængden for ${r.id} er ændret: den skal være ${formatNumber(r.mængde)}, men er '${cellText(mc)}'. Mængderne fastsættes af ordregiver.`);
    } else if (r.mængde === null) expectText(c.mængde, row, "", `Evalueringsmængden for ${r.id}`);
    // The price.
    const pc = ws.getCell(row, c.pris);
    const pris = readPrice(pc, r, rep, sheet, c.pris, row);
    const asText = typeof pc.value === "string";
    if (asText && pris !== null) textPrices = true;
    // Line formula and cached value.
    const bc = ws.getCell(row, c.beløb);
    let beløb: number | null = null;
    if (r.mængde !== null) {
      const f = formulaOf(bc);
      if (f === undefined || normFormula(f) !== normFormula(lineFormula(c, row))) {
        rep.error("formula", sheet, c.beløb, row, `Formlen for pris × mængde er ændret: der skal stå =${lineFormula(c, row)}, men der står ${f !== undefined ? `=${f}` : `'${cellText(bc)}'`}.`);
      }
      if (pris !== null) {
        beløb = pris * r.mængde;
        const cached = cachedResult(bc);
        if (cached !== null && Math.abs(cached - beløb) > RECOMPUTE_TOLERANCE && asText) {
          rep.warn("price-as-text", sheet, c.pris, row, `Prisen for ${r.id} er skrevet som tekst ('${cellText(pc)}'). Udbud læser den som ${formatNumber(pris)} kr., men regnearket regner med en anden værdi (${formatNumber(cached)} kr. som pris × mængde). Skriv prisen som et tal, så regnearkets sum passer.`);
        } else if (cached !== null && Math.abs(cached - beløb) > RECOMPUTE_TOLERANCE) {
          rep.warn("cached", sheet, c.beløb, row, `Regnearket viser ${formatNumber(cached)} kr. som pris × mængde for ${r.id}, men ${formatNumber(pris)} × ${formatNumber(r.mængde)} = ${formatNumber(beløb)} kr. Udbud regner selv efter og bruger ${formatNumber(beløb)} kr. (filen er måske redigeret uden for et regneark).`);
        }
      }
    } else expectText(c.beløb, row, "–", `Pris × mængde for ${r.id}`);
    if (pris !== null) lines.push({ kind: r.kind, id: r.id, nr: r.nr, pris, mængde: r.mængde, beløb });
  });
  // The total.
  let total: number | null = null;
  const tc = ws.getCell(tr, c.beløb);
  if (s.harMængder) {
    const f = formulaOf(tc);
    if (f === undefined || normFormula(f) !== normFormula(totalFormula(s, c))) {
      rep.error("formula", sheet, c.beløb, tr, `Formlen for 'Evalueringsteknisk pris i alt' er ændret: der skal stå =${totalFormula(s, c)}, men der står ${f !== undefined ? `=${f}` : `'${cellText(tc)}'`}.`);
    }
    if (lines.length === s.rows.length) {
      total = lines.reduce((sum, l) => sum + (l.beløb ?? 0), 0);
      const cached = cachedResult(tc);
      if (cached !== null && Math.abs(cached - total) > RECOMPUTE_TOLERANCE) {
        const why = textPrices ? "priser skrevet som tekst, se ovenfor" : "filen er måske redigeret uden for et regneark";
        rep.warn("cached", sheet, c.beløb, tr, `Regnearket viser ${formatNumber(cached)} kr. som evalueringsteknisk pris i alt, men summen af pris × mængde er ${formatNumber(total)} kr. Udbud bruger ${formatNumber(total)} kr. (${why}).`);
      }
    }
  }
  // The bidder block.
  expectText(BIDDER_LABEL_COL, bidderHeaderRow(s), "Tilbudsgivers oplysninger", "Overskriften over tilbudsgivers oplysninger");
  const bidder = {} as Record<BidderKey, string>;
  for (const f of BIDDER_FIELDS) {
    const row = bidderRow(s, f.key);
    expectText(BIDDER_LABEL_COL, row, f.label, `Feltet i række ${row}`);
    const cell = ws.getCell(row, BIDDER_VALUE_COL);
    let v = cellText(cell);
    if (formulaOf(cell) !== undefined) {
      rep.error("bidder-formula", sheet, BIDDER_VALUE_COL, row, `${f.label} skal skrives som tekst, ikke som en formel (=${formulaOf(cell)}).`);
      v = "";
    } else if (f.key === "dato" && typeof cell.value === "number") {
      // A date typed as a serial number (days since 1899-12-30).
      v = new Date(Date.UTC(1899, 11, 30) + cell.value * 86_400_000).toISOString().slice(0, 10);
    }
    bidder[f.key] = v;
    if (f.key === "navn" && v === "") rep.error("bidder-name", sheet, BIDDER_VALUE_COL, row, "Virksomhedens navn mangler i tilbudsgivers oplysninger.");
    if (f.key === "cvr") {
      const digits = v.replace(/[\s-]/g, "").replace(/^DK/i, "");
      if (v === "") rep.error("bidder-cvr", sheet, BIDDER_VALUE_COL, row, "CVR-nummeret mangler i tilbudsgivers oplysninger.");
      else if (!/^\d{8}$/.test(digits)) rep.error("bidder-cvr", sheet, BIDDER_VALUE_COL, row, `CVR-nummeret '${v}' er ikke gyldigt: et CVR-nummer har 8 cifre.`);
      else bidder.cvr = digits;
    }
    if ((f.key === "kontakt" || f.key === "dato") && v === "") rep.warn("bidder-missing", sheet, BIDDER_VALUE_COL, row, `${f.label} er ikke udfyldt.`);
  }
  if (rep.errors.length) return { errors: rep.errors, warnings: rep.warnings };
  return {
    bid: { file: rep.file, udbud: s.udbud, delkontrakt: s.delkontrakt, tilbudsgiver: bidder, linjer: lines, total },
    errors: [],
    warnings: rep.warnings,
  };
}

/** A price cell: a number ≥ 0 inside the corridor; text such as "3.200,50" is read as a number. */
function readPrice(cell: Cell, r: PriceRow, rep: Report, sheet: string, col: number, row: number): number | null {
  const v = cell.value as any;
  const where = `Prisen for ${r.id}`;
  let n: number | undefined;
  if (v === null || v === undefined || (typeof v === "string" && v.trim() === "")) {
    rep.error("price-empty", sheet, col, row, `${where} mangler. Alle priscellerne skal udfyldes.`);
    return null;
  }
  if (formulaOf(cell) !== undefined) {
    rep.error("price-formula", sheet, col, row, `${where} er en formel (=${formulaOf(cell)}). Skriv prisen som et tal, fx 3200 eller 3.200,50.`);
    return null;
  }
  if (typeof v === "object" && typeof v.hyperlink === "string") {
    rep.error("price-link", sheet, col, row, `${where} er et link (${v.hyperlink}). Skriv prisen som et tal, fx 3200 eller 3.200,50.`);
    return null;
  }
  if (typeof v === "number") n = v;
  else {
    const text = cellText(cell);
    n = parseDanishNumber(text);
    if (n === undefined) {
      rep.error("price-text", sheet, col, row, `${where} er ikke et tal: '${text}'. Skriv prisen i kr. ekskl. moms som et tal, fx 3200 eller 3.200,50.`);
      return null;
    }
  }
  if (!Number.isFinite(n) || n < 0) {
    rep.error("price-negative", sheet, col, row, `${where} er negativ (${formatNumber(n)} kr.). En pris skal være 0 eller mere.`);
    return null;
  }
  if ((r.min !== null && n < r.min) || (r.max !== null && n > r.max)) {
    rep.error("price-corridor", sheet, col, row, `${where} (${formatNumber(n)} kr.) ligger uden for priskorridoren ${corridorText(r.min, r.max, formatNumber)} kr. Et tilbud med en pris uden for korridoren er ukonditionsmæssigt.`);
    return null;
  }
  return n;
}
