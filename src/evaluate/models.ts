/**
 * Evaluation models (pointmodeller): pure functions that turn prices and quality scores into
 * points. No I/O, no spec reading; evaluate.ts applies them to a lot.
 *
 * Notation used in every formula below:
 *   S    = maximum points (the top of the spec's `pointskala`, e.g. 10)
 *   P    = the bid's evaluation price (evalueringsteknisk pris)
 *   Pmin = the lowest evaluation price among the conforming bids on the lot
 *   Q    = the bid's quality points (weighted average of its criterion scores, on the scale)
 */
import type { Pointskala, Prisevaluering, Prispointmodel, Underkriterium } from "../model/types.js";
import { formatNumber } from "../format.js";

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Linear model anchored on the lowest bid with a published spread X %:
 *   points = S − S · (P − Pmin) / (X/100 · Pmin), floored at 0 (and at most S).
 * The lowest bid gets S; a bid X % above the lowest (or more) gets 0.
 * Pmin = 0: a price of 0 gets S, any higher price 0 (it is infinitely far above the lowest).
 */
export function linearPoints(price: number, lowest: number, maxPoints: number, spreadPercent: number): number {
  if (!(spreadPercent > 0)) throw new RangeError(`Spændet skal være større end 0 %, ikke ${spreadPercent}.`);
  if (lowest <= 0) return price <= lowest ? maxPoints : 0;
  const raw = maxPoints - (maxPoints * (price - lowest)) / ((spreadPercent / 100) * lowest);
  return clamp(raw, 0, maxPoints);
}

/**
 * Proportional model: points = S · Pmin / P. The lowest bid gets S, a bid twice as expensive S/2.
 * Never negative; P ≤ Pmin gives S (a price below Pmin only occurs for an excluded bid).
 */
export function proportionalPoints(price: number, lowest: number, maxPoints: number): number {
  if (price <= lowest) return maxPoints;
  return clamp((maxPoints * lowest) / price, 0, maxPoints);
}

/**
 * Interpolation between two published anchor prices (independent of the other bids):
 *   points = S · (Phigh − P) / (Phigh − Plow), clamped to [0, S].
 * P ≤ Plow gives S, P ≥ Phigh gives 0.
 */
export function interpolationPoints(price: number, anchorLow: number, anchorHigh: number, maxPoints: number): number {
  if (!(anchorHigh > anchorLow)) throw new RangeError(`Øvre ankerpris (${anchorHigh}) skal være højere end nedre (${anchorLow}).`);
  return clamp((maxPoints * (anchorHigh - price)) / (anchorHigh - anchorLow), 0, maxPoints);
}

/**
 * Price per quality point: P / Q; lower is better. Q ≤ 0 gives +∞ (the bid ranks last).
 */
export function pricePerQualityPoint(price: number, qualityPoints: number): number {
  return qualityPoints > 0 ? price / qualityPoints : Infinity;
}

/**
 * Price conversion with a fixed amount per quality point: P − amount · Q; lower is better.
 */
export function priceConversionAmount(price: number, amountPerPoint: number, qualityPoints: number): number {
  return price - amountPerPoint * qualityPoints;
}

/**
 * Price conversion with a fixed percentage per quality point: P · (1 − pct/100 · Q); lower is better.
 */
export function priceConversionPercent(price: number, percentPerPoint: number, qualityPoints: number): number {
  return price * (1 - (percentPerPoint / 100) * qualityPoints);
}

/** One unit price of a bid: for an offer (indsats) or a building block (element). */
export interface PriceLine {
  indsats?: string;
  element?: string;
  pris: number;
}
/** One published volume (from `evalueringsteknisk_pris.mængder`). */
export interface VolumeLine {
  indsats?: string;
  element?: string;
  mængde: number;
}

/**
 * Evaluation price (evalueringsteknisk pris): Σ unit price × published volume.
 * A single price without a published volume is used as is (volume 1).
 * Throws when one of several prices has no volume (a validated spec always has them).
 */
export function evaluationPrice(prices: readonly PriceLine[], volumes: readonly VolumeLine[]): number {
  const vol = new Map<string, number>();
  for (const v of volumes) vol.set((v.indsats ?? v.element)!, v.mængde);
  if (prices.length === 1 && !vol.has((prices[0].indsats ?? prices[0].element)!)) return prices[0].pris;
  let sum = 0;
  for (const p of prices) {
    const id = (p.indsats ?? p.element)!;
    const m = vol.get(id);
    if (m === undefined) throw new RangeError(`Der er ingen offentliggjort mængde for '${id}' i den evalueringstekniske pris.`);
    sum += p.pris * m;
  }
  return sum;
}

/** Models where the points of one bid depend on the lowest bid (Pmin). */
export function dependsOnLowestBid(model: Prispointmodel): boolean {
  return model === "lineær" || model === "proportional";
}

/** Models that rank by a (converted) price: lower is better, no price points. */
export function lowestIsBest(model: Prispointmodel): boolean {
  return model === "pris-pr-kvalitetspoint" || model === "prisomregning-beløb" || model === "prisomregning-procent";
}

/** Price points for the point models (lineær, proportional, interpolation). */
export function pricePoints(pe: Prisevaluering, price: number, lowest: number, maxPoints: number): number {
  switch (pe.model) {
    case "lineær":
      return linearPoints(price, lowest, maxPoints, pe.spænd_procent ?? 100);
    case "proportional":
      return proportionalPoints(price, lowest, maxPoints);
    case "interpolation":
      return interpolationPoints(price, pe.ankerpris_lav ?? 0, pe.ankerpris_høj ?? 0, maxPoints);
    default:
      throw new RangeError(`Pointmodellen '${pe.model}' giver ikke pris-point.`);
  }
}

/** The value the conversion models rank by (lower is better). */
export function convertedPrice(pe: Prisevaluering, price: number, qualityPoints: number): number {
  switch (pe.model) {
    case "pris-pr-kvalitetspoint":
      return pricePerQualityPoint(price, qualityPoints);
    case "prisomregning-beløb":
      return priceConversionAmount(price, pe.beløb_pr_point ?? 0, qualityPoints);
    case "prisomregning-procent":
      return priceConversionPercent(price, pe.procent_pr_point ?? 0, qualityPoints);
    default:
      throw new RangeError(`Pointmodellen '${pe.model}' er ikke en prisomregningsmodel.`);
  }
}

/** The model's formula in Danish words, with its published parameters filled in. */
export function modelFormula(pe: Prisevaluering | undefined, maxPoints: number): string {
  const S = formatNumber(maxPoints);
  if (!pe) return "Ingen prisevaluering.";
  switch (pe.model) {
    case "lineær": {
      const x = pe.spænd_procent ?? 100;
      return `Lineær model: pris-point = ${S} − ${S} × (P − Pmin) / (${formatNumber(x / 100)} × Pmin), dog mindst 0. Laveste pris får ${S} point; en pris ${formatNumber(x)} % over laveste pris eller mere får 0 point.`;
    }
    case "proportional":
      return `Proportional model: pris-point = ${S} × Pmin / P. Laveste pris får ${S} point; en dobbelt så høj pris får det halve.`;
    case "interpolation":
      return `Interpolation mellem ankerpriserne: pris-point = ${S} × (${formatNumber(pe.ankerpris_høj ?? 0)} − P) / (${formatNumber(pe.ankerpris_høj ?? 0)} − ${formatNumber(pe.ankerpris_lav ?? 0)}), dog mellem 0 og ${S}.`;
    case "pris-pr-kvalitetspoint":
      return "Pris pr. kvalitetspoint: P / Q. Laveste værdi vinder.";
    case "prisomregning-beløb":
      return `Prisomregning med fast beløb: P − ${formatNumber(pe.beløb_pr_point ?? 0)} kr. × Q. Laveste omregnede pris vinder.`;
    case "prisomregning-procent":
      return `Prisomregning i procent: P × (1 − ${formatNumber(pe.procent_pr_point ?? 0)} % × Q). Laveste omregnede pris vinder.`;
  }
}

/** Danish name of a model, for tables and warnings. */
export const MODEL_NAMES: Record<Prispointmodel, string> = {
  lineær: "lineær",
  proportional: "proportional",
  interpolation: "interpolation mellem ankerpriser",
  "pris-pr-kvalitetspoint": "pris pr. kvalitetspoint",
  "prisomregning-beløb": "prisomregning med fast beløb pr. point",
  "prisomregning-procent": "prisomregning med fast procent pr. point",
};

/** A criterion in the flattened tree, with its effective weight (in % of the whole). */
export interface WeightedCriterion {
  id: string;
  titel: string;
  type: Underkriterium["type"];
  /** Own weight within its level (%). */
  vægt: number;
  /** Product of the weights down the tree, in % of the total. */
  effektivVægt: number;
  /** Price criteria are always leaves; a quality criterion is a leaf when it has no sub-criteria. */
  leaf: boolean;
  /** Id of the parent criterion, or undefined at the top level. */
  parent?: string;
  /** Ids of the leaves below (itself when it is a leaf). */
  leaves: string[];
  minimumspoint?: number;
  depth: number;
}

/**
 * Flattens the criteria tree (each level sums to 100) into criteria with effective weights:
 * effective weight = product of the weights (as fractions) down the tree × 100.
 * E.g. Kvalitet 80 % › Progression 30 % → 24 % of the total.
 */
export function effectiveWeights(tree: readonly Underkriterium[]): WeightedCriterion[] {
  const out: WeightedCriterion[] = [];
  const walk = (list: readonly Underkriterium[], parentWeight: number, parent: string | undefined, depth: number): string[] => {
    const leaves: string[] = [];
    for (const k of list) {
      const eff = (parentWeight * k.vægt) / 100; // 80 · 30 / 100 = 24 exactly (0,8 · 30 is not)
      const isPrice = k.type !== "kvalitet";
      const leaf = isPrice || !k.underkriterier?.length;
      const node: WeightedCriterion = {
        id: k.id, titel: k.titel, type: k.type, vægt: k.vægt, effektivVægt: eff, leaf, parent, leaves: [],
        minimumspoint: k.minimumspoint, depth,
      };
      out.push(node);
      node.leaves = leaf ? [k.id] : walk(k.underkriterier!, eff, k.id, depth + 1);
      leaves.push(...node.leaves);
    }
    return leaves;
  };
  walk(tree, 100, undefined, 0);
  return out;
}

/** One evaluator's score for one criterion. */
export interface Assessment {
  point: number;
  bedømmer?: string;
  begrundelse?: string;
}

export const CONSENSUS = "konsensus";

export function isConsensus(bedømmer: string | undefined): boolean {
  return bedømmer !== undefined && bedømmer.trim().toLowerCase() === CONSENSUS;
}

/**
 * The score of one criterion: the consensus score if one evaluator is `konsensus`, else the
 * average over the evaluators. NaN when there are no scores.
 */
export function criterionScore(assessments: readonly Assessment[]): { point: number; konsensus: boolean } {
  const c = assessments.find((a) => isConsensus(a.bedømmer));
  if (c) return { point: c.point, konsensus: true };
  if (!assessments.length) return { point: NaN, konsensus: false };
  return { point: assessments.reduce((s, a) => s + a.point, 0) / assessments.length, konsensus: false };
}

/** Weighted average of leaf scores (weights: effective weights), on the scale. NaN without weights. */
export function weightedAverage(items: readonly { weight: number; point: number }[]): number {
  const w = items.reduce((s, i) => s + i.weight, 0);
  return w > 0 ? items.reduce((s, i) => s + i.weight * i.point, 0) / w : NaN;
}

/** The top of the scale (S). Without a pointskala (price only), 10. */
export function maxPoints(scale: Pointskala | undefined): number {
  return scale?.max ?? 10;
}
