/**
 * The render pipeline: spec → validated model → document trees (build.ts) → one writer per
 * format → files written atomically into the output folder, plus manifest.json.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import type { DocumentTree } from "../doc/ast.js";
import { readSpec } from "../read/index.js";
import { finalDiagnostics } from "../read/illustrative.js";
import { writeDocx } from "../write/docx.js";
import { writeHtml } from "../write/html.js";
import { writeMarkdown } from "../write/markdown.js";
import { writePdf } from "../write/pdf.js";
import { buildDocuments } from "./build.js";
import { checkOwner, MANIFEST, mergedManifest, type Manifest, type ManifestEntry } from "./manifest.js";
export type { Manifest, ManifestEntry } from "./manifest.js";

import type { Format } from "./formats.js";
export { FORMATS, type Format } from "./formats.js";

export interface RenderResult {
  errors: Diagnostic[];
  warnings: Diagnostic[];
  documents: ManifestEntry[];
  outDir?: string;
  /** The manifest as written (with --only: merged with the documents already in the folder). */
  manifest?: Manifest;
}

/** Writes `data` to `dir/name` atomically (temp file in the same folder, then rename). */
export function writeAtomic(dir: string, name: string, data: Buffer | string): void {
  if (name !== path.basename(name) || name.startsWith(".") || !/^[\p{L}\p{N}._-]+$/u.test(name)) throw new Error(`ugyldigt filnavn: ${name}`);
  const target = path.join(dir, name);
  const tmp = path.join(dir, `.udbud-tmp-${process.pid}-${name}`);
  const fd = fs.openSync(tmp, "w", 0o644);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export async function renderTree(tree: DocumentTree, format: Format): Promise<Buffer> {
  switch (format) {
    case "docx":
      return writeDocx(tree, { pageNumbers: false });
    case "pdf":
      return writePdf(tree);
    case "html":
      return Buffer.from(writeHtml(tree), "utf8");
    case "md":
      return Buffer.from(writeMarkdown(tree), "utf8");
  }
}

/** Reads, builds and writes every document. Nothing is written unless the whole build succeeded. */
export async function renderSpec(spec: string, opts: { out?: string; formats: Format[]; only?: string[]; templatesDir?: string; overskriv?: boolean; endelig?: boolean }): Promise<RenderResult> {
  const read = readSpec(spec);
  if (!read.udbud) return { errors: read.errors, warnings: read.warnings, documents: [] };
  if (opts.endelig && read.eksempelværdier.length) return { errors: finalDiagnostics(read.eksempelværdier), warnings: read.warnings, documents: [] };
  const built = buildDocuments(read.udbud, read.sourceMap, opts);
  const warnings = [...read.warnings, ...built.warnings];
  if (built.errors.length) return { errors: built.errors, warnings, documents: [] };
  // Render everything in memory first: a failure leaves no half-written output.
  const files: { name: string; data: Buffer }[] = [];
  const documents: ManifestEntry[] = [];
  for (const tree of built.trees) {
    const entry: ManifestEntry = { id: tree.id, title: tree.title, files: {}, sha256: {} };
    for (const f of opts.formats) {
      const data = await renderTree(tree, f);
      const name = `${tree.id}.${f}`;
      files.push({ name, data });
      entry.files[f] = name;
      entry.sha256[f] = createHash("sha256").update(data).digest("hex");
    }
    documents.push(entry);
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
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of files) writeAtomic(outDir, f.name, f.data);
  writeAtomic(outDir, MANIFEST, JSON.stringify(manifest, null, 2) + "\n");
  return { errors: [], warnings, documents, outDir, manifest };
}
