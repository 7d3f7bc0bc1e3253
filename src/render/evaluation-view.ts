/**
 * compute: the evaluation model as templates see it (evalueringsmodel, evalueringsark,
 * evalueringsnotat). Everything here is derived from the spec's `tildeling` (a lot's own, or the
 * udbud's): criteria with effective weights and numbering, the point scale, the price model's
 * formula, the published volumes per lot, and a worked example with three fictitious bids whose
 * numbers are computed with the scoring engine's own formulas (evaluate/models.ts).
 *
 * Values are plain (unescaped); view.ts escapes them with the rest of the view.
 */
import { formatNumber, formatPercent } from "../format.js";
import { offerLabel } from "../compute/labels.js";
import { supplierCount, type Delkontrakt, type Pointskala, type Prisevaluering, type Tildeling, type Udbud, type Underkriterium } from "../model/types.js";
import {
  convertedPrice,
  dependsOnLowestBid,
  effectiveWeights,
  evaluationPrice,
  lowestIsBest,
  maxPoints,
  pricePoints,
  weightedAverage,
} from "../evaluate/models.js";

/** The evaluation model that applies to a lot: the lot's own `tildeling`, else the udbud's. */
export function lotTildeling(u: Udbud, lot: Delkontrakt): Tildeling {
  return lot.tildeling ?? u.tildeling;
}

export const AWARD_CRITERION_NAMES: Record<Tildeling["kriterium"], string> = {
  pris: "pris",
  omkostninger: "omkostninger",
  "bedste-forhold-mellem-pris-og-kvalitet": "bedste forhold mellem pris og kvalitet",
};

export const PRICE_MODEL_NAMES: Record<Prisevaluering["model"], string> = {
  lineær: "lineær pointmodel",
  proportional: "proportional pointmodel",
  interpolation: "lineær interpolation mellem ankerpriser",
  "pris-pr-kvalitetspoint": "pris pr. kvalitetspoint",
  "prisomregning-beløb": "prisomregning med fast beløb pr. kvalitetspoint",
  "prisomregning-procent": "prisomregning med fast procentsats pr. kvalitetspoint",
};

/** A criterion in the flattened tree, numbered "1", "1.2", … in spec order. */
export interface CriterionRow {
  id: string;
  nummer: string;
  titel: string;
  type: Underkriterium["type"];
  /** 1 = underkriterium, 2 = delkriterium, … */
  niveau: number;
  /** Title of the criterion this one is under (null at the top level). */
  overordnet: string | null;
  /** Own weight within its level (%). */
  vægt: number;
  /** Effective weight in % of the total (product of the weights down the tree). */
  samlet_vægt: number;
  /** Quality leaves: effective weight in % of the quality criteria together (the weight in Q). */
  kvalitetsvægt: number | null;
  /** Scored directly (quality leaf or price criterion). */
  blad: boolean;
  beskrivelse: string | null;
  dokumentation: string | null;
  /** The evaluation aspects ("der lægges vægt på"), or null. */
  lægges_vægt_på: string[] | null;
  minimumspoint: number | null;
  antal_underkriterier: number;
}

export interface Anchor {
  point: number;
  betegnelse: string;
  beskrivelse: string | null;
}

export interface ScaleView {
  min: number;
  max: number;
  /** Anchors from the highest points down. */
  ankre: Anchor[];
}

export interface SymbolView {
  symbol: string;
  betydning: string;
}

export interface PriceModelView {
  model: Prisevaluering["model"];
  navn: string;
  /** S: the points the best price gets (top of the scale; 10 without one). */
  maks_point: number;
  /** Point models (lineær, proportional, interpolation) award price points that are weighted. */
  pointmodel: boolean;
  /** Conversion models rank by a (converted) price: lower is better. */
  lavest_bedst: boolean;
  /** The points of one bid depend on the lowest bid (lineær, proportional). */
  afhænger_af_laveste: boolean;
  spænd_procent: number | null;
  ankerpris_lav: number | null;
  ankerpris_høj: number | null;
  beløb_pr_point: number | null;
  procent_pr_point: number | null;
  /** The formula in symbols: "Point = S − S × (P − Pmin) / (X % × Pmin)". */
  formel: string;
  /** The same formula with the published parameters filled in. */
  formel_konkret: string;
  symboler: SymbolView[];
  /** Whether an evaluation price with published volumes is used (several unit prices). */
  evalueringsteknisk_pris: boolean;
  /** The spec's own description of the price evaluation, if any. */
  beskrivelse: string | null;
}

export interface VolumeRow {
  id: string;
  art: "indsats" | "element";
  /** "Indsats T1: Tværfagligt forløb" */
  ydelse: string;
  /** Published volume, or null when the lot has a single price evaluated as is. */
  mængde: number | null;
  /** The spec's price for the item (the reference price used in the worked example). */
  pris: number;
}

export interface LotEvaluationView {
  id: string;
  nummer: number;
  titel: string;
  antal_leverandører: number;
  /** True when the spec gives a ceiling ({ højst: N }): documents say "op til N". */
  antal_leverandører_højst: boolean;
  ydelser: VolumeRow[];
  har_mængder: boolean;
  /** Blank rows for the evaluation sheets: [1, 2, …]. */
  ark_rækker: number[];
  /** The mindstekrav that apply to this lot (a requirement without `delkontrakter` applies to all). */
  mindstekrav: { id: string; tekst: string }[];
}

export interface ExampleBidView {
  navn: string;
  /** Unit prices in the order of `ydelser`. */
  priser: number[];
  evalueringspris: number;
  /** Quality points per quality leaf, in the order of `kvalitetskriterier`. */
  point: number[];
  /** Q: weighted average of the quality points, on the scale. */
  kvalitetspoint: number;
  /** Q × quality weight / 100. */
  kvalitet_vægtet: number;
  /** Point models: price points and the computation written out; else null. */
  prispoint: number | null;
  prisberegning: string | null;
  pris_vægtet: number | null;
  /** Conversion models: the converted price and its computation; else null. */
  omregnet: number | null;
  omregning: string | null;
  /** The value that ranks the bids: total points, or the converted price. */
  samlet: number;
  placering: number;
}

export interface ExampleView {
  delkontrakt: { id: string; nummer: number; titel: string };
  /** The lot's priced items with their volumes; `priser` per fictitious bid. */
  ydelser: { ydelse: string; mængde: number | null; priser: number[] }[];
  /** Quality leaves with the fictitious points per bid. */
  kvalitet: { titel: string; kvalitetsvægt: number; samlet_vægt: number; point: number[] }[];
  bud: ExampleBidView[];
  laveste_pris: number;
  vinder: string;
  rangfølge: string[];
}

export interface EvaluationModelView {
  /** "udbud" for the udbud's model, else the id of the lot with its own model. */
  nøgle: string;
  /** Suffix for clause ids, so several models can share one document: "" or "-<lot id>". */
  suffiks: string;
  /** Heading level of the model's sections: 1, or 2 when the document has several models (each under its own heading). */
  overskriftsniveau: number;
  egen: boolean;
  kriterium: Tildeling["kriterium"];
  kriterium_tekst: string;
  delkontrakter: LotEvaluationView[];
  /** "udbudsområde 1, 2 og 3" */
  delkontrakter_tekst: string;
  kriterier: CriterionRow[];
  kvalitetskriterier: CriterionRow[];
  /** Criteria that are described in their own section (those with a description, documentation or sub-criteria). */
  beskrevne_kriterier: CriterionRow[];
  priskriterium: CriterionRow | null;
  har_kvalitet: boolean;
  har_pris: boolean;
  har_delkriterier: boolean;
  /** Effective weight of the quality criteria together (%), and of the price criterion. */
  kvalitetsvægt: number;
  prisvægt: number;
  skala: ScaleView | null;
  /** Criteria with a quality threshold (minimumspoint). */
  tærskler: CriterionRow[];
  mindstekrav: { id: string; tekst: string }[];
  pris: PriceModelView | null;
  eksempel: ExampleView | null;
}

function listText(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} og ${xs[xs.length - 1]}`;
}

/** Flattens the criteria tree: numbering, effective weights (as evaluate/models.ts computes them). */
export function criteriaRows(tree: readonly Underkriterium[]): CriterionRow[] {
  const weights = new Map(effectiveWeights(tree).map((w) => [w.id, w]));
  const rows: CriterionRow[] = [];
  const walk = (list: readonly Underkriterium[], prefix: string, level: number, parent: string | null) => {
    list.forEach((k, i) => {
      const w = weights.get(k.id)!;
      const nummer = prefix ? `${prefix}.${i + 1}` : String(i + 1);
      const subs = k.type === "kvalitet" ? (k.underkriterier ?? []) : [];
      rows.push({
        id: k.id,
        nummer,
        titel: k.titel,
        type: k.type,
        niveau: level,
        overordnet: parent,
        vægt: k.vægt,
        samlet_vægt: round(w.effektivVægt),
        kvalitetsvægt: null,
        blad: w.leaf,
        beskrivelse: k.beskrivelse ?? null,
        dokumentation: k.dokumentation ?? null,
        lægges_vægt_på: k.lægges_vægt_på ?? null,
        minimumspoint: k.minimumspoint ?? null,
        antal_underkriterier: subs.length,
      });
      walk(subs, nummer, level + 1, k.titel);
    });
  };
  walk(tree, "", 1, null);
  const qualityTotal = rows.filter((r) => r.blad && r.type === "kvalitet").reduce((s, r) => s + r.samlet_vægt, 0);
  for (const r of rows) if (r.blad && r.type === "kvalitet" && qualityTotal > 0) r.kvalitetsvægt = round((r.samlet_vægt / qualityTotal) * 100);
  return rows;
}

/** Removes floating-point noise (24.000000000000004 → 24). */
function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

function scaleView(s: Pointskala | undefined): ScaleView | null {
  if (!s) return null;
  const ankre = [...(s.ankre ?? [])].sort((a, b) => b.point - a.point).map((a) => ({ point: a.point, betegnelse: a.betegnelse, beskrivelse: a.beskrivelse ?? null }));
  return { min: s.min, max: s.max, ankre };
}

/** The formula of a price model, in symbols and with the published parameters. */
export function priceFormula(pe: Prisevaluering, S: number): { formel: string; formel_konkret: string; symboler: SymbolView[] } {
  const s = formatNumber(S);
  const P = { symbol: "P", betydning: "tilbuddets evalueringstekniske pris" };
  const Pmin = { symbol: "Pmin", betydning: "den laveste evalueringstekniske pris blandt de konditionsmæssige tilbud på udbudsområdet" };
  const Ssym = { symbol: "S", betydning: `det højeste antal point (${s})` };
  const Q = { symbol: "K", betydning: `tilbuddets vægtede kvalitetspoint på skalaen (højst ${s})` };
  switch (pe.model) {
    case "lineær": {
      const x = pe.spænd_procent ?? 100;
      return {
        formel: "Point = S − S × (P − Pmin) / (X % × Pmin)",
        formel_konkret: `Point = ${s} − ${s} × (P − Pmin) / (${formatPercent(x)} × Pmin)`,
        symboler: [Ssym, P, Pmin, { symbol: "X", betydning: `det fastsatte spænd (${formatPercent(x)}): en pris, der er X % højere end Pmin, eller derover, giver 0 point` }],
      };
    }
    case "proportional":
      return { formel: "Point = S × Pmin / P", formel_konkret: `Point = ${s} × Pmin / P`, symboler: [Ssym, P, Pmin] };
    case "interpolation": {
      const lo = formatNumber(pe.ankerpris_lav ?? 0);
      const hi = formatNumber(pe.ankerpris_høj ?? 0);
      return {
        formel: "Point = S × (Ph − P) / (Ph − Pl)",
        formel_konkret: `Point = ${s} × (${hi} − P) / (${hi} − ${lo})`,
        symboler: [
          Ssym,
          P,
          { symbol: "Pl", betydning: `den nedre ankerpris (${lo} kr.), som giver ${s} point` },
          { symbol: "Ph", betydning: `den øvre ankerpris (${hi} kr.), som giver 0 point` },
        ],
      };
    }
    case "pris-pr-kvalitetspoint":
      return { formel: "Pris pr. kvalitetspoint = P / K", formel_konkret: "Pris pr. kvalitetspoint = P / K", symboler: [P, Q] };
    case "prisomregning-beløb": {
      const b = formatNumber(pe.beløb_pr_point ?? 0);
      return {
        formel: "Kvalitetskorrigeret pris = P − B × K",
        formel_konkret: `Kvalitetskorrigeret pris = P − ${b} kr. × K`,
        symboler: [P, Q, { symbol: "B", betydning: `det fastsatte beløb pr. kvalitetspoint (${b} kr.)` }],
      };
    }
    case "prisomregning-procent": {
      const p = formatPercent(pe.procent_pr_point ?? 0);
      return {
        formel: "Kvalitetskorrigeret pris = P × (1 − R % × K)",
        formel_konkret: `Kvalitetskorrigeret pris = P × (1 − ${p} × K)`,
        symboler: [P, Q, { symbol: "R", betydning: `den fastsatte procentsats pr. kvalitetspoint (${p})` }],
      };
    }
  }
}

function priceModelView(t: Tildeling, lots: Delkontrakt[]): PriceModelView | null {
  const pe = t.prisevaluering;
  if (!pe) return null;
  const S = maxPoints(t.pointskala);
  return {
    model: pe.model,
    navn: PRICE_MODEL_NAMES[pe.model],
    maks_point: S,
    pointmodel: !lowestIsBest(pe.model),
    lavest_bedst: lowestIsBest(pe.model),
    afhænger_af_laveste: dependsOnLowestBid(pe.model),
    spænd_procent: pe.spænd_procent ?? null,
    ankerpris_lav: pe.ankerpris_lav ?? null,
    ankerpris_høj: pe.ankerpris_høj ?? null,
    beløb_pr_point: pe.beløb_pr_point ?? null,
    procent_pr_point: pe.procent_pr_point ?? null,
    ...priceFormula(pe, S),
    evalueringsteknisk_pris: Boolean(pe.evalueringsteknisk_pris) || lots.some((l) => l.prismodel.priser.length > 1),
    beskrivelse: pe.beskrivelse ?? null,
  };
}

/** The lot's priced items in the lot's order (offers by track, then elements) with their published volumes. */
export function lotVolumes(u: Udbud, lot: Delkontrakt): VolumeRow[] {
  const volumes = lotTildeling(u, lot).prisevaluering?.evalueringsteknisk_pris?.mængder ?? [];
  const offers = lot.indsatsspor.flatMap((s) => s.indsatser);
  const elements = lot.elementer ?? [];
  const inLot = (id: string) => offers.some((i) => i.id === id) || elements.some((e) => e.id === id);
  const volume = (id: string) => volumes.find((v) => (v.indsats ?? v.element) === id && (v.delkontrakt === lot.id || (v.delkontrakt === undefined && inLot(id))))?.mængde ?? null;
  const rows: VolumeRow[] = [];
  for (const i of offers) {
    const p = lot.prismodel.priser.find((x) => x.indsats === i.id);
    if (p) rows.push({ id: i.id, art: "indsats", ydelse: offerLabel(i.id, i.titel), mængde: volume(i.id), pris: p.beløb });
  }
  for (const e of elements) {
    const p = lot.prismodel.priser.find((x) => x.element === e.id);
    if (p) rows.push({ id: e.id, art: "element", ydelse: `Element ${e.nummer ?? e.id}: ${e.titel}`, mængde: volume(e.id), pris: p.beløb });
  }
  return rows;
}

function lotEvaluationView(u: Udbud, lot: Delkontrakt): LotEvaluationView {
  const ydelser = lotVolumes(u, lot);
  const krav = (lotTildeling(u, lot).mindstekrav ?? []).filter((m) => !m.delkontrakter || m.delkontrakter.includes(lot.id));
  const rows = Math.max(5, supplierCount(lot) + 2);
  return {
    id: lot.id,
    nummer: lot.nummer,
    titel: lot.titel,
    antal_leverandører: supplierCount(lot),
    antal_leverandører_højst: typeof lot.antal_leverandører === "object",
    ydelser,
    har_mængder: ydelser.some((y) => y.mængde !== null),
    ark_rækker: Array.from({ length: rows }, (_, i) => i + 1),
    mindstekrav: krav.map((m) => ({ id: m.id, tekst: m.tekst })),
  };
}

/** Fictitious bids of the worked example: price level relative to the spec's prices, and quality levels (share of the scale) cycled over the quality criteria. */
const EXAMPLE_BIDS = [
  { navn: "Tilbud A", prisniveau: 1.0, kvalitet: [0.6, 0.6, 0.8, 0.6] },
  { navn: "Tilbud B", prisniveau: 0.9, kvalitet: [0.4, 0.6, 0.4, 0.6] },
  { navn: "Tilbud C", prisniveau: 1.1, kvalitet: [0.8, 0.8, 0.6, 1.0] },
];

/** The whole point nearest to `share` of the scale (the scale allows whole points). */
function pointOnScale(scale: ScaleView, share: number): number {
  return Math.round(scale.min + share * (scale.max - scale.min));
}

const money = (n: number) => formatNumber(Math.round(n));

/**
 * The worked example: three fictitious bids on `lot`, priced around the spec's own prices and
 * scored on the spec's scale, evaluated with the spec's criteria, weights, volumes and price model
 * using the scoring engine's formulas. Computations are exact; the templates show two decimals.
 */
export function workedExample(u: Udbud, lot: Delkontrakt): ExampleView | null {
  const t = lotTildeling(u, lot);
  const pe = t.prisevaluering;
  const rows = criteriaRows(t.underkriterier);
  const quality = rows.filter((r) => r.blad && r.type === "kvalitet");
  const price = rows.find((r) => r.blad && r.type !== "kvalitet") ?? null;
  const items = lotVolumes(u, lot);
  if (!pe || !price || !items.length) return null;
  const scale = scaleView(t.pointskala) ?? { min: 0, max: maxPoints(t.pointskala), ankre: [] };
  const S = maxPoints(t.pointskala);
  const volumes = items.filter((i) => i.mængde !== null).map((i) => ({ [i.art]: i.id, mængde: i.mængde! }));

  // Thresholds (minimumspoint) on a criterion apply to its leaves in the example: every fictitious bid meets them.
  const floor = (leaf: CriterionRow) => {
    let f = scale.min;
    for (let n: string | undefined = leaf.nummer; n; n = n.includes(".") ? n.slice(0, n.lastIndexOf(".")) : undefined) {
      const r = rows.find((x) => x.nummer === n);
      if (r?.minimumspoint !== null && r?.minimumspoint !== undefined) f = Math.max(f, r.minimumspoint);
    }
    return f;
  };

  const raw = EXAMPLE_BIDS.map((b) => {
    const priser = items.map((it) => {
      const spec = lot.prismodel.priser.find((p) => (it.art === "indsats" ? p.indsats : p.element) === it.id)!;
      let x = Math.round(it.pris * b.prisniveau);
      if (spec.min !== undefined) x = Math.max(x, spec.min);
      if (spec.max !== undefined) x = Math.min(x, spec.max);
      return x;
    });
    let evalueringspris: number;
    try {
      evalueringspris = evaluationPrice(items.map((it, i) => ({ [it.art]: it.id, pris: priser[i] })), volumes);
    } catch {
      return null; // an item without a published volume: the spec does not validate, no example
    }
    const point = quality.map((q, i) => {
      const p = pointOnScale(scale, b.kvalitet[i % b.kvalitet.length]);
      const f = floor(q);
      return Math.max(p, Math.ceil(f));
    });
    const kvalitetspoint = quality.length ? weightedAverage(quality.map((q, i) => ({ weight: q.samlet_vægt, point: point[i] }))) : 0;
    return { navn: b.navn, priser, evalueringspris, point, kvalitetspoint };
  });
  if (raw.some((b) => b === null)) return null;
  const bids = raw as NonNullable<(typeof raw)[number]>[];

  const lowest = Math.min(...bids.map((b) => b.evalueringspris));
  const qualityWeight = quality.reduce((s, q) => s + q.samlet_vægt, 0);
  const priceWeight = rows.filter((r) => r.blad && r.type !== "kvalitet").reduce((s, r) => s + r.samlet_vægt, 0);
  const conversion = lowestIsBest(pe.model);
  const scored = bids.map((b) => {
    const kvalitet_vægtet = (b.kvalitetspoint * qualityWeight) / 100;
    if (conversion) {
      const omregnet = convertedPrice(pe, b.evalueringspris, b.kvalitetspoint);
      const P = money(b.evalueringspris);
      const K = formatNumber(b.kvalitetspoint);
      const omregning =
        pe.model === "pris-pr-kvalitetspoint"
          ? `${P} / ${K}`
          : pe.model === "prisomregning-beløb"
            ? `${P} − ${formatNumber(pe.beløb_pr_point ?? 0)} × ${K}`
            : `${P} × (1 − ${formatPercent(pe.procent_pr_point ?? 0)} × ${K})`;
      return { ...b, kvalitet_vægtet, prispoint: null, prisberegning: null, pris_vægtet: null, omregnet, omregning, samlet: omregnet };
    }
    const prispoint = pricePoints(pe, b.evalueringspris, lowest, S);
    const P = money(b.evalueringspris);
    const Pmin = money(lowest);
    const s = formatNumber(S);
    const prisberegning =
      pe.model === "lineær"
        ? `${s} − ${s} × (${P} − ${Pmin}) / (${formatPercent(pe.spænd_procent ?? 100)} × ${Pmin})`
        : pe.model === "proportional"
          ? `${s} × ${Pmin} / ${P}`
          : `${s} × (${money(pe.ankerpris_høj ?? 0)} − ${P}) / (${money(pe.ankerpris_høj ?? 0)} − ${money(pe.ankerpris_lav ?? 0)})`;
    const pris_vægtet = (prispoint * priceWeight) / 100;
    return { ...b, kvalitet_vægtet, prispoint, prisberegning, pris_vægtet, omregnet: null, omregning: null, samlet: kvalitet_vægtet + pris_vægtet };
  });
  const better = (a: number, b: number) => (conversion ? a < b - 1e-9 : a > b + 1e-9);
  const bud: ExampleBidView[] = scored.map((b) => ({ ...b, placering: 1 + scored.filter((o) => better(o.samlet, b.samlet)).length }));
  const rangfølge = [...bud].sort((a, b) => a.placering - b.placering || a.navn.localeCompare(b.navn, "da")).map((b) => b.navn);
  return {
    delkontrakt: { id: lot.id, nummer: lot.nummer, titel: lot.titel },
    ydelser: items.map((it, i) => ({ ydelse: it.ydelse, mængde: it.mængde, priser: bud.map((b) => b.priser[i]) })),
    kvalitet: quality.map((q, i) => ({ titel: q.titel, kvalitetsvægt: q.kvalitetsvægt ?? 0, samlet_vægt: q.samlet_vægt, point: bud.map((b) => b.point[i]) })),
    bud,
    laveste_pris: lowest,
    vinder: rangfølge[0],
    rangfølge,
  };
}

/** The evaluation model for a group of lots sharing one `tildeling`. */
function modelView(u: Udbud, t: Tildeling, lots: Delkontrakt[], own: Delkontrakt | null): EvaluationModelView {
  const kriterier = criteriaRows(t.underkriterier);
  const kvalitetskriterier = kriterier.filter((r) => r.blad && r.type === "kvalitet");
  const priskriterium = kriterier.find((r) => r.blad && r.type !== "kvalitet") ?? null;
  return {
    nøgle: own ? own.id : "udbud",
    suffiks: own ? `-${own.id}` : "",
    overskriftsniveau: 1,
    egen: Boolean(own),
    kriterium: t.kriterium,
    kriterium_tekst: AWARD_CRITERION_NAMES[t.kriterium],
    delkontrakter: lots.map((l) => lotEvaluationView(u, l)),
    delkontrakter_tekst: `${lots.length === 1 ? "udbudsområde" : "udbudsområderne"} ${listText(lots.map((l) => String(l.nummer)))}`,
    kriterier,
    kvalitetskriterier,
    beskrevne_kriterier: kriterier.filter((r) => r.beskrivelse || r.dokumentation || r.lægges_vægt_på || r.antal_underkriterier > 0),
    priskriterium,
    har_kvalitet: kvalitetskriterier.length > 0,
    har_pris: priskriterium !== null,
    har_delkriterier: kriterier.some((r) => r.niveau > 1),
    kvalitetsvægt: round(kvalitetskriterier.reduce((s, r) => s + r.samlet_vægt, 0)),
    prisvægt: round(kriterier.filter((r) => r.blad && r.type !== "kvalitet").reduce((s, r) => s + r.samlet_vægt, 0)),
    skala: scaleView(t.pointskala),
    tærskler: kriterier.filter((r) => r.minimumspoint !== null),
    mindstekrav: (t.mindstekrav ?? []).map((m) => ({ id: m.id, tekst: m.tekst })),
    pris: priceModelView(t, lots),
    eksempel: lots.length ? workedExample(u, lots[0]) : null,
  };
}

/**
 * The evaluation models of a tender: one for the lots that use the udbud's `tildeling` (if any),
 * then one per lot with its own. Lots in number order.
 */
export function evaluationModels(u: Udbud): EvaluationModelView[] {
  const lots = [...u.delkontrakter].sort((a, b) => a.nummer - b.nummer);
  const shared = lots.filter((l) => !l.tildeling);
  const models: EvaluationModelView[] = [];
  if (shared.length) models.push(modelView(u, u.tildeling, shared, null));
  for (const l of lots.filter((x) => x.tildeling)) models.push(modelView(u, l.tildeling!, [l], l));
  const out = models.filter((m) => m.delkontrakter.length);
  if (out.length > 1) for (const m of out) m.overskriftsniveau = 2;
  return out;
}

/** The view's `evaluering` value: all models, and for a per-lot document the lot's model and lot entry. */
export function evaluationView(models: EvaluationModelView[], lotId: string | null): {
  modeller: EvaluationModelView[];
  flere_modeller: boolean;
  model: EvaluationModelView | null;
  delkontrakt: LotEvaluationView | null;
} {
  const model = lotId ? (models.find((m) => m.delkontrakter.some((d) => d.id === lotId)) ?? null) : null;
  return {
    modeller: models,
    flere_modeller: models.length > 1,
    model,
    delkontrakt: model?.delkontrakter.find((d) => d.id === lotId) ?? null,
  };
}
