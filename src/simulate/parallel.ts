/**
 * Runs the offers' simulations on several cores (worker threads) when the work is large enough
 * to pay for starting them. The result is identical to a run on one thread: each offer has its
 * own random stream (engine.ts: streamSeed), so the spread over workers does not matter.
 */
import * as os from "node:os";
import { Worker } from "node:worker_threads";
import { compiledModule } from "../paths.js";
import { efterspørgselsfaktorer, simulerYdelse, streamSeed, type Kørsler } from "./engine.js";
import type { SimuleringsInput } from "./model.js";
import type { Opgave, Svar } from "./worker.js";

/** Below this many simulated referrals in all, one thread is faster than starting workers. */
export const PARALLEL_GRÆNSE = 2_000_000;

export interface ParallelValg {
  runs: number;
  seed: number;
  /** Most worker threads; default: the machine's available parallelism (at most 8). */
  tråde?: number;
  fremdrift?: (andel: number) => void;
}

/** The simulated courses of every offer, in input order (lots, then offers). */
export async function simulerAlle(input: SimuleringsInput, valg: ParallelValg): Promise<Kørsler[]> {
  const ydelser = input.delkontrakter.flatMap((d) => d.ydelser);
  const vægt = ydelser.map((y) => Math.max(1, 12 * y.antagelser.henvisninger.pr_måned * y.antagelser.henvisninger.sæson.reduce((s, x) => s + x, 0) / 12));
  const total = vægt.reduce((s, x) => s + x, 0);
  const tråde = Math.max(1, Math.min(valg.tråde ?? Math.min(8, os.availableParallelism()), ydelser.length));
  const seeds = ydelser.map((y) => streamSeed(valg.seed, y.delkontrakt, y.id));
  const udført = new Float64Array(ydelser.length);
  const meld = (nr: number, r: number) => {
    if (!valg.fremdrift) return;
    udført[nr] = vægt[nr]! * r / valg.runs;
    valg.fremdrift(Math.min(1, udført.reduce((s, x) => s + x, 0) / total));
  };
  if (tråde === 1 || total * valg.runs < PARALLEL_GRÆNSE) {
    const faktorer = efterspørgselsfaktorer(input.efterspørgselsusikkerhed, valg.runs, valg.seed);
    return ydelser.map((y, nr) => simulerYdelse(y.antagelser, valg.runs, seeds[nr]!, valg.fremdrift ? (r) => meld(nr, r) : undefined, faktorer));
  }
  // Largest offers first, each to the next free worker.
  const kø = ydelser.map((_, nr) => nr).sort((a, b) => vægt[b]! - vægt[a]! || a - b);
  const resultat: Kørsler[] = new Array(ydelser.length);
  const workers = Array.from({ length: tråde }, () => new Worker(compiledModule("simulate/worker.js")));
  try {
    await new Promise<void>((resolve, reject) => {
      let mangler = ydelser.length;
      const giv = (w: Worker) => {
        const nr = kø.shift();
        if (nr === undefined) return;
        w.postMessage({ nr, antagelser: ydelser[nr]!.antagelser, runs: valg.runs, seed: seeds[nr]!, usikkerhed: input.efterspørgselsusikkerhed, frø: valg.seed } satisfies Opgave);
      };
      for (const w of workers) {
        w.on("message", (s: Svar) => {
          if ("fremdrift" in s) { meld(s.nr, s.fremdrift); return; }
          if ("fejl" in s) { reject(new Error(s.fejl)); return; }
          resultat[s.nr] = s.kørsler;
          meld(s.nr, valg.runs);
          if (--mangler === 0) resolve();
          else giv(w);
        });
        w.on("error", reject);
        giv(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return resultat;
}
