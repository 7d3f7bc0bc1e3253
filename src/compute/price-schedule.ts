/**
 * compute: the rows of a lot's price schedule (tilbudsliste), computed once and used by the
 * tilbudsliste document (templates/tilbudsliste.md.hbs through the view), the workbook bidders
 * fill in (write/xlsx/) and the reader that checks a filled workbook (read/xlsx/). The document
 * and the workbook therefore have exactly the same rows.
 *
 * Rows: the lot's offers (indsatser, in the order of their indsatsspor) and then its elements,
 * each with the unit of the lot's pricing model, the price corridor (when the spec has one), and
 * the published evaluation volume. A lot with a single price and no published volume gets the
 * volume 1, as the evaluation does (evaluate/evaluate.ts).
 */
import { createHash } from "node:crypto";
import type { Afregningsform, Delkontrakt, Udbud } from "../model/types.js";

export interface PriceRow {
  /** Row number as the document shows it: "1", "2", … for offers, "E1", … for elements. */
  nr: string;
  kind: "indsats" | "element";
  /** The offer's or element's id (T1, 1A, PSY). */
  id: string;
  /** The offer's or element's title, on one line (the id has its own column). */
  ydelse: string;
  /** The unit the price is given per (uge, time, dag, plads, forløb). */
  enhed: string;
  /** Price corridor, kr. excl. moms; null when the spec sets no bound. */
  min: number | null;
  max: number | null;
  /** Published evaluation volume; null when the spec publishes none for this row. */
  mængde: number | null;
}

export interface PriceSchedule {
  /** The tender's id (udbud.id). */
  udbud: string;
  /** Lot id and number. */
  delkontrakt: string;
  nummer: number;
  titel: string;
  prismodel: Afregningsform;
  /** The unit of every row. */
  enhed: string;
  rows: PriceRow[];
  /** Whether any row has a corridor (the corridor column is shown only then). */
  harKorridor: boolean;
  /** Whether every row has a volume (then pris × mængde and the total are computed). */
  harMængder: boolean;
}

/** The unit a price is given per, by pricing model. */
export const UNIT: Record<Afregningsform, string> = {
  timepris: "time",
  ugepris: "uge",
  dagspris: "dag",
  helårsperson: "plads",
  resultatbaseret: "forløb",
};

const oneLine = (s: string) => s.replace(/\s*\n+\s*/g, " ").trim();

/** The price schedule of one lot. */
export function priceSchedule(u: Udbud, lot: Delkontrakt): PriceSchedule {
  const tildeling = lot.tildeling ?? u.tildeling;
  const priced = new Map(lot.prismodel.priser.map((p) => [`${p.indsats !== undefined ? "indsats" : "element"}:${p.indsats ?? p.element}`, p]));
  const ids = new Set(lot.prismodel.priser.map((p) => p.indsats ?? p.element));
  const volumes = (tildeling.prisevaluering?.evalueringsteknisk_pris?.mængder ?? []).filter(
    (v) => v.delkontrakt === lot.id || (v.delkontrakt === undefined && ids.has(v.indsats ?? v.element)),
  );
  const single = lot.prismodel.priser.length === 1;
  const volume = (kind: "indsats" | "element", id: string): number | null => {
    const v = volumes.find((x) => (kind === "indsats" ? x.indsats : x.element) === id) ?? volumes.find((x) => (x.indsats ?? x.element) === id);
    return v ? v.mængde : single && volumes.length === 0 ? 1 : null;
  };
  const enhed = UNIT[lot.prismodel.type];
  const rows: PriceRow[] = [];
  const row = (kind: "indsats" | "element", id: string, nr: string, ydelse: string) => {
    const p = priced.get(`${kind}:${id}`);
    rows.push({ nr, kind, id, ydelse: oneLine(ydelse), enhed, min: p?.min ?? null, max: p?.max ?? null, mængde: volume(kind, id) });
  };
  let n = 0;
  for (const spor of lot.indsatsspor) for (const i of spor.indsatser) row("indsats", i.id, String(++n), i.titel);
  (lot.elementer ?? []).forEach((e, k) => row("element", e.id, `E${k + 1}`, `Element ${e.nummer ?? e.id}: ${e.titel}`));
  // Prices for ids that are neither an offer nor an element of the lot (validation reports them):
  // kept so that every price the evaluation reads has a row.
  for (const p of lot.prismodel.priser) {
    const kind = p.indsats !== undefined ? "indsats" : "element";
    const id = (p.indsats ?? p.element)!;
    if (!rows.some((r) => r.kind === kind && r.id === id)) row(kind, id, kind === "indsats" ? String(++n) : `E${rows.filter((r) => r.kind === "element").length + 1}`, kind === "indsats" ? `Indsats ${id}` : `Element ${id}`);
  }
  return {
    udbud: u.id,
    delkontrakt: lot.id,
    nummer: lot.nummer,
    titel: oneLine(lot.titel),
    prismodel: lot.prismodel.type,
    enhed,
    rows,
    harKorridor: rows.some((r) => r.min !== null || r.max !== null),
    harMængder: rows.length > 0 && rows.every((r) => r.mængde !== null),
  };
}

/** The rows only the spec decides (everything the bidder may not change), as canonical JSON. */
export function lockedContent(s: PriceSchedule): string {
  return JSON.stringify({
    udbud: s.udbud,
    delkontrakt: s.delkontrakt,
    nummer: s.nummer,
    titel: s.titel,
    prismodel: s.prismodel,
    rows: s.rows.map((r) => [r.nr, r.kind, r.id, r.ydelse, r.enhed, r.min, r.max, r.mængde]),
  });
}

/** The digest of the locked content: sha256, hex. The workbook's hidden sheet carries it. */
export function scheduleDigest(s: PriceSchedule): string {
  return createHash("sha256").update(lockedContent(s)).digest("hex");
}
