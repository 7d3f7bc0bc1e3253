/**
 * What the studio's page asks for, answered with the same library functions as the CLI: the
 * diagnostics of `udbud validate`, documents from the HTML writer (and DOCX/PDF/Markdown for
 * download), the simulation with the scenario's assumptions scaled by sliders, the evaluation with
 * a what-if for the weights, and the comparison of the working copy with the saved files, a git
 * revision or another spec folder. Every function takes the page's unsaved buffers and works on
 * the workspace's mirror, never on the user's files.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import type { Diagnostic } from "../diagnostics.js";
import type { Udbud } from "../model/types.js";
import type { Buffers, Workspace } from "./workspace.js";

export interface StudioDiagnostic {
  severity: Diagnostic["severity"];
  line: number;
  column: number;
  message: string;
  path: string;
  code: string;
}

export interface CheckResult {
  /** File name (in the spec folder) → its diagnostics, the same as `udbud validate` prints. */
  files: Record<string, StudioDiagnostic[]>;
  errors: number;
  warnings: number;
  documents: { id: string; title: string }[];
  /** The requested document as HTML, built from the same read (absent when the spec has errors). */
  html?: string;
  /** Why the requested document could not be built. */
  previewError?: string;
}

function group(ws: Workspace, ds: readonly Diagnostic[]): Record<string, StudioDiagnostic[]> {
  const out: Record<string, StudioDiagnostic[]> = {};
  for (const d of ds) {
    const file = path.basename(ws.unmirror(d.file));
    (out[file] ??= []).push({ severity: d.severity, line: d.line, column: d.column, message: ws.unmirror(d.message), path: d.path, code: d.code });
  }
  return out;
}

/** One long-lived render session per workspace: parsed files, the checked model and compiled templates are reused between keystrokes. */
const sessions = new WeakMap<Workspace, import("../render/session.js").RenderSession>();
/** Per workspace: the clause-id check's last clean key, and the scenario file's last read. */
const clauseOk = new WeakMap<Workspace, string>();
const scenarioCache = new WeakMap<Workspace, { text: string; read: import("../simulate/scenario.js").ScenarioResult }>();

async function readMirror(ws: Workspace, buffers: Buffers) {
  const dir = ws.mirror(buffers);
  let session = sessions.get(ws);
  if (!session) {
    const { createRenderSession } = await import("../render/session.js");
    session = createRenderSession(dir);
    sessions.set(ws, session);
  }
  return { dir, session, read: session.check().result };
}

/**
 * The clause ids in `klausuler` checked against the documents, as `udbud validate` does. That
 * builds every document, so a clean result is remembered for the same clauses and documents.
 */
async function clauseErrors(ws: Workspace, udbud: Udbud, map: import("../read/source.js").SourceMap, docIds: readonly string[], examples: readonly string[]): Promise<Diagnostic[]> {
  if (!udbud.klausuler?.length) return [];
  const key = JSON.stringify([udbud.klausuler, docIds, examples]);
  if (clauseOk.get(ws) === key) return [];
  const { checkClauseIds } = await import("../render/clauses.js");
  const errors = checkClauseIds(udbud, map, examples);
  if (errors.length) clauseOk.delete(ws);
  else clauseOk.set(ws, key);
  return errors;
}

export async function check(ws: Workspace, buffers: Buffers, previewDoc?: string): Promise<CheckResult> {
  const { dir, session, read } = await readMirror(ws, buffers);
  let documents: CheckResult["documents"] = [];
  let scenario: Diagnostic[] = [];
  let clauses: Diagnostic[] = [];
  if (read.udbud) {
    const { planDocuments } = await import("../render/documents.js");
    documents = planDocuments(read.udbud).map((p) => ({ id: p.id, title: p.title }));
    clauses = await clauseErrors(ws, read.udbud, read.sourceMap, documents.map((d) => d.id), read.eksempelværdier.map((v) => v.pointer));
  }
  // The scenario file's own diagnostics, when there is one (read again only when its text changed).
  const scen = ws.mirrorNames().find((n) => n === "scenarie.yaml");
  if (scen) {
    const { readScenario, resolveScenario } = await import("../simulate/scenario.js");
    const file = path.join(dir, scen);
    const text = ws.mirrored(scen);
    let sc = scenarioCache.get(ws);
    if (!sc || sc.text !== text) {
      sc = { text: text ?? "", read: readScenario(file) };
      scenarioCache.set(ws, sc);
    }
    scenario = [...sc.read.errors, ...sc.read.warnings];
    if (sc.read.fil && read.udbud && !sc.read.errors.length) {
      const r = resolveScenario(read.udbud, sc.read.fil, sc.read.sourceMap, read.sourceMap);
      scenario.push(...r.errors, ...r.warnings);
    }
  }
  const all = [...read.errors, ...clauses, ...read.warnings, ...scenario];
  const out: CheckResult = { files: group(ws, all), errors: all.filter((d) => d.severity === "fejl").length, warnings: all.filter((d) => d.severity === "advarsel").length, documents };
  if (previewDoc && read.udbud && !clauses.length) {
    if (!documents.some((d) => d.id === previewDoc)) out.previewError = `Dokumentet '${previewDoc.slice(0, 80)}' findes ikke.`;
    else {
      const r = await session.render(previewDoc, "html");
      if (r.data) out.html = r.data.toString("utf8");
      else out.previewError = r.errors.length ? `Dokumentet kunne ikke laves: ${ws.unmirror(r.errors[0].message)}` : `Dokumentet '${previewDoc}' findes ikke.`;
    }
  }
  return out;
}

export class StudioError extends Error {
  constructor(message: string, readonly status = 422, readonly diagnostics: Record<string, StudioDiagnostic[]> = {}) {
    super(message);
  }
}

async function model(ws: Workspace, buffers: Buffers): Promise<{ dir: string; udbud: Udbud; map: import("../read/source.js").SourceMap }> {
  const { dir, read } = await readMirror(ws, buffers);
  if (!read.udbud) throw new StudioError(`Udbuddet har ${read.errors.length} fejl; ret dem først (se Filer).`, 422, group(ws, read.errors));
  return { dir, udbud: read.udbud, map: read.sourceMap };
}

/** One document as a tree (for preview and download). */
async function tree(ws: Workspace, buffers: Buffers, doc: string) {
  const { udbud, map } = await model(ws, buffers);
  return treeOf(ws, udbud, map, doc);
}

async function treeOf(ws: Workspace, udbud: Udbud, map: import("../read/source.js").SourceMap, doc: string) {
  const { buildDocuments } = await import("../render/build.js");
  await (await import("../render/figures.js")).loadChartsFor(udbud);
  const built = buildDocuments(udbud, map, { only: [doc] });
  const t = built.trees.find((x) => x.id === doc);
  if (built.errors.length || !t) throw new StudioError(built.errors.length ? `Dokumentet kunne ikke laves: ${ws.unmirror(built.errors[0].message)}` : `Dokumentet '${doc}' findes ikke.`, 422, group(ws, built.errors));
  return t;
}

export async function preview(ws: Workspace, buffers: Buffers, doc: string): Promise<string> {
  const r = await check(ws, buffers, doc);
  if (r.html === undefined) throw new StudioError(r.previewError ?? `Udbuddet har ${r.errors} fejl; ret dem først (se Filer).`, 422, r.files);
  return r.html;
}

export const DOWNLOAD_FORMATS = { docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", pdf: "application/pdf", html: "text/html; charset=utf-8", md: "text/markdown; charset=utf-8" } as const;
export type DownloadFormat = keyof typeof DOWNLOAD_FORMATS;

export async function download(ws: Workspace, buffers: Buffers, doc: string, format: DownloadFormat): Promise<{ name: string; data: Buffer; type: string }> {
  const t = await tree(ws, buffers, doc);
  const { renderTree } = await import("../render/index.js");
  return { name: `${doc}.${format}`, data: await renderTree(t, format), type: DOWNLOAD_FORMATS[format] };
}

// --- Simulation ---------------------------------------------------------------------------

/** The scenario's main assumptions, as the page's sliders: each scales the scenario's own values. */
export const SIM_PARAMS = [
  { id: "henvisninger", label: "Henvisninger pr. måned", min: 50, max: 150, step: 5 },
  { id: "varighed", label: "Forløbenes varighed", min: 50, max: 150, step: 5 },
  { id: "timer", label: "Timer pr. uge", min: 50, max: 150, step: 5 },
  { id: "forlængelse", label: "Andel forlængede forløb", min: 0, max: 200, step: 10 },
  { id: "afbrydelse", label: "Andel afbrudte forløb", min: 0, max: 200, step: 10 },
  { id: "timepris", label: "Timepris (sammenligning)", min: 50, max: 150, step: 5 },
] as const;
export type SimParam = (typeof SIM_PARAMS)[number]["id"];

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

function scaleDistribution(v: unknown, f: number, integer: boolean): unknown {
  if (typeof v === "number") return integer ? Math.max(1, Math.round(v * f)) : round(v * f);
  if (!isObj(v)) return v;
  const out: Obj = { ...v };
  for (const k of ["middel", "sd", "min", "max", "timer", "uger", "værdi"]) if (typeof out[k] === "number") out[k] = integer && k !== "sd" && k !== "middel" ? Math.max(1, Math.round((out[k] as number) * f)) : round((out[k] as number) * f);
  return out;
}

/** Applies the slider factors (percent of the scenario's values) to every level of the scenario. */
export function scaleScenario(sc: Obj, factors: Partial<Record<SimParam, number>>): Obj {
  const f = (k: SimParam) => (factors[k] ?? 100) / 100;
  const level = (a: unknown) => {
    if (!isObj(a)) return;
    const h = a.henvisninger;
    if (isObj(h) && typeof h.pr_måned === "number") a.henvisninger = { ...h, pr_måned: round(h.pr_måned * f("henvisninger")) };
    if (a.varighed !== undefined && f("varighed") !== 1) a.varighed = scaleDistribution(a.varighed, f("varighed"), true);
    if (a.timer_pr_uge !== undefined && f("timer") !== 1) a.timer_pr_uge = scaleDistribution(a.timer_pr_uge, f("timer"), false);
    for (const k of ["forlængelse", "afbrydelse"] as const) {
      const v = a[k];
      if (isObj(v) && typeof v.sandsynlighed === "number") a[k] = { ...v, sandsynlighed: Math.min(1, round(v.sandsynlighed * f(k))) };
    }
    const p = a.priser;
    if (isObj(p) && typeof p.timepris === "number") a.priser = { ...p, timepris: round(p.timepris * f("timepris"), 2) };
  };
  const copy = structuredClone(sc);
  level(copy.standard);
  if (isObj(copy.delkontrakter)) {
    for (const lot of Object.values(copy.delkontrakter)) {
      if (!isObj(lot)) continue;
      level(lot.standard);
      for (const group of ["indsatser", "elementer"]) if (isObj(lot[group])) for (const y of Object.values(lot[group] as Obj)) level(y);
    }
  }
  return copy;
}

export interface SimulationAnswer {
  runs: number;
  /** The expected yearly payment per pricing model priced for every offer (kr.). */
  totals: { model: string; middel: number; p10: number; p90: number }[];
  /** The lots' own pricing models (the ones the tender pays by). */
  afregning: string[];
  html: string;
  warnings: string[];
}

export async function simulate(ws: Workspace, buffers: Buffers, factors: Partial<Record<SimParam, number>>, runs: number, withReport = true): Promise<SimulationAnswer> {
  const { dir, udbud } = await model(ws, buffers);
  const file = path.join(dir, "scenarie.yaml");
  if (!fs.existsSync(file)) throw new StudioError("Udbuddet har ingen scenarie.yaml; læg et scenarie i mappen for at simulere.");
  const raw = parse(fs.readFileSync(file, "utf8"), { maxAliasCount: 1000 }) as Obj;
  if (!isObj(raw)) throw new StudioError("scenarie.yaml er ikke et scenarie.");
  const scaled = path.join(dir, ".studio-scenarie.yaml");
  fs.writeFileSync(scaled, stringify(scaleScenario(raw, factors)));
  const { simulateSpec } = await import("../simulate/index.js");
  const res = await simulateSpec(dir, { scenario: scaled, runs });
  if (!res.result || !res.input) throw new StudioError(`Scenariet har fejl: ${res.errors.map((d) => ws.unmirror(d.message)).slice(0, 3).join(" ")}`);
  let html = "";
  if (withReport) {
    const { buildSimulationReport } = await import("../simulate/report.js");
    const rep = await buildSimulationReport(udbud, res.input, res.result);
    const { writeHtml } = await import("../write/html.js");
    if (rep.tree) html = writeHtml(rep.tree);
  }
  return {
    runs,
    totals: res.result.i_alt.modeller.map((m) => ({ model: m.model, middel: m.årlig.middel, p10: m.årlig.p10, p90: m.årlig.p90 })),
    afregning: [...new Set(res.result.delkontrakter.map((d) => d.afregningsform))],
    html,
    warnings: res.warnings.map((d) => ws.unmirror(d.message)),
  };
}

// --- Evaluation ---------------------------------------------------------------------------

export interface EvaluationAnswer {
  weights: { id: string; titel: string; vægt: number }[];
  lots: import("../evaluate/types.js").LotEvaluation[];
}

function bidsFile(ws: Workspace): string | undefined {
  const names = ws.mirrorNames();
  return names.find((n) => n === "bud.yaml") ?? names.find((n) => /^bud.*\.ya?ml$/i.test(n));
}

export async function evaluateBids(ws: Workspace, buffers: Buffers, weights: Record<string, number> = {}): Promise<EvaluationAnswer> {
  const { dir, udbud } = await model(ws, buffers);
  const name = bidsFile(ws);
  if (!name) throw new StudioError("Der er ingen budfil (bud.yaml) i udbuddets mappe.");
  const { readBids } = await import("../evaluate/bids.js");
  const read = readBids(path.join(dir, name), udbud);
  if (!read.bids) throw new StudioError(`Budfilen har fejl: ${read.errors.map((d) => `linje ${d.line}: ${d.message}`).slice(0, 3).join(" ")}`, 422, group(ws, read.errors));
  const top = udbud.tildeling.underkriterier ?? [];
  const given = Object.keys(weights).length > 0;
  if (given) {
    const sum = top.reduce((s, k) => s + (weights[k.id] ?? k.vægt), 0);
    if (Math.abs(sum - 100) > 1e-9) throw new StudioError(`Vægtene giver ${sum} %, men skal give 100 %.`);
  }
  const u: Udbud = given ? structuredClone(udbud) : udbud;
  if (given) for (const k of u.tildeling.underkriterier ?? []) if (weights[k.id] !== undefined) k.vægt = weights[k.id];
  const { evaluate } = await import("../evaluate/evaluate.js");
  const r = evaluate(u, read.bids);
  return { weights: (u.tildeling.underkriterier ?? []).map((k) => ({ id: k.id, titel: k.titel, vægt: k.vægt })), lots: r.delkontrakter };
}

// --- Comparison ---------------------------------------------------------------------------

export interface CompareAnswer {
  html: string;
  changes: { kind: string; heading: string; text: string }[];
  counts: string;
}

/** Git revisions that touched the folder (newest first), or [] outside a git repository. */
export function revisions(ws: Workspace): { rev: string; title: string }[] {
  try {
    const out = execFileSync("git", ["-C", ws.root, "log", "-n", "30", "--format=%h%x09%as %s", "--", "."], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 });
    return out.split("\n").filter(Boolean).map((l) => {
      const [rev, title] = l.split("\t");
      return { rev, title };
    });
  } catch {
    return [];
  }
}

function checkout(ws: Workspace, rev: string): string {
  if (!revisions(ws).some((r) => r.rev === rev)) throw new StudioError(`Revisionen '${rev.slice(0, 40)}' findes ikke for mappen.`, 400);
  const prefix = execFileSync("git", ["-C", ws.root, "rev-parse", "--show-prefix"], { encoding: "utf8", timeout: 5000 }).trim();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "udbud-studio-rev-"));
  const names = execFileSync("git", ["-C", ws.root, "ls-tree", "--name-only", rev, "--", prefix || "."], { encoding: "utf8", timeout: 5000 }).split("\n").filter((n) => /\.ya?ml$/i.test(n));
  for (const n of names) {
    const text = execFileSync("git", ["-C", ws.root, "show", `${rev}:${n}`], { encoding: "buffer", timeout: 5000, maxBuffer: 8 * 1024 * 1024 });
    fs.writeFileSync(path.join(dir, path.basename(n)), text);
  }
  return dir;
}

/** `against`: "gemt" (the files on disk), "git:<rev>", or "mappe:<n>" (one of the folders the studio was started with). */
export async function compare(ws: Workspace, buffers: Buffers, against: string, others: readonly string[]): Promise<{ answer: CompareAnswer; redline: () => Promise<Buffer> }> {
  let oldDir: string;
  let oldLabel: string;
  let cleanup = () => {};
  if (against === "gemt") {
    oldDir = ws.root;
    oldLabel = "gemt version";
  } else if (against.startsWith("git:")) {
    oldDir = checkout(ws, against.slice(4));
    oldLabel = `git ${against.slice(4)}`;
    const d = oldDir;
    cleanup = () => fs.rmSync(d, { recursive: true, force: true });
  } else if (against.startsWith("mappe:") && others[Number(against.slice(6))] !== undefined) {
    oldDir = others[Number(against.slice(6))];
    oldLabel = path.basename(oldDir);
  } else throw new StudioError(`Ukendt sammenligning: ${against.slice(0, 60)}.`, 400);
  const newDir = ws.mirror(buffers);
  try {
    const { compareInputs } = await import("../diff/compare.js");
    const { comparison: c, errors } = await compareInputs(oldDir, newDir);
    if (!c) throw new StudioError(`Sammenligningen kunne ikke laves: ${errors.map((d) => ws.unmirror(d.message)).slice(0, 2).join(" ")}`);
    const report = await import("../diff/report.js");
    const labels = { oldLabel, newLabel: "arbejdskopi" };
    const json = report.diffJson(c.docs, c.semantic);
    const answer: CompareAnswer = {
      html: report.diffHtml(c.docs, { title: "Sammenligning", ...labels, semantic: c.semantic }),
      changes: json.changes.map((ch) => ({ kind: ch.kind, heading: ch.new?.heading ?? ch.old?.heading ?? "", text: (ch.new?.text ?? ch.old?.text ?? "").slice(0, 300) })),
      counts: report.countsText(json.summary as Parameters<typeof report.countsText>[0]),
    };
    return {
      answer,
      redline: async () => {
        const { writeRedlineDocx } = await import("../diff/redline-docx.js");
        return writeRedlineDocx(c.docs, { author: "udbud studio", date: new Date().toISOString().slice(0, 10) + "T00:00:00Z", title: `Ændringer fra ${oldLabel} til arbejdskopi` });
      },
    };
  } finally {
    cleanup();
  }
}
