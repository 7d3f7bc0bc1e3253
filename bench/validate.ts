/**
 * Benchmark: validate a synthetic spec 20× the size of the 2020 example (issue: < 200 ms, Node start-up excluded).
 * The synthetic spec is the 2020 example with its four lots copied 20 times under new ids, written as
 * one file per lot like the real one, so reading, includes, schema and semantic checks all run.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { stringify } from "yaml";
import { loadSpec } from "../src/read/load.js";
import { readSpec } from "../src/read/index.js";

export interface BenchResult {
  name: string;
  detail: string;
  coldMs: number;
  medianMs: number;
  runs: number;
  /** 95th percentile, where measured (wall clock and CPU time of the process). */
  p95Ms?: number;
  cpuP95Ms?: number;
}

export function makeSynthetic(exampleDir: string, factor: number): { dir: string; bytes: number; exampleBytes: number; files: number } {
  const loaded = loadSpec(exampleDir);
  if (loaded.data === undefined) throw new Error(`example does not load: ${loaded.diagnostics.map((d) => d.message).join("; ")}`);
  const spec = structuredClone(loaded.data) as any;
  const lots = spec.delkontrakter as any[];
  const volumes = spec.tildeling.prisevaluering?.evalueringsteknisk_pris?.mængder ?? [];
  const contacts = spec.ordregiver.kontaktpersoner ?? [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "udbud-bench-"));
  const newLots: any[] = [];
  const newVolumes: any[] = [];
  const newContacts: any[] = [];
  let nummer = 0;
  for (let copy = 0; copy < factor; copy++) {
    for (const lot of lots) {
      const id = copy === 0 ? lot.id : `${lot.id}-${copy}`;
      const file = `lot-${id}.yaml`;
      fs.writeFileSync(path.join(dir, file), stringify({ ...lot, id, nummer: ++nummer }, { lineWidth: 0 }));
      newLots.push({ $inkluder: file });
      for (const v of volumes) if (v.delkontrakt === lot.id) newVolumes.push({ ...v, delkontrakt: id });
      for (const c of contacts) if (c.delkontrakt === lot.id) newContacts.push({ ...c, delkontrakt: id });
    }
  }
  spec.delkontrakter = newLots;
  if (volumes.length) spec.tildeling.prisevaluering.evalueringsteknisk_pris.mængder = newVolumes;
  spec.ordregiver.kontaktpersoner = newContacts;
  fs.writeFileSync(path.join(dir, "udbud.yaml"), stringify(spec, { lineWidth: 0 }));
  // Spec files only: the entry and its lots (not a bids or scenario file lying in the folder).
  const size = (d: string) => fs.readdirSync(d).filter((f) => f.endsWith(".yaml") && !f.startsWith("bud") && !f.startsWith("scenarie")).reduce((s, f) => s + fs.statSync(path.join(d, f)).size, 0);
  return { dir, bytes: size(dir), exampleBytes: size(exampleDir), files: newLots.length + 1 };
}

export function benchValidate(exampleDir: string, runs = 15): BenchResult {
  const { dir, bytes, exampleBytes, files } = makeSynthetic(exampleDir, 20);
  const times: number[] = [];
  let errors = -1;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const res = readSpec(dir);
    times.push(performance.now() - t0);
    errors = res.errors.length;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (errors !== 0) throw new Error(`synthetic spec has ${errors} errors`);
  const sorted = [...times].sort((a, b) => a - b);
  return {
    name: "validate (20× 2020-eksemplet)",
    detail: `${(bytes / 1024).toFixed(0)} KiB YAML i ${files} filer (eksemplet: ${(exampleBytes / 1024).toFixed(0)} KiB)`,
    coldMs: times[0],
    medianMs: sorted[Math.floor(sorted.length / 2)],
    runs,
  };
}
