/**
 * Benchmark (issue 13): the warm re-render of a live preview (src/render/session.ts). A copy of
 * the 2020 spec; 50 one-value edits of udbud.yaml (the framework agreement's maximum value,
 * which the rammeaftale states), each saved to disk and followed by re-reading the spec and
 * re-rendering the rammeaftale to HTML in the same process. Target: p95 ≤ 100 ms.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { createRenderSession } from "../src/render/session.js";
import type { BenchResult } from "./validate.js";

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

export async function benchSession(root: string, edits = 50): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "udbud-bench-session-"));
  fs.cpSync(path.join(root, "specs", "kk-2020-udsatte-sygemeldte"), dir, { recursive: true });
  const file = path.join(dir, "udbud.yaml");
  const original = fs.readFileSync(file, "utf8");
  if (!/maksimum: 400000000/.test(original)) throw new Error("the 2020 spec no longer has 'maksimum: 400000000'");
  const session = createRenderSession(dir);
  const t0 = performance.now();
  const first = await session.render("rammeaftale", "html");
  const coldMs = performance.now() - t0;
  if (first.errors.length) throw new Error(first.errors.map((e) => e.message).join("; "));
  const times: number[] = [];
  const cpu: number[] = [];
  let previous = first.data!.toString("utf8");
  const parts = { readMs: 0, buildMs: 0, writeMs: 0 };
  for (let i = 1; i <= edits; i++) {
    const value = 400000000 + i * 1000;
    fs.writeFileSync(file, original.replace("maksimum: 400000000", `maksimum: ${value}`));
    const t = performance.now();
    const c = process.cpuUsage();
    const r = await session.render("rammeaftale", "html");
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    if (r.errors.length || !r.data) throw new Error(r.errors.map((e) => e.message).join("; "));
    const html = r.data.toString("utf8");
    if (html === previous) throw new Error(`the edit (${value}) did not change the HTML`);
    previous = html;
    if (r.stats.filesParsed !== 1) throw new Error(`expected one file parsed again, got ${r.stats.filesParsed}`);
    parts.readMs += r.stats.readMs / edits;
    parts.buildMs += r.stats.buildMs / edits;
    parts.writeMs += r.stats.writeMs / edits;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const p95 = quantile(times, 0.95);
  return [{
    name: "warm re-render: 1 værdi ændret, rammeaftalen → HTML",
    detail: `p50 ${quantile(times, 0.5).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, maks. ${Math.max(...times).toFixed(0)} ms over ${edits} ændringer (CPU-tid p50 ${quantile(cpu, 0.5).toFixed(0)} ms, p95 ${quantile(cpu, 0.95).toFixed(0)} ms); i snit læs ${parts.readMs.toFixed(0)} + byg ${parts.buildMs.toFixed(0)} + skriv ${parts.writeMs.toFixed(0)} ms`,
    coldMs,
    medianMs: quantile(times, 0.5),
    runs: edits,
    p95Ms: p95,
    cpuP95Ms: quantile(cpu, 0.95),
  }];
}
