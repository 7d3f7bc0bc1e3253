/**
 * From simulated courses to the planners' answers (issue 5): per offer, per lot and in total, for
 * each pricing model, the annual cost distribution, unit costs, monthly payments, the risk split
 * between kommune and supplier and an administrative-burden proxy; break-even prices; the effect
 * of the price-reduction clause; the helårsperson occupancy effect; a tornado sensitivity.
 *
 * `simulate(input, valg)` is pure: the same input and seed give the same result, to the bit.
 */
import type { Afregningsform, Resultat } from "../model/types.js";
import {
  DAGE_PR_UGE, type Fordeling, type Kørsler, RESULTATER, UGER_PR_ÅR, efterspørgselsfaktorer, forventning, fordeling, middel, simulerYdelse, streamSeed, type Forventning,
} from "./engine.js";
import { simulerAlle } from "./parallel.js";
import { normalLocation } from "./rng.js";
import type { Forløbsantagelser, Modelpriser, Priskilde, SimuleretYdelse, SimuleringsInput, Simuleringsvalg, Varighedsfordeling } from "./model.js";

export const AFREGNINGSFORMER: readonly Afregningsform[] = ["timepris", "ugepris", "dagspris", "helårsperson", "resultatbaseret"];
export const MODELNAVNE: Record<Afregningsform, string> = {
  timepris: "Timepris", ugepris: "Ugepris", dagspris: "Dagspris", helårsperson: "Helårsperson", resultatbaseret: "Resultatbaseret",
};
export const ENHEDER: Record<Afregningsform, string> = {
  timepris: "time", ugepris: "uge", dagspris: "dag", helårsperson: "plads pr. år", resultatbaseret: "forløb",
};
/** Version of the JSON shape (docs/simulation.md). */
export const RESULTATVERSION = 1;

// ---------------------------------------------------------------------------------------------
// Result types (the JSON shape; see docs/simulation.md)

export interface Risiko {
  /** Standard deviation of the kommune's annual payment. */
  kommune_sd: number;
  /** P90 − mean of the payment: the overrun the budget should hold in one year of ten. */
  kommune_p90_over_middel: number;
  /** Standard deviation of the supplier's margin (payment − own cost). */
  leverandør_sd: number;
  /** Mean and P10 of the supplier's margin. */
  leverandør_margin_middel: number;
  leverandør_margin_p10: number;
  /** kommune_sd / (kommune_sd + leverandør_sd); null when neither varies. */
  kommune_andel: number | null;
}

export interface Administration {
  /** Expected registrations per year (orders, hours, days, starts/stops, results). */
  registreringer: number;
  /** Expected invoice lines per year. */
  fakturalinjer: number;
}

export interface Modelresultat {
  model: Afregningsform;
  /** Where the price comes from; "flere" for totals. */
  priskilde: Priskilde | "flere";
  /** Unit price (per hour/week/day/place/course); null for totals. */
  enhedspris: number | null;
  årlig: Fordeling;
  pr_henvisning: number | null;
  pr_forløb: number | null;
  pr_forløbsuge: number | null;
  pr_effektiv_time: number | null;
  pr_resultat: number | null;
  /** Expected payment per calendar month in a steady-state year, January first. */
  betalinger_pr_måned: number[];
  risiko: Risiko;
  administration: Administration;
}

export interface Mængder {
  henvisninger: number;
  forløb: number;
  aflyste: number;
  sene_aflysninger: number;
  forlængelser: number;
  afbrydelser: number;
  leverede_uger: number;
  påbegyndte_uger: number;
  påbegyndte_dage: number;
  bookede_timer: number;
  effektive_timer: number;
  resultater: number;
  resultater_pr_type: Record<Resultat, number>;
}

export interface Breakeven {
  /** The model the others are compared with: timepris when the offer has one, else the spec's model. */
  reference: Afregningsform;
  referencepris: number;
  referenceomkostning: number;
  priser: {
    model: Afregningsform;
    /** The price with the same expected annual cost as the reference. */
    breakeven: number;
    /** The offer's price under this model, if it has one. */
    aktuel: number | null;
    /** (aktuel − breakeven) / breakeven × 100; null without a price. */
    forskel_procent: number | null;
  }[];
}

export interface Belægningseffekt {
  pladser: number;
  pris: number;
  /** Simulated occupancy (delivered course weeks / (places × 52)), capped at 1. */
  belægning: Fordeling;
  /** Share of simulated years with more demand than places. */
  andel_år_over_kapacitet: number;
  /** Cost per course week and per course at given occupancies. */
  kurve: { belægning: number; pr_forløbsuge: number; pr_forløb: number }[];
  /** Ugepris to compare with: the offer's own, else the break-even ugepris. */
  sammenlign_ugepris: number | null;
}

export interface Tornadodriver {
  id: string;
  navn: string;
  lav: number;
  høj: number;
}

export interface Tornado {
  model: Afregningsform;
  basis: number;
  /** Sorted by swing |høj − lav|, largest first. */
  drivere: Tornadodriver[];
}

export interface Prisreduktionsrække {
  budgetændring_procent: number;
  udløst: boolean;
  reduktion_procent: number;
  /** Budget after the change (spec's model, or the first model priced). */
  budget: number;
  /** Courses within the budget at current prices, and with the clause used in full. */
  forløb_uden_klausul: number;
  forløb_med_klausul: number;
  /** Saving at the changed activity level when the clause is used in full. */
  besparelse: number;
}

export interface Prisreduktion {
  model: Afregningsform;
  budgetændring_grænse_procent: number;
  maks_reduktion_procent: number;
  rækker: Prisreduktionsrække[];
}

export interface Ydelsesresultat {
  delkontrakt: string;
  id: string;
  art: "indsats" | "element";
  titel: string;
  mængder: Mængder;
  modeller: Modelresultat[];
  breakeven: Breakeven;
  helårsperson: Belægningseffekt | null;
  tornado: Tornado[];
}

export interface Samlet {
  /** Models priced for every offer in scope. */
  modeller: Modelresultat[];
  /** Offers × models not priced (so left out of the totals). */
  uden_pris: { ydelse: string; model: Afregningsform }[];
  /** Models priced for some offers only (left out of the totals), with the offers that have a price ("lot/offer"). */
  delvist_prissat: { model: Afregningsform; ydelser: string[] }[];
  mængder: Pick<Mængder, "henvisninger" | "forløb" | "leverede_uger" | "effektive_timer" | "resultater">;
  prisreduktion: Prisreduktion | null;
  tornado: Tornado[];
}

export interface Delkontraktresultat {
  id: string;
  nummer: number;
  titel: string;
  afregningsform: Afregningsform;
  ydelser: Ydelsesresultat[];
  i_alt: Samlet;
}

export interface Simuleringsresultat {
  version: number;
  udbud: SimuleringsInput["udbud"];
  scenarie: SimuleringsInput["scenarie"];
  kørsler: number;
  frø: number;
  følsomhed_procent: number;
  /** Standard deviation of the common yearly demand factor, in percent (0 = none). */
  efterspørgselsusikkerhed_procent: number;
  delkontrakter: Delkontraktresultat[];
  i_alt: Samlet;
}

// ---------------------------------------------------------------------------------------------
// Costs

function senUgerHele(a: Forløbsantagelser): number {
  return Math.ceil(a.aflysning.sen_betaling_uger);
}
function senDage(a: Forløbsantagelser): number {
  return Math.ceil(a.aflysning.sen_betaling_uger * DAGE_PR_UGE);
}
function bonusPrResultat(p: Modelpriser): Float64Array {
  const b = new Float64Array(RESULTATER.length);
  for (const x of p.resultatbaseret?.bonusser ?? []) b[RESULTATER.indexOf(x.resultat)] = x.beløb;
  return b;
}

/** Annual payment per run under one model; undefined when the model has no price. */
export function omkostninger(model: Afregningsform, y: SimuleretYdelse, k: Kørsler): Float64Array | undefined {
  const p = y.priser, a = y.antagelser;
  const out = new Float64Array(k.runs);
  switch (model) {
    case "timepris": {
      if (p.timepris === undefined) return undefined;
      for (let r = 0; r < k.runs; r++) out[r] = (k.bookedeTimer[r]! + k.senTimer[r]!) * p.timepris;
      return out;
    }
    case "ugepris": {
      if (p.ugepris === undefined) return undefined;
      const s = senUgerHele(a);
      for (let r = 0; r < k.runs; r++) out[r] = (k.påbegyndteUger[r]! + k.sene[r]! * s) * p.ugepris;
      return out;
    }
    case "dagspris": {
      if (p.dagspris === undefined) return undefined;
      const s = senDage(a);
      for (let r = 0; r < k.runs; r++) out[r] = (k.påbegyndteDage[r]! + k.sene[r]! * s) * p.dagspris;
      return out;
    }
    case "helårsperson": {
      if (!p.helårsperson) return undefined;
      out.fill(p.helårsperson.pladser * p.helårsperson.pris);
      return out;
    }
    case "resultatbaseret": {
      const rb = p.resultatbaseret;
      if (!rb) return undefined;
      const grund = rb.pris * (rb.grundbetaling_procent / 100);
      const bonus = bonusPrResultat(p);
      for (let r = 0; r < k.runs; r++) {
        let c = k.forløb[r]! * grund;
        for (let j = 0; j < RESULTATER.length; j++) c += k.resultater[j]![r]! * bonus[j]!;
        out[r] = c;
      }
      return out;
    }
  }
}

/** Expected annual payment under one model from exact expectations; undefined without a price. */
export function forventetOmkostning(model: Afregningsform, y: SimuleretYdelse, f: Forventning = forventning(y.antagelser)): number | undefined {
  const p = y.priser, a = y.antagelser, H = f.henvisninger;
  switch (model) {
    case "timepris": return p.timepris === undefined ? undefined : H * (f.bookedeTimer + f.senTimer) * p.timepris;
    case "ugepris": return p.ugepris === undefined ? undefined : H * (f.påbegyndteUger + f.sene * senUgerHele(a)) * p.ugepris;
    case "dagspris": return p.dagspris === undefined ? undefined : H * (f.påbegyndteDage + f.sene * senDage(a)) * p.dagspris;
    case "helårsperson": return p.helårsperson ? p.helårsperson.pladser * p.helårsperson.pris : undefined;
    case "resultatbaseret": {
      const rb = p.resultatbaseret;
      if (!rb) return undefined;
      const bonus = bonusPrResultat(p);
      let c = H * f.forløb * rb.pris * (rb.grundbetaling_procent / 100);
      for (let j = 0; j < RESULTATER.length; j++) c += H * f.resultater[j]! * bonus[j]!;
      return c;
    }
  }
}

function enhedspris(model: Afregningsform, p: Modelpriser): number | null {
  switch (model) {
    case "timepris": return p.timepris ?? null;
    case "ugepris": return p.ugepris ?? null;
    case "dagspris": return p.dagspris ?? null;
    case "helårsperson": return p.helårsperson?.pris ?? null;
    case "resultatbaseret": return p.resultatbaseret?.pris ?? null;
  }
}

/** Expected payment per calendar month (steady state), folded from the cohort profile. */
function månedsbetalinger(model: Afregningsform, y: SimuleretYdelse, k: Kørsler): number[] {
  const p = y.priser, a = y.antagelser;
  const L = k.profilLængde;
  const kohorte = new Float64Array(L);
  const sum = (xs: Float64Array): number => xs.reduce((s, x) => s + x, 0);
  const uger = sum(k.leveredeUger);
  const sene = sum(k.sene);
  const senTimerPr = sene > 0 ? sum(k.senTimer) / sene : 0;
  switch (model) {
    case "timepris":
      for (let i = 0; i < L; i++) kohorte[i] = (k.profilTimer[i]! + k.profilSen[i]! * senTimerPr) * p.timepris!;
      break;
    case "ugepris": {
      const f = uger > 0 ? sum(k.påbegyndteUger) / uger : 0;
      for (let i = 0; i < L; i++) kohorte[i] = (k.profilUger[i]! * f + k.profilSen[i]! * senUgerHele(a)) * p.ugepris!;
      break;
    }
    case "dagspris": {
      const f = uger > 0 ? sum(k.påbegyndteDage) / uger : 0;
      for (let i = 0; i < L; i++) kohorte[i] = (k.profilUger[i]! * f + k.profilSen[i]! * senDage(a)) * p.dagspris!;
      break;
    }
    case "helårsperson": {
      const m = (p.helårsperson!.pladser * p.helårsperson!.pris) / 12;
      return Array.from({ length: 12 }, () => m);
    }
    case "resultatbaseret": {
      const rb = p.resultatbaseret!;
      const bonus = bonusPrResultat(p);
      for (let i = 0; i < L; i++) {
        let c = k.profilStart[i]! * rb.pris * (rb.grundbetaling_procent / 100);
        for (let j = 0; j < RESULTATER.length; j++) c += k.profilResultat[j]![i]! * bonus[j]!;
        kohorte[i] = c;
      }
      break;
    }
  }
  const kalender = new Array<number>(12).fill(0);
  for (let i = 0; i < L; i++) kalender[i % 12] += kohorte[i]! / k.runs;
  return kalender;
}

function administration(model: Afregningsform, k: Kørsler, fremmøde: number): Administration {
  const m = (xs: Float64Array): number => middel(xs);
  const forløb = m(k.forløb), aflyste = m(k.aflyste), sene = m(k.sene), fm = m(k.forløbsmåneder);
  const resultater = k.resultater.reduce((s, xs) => s + m(xs), 0);
  switch (model) {
    case "timepris": return { registreringer: forløb + aflyste + m(k.påbegyndteUger), fakturalinjer: fm + sene };
    case "ugepris": return { registreringer: 2 * forløb + aflyste + m(k.forlængelser) + m(k.afbrydelser), fakturalinjer: fm + sene };
    case "dagspris": return { registreringer: forløb + aflyste + m(k.påbegyndteDage) * fremmøde, fakturalinjer: fm + sene };
    case "helårsperson": return { registreringer: 2 * forløb + 12, fakturalinjer: 12 };
    case "resultatbaseret": return { registreringer: 2 * forløb + aflyste + m(k.afbrydelser) + resultater, fakturalinjer: forløb + resultater };
  }
}

function risiko(betaling: Float64Array, margin: Float64Array): Risiko {
  const b = fordeling(betaling), mg = fordeling(margin);
  const eps = 1e-9 * Math.max(1, Math.abs(b.middel));
  const kSd = b.sd < eps ? 0 : b.sd, lSd = mg.sd < eps ? 0 : mg.sd;
  return {
    kommune_sd: kSd,
    kommune_p90_over_middel: b.p90 - b.middel,
    leverandør_sd: lSd,
    leverandør_margin_middel: mg.middel,
    leverandør_margin_p10: mg.p10,
    kommune_andel: kSd + lSd > 0 ? kSd / (kSd + lSd) : null,
  };
}

function pr(x: number, n: number): number | null {
  return n > 0 ? x / n : null;
}

// ---------------------------------------------------------------------------------------------
// Sensitivity (tornado) from exact expectations

/** A normal duration as a fine discrete distribution (for the closed forms). */
function diskretiser(v: Varighedsfordeling): Varighedsfordeling {
  if (v.fordeling !== "normal") return v;
  if (v.sd === 0 || v.min === v.max) return { fordeling: "fast", uger: Math.min(v.max, Math.max(v.min, v.middel)) };
  const n = 400, w = (v.max - v.min) / n;
  const mu = normalLocation(v.middel, v.sd, v.min, v.max);
  const udfald: { uger: number; sandsynlighed: number }[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = v.min + (i + 0.5) * w;
    const d = Math.exp(-0.5 * ((x - mu) / v.sd) ** 2);
    udfald.push({ uger: x, sandsynlighed: d });
    total += d;
  }
  return { fordeling: "diskret", udfald: udfald.map((u) => ({ uger: u.uger, sandsynlighed: u.sandsynlighed / total })) };
}

function skalerVarighed(v: Varighedsfordeling, f: number): Varighedsfordeling {
  if (v.fordeling === "fast") return { fordeling: "fast", uger: v.uger * f };
  if (v.fordeling === "normal") return { ...v, middel: v.middel * f, sd: v.sd * f, min: v.min * f, max: v.max * f };
  return { fordeling: "diskret", udfald: v.udfald.map((u) => ({ uger: u.uger * f, sandsynlighed: u.sandsynlighed })) };
}

const klip = (p: number): number => Math.min(1, Math.max(0, p));

interface Driver { id: string; navn: string; anvend: (y: SimuleretYdelse, f: number) => SimuleretYdelse }

function medAntagelser(y: SimuleretYdelse, a: Partial<Forløbsantagelser>): SimuleretYdelse {
  return { ...y, antagelser: { ...y.antagelser, ...a } };
}

const DRIVERE: Driver[] = [
  { id: "henvisninger", navn: "Henvisninger pr. måned", anvend: (y, f) => medAntagelser(y, { henvisninger: { ...y.antagelser.henvisninger, pr_måned: y.antagelser.henvisninger.pr_måned * f } }) },
  { id: "varighed", navn: "Forløbenes varighed", anvend: (y, f) => medAntagelser(y, { varighed: skalerVarighed(y.antagelser.varighed, f), forlængelse: { ...y.antagelser.forlængelse, uger: y.antagelser.forlængelse.uger * f } }) },
  { id: "timer", navn: "Bookede timer pr. uge", anvend: (y, f) => {
    const t = y.antagelser.timer_pr_uge;
    return medAntagelser(y, { timer_pr_uge: t.fordeling === "fast" ? { fordeling: "fast", timer: t.timer * f } : { ...t, middel: t.middel * f, sd: t.sd * f, min: t.min * f, max: t.max * f } });
  } },
  { id: "afbrydelse", navn: "Andel afbrudte forløb", anvend: (y, f) => medAntagelser(y, { afbrydelse: { ...y.antagelser.afbrydelse, sandsynlighed: klip(y.antagelser.afbrydelse.sandsynlighed * f) } }) },
  { id: "forlængelse", navn: "Andel forlængede forløb", anvend: (y, f) => medAntagelser(y, { forlængelse: { ...y.antagelser.forlængelse, sandsynlighed: klip(y.antagelser.forlængelse.sandsynlighed * f) } }) },
  { id: "aflysning", navn: "Andel aflyste bestillinger", anvend: (y, f) => medAntagelser(y, { aflysning: { ...y.antagelser.aflysning, sandsynlighed: klip(y.antagelser.aflysning.sandsynlighed * f) } }) },
  { id: "resultater", navn: "Andel forløb med resultat", anvend: (y, f) => {
    const rs = y.antagelser.resultater;
    const s = rs.reduce((t, r) => t + r.sandsynlighed, 0);
    const g = s * f > 1 ? 1 / s : f;
    return medAntagelser(y, { resultater: rs.map((r) => ({ resultat: r.resultat, sandsynlighed: r.sandsynlighed * g })) });
  } },
  { id: "pris", navn: "Prisniveau", anvend: (y, f) => ({ ...y, priser: skalerPriser(y.priser, f) }) },
];

function skalerPriser(p: Modelpriser, f: number): Modelpriser {
  const out: Modelpriser = {};
  if (p.timepris !== undefined) out.timepris = p.timepris * f;
  if (p.ugepris !== undefined) out.ugepris = p.ugepris * f;
  if (p.dagspris !== undefined) out.dagspris = p.dagspris * f;
  if (p.helårsperson) out.helårsperson = { ...p.helårsperson, pris: p.helårsperson.pris * f };
  if (p.resultatbaseret) out.resultatbaseret = { ...p.resultatbaseret, pris: p.resultatbaseret.pris * f, bonusser: p.resultatbaseret.bonusser.map((b) => ({ ...b, beløb: b.beløb * f })) };
  return out;
}

/** Expected annual cost per model at base, and for each driver at (1 − f) and (1 + f). */
function tornadoTal(y: SimuleretYdelse, f: number): Map<Afregningsform, { basis: number; drivere: Tornadodriver[] }> {
  const base = { ...y, antagelser: { ...y.antagelser, varighed: diskretiser(y.antagelser.varighed) } };
  const out = new Map<Afregningsform, { basis: number; drivere: Tornadodriver[] }>();
  const fb = forventning(base.antagelser);
  for (const model of AFREGNINGSFORMER) {
    const b = forventetOmkostning(model, base, fb);
    if (b === undefined) continue;
    out.set(model, { basis: b, drivere: [] });
  }
  for (const d of DRIVERE) {
    const lo = d.anvend(base, 1 - f), hi = d.anvend(base, 1 + f);
    const flo = forventning(lo.antagelser), fhi = forventning(hi.antagelser);
    for (const [model, t] of out) {
      t.drivere.push({ id: d.id, navn: d.navn, lav: forventetOmkostning(model, lo, flo)!, høj: forventetOmkostning(model, hi, fhi)! });
    }
  }
  return out;
}

function sorterTornado(t: { model: Afregningsform; basis: number; drivere: Tornadodriver[] }): Tornado {
  const drivere = [...t.drivere].sort((a, b) => Math.abs(b.høj - b.lav) - Math.abs(a.høj - a.lav) || a.id.localeCompare(b.id));
  return { model: t.model, basis: t.basis, drivere };
}

// ---------------------------------------------------------------------------------------------
// Per offer

interface YdelsesKørsel {
  y: SimuleretYdelse;
  k: Kørsler;
  /** Per model: payments and supplier margins per run. */
  betaling: Map<Afregningsform, Float64Array>;
  margin: Map<Afregningsform, Float64Array>;
  tornado: Map<Afregningsform, { basis: number; drivere: Tornadodriver[] }>;
}

function mængder(k: Kørsler): Mængder {
  const m = middel;
  const prType = Object.fromEntries(RESULTATER.map((r, j) => [r, m(k.resultater[j]!)])) as Record<Resultat, number>;
  return {
    henvisninger: m(k.henvisninger), forløb: m(k.forløb), aflyste: m(k.aflyste), sene_aflysninger: m(k.sene),
    forlængelser: m(k.forlængelser), afbrydelser: m(k.afbrydelser), leverede_uger: m(k.leveredeUger),
    påbegyndte_uger: m(k.påbegyndteUger), påbegyndte_dage: m(k.påbegyndteDage), bookede_timer: m(k.bookedeTimer),
    effektive_timer: m(k.effektiveTimer), resultater: Object.values(prType).reduce((s, x) => s + x, 0), resultater_pr_type: prType,
  };
}

function modelresultat(model: Afregningsform, kilde: Priskilde | "flere", pris: number | null, betaling: Float64Array, margin: Float64Array,
  mg: Pick<Mængder, "henvisninger" | "forløb" | "leverede_uger" | "effektive_timer" | "resultater">, måned: number[], adm: Administration): Modelresultat {
  const årlig = fordeling(betaling);
  const c = årlig.middel;
  return {
    model, priskilde: kilde, enhedspris: pris, årlig,
    pr_henvisning: pr(c, mg.henvisninger), pr_forløb: pr(c, mg.forløb), pr_forløbsuge: pr(c, mg.leverede_uger),
    pr_effektiv_time: pr(c, mg.effektive_timer), pr_resultat: pr(c, mg.resultater),
    betalinger_pr_måned: måned, risiko: risiko(betaling, margin), administration: adm,
  };
}

/** Units per run that a model's price multiplies (for break-even prices). */
function enheder(model: "timepris" | "ugepris" | "dagspris", y: SimuleretYdelse, k: Kørsler): number {
  const m = middel, a = y.antagelser;
  if (model === "timepris") return m(k.bookedeTimer) + m(k.senTimer);
  if (model === "ugepris") return m(k.påbegyndteUger) + m(k.sene) * senUgerHele(a);
  return m(k.påbegyndteDage) + m(k.sene) * senDage(a);
}

function breakeven(yk: YdelsesKørsel, specModel: Afregningsform): Breakeven {
  const { y, k } = yk;
  const ref: Afregningsform = yk.betaling.has("timepris") ? "timepris" : yk.betaling.has(specModel) ? specModel : [...yk.betaling.keys()][0]!;
  const refCost = middel(yk.betaling.get(ref)!);
  const priser: Breakeven["priser"] = [];
  for (const model of AFREGNINGSFORMER) {
    if (model === ref) continue;
    let be: number | undefined;
    if (model === "timepris" || model === "ugepris" || model === "dagspris") {
      const u = enheder(model, y, k);
      if (u > 0) be = refCost / u;
    } else if (model === "helårsperson") {
      const pladser = y.priser.helårsperson?.pladser;
      if (pladser) be = refCost / pladser;
    }
    if (be === undefined) continue;
    const aktuel = enhedspris(model, y.priser);
    priser.push({ model, breakeven: be, aktuel, forskel_procent: aktuel === null ? null : ((aktuel - be) / be) * 100 });
  }
  return { reference: ref, referencepris: enhedspris(ref, y.priser)!, referenceomkostning: refCost, priser };
}

function belægning(yk: YdelsesKørsel, be: Breakeven): Belægningseffekt | null {
  const h = yk.y.priser.helårsperson;
  if (!h || h.pladser <= 0) return null;
  const k = yk.k;
  const kap = h.pladser * UGER_PR_ÅR;
  const bel = new Float64Array(k.runs);
  let over = 0;
  for (let r = 0; r < k.runs; r++) {
    const u = k.leveredeUger[r]! / kap;
    if (u > 1) over++;
    bel[r] = u > 1 ? 1 : u;
  }
  const ugerPrForløb = middel(k.forløb) > 0 ? middel(k.leveredeUger) / middel(k.forløb) : 0;
  const kurve = [0.5, 0.6, 0.7, 0.8, 0.9, 1].map((b) => {
    const prUge = h.pris / (UGER_PR_ÅR * b);
    return { belægning: b, pr_forløbsuge: prUge, pr_forløb: prUge * ugerPrForløb };
  });
  const uge = yk.y.priser.ugepris ?? be.priser.find((p) => p.model === "ugepris")?.breakeven ?? null;
  return { pladser: h.pladser, pris: h.pris, belægning: fordeling(bel), andel_år_over_kapacitet: over / k.runs, kurve, sammenlign_ugepris: uge };
}

// ---------------------------------------------------------------------------------------------
// Aggregation

function samlet(yks: YdelsesKørsel[], input: SimuleringsInput, runs: number, foretrukket: Afregningsform | undefined): Samlet {
  const modeller: Modelresultat[] = [];
  const uden_pris: Samlet["uden_pris"] = [];
  const delvist_prissat: Samlet["delvist_prissat"] = [];
  // Elements bought on top of an indsats are not citizens or courses of their own.
  const egne = yks.filter((x) => !x.y.tilkøb);
  const mg = {
    henvisninger: egne.reduce((s, x) => s + middel(x.k.henvisninger), 0),
    forløb: egne.reduce((s, x) => s + middel(x.k.forløb), 0),
    leverede_uger: yks.reduce((s, x) => s + middel(x.k.leveredeUger), 0),
    effektive_timer: yks.reduce((s, x) => s + middel(x.k.effektiveTimer), 0),
    resultater: yks.reduce((s, x) => s + x.k.resultater.reduce((t, xs) => t + middel(xs), 0), 0),
  };
  const tornado: Tornado[] = [];
  for (const model of AFREGNINGSFORMER) {
    const mangler = yks.filter((x) => !x.betaling.has(model));
    if (mangler.length === yks.length) continue;
    if (mangler.length) {
      for (const x of mangler) uden_pris.push({ ydelse: `${x.y.delkontrakt}/${x.y.id}`, model });
      delvist_prissat.push({ model, ydelser: yks.filter((x) => x.betaling.has(model)).map((x) => `${x.y.delkontrakt}/${x.y.id}`) });
      continue;
    }
    const b = new Float64Array(runs), m = new Float64Array(runs);
    const måned = new Array<number>(12).fill(0);
    let reg = 0, fak = 0;
    for (const x of yks) {
      const xb = x.betaling.get(model)!, xm = x.margin.get(model)!;
      for (let r = 0; r < runs; r++) { b[r]! += xb[r]!; m[r]! += xm[r]!; }
      const mb = månedsbetalinger(model, x.y, x.k);
      for (let i = 0; i < 12; i++) måned[i] += mb[i]!;
      const ad = administration(model, x.k, x.y.antagelser.fremmøde);
      reg += ad.registreringer; fak += ad.fakturalinjer;
    }
    const kilder = new Set(yks.map((x) => x.y.priskilder[model]));
    modeller.push(modelresultat(model, kilder.size === 1 ? [...kilder][0]! : "flere", null, b, m, mg, måned, { registreringer: reg, fakturalinjer: fak }));
    const t = { model, basis: 0, drivere: DRIVERE.map((d) => ({ id: d.id, navn: d.navn, lav: 0, høj: 0 })) };
    for (const x of yks) {
      const xt = x.tornado.get(model)!;
      t.basis += xt.basis;
      xt.drivere.forEach((d, i) => { t.drivere[i]!.lav += d.lav; t.drivere[i]!.høj += d.høj; });
    }
    tornado.push(sorterTornado(t));
  }
  const pm = modeller.find((m) => m.model === foretrukket) ?? modeller[0];
  let prisreduktion: Prisreduktion | null = null;
  if (pm && input.prisreduktion) {
    const grænse = input.prisreduktion.budgetændring_procent, maks = input.prisreduktion.maks_reduktion_procent;
    prisreduktion = {
      model: pm.model, budgetændring_grænse_procent: grænse, maks_reduktion_procent: maks,
      rækker: input.budgetændringer.map((b) => {
        const udløst = b < 0 && -b >= grænse;
        const red = udløst ? maks : 0;
        const faktor = 1 + b / 100;
        const budget = pm.årlig.middel * faktor;
        return {
          budgetændring_procent: b, udløst, reduktion_procent: red, budget,
          forløb_uden_klausul: mg.forløb * faktor,
          forløb_med_klausul: (mg.forløb * faktor) / (1 - red / 100),
          besparelse: budget * (red / 100),
        };
      }),
    };
  }
  return { modeller, uden_pris, delvist_prissat, mængder: mg, prisreduktion, tornado };
}

// ---------------------------------------------------------------------------------------------

/** Runs the whole simulation. Pure: same input and options give the same result. */
export function simulate(input: SimuleringsInput, valg: Simuleringsvalg, forud?: Kørsler[]): Simuleringsresultat {
  if (!(Number.isInteger(valg.runs) && valg.runs > 0)) throw new Error(`antal kørsler skal være et positivt heltal, ikke ${valg.runs}`);
  const runs = valg.runs;
  const f = input.følsomhed_procent / 100;
  // Progress is weighted by each offer's expected referrals.
  const vægte = input.delkontrakter.flatMap((d) => d.ydelser.map((y) => Math.max(1, 12 * y.antagelser.henvisninger.pr_måned)));
  const totalVægt = vægte.reduce((s, x) => s + x, 0);
  let færdig = 0, i = 0;
  const faktorer = forud ? undefined : efterspørgselsfaktorer(input.efterspørgselsusikkerhed, runs, valg.seed);
  const alle: YdelsesKørsel[] = [];
  const delkontrakter: Delkontraktresultat[] = input.delkontrakter.map((d) => {
    const yks: YdelsesKørsel[] = d.ydelser.map((y) => {
      const nr = i++;
      const w = vægte[nr]!;
      const k = forud?.[nr] ?? simulerYdelse(y.antagelser, runs, streamSeed(valg.seed, y.delkontrakt, y.id),
        valg.fremdrift ? (r) => valg.fremdrift!((færdig + (w * r) / runs) / totalVægt) : undefined, faktorer);
      if (k.runs !== runs) throw new Error("forudberegnede kørsler passer ikke til antallet af kørsler");
      færdig += w;
      const betaling = new Map<Afregningsform, Float64Array>(), margin = new Map<Afregningsform, Float64Array>();
      for (const model of AFREGNINGSFORMER) {
        const b = omkostninger(model, y, k);
        if (!b) continue;
        betaling.set(model, b);
        const m = new Float64Array(runs);
        const kp = y.antagelser.kostpris_pr_time;
        for (let r = 0; r < runs; r++) m[r] = b[r]! - k.bookedeTimer[r]! * kp;
        margin.set(model, m);
      }
      return { y, k, betaling, margin, tornado: tornadoTal(y, f) };
    });
    alle.push(...yks);
    const ydelser: Ydelsesresultat[] = yks.map((yk) => {
      const mg = mængder(yk.k);
      const modeller = [...yk.betaling.keys()].map((model) =>
        modelresultat(model, yk.y.priskilder[model] ?? "scenarie", enhedspris(model, yk.y.priser), yk.betaling.get(model)!, yk.margin.get(model)!, mg,
          månedsbetalinger(model, yk.y, yk.k), administration(model, yk.k, yk.y.antagelser.fremmøde)));
      const be = breakeven(yk, d.afregningsform);
      return {
        delkontrakt: yk.y.delkontrakt, id: yk.y.id, art: yk.y.art, titel: yk.y.titel, mængder: mg, modeller, breakeven: be,
        helårsperson: belægning(yk, be), tornado: [...yk.tornado].map(([model, t]) => sorterTornado({ model, ...t })),
      };
    });
    return { id: d.id, nummer: d.nummer, titel: d.titel, afregningsform: d.afregningsform, ydelser, i_alt: samlet(yks, input, runs, d.afregningsform) };
  });
  const fælles = input.delkontrakter.every((d) => d.afregningsform === input.delkontrakter[0]?.afregningsform) ? input.delkontrakter[0]?.afregningsform : undefined;
  if (!forud) valg.fremdrift?.(1);
  return {
    version: RESULTATVERSION, udbud: input.udbud, scenarie: input.scenarie, kørsler: runs, frø: valg.seed, følsomhed_procent: input.følsomhed_procent,
    efterspørgselsusikkerhed_procent: input.efterspørgselsusikkerhed * 100, delkontrakter, i_alt: samlet(alle, input, runs, fælles),
  };
}

/**
 * The same as `simulate`, with the offers simulated on several cores when the work is large
 * (parallel.ts). The result is identical to `simulate`'s.
 */
export async function simulateParallel(input: SimuleringsInput, valg: Simuleringsvalg & { tråde?: number }): Promise<Simuleringsresultat> {
  if (!(Number.isInteger(valg.runs) && valg.runs > 0)) throw new Error(`antal kørsler skal være et positivt heltal, ikke ${valg.runs}`);
  const forud = await simulerAlle(input, valg);
  return simulate(input, { runs: valg.runs, seed: valg.seed }, forud);
}
