/**
 * The price simulation engine: a seeded Monte Carlo over courses (forløb) that gives, per offer
 * and pricing model, the distribution of the annual cost, and closed forms for the expected cost.
 *
 * Assumptions (documented for planners):
 * - A year's courses are those referred in the year; each course's whole cost counts in that year.
 * - Timepris pays the BOOKED hours for the weeks delivered (not attended hours): cost =
 *   delivered weeks × booked hours per week × timepris. Attendance only affects effective hours.
 * - Ugepris pays started weeks, dagspris started weekdays (5 per week), both rounded up.
 * - An interrupted course stops at a time uniform over its planned duration; timepris pays the
 *   hours up to then, ugepris/dagspris the weeks/days started by then.
 * - Helårsperson: places × price per year, independent of occupancy and of the courses.
 * - Resultatbaseret: every course pays price × base share; results (mutually exclusive, with
 *   unconditional probabilities per course, also for interrupted courses) pay their bonus.
 * - All offers are simulated with the same random stream (common random numbers), so with equal
 *   assumptions they see the same courses and differences are due to the prices only.
 */
import type { Afregningsform } from "../model/types.js";
import type {
  Delkontraktpriser, Forløbsantagelser, Modelresultat, Scenarie, Simuleringsresultat, Simuleringsvalg, Tilbudspriser,
  Tilbudsresultat, Varighedsfordeling,
} from "./model.js";
import { Rng, cumulative } from "./rng.js";

export const AFREGNINGSFORMER: readonly Afregningsform[] = ["timepris", "ugepris", "dagspris", "helårsperson", "resultatbaseret"];
const DAGE_PR_UGE = 5;

/** Assumptions for one offer: the scenario with the offer's overrides. */
export function antagelserFor(scenarie: Scenarie, tilbudsgiver: string): Forløbsantagelser {
  const o = scenarie.tilbud?.[tilbudsgiver] ?? {};
  return {
    varighed: o.varighed ?? scenarie.varighed,
    afbrydelse_sandsynlighed: o.afbrydelse_sandsynlighed ?? scenarie.afbrydelse_sandsynlighed,
    timer_pr_uge: o.timer_pr_uge ?? scenarie.timer_pr_uge,
    fremmøde_andel: o.fremmøde_andel ?? scenarie.fremmøde_andel,
    resultater: o.resultater ?? scenarie.resultater,
  };
}

/** Raw per-run quantities for one offer (one entry per simulated year). */
interface Kørsler {
  forløb: Float64Array; bookedeTimer: Float64Array; effektiveTimer: Float64Array; leveredeUger: Float64Array;
  påbegyndteUger: Float64Array; påbegyndteDage: Float64Array; resultater: Float64Array; bonus: Float64Array;
}

/** Simulates `runs` years for one offer. The inner loop over courses allocates nothing. */
export function simulerTilbud(scenarie: Scenarie, tilbud: Tilbudspriser, valg: Simuleringsvalg): Kørsler {
  const a = antagelserFor(scenarie, tilbud.tilbudsgiver);
  const runs = valg.runs;
  const k: Kørsler = {
    forløb: new Float64Array(runs), bookedeTimer: new Float64Array(runs), effektiveTimer: new Float64Array(runs),
    leveredeUger: new Float64Array(runs), påbegyndteUger: new Float64Array(runs), påbegyndteDage: new Float64Array(runs),
    resultater: new Float64Array(runs), bonus: new Float64Array(runs),
  };
  const rng = new Rng(valg.seed);
  const mean = 12 * scenarie.henvisninger.pr_måned;
  const fast = scenarie.henvisninger.fordeling === "fast";
  const fastAntal = Math.round(mean);
  const v = a.varighed;
  const vType = v.type === "fast" ? 0 : v.type === "normal" ? 1 : 2;
  const fastUger = v.type === "fast" ? v.uger : 0;
  const nm = v.type === "normal" ? v : { middel: 0, sd: 0, min: 0, max: 0 };
  const vCum = cumulative(v.type === "diskret" ? v.udfald.map((u) => u.sandsynlighed) : []);
  const vUger = Float64Array.from(v.type === "diskret" ? v.udfald.map((u) => u.uger) : []);
  const vLast = vUger.length - 1;
  const pAfbryd = a.afbrydelse_sandsynlighed;
  const h = a.timer_pr_uge;
  const fremmøde = a.fremmøde_andel;
  const nRes = a.resultater.length;
  const rCum = cumulative(a.resultater.map((r) => r.sandsynlighed));
  const bonusPr = Float64Array.from(a.resultater.map((r) => tilbud.bonusser?.find((b) => b.resultat === r.resultat)?.beløb ?? 0));

  for (let r = 0; r < runs; r++) {
    const n = fast ? fastAntal : rng.poisson(mean);
    let booked = 0, eff = 0, uger = 0, pUger = 0, pDage = 0, res = 0, bonus = 0;
    for (let i = 0; i < n; i++) {
      let w: number;
      if (vType === 0) w = fastUger;
      else if (vType === 1) w = rng.truncatedNormal(nm.middel, nm.sd, nm.min, nm.max);
      else { const j = rng.categorical(vCum); w = vUger[j > vLast ? vLast : j]!; }
      if (pAfbryd > 0 && rng.uniform() < pAfbryd) w = w * rng.uniformOpen0();
      const t = w * h;
      booked += t;
      eff += t * fremmøde;
      uger += w;
      pUger += Math.ceil(w);
      pDage += Math.ceil(w * DAGE_PR_UGE);
      if (nRes > 0) {
        const j = rng.categorical(rCum);
        if (j < nRes) { res++; bonus += bonusPr[j]!; }
      }
    }
    k.forløb[r] = n; k.bookedeTimer[r] = booked; k.effektiveTimer[r] = eff; k.leveredeUger[r] = uger;
    k.påbegyndteUger[r] = pUger; k.påbegyndteDage[r] = pDage; k.resultater[r] = res; k.bonus[r] = bonus;
  }
  return k;
}

function grundandel(t: Tilbudspriser): number {
  return (t.grundbetaling_procent ?? 100) / 100;
}

/** Annual cost of one run under one model; undefined when the model cannot be priced. */
function årsomkostning(model: Afregningsform, pris: number, t: Tilbudspriser, s: Scenarie, k: Kørsler, r: number): number | undefined {
  switch (model) {
    case "timepris": return k.bookedeTimer[r]! * pris;
    case "ugepris": return k.påbegyndteUger[r]! * pris;
    case "dagspris": return k.påbegyndteDage[r]! * pris;
    case "helårsperson": return s.helårsperson ? s.helårsperson.pladser * pris : undefined;
    case "resultatbaseret": return k.forløb[r]! * pris * grundandel(t) + k.bonus[r]!;
  }
}

/** Type-7 (linear interpolation) quantile of a sorted array. */
export function kvantil(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function middel(xs: Float64Array): number {
  let s = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < xs.length; i++) { const x = xs[i]!; s += x; if (x < min) min = x; if (x > max) max = x; }
  const m = s / xs.length;
  // The mean lies in [min, max]; clamping removes rounding drift (identical runs give that value exactly).
  return m < min ? min : m > max ? max : m;
}

/** Simulates every offer on a lot under every pricing model it has a price for. */
export function simulate(lot: Delkontraktpriser, scenarie: Scenarie, valg: Simuleringsvalg): Simuleringsresultat {
  if (!(Number.isInteger(valg.runs) && valg.runs > 0)) throw new Error(`runs skal være et positivt heltal, ikke ${valg.runs}`);
  const tilbud: Tilbudsresultat[] = lot.tilbud.map((t) => {
    const k = simulerTilbud(scenarie, t, valg);
    const forløb = middel(k.forløb), eff = middel(k.effektiveTimer), res = middel(k.resultater);
    const modeller: Modelresultat[] = [];
    for (const model of AFREGNINGSFORMER) {
      const pris = t.priser[model];
      if (pris === undefined) continue;
      const costs = new Float64Array(valg.runs);
      let ok = true;
      for (let r = 0; r < valg.runs; r++) {
        const c = årsomkostning(model, pris, t, scenarie, k, r);
        if (c === undefined) { ok = false; break; }
        costs[r] = c;
      }
      if (!ok) continue;
      const m = middel(costs);
      let ss = 0;
      for (let r = 0; r < costs.length; r++) ss += (costs[r]! - m) ** 2;
      const sorted = costs.slice().sort();
      modeller.push({
        model,
        årlig: { middel: m, p10: kvantil(sorted, 0.1), p50: kvantil(sorted, 0.5), p90: kvantil(sorted, 0.9), sd: costs.length > 1 ? Math.sqrt(ss / (costs.length - 1)) : 0 },
        pr_forløb: m / forløb,
        pr_effektiv_time: m / eff,
        pr_resultat: m / res,
      });
    }
    const out: Tilbudsresultat = {
      tilbudsgiver: t.tilbudsgiver, modeller,
      mængder: { forløb, påbegyndte_uger: middel(k.påbegyndteUger), effektive_timer: eff, resultater: res },
    };
    if (scenarie.helårsperson && scenarie.helårsperson.pladser > 0) out.udnyttelse = middel(k.leveredeUger) / (scenarie.helårsperson.pladser * 52);
    return out;
  });
  return { delkontrakt: lot.delkontrakt, ...(lot.indsats ? { indsats: lot.indsats } : {}), runs: valg.runs, seed: valg.seed, tilbud };
}

/** E[ceil(U·c)] for U uniform on (0, 1] and c > 0. */
function forventetOprundet(c: number): number {
  if (c <= 0) return 0;
  const m = Math.ceil(c);
  let e = 0;
  for (let j = 1; j <= m; j++) e += j * (Math.min(j, c) - (j - 1));
  return e / c;
}

/** Expected delivered weeks, started weeks and started days per course; only "fast" and "diskret" durations. */
export function forventetForløb(a: Pick<Forløbsantagelser, "varighed" | "afbrydelse_sandsynlighed">): { uger: number; påbegyndte_uger: number; påbegyndte_dage: number } {
  const v: Varighedsfordeling = a.varighed;
  if (v.type === "normal") throw new Error("den lukkede formel kræver en fast eller diskret varighed, ikke en normalfordelt");
  const udfald = v.type === "fast" ? [{ uger: v.uger, sandsynlighed: 1 }] : v.udfald;
  const p = a.afbrydelse_sandsynlighed;
  let uger = 0, pUger = 0, pDage = 0;
  for (const u of udfald) {
    const w = u.uger;
    if (p === 0) {
      uger += u.sandsynlighed * w; pUger += u.sandsynlighed * Math.ceil(w); pDage += u.sandsynlighed * Math.ceil(w * DAGE_PR_UGE);
    } else {
      uger += u.sandsynlighed * ((1 - p) * w + (p * w) / 2);
      pUger += u.sandsynlighed * ((1 - p) * Math.ceil(w) + p * forventetOprundet(w));
      pDage += u.sandsynlighed * ((1 - p) * Math.ceil(w * DAGE_PR_UGE) + p * forventetOprundet(w * DAGE_PR_UGE));
    }
  }
  return { uger, påbegyndte_uger: pUger, påbegyndte_dage: pDage };
}

/**
 * Expected annual cost per pricing model for one offer, exactly (no simulation). For fixed
 * inputs (fast count, fixed duration, no interruption, result probabilities 0 or 1) it equals
 * every simulated year. Models without a price (or helårsperson without places) are left out.
 */
export function closedForm(tilbud: Tilbudspriser, scenarie: Scenarie): Partial<Record<Afregningsform, number>> {
  const a = antagelserFor(scenarie, tilbud.tilbudsgiver);
  const mean = 12 * scenarie.henvisninger.pr_måned;
  const forløb = scenarie.henvisninger.fordeling === "fast" ? Math.round(mean) : mean;
  const f = forventetForløb(a);
  const out: Partial<Record<Afregningsform, number>> = {};
  const p = tilbud.priser;
  if (p.timepris !== undefined) out.timepris = forløb * f.uger * a.timer_pr_uge * p.timepris;
  if (p.ugepris !== undefined) out.ugepris = forløb * f.påbegyndte_uger * p.ugepris;
  if (p.dagspris !== undefined) out.dagspris = forløb * f.påbegyndte_dage * p.dagspris;
  if (p.helårsperson !== undefined && scenarie.helårsperson) out.helårsperson = scenarie.helårsperson.pladser * p.helårsperson;
  if (p.resultatbaseret !== undefined) {
    let c = forløb * p.resultatbaseret * grundandel(tilbud);
    for (const r of a.resultater) {
      const b = tilbud.bonusser?.find((x) => x.resultat === r.resultat)?.beløb ?? 0;
      c += r.sandsynlighed * b * forløb;
    }
    out.resultatbaseret = c;
  }
  return out;
}

/**
 * The ugepris with the same expected cost as `timepris` at `timerPrUge` booked hours per week:
 * timepris × hours × E[delivered weeks] / E[started weeks]. Without assumptions about the
 * duration (or with whole-week courses and no interruption) this is simply timepris × hours.
 */
export function breakEvenUgepris(timepris: number, timerPrUge: number, forløb?: Pick<Forløbsantagelser, "varighed" | "afbrydelse_sandsynlighed">): number {
  if (!forløb) return timepris * timerPrUge;
  const f = forventetForløb(forløb);
  return (timepris * timerPrUge * f.uger) / f.påbegyndte_uger;
}
