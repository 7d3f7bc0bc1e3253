/**
 * `udbud simulate` as a library: spec + scenario → validated input → simulation → report files.
 * Reading never throws for bad input (diagnostics instead); nothing is written unless everything
 * was computed, and every file is written atomically.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import { sortDiagnostics } from "../diagnostics.js";
import { formatNumber } from "../format.js";
import type { Udbud } from "../model/types.js";
import { readSpec } from "../read/index.js";
import { renderTree } from "../render/index.js";
import { writeOutputSet } from "../write/output.js";
import { simulateParallel, type Simuleringsresultat } from "./analysis.js";
import type { SimuleringsInput } from "./model.js";
import { breakevenCsv, buildSimulationReport, REPORT_ID, resultCsv, resultJson } from "./report.js";
import { findDefaultScenario, overlapsPath, readScenario, resolveScenario } from "./scenario.js";

import { MAX_RUNS, type SimFormat } from "./formats.js";
export { DEFAULT_SIM_FORMATS, MAX_RUNS, SIM_FORMATS, type SimFormat } from "./formats.js";
/**
 * Limits that keep an untrusted scenario from exhausting memory or time: runs × offers (about
 * 250 bytes each: ~1 GB at the limit) and runs × expected referrals per year (about 2 minutes
 * on one core at the limit).
 */
export const SIM_LIMITS = { maxKørslerGangeYdelser: 4_000_000, maxHenvisninger: 1_500_000_000 } as const;

export interface SimulateOptions {
  scenario?: string;
  runs?: number;
  seed?: number;
  fremdrift?: (andel: number) => void;
  /** Most worker threads (default: the machine's cores, at most 8; 1 = no workers). */
  tråde?: number;
}

export interface SimulateSpecResult {
  udbud?: Udbud;
  input?: SimuleringsInput;
  result?: Simuleringsresultat;
  scenarioFile?: string;
  /** Every input file (spec and scenario), so outputs never overwrite one. */
  inputFiles: string[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

function fejl(file: string, message: string, code: string): Diagnostic {
  return { severity: "fejl", file, line: 1, column: 1, path: "", message, code };
}

/** Reads the spec and the scenario, and runs the simulation. */
export async function simulateSpec(spec: string, opts: SimulateOptions = {}): Promise<SimulateSpecResult> {
  const read = readSpec(spec);
  const inputFiles = read.sourceMap.files.map((f) => f.abs);
  const scenarioFile = opts.scenario ?? findDefaultScenario(spec);
  if (!read.udbud) {
    // Every error at once: the scenario's own errors too, though it cannot be resolved against the spec.
    const sc = scenarioFile ? readScenario(scenarioFile) : undefined;
    return { errors: sortDiagnostics([...read.errors, ...(sc?.errors ?? [])]), warnings: sortDiagnostics([...read.warnings, ...(sc?.warnings ?? [])]), inputFiles };
  }
  if (!scenarioFile) {
    const dir = fs.existsSync(spec) && fs.statSync(spec).isDirectory() ? spec : path.dirname(spec);
    return {
      udbud: read.udbud, inputFiles, warnings: read.warnings,
      errors: [fejl(path.join(dir, "scenarie.yaml"), "Der er intet scenarie. Læg en scenarie.yaml i udbuddets mappe, eller angiv en fil med --scenario (se docs/simulation.md og eksemplet i specs/kk-2024-udsatte-sygemeldte/scenarie.yaml).", "simulate.no-scenario")],
    };
  }
  const sc = readScenario(scenarioFile);
  inputFiles.push(...sc.sourceMap.files.map((f) => f.abs));
  if (!sc.fil) {
    // A rule error in the scenario: resolving it against the spec may still find more (every error at once).
    let more: Diagnostic[] = [];
    if (sc.schemaValid) {
      try {
        more = resolveScenario(read.udbud, sc.schemaValid, sc.sourceMap, read.sourceMap).errors;
      } catch {
        more = [];
      }
    }
    const key = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}:${d.message}`;
    const seen = new Set(sc.errors.map(key));
    // Where the scenario has an error already, what resolving finds there is a consequence of it.
    const fresh = more.filter((d) => !seen.has(key(d)) && !sc.errors.some((e) => e.file === d.file && overlapsPath(e.path, d.path)));
    const errors = sortDiagnostics([...sc.errors, ...fresh]);
    return { udbud: read.udbud, scenarioFile, inputFiles, errors, warnings: [...read.warnings, ...sc.warnings] };
  }
  const res = resolveScenario(read.udbud, sc.fil, sc.sourceMap, read.sourceMap);
  const warnings = sortDiagnostics([...read.warnings, ...sc.warnings, ...res.warnings]);
  if (!res.input || res.errors.length) return { udbud: read.udbud, scenarioFile, inputFiles, errors: sortDiagnostics([...sc.errors, ...res.errors]), warnings };
  // A price under 50 kr. is almost always "1.000" written for a thousand (YAML reads 1.000 as 1).
  for (const d of res.input.delkontrakter) for (const y of d.ydelser) {
    for (const [model, kilde] of Object.entries(y.priskilder)) {
      const pr = y.priser[model as keyof typeof y.priser];
      const beløb = typeof pr === "number" ? pr : pr && typeof pr === "object" ? pr.pris : undefined;
      if (kilde !== "scenarie" || beløb === undefined || beløb >= 50) continue;
      const ptr = `/delkontrakter/${d.id}/${y.art === "element" ? "elementer" : "indsatser"}/${y.id}/priser/${model}`;
      warnings.push({ ...sc.sourceMap.locate(ptr), severity: "advarsel", path: ptr.slice(1).replace(/\//g, "."), code: "simulate.low-price",
        message: `Prisen for ${model} på ${y.id} er kun ${formatNumber(beløb)} kr. Mente du ${formatNumber(beløb * 1000)} kr.? I YAML er punktum decimaltegn, så 1.000 betyder 1; skriv tusind som 1000.` });
    }
  }
  const runs = opts.runs ?? res.input.kørsler;
  const seed = opts.seed ?? res.input.frø;
  const ydelser = res.input.delkontrakter.reduce((s, d) => s + d.ydelser.length, 0);
  const henvisninger = res.input.delkontrakter.reduce((s, d) => s + d.ydelser.reduce((t, y) => t + y.antagelser.henvisninger.pr_måned * 12, 0), 0);
  const stor = (hvad: string) => ({
    udbud: read.udbud, scenarioFile, inputFiles, warnings,
    errors: [{ ...sc.sourceMap.locate(opts.runs === undefined ? "/kørsler" : ""), severity: "fejl" as const, path: opts.runs === undefined ? "kørsler" : "", code: "simulate.too-large",
      message: `Simuleringen er for stor: ${hvad}. Sænk antallet af kørsler (--runs eller kørsler i scenariet).` }],
  });
  if (runs * ydelser > SIM_LIMITS.maxKørslerGangeYdelser) return stor(`${formatNumber(runs)} kørsler × ${ydelser} indsatser er mere end ${formatNumber(SIM_LIMITS.maxKørslerGangeYdelser)}`);
  if (runs * henvisninger > SIM_LIMITS.maxHenvisninger) return stor(`${formatNumber(runs)} kørsler × ${formatNumber(Math.round(henvisninger))} henvisninger om året er mere end ${formatNumber(SIM_LIMITS.maxHenvisninger)} simulerede forløb`);
  const result = await simulateParallel(res.input, { runs, seed, ...(opts.tråde ? { tråde: opts.tråde } : {}), ...(opts.fremdrift ? { fremdrift: opts.fremdrift } : {}) });
  // Helårsperson: warn when demand exceeds the places bought in most simulated years.
  for (const d of result.delkontrakter) for (const y of d.ydelser) {
    const h = y.helårsperson;
    if (!h || h.andel_år_over_kapacitet <= 0.5) continue;
    const li = read.udbud.delkontrakter.findIndex((l) => l.id === d.id);
    const pi = li < 0 ? -1 : read.udbud.delkontrakter[li].prismodel.priser.findIndex((p) => (y.art === "element" ? p.element : p.indsats) === y.id);
    const ptr = pi < 0 ? "" : `/delkontrakter/${li}/prismodel/priser/${pi}`;
    warnings.push({ ...read.sourceMap.locate(ptr), severity: "advarsel", path: ptr.slice(1).replace(/\//g, "."), code: "simulate.over-capacity",
      message: `Efterspørgslen efter ${y.id} i delkontrakten ${d.id} overstiger de ${formatNumber(h.pladser)} helårspladser i ${formatNumber(Math.round(h.andel_år_over_kapacitet * 100))} % af de simulerede år. Overvej flere pladser pr. leverandør eller flere leverandører.` });
  }
  return { udbud: read.udbud, input: res.input, result, scenarioFile, inputFiles, errors: [], warnings: sortDiagnostics(warnings) };
}

/**
 * Renders the requested formats in memory, then writes them atomically into `outDir`:
 * prissimulering.{html,docx,pdf,md}, simulering.json, simulering.csv and breakeven.csv.
 * Returns the file names, or an error when a file would overwrite an input.
 */
export async function writeSimulation(r: SimulateSpecResult & { udbud: Udbud; input: SimuleringsInput; result: Simuleringsresultat },
  outDir: string, formats: readonly SimFormat[], opts: { templatesDir?: string } = {}): Promise<{ files: string[]; errors: Diagnostic[] }> {
  const files: { name: string; data: Buffer | string }[] = [];
  const docFormats = formats.filter((f): f is "html" | "docx" | "pdf" | "md" => f === "html" || f === "docx" || f === "pdf" || f === "md");
  if (docFormats.length) {
    const rep = await buildSimulationReport(r.udbud, r.input, r.result, opts);
    if (!rep.tree) return { files: [], errors: rep.errors };
    for (const f of docFormats) files.push({ name: `${REPORT_ID}.${f}`, data: await renderTree(rep.tree, f) });
  }
  if (formats.includes("json")) files.push({ name: "simulering.json", data: resultJson(r.result) });
  if (formats.includes("csv")) {
    files.push({ name: "simulering.csv", data: resultCsv(r.result) });
    files.push({ name: "breakeven.csv", data: breakevenCsv(r.result) });
  }
  const dir = path.resolve(outDir);
  const inputs = new Set(r.inputFiles.map((f) => path.resolve(f)));
  for (const f of files) {
    if (inputs.has(path.join(dir, f.name))) {
      return { files: [], errors: [fejl(path.join(dir, f.name), "Outputtet ville overskrive en af inputfilerne. Vælg en anden --out-mappe.", "simulate.overwrite-input")] };
    }
  }
  const written = writeOutputSet(dir, files, { protect: [...inputs] });
  if (written.errors.length) return { files: [], errors: written.errors };
  return { files: files.map((f) => f.name), errors: [] };
}
