/**
 * The render pipeline: spec → validated model → document trees (build.ts) → one writer per
 * format → files written atomically into the output folder, plus manifest.json.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import type { DocumentTree } from "../doc/ast.js";
import { readSpec } from "../read/index.js";
import { finalDiagnostics } from "../read/illustrative.js";
import { writeOutputSet } from "../write/output.js";
import { buildDocuments } from "./build.js";
import { checkOwner, MANIFEST, mergedManifest, type Manifest, type ManifestEntry } from "./manifest.js";
import { startPool, type RenderPool } from "./pool.js";
import { renderTree } from "./write.js";
export type { Manifest, ManifestEntry } from "./manifest.js";

import { priceSchedule } from "../compute/price-schedule.js";
import type { Udbud } from "../model/types.js";
import { planDocuments } from "./documents.js";
import { appliesTo, type DocFormat, type Format } from "./formats.js";
import { loadChartsFor } from "./figures.js";
export { DOC_FORMATS, FORMATS, type DocFormat, type Format } from "./formats.js";

export interface RenderResult {
  errors: Diagnostic[];
  warnings: Diagnostic[];
  documents: ManifestEntry[];
  outDir?: string;
  /** The manifest as written (with --only: merged with the documents already in the folder). */
  manifest?: Manifest;
}

/** Writes one file atomically (kept here for callers of the library; see write/output.ts). */
export { writeAtomic } from "../write/output.js";
export { renderTree } from "./write.js";

async function renderSequential(trees: DocumentTree[], formats: DocFormat[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const tree of trees) for (const f of formats) out.push(await renderTree(tree, f));
  return out;
}

/** The tilbudsliste workbook of a lot (write/xlsx/): the same rows as the document. */
export async function renderWorkbook(u: Udbud, lotId: string): Promise<Buffer> {
  const { writeWorkbook } = await import("../write/xlsx/workbook.js");
  const lot = u.delkontrakter.find((l) => l.id === lotId)!;
  return writeWorkbook(priceSchedule(u, lot), { udbudTitel: u.titel, ordregiver: u.ordregiver.navn, dato: u.dato ?? u.tidsplan.offentliggørelse });
}

export interface RenderOptions { out?: string; formats: Format[]; only?: string[]; templatesDir?: string; overskriv?: boolean; threads?: number; endelig?: boolean }

/**
 * Reads, builds and writes every document. Nothing is written unless the whole build succeeded.
 * `threads`: worker threads for DOCX and PDF (pool.ts; default one less than the cores, 0 = all on
 * this thread). The files are the same either way. The xlsx workbook (tilbudslister only) is
 * written on this thread.
 */
export async function renderSpec(spec: string, opts: RenderOptions): Promise<RenderResult> {
  const docFormats = opts.formats.filter((f): f is DocFormat => f !== "xlsx");
  // Workers start first: loading the writers overlaps with reading and building.
  const pool = startPool(docFormats, opts.threads);
  try {
    return await renderWith(spec, opts, docFormats, pool);
  } finally {
    await pool?.close();
  }
}

async function renderWith(spec: string, opts: RenderOptions, docFormats: DocFormat[], pool: RenderPool | undefined): Promise<RenderResult> {
  const read = readSpec(spec);
  if (!read.udbud) return { errors: read.errors, warnings: read.warnings, documents: [] };
  if (opts.endelig && read.eksempelværdier.length) return { errors: finalDiagnostics(read.eksempelværdier), warnings: read.warnings, documents: [] };
  // With a pool, each tree goes to the workers as soon as it is built.
  await loadChartsFor(read.udbud, opts.only?.length ? planDocuments(read.udbud).filter((p) => opts.only!.some((w) => p.id === w || p.id.startsWith(w))) : undefined);
  const batch = docFormats.length ? pool?.batch(docFormats) : undefined;
  const built = buildDocuments(read.udbud, read.sourceMap, { ...opts, examples: read.eksempelværdier.map((v) => v.pointer), onTree: batch && ((tree) => batch.add(tree)) });
  const warnings = [...read.warnings, ...built.warnings];
  if (built.errors.length) return { errors: built.errors, warnings, documents: [] };
  // Render everything in memory first: a failure leaves no half-written output.
  const byName = batch ? await batch.finish() : undefined;
  const rendered = byName ? built.trees.flatMap((t) => docFormats.map((f) => byName.get(`${t.id}.${f}`)!)) : await renderSequential(built.trees, docFormats);
  const files: { name: string; data: Buffer }[] = [];
  const documents: ManifestEntry[] = [];
  const plans = new Map(planDocuments(read.udbud).map((p) => [p.id, p]));
  for (const [t, tree] of built.trees.entries()) {
    const entry: ManifestEntry = { id: tree.id, title: tree.title, files: {}, sha256: {} };
    const plan = plans.get(tree.id)!;
    for (const f of opts.formats) {
      if (!appliesTo(f, plan.template)) continue;
      const data = f === "xlsx" ? await renderWorkbook(read.udbud, plan.lot!.id) : rendered[t * docFormats.length + docFormats.indexOf(f)]!;
      const name = `${tree.id}.${f}`;
      files.push({ name, data });
      entry.files[f] = name;
      entry.sha256[f] = createHash("sha256").update(data).digest("hex");
    }
    // A document none of the requested formats applies to (--format xlsx and a contract) is not listed.
    if (Object.keys(entry.files).length) documents.push(entry);
  }
  // Default: output/<the tender's id> in the working directory.
  const outDir = path.resolve(opts.out ?? path.join("output", read.udbud.id));
  const inputs = new Set(read.sourceMap.files.map((f) => f.abs));
  for (const f of files) {
    if (inputs.has(path.join(outDir, f.name))) {
      return { errors: [{ severity: "fejl", file: path.join(outDir, f.name), line: 1, column: 1, path: "", message: "Outputtet ville overskrive en af udbuddets egne filer. Vælg en anden --out-mappe.", code: "render.overwrite-input" }], warnings, documents: [] };
    }
  }
  const specAbs = path.resolve(read.sourceMap.files[0]?.abs ?? spec);
  const foreign = checkOwner(outDir, read.udbud.id, specAbs, { explicitOut: opts.out !== undefined, overskriv: !!opts.overskriv }, read.sourceMap.entry);
  if (foreign) return { errors: [foreign], warnings, documents: [] };
  const manifest = mergedManifest(outDir, read.udbud.id, specAbs, documents, !!opts.only?.length);
  // All or nothing (src/write/output.ts): the old set stays intact on any failure.
  const written = writeOutputSet(outDir, [...files, { name: MANIFEST, data: JSON.stringify(manifest, null, 2) + "\n" }], { protect: [...inputs] });
  if (written.errors.length) return { errors: written.errors, warnings, documents: [] };
  return { errors: [], warnings, documents, outDir, manifest };
}
