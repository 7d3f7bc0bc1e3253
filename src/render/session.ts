/**
 * Warm, in-process re-rendering of one document in one format: the building block of a live
 * preview (a browser studio, an editor plug-in). Usage:
 *
 *   import { createRenderSession } from "udbud/dist/src/render/session.js";
 *   const session = createRenderSession("specs/kk-2020-udsatte-sygemeldte");
 *   // after every edit of a spec file (saved to disk):
 *   const r = await session.render("rammeaftale", "html");
 *   if (r.errors.length === 0) preview(r.data!.toString("utf8"));
 *   else show(r.errors); // Danish diagnostics with file, line and column, as `udbud validate`
 *
 * Each call re-reads the spec's files from disk and reuses what did not change:
 * - parsed files: a file whose text is unchanged is not parsed again (read/fast.ts ParseCache);
 * - the validated model: when no file changed at all, the previous read result (schema and rule
 *   checks included) is reused as it is; after an edit the model is rebuilt from the cached parses
 *   and checked again as a whole, because the rules cross files (ids, volumes, references);
 * - compiled templates: cached per template folder while the template texts are unchanged
 *   (render/templates.ts), and precompiled by the build;
 * - the writers' fonts and word shaping: loaded once per process by the writers themselves.
 *
 * The bytes are those `udbud render --only <id> --format <format>` writes for the same input
 * (tests/session.test.ts). Nothing is written to disk. A session is not safe for concurrent calls
 * from several threads; calls from one event loop may overlap (each awaits its own result).
 */
import { performance } from "node:perf_hooks";
import type { Diagnostic } from "../diagnostics.js";
import { readSpec, type ParseCache, type ReadResult } from "../read/index.js";
import { readSourceFile } from "../read/source.js";
import { buildDocuments } from "./build.js";
import { planDocuments } from "./documents.js";
import type { DocFormat as Format } from "./formats.js";
import { renderTree } from "./write.js";
import { loadChartsFor } from "./figures.js";

export interface SessionRender {
  /** Errors in the spec or the templates; when non-empty there is no `data`. */
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** The document in the requested format (UTF-8 text for html and md). */
  data?: Buffer;
  /** The document's title, for a preview's window or tab. */
  title?: string;
  /** Where the time went, in milliseconds, and what was reused. */
  stats: { readMs: number; buildMs: number; writeMs: number; filesParsed: number; filesReused: number; modelReused: boolean };
}

export interface RenderSession {
  /** The spec folder or file the session reads. */
  readonly spec: string;
  /** Re-reads the spec (only what changed) and renders one document in one format. */
  render(documentId: string, format: Format): Promise<SessionRender>;
  /** The ids and titles of the documents the spec currently produces (after a successful read). */
  documents(): { id: string; title: string }[];
  /**
   * Re-reads the spec (only what changed) without rendering: the read result with the schema and
   * rule diagnostics of `udbud validate` (a live editor's diagnostics). Shares the cache with `render`.
   */
  check(): { result: ReadResult; filesParsed: number; filesReused: number; modelReused: boolean };
}

/** A session for a spec folder (with udbud.yaml) or a single YAML file. `templatesDir` as for `udbud render`. */
export function createRenderSession(spec: string, opts: { templatesDir?: string } = {}): RenderSession {
  const cache: ParseCache = new Map();
  let last: ReadResult | undefined;

  /** True when every file of the last read still has the same text (so the same files are included). */
  const unchanged = (): boolean => {
    if (!last) return false;
    for (const f of last.sourceMap.files) {
      const now = readSourceFile(f.abs);
      if ("error" in now || now.file.text !== f.text) return false;
    }
    return true;
  };

  const read = (): { result: ReadResult; parsed: number; reused: number; modelReused: boolean } => {
    if (last && unchanged()) return { result: last, parsed: 0, reused: last.sourceMap.files.length, modelReused: true };
    const before = new Map([...cache].map(([k, v]) => [k, v.value]));
    const result = readSpec(spec, { cache });
    let reused = 0;
    for (const f of result.sourceMap.files) if (before.has(f.abs) && before.get(f.abs) === cache.get(f.abs)?.value) reused++;
    // Keep only the files the spec still uses.
    const used = new Set(result.sourceMap.files.map((f) => f.abs));
    for (const k of cache.keys()) if (!used.has(k)) cache.delete(k);
    last = result.udbud ? result : undefined;
    return { result, parsed: result.sourceMap.files.length - reused, reused, modelReused: false };
  };

  return {
    spec,
    async render(documentId, format) {
      const t0 = performance.now();
      const r = read();
      const t1 = performance.now();
      const stats = { readMs: t1 - t0, buildMs: 0, writeMs: 0, filesParsed: r.parsed, filesReused: r.reused, modelReused: r.modelReused };
      if (!r.result.udbud) return { errors: r.result.errors, warnings: r.result.warnings, stats };
      await loadChartsFor(r.result.udbud, planDocuments(r.result.udbud).filter((p) => p.id === documentId));
      const built = buildDocuments(r.result.udbud, r.result.sourceMap, { templatesDir: opts.templatesDir, only: [documentId], exact: true });
      const t2 = performance.now();
      stats.buildMs = t2 - t1;
      const warnings = [...r.result.warnings, ...built.warnings];
      const tree = built.trees[0];
      if (built.errors.length || !tree) return { errors: built.errors, warnings, stats };
      const data = await renderTree(tree, format);
      stats.writeMs = performance.now() - t2;
      return { errors: [], warnings, data, title: tree.title, stats };
    },
    check() {
      const r = read();
      return { result: r.result, filesParsed: r.parsed, filesReused: r.reused, modelReused: r.modelReused };
    },
    documents() {
      const u = last?.udbud ?? readSpec(spec, { cache }).udbud;
      return u ? planDocuments(u).map((p) => ({ id: p.id, title: p.title })) : [];
    },
  };
}
