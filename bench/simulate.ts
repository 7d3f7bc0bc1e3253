/**
 * Benchmark (issue 5):
 * 1. Engine throughput: simulated courses (referrals) per second on one core, for one offer with
 *    every random element switched on (Poisson months with seasonality, cancellations, discrete
 *    duration, extension, interruption, normal weekly hours, outcomes). Target ≥ 1 million/s.
 * 2. The 2024 example: `simulateSpec` with its scenario (a year of referrals on every offer) and
 *    10 000 runs, reading and all analysis included (not the report files). Target < 5 s.
 * 3. The same plus the report in every format (informative).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { simulerYdelse } from "../src/simulate/engine.js";
import { simulateSpec, writeSimulation } from "../src/simulate/index.js";
import type { Forløbsantagelser } from "../src/simulate/model.js";
import type { BenchResult } from "./validate.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const ANTAGELSER: Forløbsantagelser = {
  henvisninger: { pr_måned: 30, fordeling: "poisson", sæson: [1.15, 1.1, 1.05, 1.05, 1, 0.95, 0.5, 0.9, 1.1, 1.1, 1.15, 0.95] },
  varighed: { fordeling: "diskret", udfald: [{ uger: 13, sandsynlighed: 0.7 }, { uger: 26, sandsynlighed: 0.3 }] },
  forlængelse: { sandsynlighed: 0.25, uger: 13 },
  afbrydelse: { sandsynlighed: 0.2, tidspunkt: "ligefordelt" },
  timer_pr_uge: { fordeling: "normal", middel: 5, sd: 1.5, min: 3, max: 8 },
  fremmøde: 0.8,
  aflysning: { sandsynlighed: 0.08, sen_andel: 0.25, sen_betaling_uger: 1 },
  resultater: [{ resultat: "job", sandsynlighed: 0.15 }, { resultat: "ordinære-timer", sandsynlighed: 0.15 }, { resultat: "afklaring", sandsynlighed: 0.3 }],
  kostpris_pr_time: 650,
};

export async function benchSimulate(root: string, runs = 5): Promise<BenchResult[]> {
  const out: BenchResult[] = [];

  // 1. Engine throughput.
  const rates: number[] = [], times: number[] = [];
  let cold = 0;
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    const k = simulerYdelse(ANTAGELSER, 10_000, 1 + i);
    const ms = performance.now() - t;
    const n = k.henvisninger.reduce((s, x) => s + x, 0);
    if (i === 0) cold = ms;
    else { times.push(ms); rates.push(n / (ms / 1000)); }
  }
  out.push({
    name: "simulate: motor, ét forløb ad gangen, én kerne",
    coldMs: cold, medianMs: median(times), runs,
    detail: `${(median(rates) / 1e6).toFixed(1)} mio. simulerede forløb/s (mål ≥ 1 mio./s); 10.000 år × 360 henvisninger`,
  });

  // 2. + 3. The 2024 example.
  const spec = path.join(root, "specs", "kk-2024-udsatte-sygemeldte");
  const simTimes: number[] = [], allTimes: number[] = [];
  let simCold = 0, allCold = 0, courses = 0, offers = 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "udbud-bench-sim-"));
  try {
    for (let i = 0; i <= Math.min(runs, 3); i++) {
      const t = performance.now();
      const r = await simulateSpec(spec, { runs: 10_000 });
      const ms = performance.now() - t;
      if (!r.result || !r.input || !r.udbud) throw new Error(r.errors.map((e) => e.message).join("\n"));
      // Every simulated referral, elements bought on top of an indsats included.
      courses = r.result.delkontrakter.reduce((s, d) => s + d.ydelser.reduce((t, y) => t + y.mængder.henvisninger, 0), 0) * 10_000;
      offers = r.result.delkontrakter.reduce((s, d) => s + d.ydelser.length, 0);
      const w = await writeSimulation({ ...r, udbud: r.udbud, input: r.input, result: r.result }, dir, ["html", "docx", "pdf", "md", "csv", "json"]);
      if (w.errors.length) throw new Error(w.errors.map((e) => e.message).join("\n"));
      const all = performance.now() - t;
      if (i === 0) { simCold = ms; allCold = all; } else { simTimes.push(ms); allTimes.push(all); }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  out.push({
    name: "simulate: 2024-eksemplet, 10.000 kørsler (læs + simulér + analyse)",
    coldMs: simCold, medianMs: median(simTimes), runs: simTimes.length,
    detail: `${offers} indsatser, ${(courses / 1e6).toFixed(1)} mio. simulerede henvisninger; mål < 5 s`,
  });
  out.push({
    name: "simulate: 2024-eksemplet, 10.000 kørsler + rapport i alle formater",
    coldMs: allCold, medianMs: median(allTimes), runs: allTimes.length,
    detail: "html, docx, pdf, md, csv, json med figurer",
  });
  return out;
}
