/**
 * The line-by-line price comparison across bidders (prissammenligning): per lot and price line,
 * every bidder's unit price, the lowest marked, and unusually low prices flagged for the
 * procedure of udbudslovens § 169 (a price below LOW_PRICE_SHARE of the median of the other bids
 * on that line). A flag asks the kommune to request an explanation; it excludes no one.
 */
import { priceSchedule } from "../compute/price-schedule.js";
import { formatNumber } from "../format.js";
import type { Delkontrakt, Udbud } from "../model/types.js";
import type { Bid } from "./types.js";

/** A price below this share of the median of the other bids on the line is flagged. */
export const LOW_PRICE_SHARE = 0.7;

export interface ComparedPrice {
  tilbudsgiver: string;
  pris: number;
  /** The lowest price on the line (ties: all of them). */
  lavest: boolean;
  /** Median of the other bidders' prices on the line (null with no other bid). */
  medianAndre: number | null;
  /** Flagged as unusually low (§ 169). */
  lav: boolean;
}

export interface ComparedLine {
  nr: string;
  id: string;
  kind: "indsats" | "element";
  ydelse: string;
  enhed: string;
  mængde: number | null;
  priser: ComparedPrice[];
}

export interface LotComparison {
  delkontrakt: string;
  nummer: number;
  titel: string;
  tilbudsgivere: string[];
  linjer: ComparedLine[];
  /** Σ pris × mængde per bidder (same order as tilbudsgivere); null without volumes. */
  totaler: (number | null)[];
  /** The flagged prices, in line order. */
  lave: { tilbudsgiver: string; id: string; pris: number; median: number; andel: number }[];
}

export function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The comparison for every lot with at least one bid, in lot order. */
export function comparePrices(u: Udbud, bids: readonly Bid[]): LotComparison[] {
  return [...u.delkontrakter]
    .sort((a, b) => a.nummer - b.nummer)
    .filter((lot) => bids.some((b) => b.delkontrakt === lot.id))
    .map((lot) => compareLot(u, lot, bids.filter((b) => b.delkontrakt === lot.id)));
}

/** The comparison of one lot's bids (prices only are used). */
export function compareLot(u: Udbud, lot: Delkontrakt, lotBids: readonly Pick<Bid, "tilbudsgiver" | "priser">[]): LotComparison {
  const s = priceSchedule(u, lot);
  const names = lotBids.map((b) => b.tilbudsgiver);
  const priceOf = (b: Pick<Bid, "priser">, kind: string, id: string) => b.priser.find((p) => (kind === "indsats" ? p.indsats : p.element) === id)?.pris;
  const lave: LotComparison["lave"] = [];
  const linjer: ComparedLine[] = s.rows.map((r) => {
    const given = lotBids.map((b) => ({ tilbudsgiver: b.tilbudsgiver, pris: priceOf(b, r.kind, r.id) })).filter((x): x is { tilbudsgiver: string; pris: number } => typeof x.pris === "number" && Number.isFinite(x.pris));
    const lowest = Math.min(...given.map((g) => g.pris));
    const priser = given.map((g, i) => {
      const med = median(given.filter((_, j) => j !== i).map((o) => o.pris));
      const lav = med !== null && med > 0 && g.pris < LOW_PRICE_SHARE * med;
      if (lav) lave.push({ tilbudsgiver: g.tilbudsgiver, id: r.id, pris: g.pris, median: med!, andel: g.pris / med! });
      return { tilbudsgiver: g.tilbudsgiver, pris: g.pris, lavest: g.pris === lowest, medianAndre: med, lav };
    });
    return { nr: r.nr, id: r.id, kind: r.kind, ydelse: r.ydelse, enhed: r.enhed, mængde: r.mængde, priser };
  });
  const totaler = lotBids.map((b) => (s.harMængder ? s.rows.reduce((sum, r) => sum + (priceOf(b, r.kind, r.id) ?? NaN) * r.mængde!, 0) : null));
  return { delkontrakt: lot.id, nummer: lot.nummer, titel: s.titel, tilbudsgivere: names, linjer, totaler, lave };
}

function table(rows: string[][], right: boolean[]): string[] {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
  return rows.map((r) => r.map((c, i) => (right[i] ? c.padStart(w[i]) : c.padEnd(w[i]))).join("  ").trimEnd());
}

/** The comparison for the terminal: one table per lot, lowest price marked *, unusually low !. */
export function comparisonTerminal(list: readonly LotComparison[]): string {
  const out: string[] = [];
  for (const c of list) {
    if (c.tilbudsgivere.length < 2) continue;
    out.push("", `Prissammenligning, delkontrakt ${c.nummer} (${c.delkontrakt}): enhedspriser i kr. ekskl. moms`);
    const head = ["Id", ...c.tilbudsgivere];
    const rows = c.linjer.map((l) => [l.id, ...c.tilbudsgivere.map((n) => {
      const p = l.priser.find((x) => x.tilbudsgiver === n);
      return p ? `${formatNumber(p.pris)} ${p.lavest ? "*" : " "}${p.lav ? "!" : " "}` : "–";
    })]);
    const total = ["I alt", ...c.totaler.map((t) => (t === null ? "–" : `${formatNumber(Math.round(t))}   `))];
    out.push(...table([head, ...rows, total], head.map((_, i) => i >= 1)).map((l) => `  ${l}`));
    out.push("  * laveste pris på linjen");
    if (c.lave.length) {
      out.push(`  ! usædvanligt lav pris (under ${formatNumber(LOW_PRICE_SHARE * 100)} % af medianen af de andre tilbud på linjen): bed om en forklaring, jf. udbudslovens § 169. Det er ikke en udelukkelse.`);
      for (const f of c.lave) out.push(`    ${f.tilbudsgiver}, ${f.id}: ${formatNumber(f.pris)} kr. = ${formatNumber(Math.round(f.andel * 100))} % af medianen ${formatNumber(f.median)} kr.`);
    }
  }
  return out.length ? out.join("\n") + "\n" : "";
}
