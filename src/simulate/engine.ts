/**
 * The price simulation engine: a seeded Monte Carlo over courses (forløb) for one offer, giving
 * per simulated year the quantities every pricing model is paid by, and closed forms for their
 * expectations. analysis.ts turns these into costs, risks and the planners' answers.
 *
 * Assumptions (documented for planners in docs/simulation.md):
 * - A year's courses are those referred in the year; each course's whole cost counts in that year
 *   (cohort view). Monthly payments are spread over the months the course runs and then folded
 *   onto the calendar year, which is the steady-state budget year.
 * - A referral is cancelled before start with probability `aflysning.sandsynlighed`; a share
 *   `sen_andel` of cancellations come after the free deadline and pay `sen_betaling_uger` weeks.
 * - Duration: drawn from the distribution, then extended (`forlængelse`), then, if interrupted,
 *   cut to a share of the planned duration (uniform, or the discrete `andel` distribution).
 * - Timepris pays booked hours for the weeks delivered: weeks × booked hours per week × price.
 *   Attendance (`fremmøde`) only affects the effective activity hours.
 * - Ugepris pays started weeks, dagspris started weekdays (5 per week), both rounded up.
 * - Outcomes are drawn for every started course (interrupted ones too), mutually exclusive.
 * - Each offer has its own random stream, derived from the seed, the lot id and the offer id, so
 *   adding an offer does not change the others' results; all pricing models of an offer are
 *   computed from the same simulated courses (common random numbers).
 */
import type { Forløbsantagelser } from "./model.js";
import { Rng, cumulative, tableMean, truncatedNormalTable } from "./rng.js";

export const DAGE_PR_UGE = 5;
export const UGER_PR_ÅR = 52;
const UGER_PR_MÅNED = UGER_PR_ÅR / 12;
/** The fixed order of outcomes (without "ingen"). */
export const RESULTATER = ["ordinære-timer", "job", "uddannelse", "fleksjob", "afklaring"] as const;

/** Per simulated year (run) quantities of one offer, plus monthly profiles summed over runs. */
export interface Kørsler {
  runs: number;
  /** Referrals (orders) per run, cancelled ones included. */
  henvisninger: Float64Array;
  /** Started courses per run. */
  forløb: Float64Array;
  aflyste: Float64Array;
  /** Late (paid) cancellations. */
  sene: Float64Array;
  /** Booked hours of late cancellations (sen_betaling_uger × that course's hours). */
  senTimer: Float64Array;
  bookedeTimer: Float64Array;
  effektiveTimer: Float64Array;
  leveredeUger: Float64Array;
  påbegyndteUger: Float64Array;
  påbegyndteDage: Float64Array;
  forlængelser: Float64Array;
  afbrydelser: Float64Array;
  /** (course, month) pairs with delivery: invoice lines under monthly invoicing. */
  forløbsmåneder: Float64Array;
  /** Results of each kind per run; index as RESULTATER. */
  resultater: Float64Array[];
  /** Length of the monthly profiles (cohort months from the first referral month). */
  profilLængde: number;
  /** Summed over runs, per cohort month: delivered weeks, booked hours, starts, late cancellations. */
  profilUger: Float64Array;
  profilTimer: Float64Array;
  profilStart: Float64Array;
  profilSen: Float64Array;
  /** Results ending per cohort month, per kind (index as RESULTATER), summed over runs. */
  profilResultat: Float64Array[];
}

/** FNV-1a hash of a string (a stable stream id per offer). */
export function streamSeed(seed: number, ...parts: string[]): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  h = Math.imul(h, 0x01000193);
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) { h ^= p.charCodeAt(i); h = Math.imul(h, 0x01000193); }
    h ^= 0x1f; h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The common yearly demand factors for `runs` simulated years: lognormal with mean 1 and standard
 * deviation `sd`, multiplied onto every offer's referrals in that year (the same factor for every
 * offer, from a stream of its own). Undefined when `sd` is 0.
 */
export function efterspørgselsfaktorer(sd: number, runs: number, seed: number): Float64Array | undefined {
  if (!(sd > 0)) return undefined;
  const s2 = Math.log(1 + sd * sd), s = Math.sqrt(s2);
  const rng = new Rng(streamSeed(seed, "efterspørgsel"));
  const f = new Float64Array(runs);
  for (let r = 0; r < runs; r++) f[r] = Math.exp(s * rng.standardNormal() - s2 / 2);
  return f;
}

/** The longest possible course in weeks (for the profile length). */
export function maksUger(a: Forløbsantagelser): number {
  const v = a.varighed;
  const base = v.fordeling === "fast" ? v.uger : v.fordeling === "normal" ? v.max : Math.max(0, ...v.udfald.map((u) => u.uger));
  return base + (a.forlængelse.sandsynlighed > 0 ? a.forlængelse.uger : 0);
}

/** Referral count per month: the given monthly mean times the seasonal factor. */
export function månedsmiddel(a: Forløbsantagelser): number[] {
  return a.henvisninger.sæson.map((s) => a.henvisninger.pr_måned * s);
}

/**
 * Simulates `runs` years of one offer. `henvisningsfaktor` scales the referrals (used by the
 * sensitivity analysis). The inner loop over courses allocates nothing.
 */
export function simulerYdelse(a: Forløbsantagelser, runs: number, seed: number, fremdrift?: (kørsel: number) => void, faktorer?: Float64Array): Kørsler {
  const profilLængde = 12 + Math.ceil(maksUger(a) / UGER_PR_MÅNED) + 1;
  const nRes = RESULTATER.length;
  const k: Kørsler = {
    runs,
    henvisninger: new Float64Array(runs), forløb: new Float64Array(runs), aflyste: new Float64Array(runs), sene: new Float64Array(runs),
    senTimer: new Float64Array(runs), bookedeTimer: new Float64Array(runs), effektiveTimer: new Float64Array(runs),
    leveredeUger: new Float64Array(runs), påbegyndteUger: new Float64Array(runs), påbegyndteDage: new Float64Array(runs),
    forlængelser: new Float64Array(runs), afbrydelser: new Float64Array(runs), forløbsmåneder: new Float64Array(runs),
    resultater: Array.from({ length: nRes }, () => new Float64Array(runs)),
    profilLængde,
    profilUger: new Float64Array(profilLængde), profilTimer: new Float64Array(profilLængde), profilStart: new Float64Array(profilLængde),
    profilSen: new Float64Array(profilLængde),
    profilResultat: Array.from({ length: nRes }, () => new Float64Array(profilLængde)),
  };
  const rng = new Rng(seed);
  const lambda = Float64Array.from(månedsmiddel(a));
  const fastAntal = Int32Array.from(lambda, (x) => Math.round(x));
  const fast = a.henvisninger.fordeling === "fast";

  const v = a.varighed;
  const vType = v.fordeling === "fast" ? 0 : v.fordeling === "normal" ? 1 : 2;
  const fastUger = v.fordeling === "fast" ? v.uger : 0;
  const vTabel = v.fordeling === "normal" ? truncatedNormalTable(v.middel, v.sd, v.min, v.max) : new Float64Array(2);
  const vCum = cumulative(v.fordeling === "diskret" ? v.udfald.map((u) => u.sandsynlighed) : []);
  const vUger = Float64Array.from(v.fordeling === "diskret" ? v.udfald.map((u) => u.uger) : []);
  const vLast = vUger.length - 1;

  const pForl = a.forlængelse.sandsynlighed, forlUger = a.forlængelse.uger;
  const pAfbr = a.afbrydelse.sandsynlighed;
  const tid = a.afbrydelse.tidspunkt;
  const afbrLige = tid === "ligefordelt";
  const aCum = cumulative(tid === "ligefordelt" ? [] : tid.udfald.map((u) => u.sandsynlighed));
  const aAndel = Float64Array.from(tid === "ligefordelt" ? [] : tid.udfald.map((u) => u.andel));
  const aLast = aAndel.length - 1;

  const hv = a.timer_pr_uge;
  const hNormal = hv.fordeling === "normal";
  const hFast = hv.fordeling === "fast" ? hv.timer : 0;
  const hTabel = hv.fordeling === "normal" ? truncatedNormalTable(hv.middel, hv.sd, hv.min, hv.max) : new Float64Array(2);

  const fremmøde = a.fremmøde;
  const pAfl = a.aflysning.sandsynlighed, senAndel = a.aflysning.sen_andel, senUger = a.aflysning.sen_betaling_uger;

  const resIdx = new Int32Array(a.resultater.length);
  a.resultater.forEach((r, i) => { resIdx[i] = RESULTATER.indexOf(r.resultat); });
  const rCum = cumulative(a.resultater.map((r) => r.sandsynlighed));
  const nR = a.resultater.length;
  const resAntal = new Float64Array(nRes);
  const pU = k.profilUger, pT = k.profilTimer, pS = k.profilStart, pSen = k.profilSen, pRes = k.profilResultat;
  const sidst = profilLængde - 1;
  const fremdriftHver = Math.max(1, Math.floor(runs / 50));

  for (let r = 0; r < runs; r++) {
    let henv = 0, forløb = 0, afl = 0, sene = 0, senT = 0, booked = 0, uger = 0, pUger = 0, pDage = 0, forl = 0, afbr = 0, fm = 0;
    resAntal.fill(0);
    const fr = faktorer ? faktorer[r]! : 1;
    for (let m = 0; m < 12; m++) {
      const n = fast ? (faktorer ? Math.round(lambda[m]! * fr) : fastAntal[m]!) : rng.poisson(lambda[m]! * fr);
      henv += n;
      for (let i = 0; i < n; i++) {
        const t0 = m + rng.uniform();
        if (pAfl > 0 && rng.uniform() < pAfl) {
          afl++;
          if (senAndel > 0 && rng.uniform() < senAndel) {
            sene++;
            const h = hNormal ? rng.fromTable(hTabel) : hFast;
            senT += senUger * h;
            pSen[m]! += 1;
          }
          continue;
        }
        forløb++;
        let w: number;
        if (vType === 0) w = fastUger;
        else if (vType === 1) w = rng.fromTable(vTabel);
        else { const j = rng.categorical(vCum); w = vUger[j > vLast ? vLast : j]!; }
        if (pForl > 0 && rng.uniform() < pForl) { w += forlUger; forl++; }
        if (pAfbr > 0 && rng.uniform() < pAfbr) {
          afbr++;
          if (afbrLige) w *= rng.uniformOpen0();
          else { const j = rng.categorical(aCum); w *= aAndel[j > aLast ? aLast : j]!; }
        }
        const h = hNormal ? rng.fromTable(hTabel) : hFast;
        booked += w * h;
        uger += w;
        pUger += Math.ceil(w);
        pDage += Math.ceil(w * DAGE_PR_UGE);
        // Monthly profile: spread the delivered weeks over the months the course runs.
        const slut = t0 + w / UGER_PR_MÅNED;
        let mm = m;
        let fra = t0;
        while (fra < slut && mm <= sidst) {
          const til = slut < mm + 1 ? slut : mm + 1;
          const ug = (til - fra) * UGER_PR_MÅNED;
          pU[mm]! += ug;
          pT[mm]! += ug * h;
          fm++;
          fra = til;
          mm++;
        }
        pS[m]! += 1;
        if (nR > 0) {
          const j = rng.categorical(rCum);
          if (j < nR) {
            const ri = resIdx[j]!;
            resAntal[ri]! += 1;
            const sm = Math.floor(slut);
            pRes[ri]![sm > sidst ? sidst : sm]! += 1;
          }
        }
      }
    }
    k.henvisninger[r] = henv; k.forløb[r] = forløb; k.aflyste[r] = afl; k.sene[r] = sene; k.senTimer[r] = senT;
    k.bookedeTimer[r] = booked; k.effektiveTimer[r] = booked * fremmøde; k.leveredeUger[r] = uger;
    k.påbegyndteUger[r] = pUger; k.påbegyndteDage[r] = pDage; k.forlængelser[r] = forl; k.afbrydelser[r] = afbr;
    k.forløbsmåneder[r] = fm;
    for (let j = 0; j < nRes; j++) k.resultater[j]![r] = resAntal[j]!;
    if (fremdrift && (r + 1) % fremdriftHver === 0) fremdrift(r + 1);
  }
  return k;
}

// ---------------------------------------------------------------------------------------------
// Closed forms

/** E[ceil(U·c)] for U uniform on (0, 1] and c > 0. */
function forventetOprundet(c: number): number {
  if (c <= 0) return 0;
  const m = Math.ceil(c);
  let e = 0;
  for (let j = 1; j <= m; j++) e += j * (Math.min(j, c) - (j - 1));
  return e / c;
}

/** Expected quantities per referral, exactly. */
export interface Forventning {
  /** Referrals per year. */
  henvisninger: number;
  /** Per referral: */
  forløb: number;
  sene: number;
  senTimer: number;
  bookedeTimer: number;
  leveredeUger: number;
  påbegyndteUger: number;
  påbegyndteDage: number;
  /** Per referral, per outcome (index as RESULTATER). */
  resultater: number[];
}

/**
 * Expected quantities, exactly (no simulation). Needs a "fast" or "diskret" duration (a truncated
 * normal duration has no closed form here). For deterministic inputs (fast counts, fixed
 * duration, probabilities 0 or 1) every simulated year equals these values times the count.
 */
export function forventning(a: Forløbsantagelser): Forventning {
  const v = a.varighed;
  if (v.fordeling === "normal") throw new Error("den lukkede formel kræver en fast eller diskret varighed, ikke en normalfordelt");
  const henvisninger = a.henvisninger.fordeling === "fast"
    ? månedsmiddel(a).reduce((s, x) => s + Math.round(x), 0)
    : månedsmiddel(a).reduce((s, x) => s + x, 0);
  const udfald = v.fordeling === "fast" ? [{ uger: v.uger, sandsynlighed: 1 }] : v.udfald;
  // Planned durations after extension.
  const planlagt: { uger: number; p: number }[] = [];
  const pF = a.forlængelse.sandsynlighed;
  for (const u of udfald) {
    if (pF < 1) planlagt.push({ uger: u.uger, p: u.sandsynlighed * (1 - pF) });
    if (pF > 0) planlagt.push({ uger: u.uger + a.forlængelse.uger, p: u.sandsynlighed * pF });
  }
  const pA = a.afbrydelse.sandsynlighed;
  const tid = a.afbrydelse.tidspunkt;
  let uger = 0, pU = 0, pD = 0;
  for (const { uger: w, p } of planlagt) {
    if (pA < 1) { uger += p * (1 - pA) * w; pU += p * (1 - pA) * Math.ceil(w); pD += p * (1 - pA) * Math.ceil(w * DAGE_PR_UGE); }
    if (pA > 0) {
      if (tid === "ligefordelt") {
        uger += p * pA * w / 2; pU += p * pA * forventetOprundet(w); pD += p * pA * forventetOprundet(w * DAGE_PR_UGE);
      } else {
        for (const x of tid.udfald) {
          const wa = w * x.andel;
          uger += p * pA * x.sandsynlighed * wa; pU += p * pA * x.sandsynlighed * Math.ceil(wa); pD += p * pA * x.sandsynlighed * Math.ceil(wa * DAGE_PR_UGE);
        }
      }
    }
  }
  const t = a.timer_pr_uge;
  const h = t.fordeling === "fast" ? t.timer : tableMean(truncatedNormalTable(t.middel, t.sd, t.min, t.max));
  const pStart = 1 - a.aflysning.sandsynlighed;
  const pSen = a.aflysning.sandsynlighed * a.aflysning.sen_andel;
  const resultater = RESULTATER.map((r) => pStart * (a.resultater.find((x) => x.resultat === r)?.sandsynlighed ?? 0));
  return {
    henvisninger,
    forløb: pStart,
    sene: pSen,
    senTimer: pSen * a.aflysning.sen_betaling_uger * h,
    bookedeTimer: pStart * uger * h,
    leveredeUger: pStart * uger,
    påbegyndteUger: pStart * pU,
    påbegyndteDage: pStart * pD,
    resultater,
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics

/** Type-7 (linear interpolation) quantile of a sorted array. */
export function kvantil(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Mean, clamped to [min, max] so identical runs give that value exactly. */
export function middel(xs: Float64Array): number {
  let s = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < xs.length; i++) { const x = xs[i]!; s += x; if (x < min) min = x; if (x > max) max = x; }
  const m = s / xs.length;
  return m < min ? min : m > max ? max : m;
}

export interface Fordeling { middel: number; sd: number; p10: number; p50: number; p90: number }

export function fordeling(xs: Float64Array): Fordeling {
  const m = middel(xs);
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i]! - m) ** 2;
  const sorted = xs.slice().sort();
  return { middel: m, sd: xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0, p10: kvantil(sorted, 0.1), p50: kvantil(sorted, 0.5), p90: kvantil(sorted, 0.9) };
}
