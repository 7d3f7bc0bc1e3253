/**
 * Where things are in the tilbudsliste workbook: sheet names, rows and columns. The writer
 * (workbook.ts) and the reader (read/xlsx/) both use this file, so a cell the writer puts
 * somewhere is the cell the reader checks.
 */
import type { PriceSchedule } from "../../compute/price-schedule.js";

export const FORMAT_ID = "udbud-tilbudsliste/1";

export const SHEET_GUIDE = "Vejledning";
export const SHEET_PRICES = "Priser";
export const SHEET_META = "udbud-data";

/** Rows of the price sheet (1-based, as in a spreadsheet). */
export const TITLE_ROW = 1;
export const SUBTITLE_ROW = 2;
export const NOTE_ROW = 3;
export const HEADER_ROW = 5;
export const FIRST_ROW = 6;

/** The bidder block: one row per field, label in column B, value in column C. */
export const BIDDER_FIELDS = [
  { key: "navn", label: "Virksomhedens navn" },
  { key: "cvr", label: "CVR-nummer" },
  { key: "kontakt", label: "Kontaktperson (navn, telefon, e-mail)" },
  { key: "dato", label: "Dato" },
] as const;
export type BidderKey = (typeof BIDDER_FIELDS)[number]["key"];

export const BIDDER_LABEL_COL = 2;
export const BIDDER_VALUE_COL = 3;

export interface Columns {
  /** The offer's or element's id (T1, PSY). */
  id: number;
  ydelse: number;
  enhed: number;
  /** 0 when the schedule has no corridor (no column). */
  korridor: number;
  mængde: number;
  pris: number;
  beløb: number;
  last: number;
  headers: string[];
}

export function columns(s: PriceSchedule): Columns {
  const k = s.harKorridor ? 1 : 0;
  const headers = ["Id", "Ydelse", "Enhed", ...(k ? ["Priskorridor (kr.)"] : []), "Evalueringsmængde", "Tilbudt enhedspris (kr. ekskl. moms)", "Pris × mængde (kr.)"];
  return { id: 1, ydelse: 2, enhed: 3, korridor: k ? 4 : 0, mængde: 4 + k, pris: 5 + k, beløb: 6 + k, last: 6 + k, headers };
}

export function totalRow(s: PriceSchedule): number {
  return FIRST_ROW + s.rows.length;
}

/** The header row of the bidder block; its fields follow. */
export function bidderHeaderRow(s: PriceSchedule): number {
  return totalRow(s) + 2;
}

export function bidderRow(s: PriceSchedule, key: BidderKey): number {
  return bidderHeaderRow(s) + 1 + BIDDER_FIELDS.findIndex((f) => f.key === key);
}

/** 1 → "A", 27 → "AA". */
export function colLetter(n: number): string {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

export const addr = (col: number, row: number) => `${colLetter(col)}${row}`;

/** The formulas the workbook carries (without '='), as the writer writes them and the reader expects them. */
export function lineFormula(c: Columns, row: number): string {
  const p = addr(c.pris, row);
  return `IF(${p}="","",${p}*${addr(c.mængde, row)})`;
}

export function totalFormula(s: PriceSchedule, c: Columns): string {
  return `SUM(${addr(c.beløb, FIRST_ROW)}:${addr(c.beløb, totalRow(s) - 1)})`;
}

/** A defined name for a row's price cell: pris_T1, pris_element_PSY (letters, digits, _ only). */
export function priceName(kind: "indsats" | "element", id: string): string {
  return `pris_${kind === "element" ? "element_" : ""}${id.replace(/[^\p{L}\p{N}_]/gu, "_")}`;
}

/** Rows of the hidden sheet. */
export const META_KEYS = ["format", "udbud", "delkontrakt", "nummer", "titel", "prismodel", "digest"] as const;
export const META_TABLE_ROW = 9;
export const META_COLUMNS = ["id", "type", "nr", "ydelse", "enhed", "mængde", "min", "max", "celle"] as const;

/** Text of the corridor cell, the way the document shows it. */
export function corridorText(min: number | null, max: number | null, fmt: (n: number) => string): string {
  if (min !== null && max !== null) return `${fmt(min)} til ${fmt(max)}`;
  if (min !== null) return `mindst ${fmt(min)}`;
  if (max !== null) return `højst ${fmt(max)}`;
  return "–";
}
