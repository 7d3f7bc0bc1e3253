/**
 * Worker thread for `udbud simulate`: simulates whole offers (engine.ts) on request, so the
 * offers of a tender run on several cores. Results do not depend on how offers are spread over
 * workers: each offer has its own random stream.
 */
import { parentPort } from "node:worker_threads";
import { efterspørgselsfaktorer, simulerYdelse, type Kørsler } from "./engine.js";
import type { Forløbsantagelser } from "./model.js";

export interface Opgave {
  nr: number; antagelser: Forløbsantagelser; runs: number; seed: number;
  /** The common demand factors: their sd and the run's seed (each worker computes the same array). */
  usikkerhed: number; frø: number;
}
export type Svar = { nr: number; kørsler: Kørsler } | { nr: number; fremdrift: number } | { nr: number; fejl: string };

/** Every ArrayBuffer in a Kørsler, for a zero-copy transfer. */
export function buffere(k: Kørsler): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const v of Object.values(k)) {
    if (v instanceof Float64Array) out.push(v.buffer as ArrayBuffer);
    else if (Array.isArray(v)) for (const x of v) out.push((x as Float64Array).buffer as ArrayBuffer);
  }
  return out;
}

let faktorer: { nøgle: string; f: Float64Array | undefined } | undefined;

parentPort?.on("message", (o: Opgave) => {
  try {
    const nøgle = `${o.usikkerhed}|${o.runs}|${o.frø}`;
    if (faktorer?.nøgle !== nøgle) faktorer = { nøgle, f: efterspørgselsfaktorer(o.usikkerhed, o.runs, o.frø) };
    const k = simulerYdelse(o.antagelser, o.runs, o.seed, (r) => parentPort!.postMessage({ nr: o.nr, fremdrift: r } satisfies Svar), faktorer.f);
    parentPort!.postMessage({ nr: o.nr, kørsler: k } satisfies Svar, buffere(k));
  } catch (e) {
    parentPort!.postMessage({ nr: o.nr, fejl: (e as Error).message } satisfies Svar);
  }
});
