/**
 * Building document trees: per document, view → template (Markdown) → document tree
 * (parse, clause overrides, numbering, references, defined terms). No files are written here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Diagnostic, joinPointer, pointerToPath, sortDiagnostics } from "../diagnostics.js";
import type { Block, DocumentTree, Inline } from "../doc/ast.js";
import { exampleValues } from "../read/illustrative.js";
import { numberDocument } from "../doc/number.js";
import { applyOverrides } from "../doc/overrides.js";
import { markdownParser, parseMarkdown } from "../doc/parse.js";
import { checkTerms } from "../doc/terms.js";
import type { Udbud } from "../model/types.js";
import { templatesDir as defaultTemplatesDir } from "../paths.js";
import type { SourceMap } from "../read/source.js";
import { hint } from "../suggest.js";
import { planDocuments, type DocumentPlan } from "./documents.js";
import { specFigures } from "./figures.js";
import { TemplateError, loadTemplates, type TemplateSet } from "./templates.js";
import { buildView, standardDefinitions } from "./view.js";

export interface BuildResult {
  trees: DocumentTree[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** A template error as a diagnostic (file, line and column in the template). */
export function templateDiag(e: TemplateError): Diagnostic {
  return { severity: "fejl", file: e.file, line: e.line, column: e.column, path: "", message: e.message.replace(/^.*?: fejl i skabelon: /, "Fejl i skabelon: "), code: "template" };
}

function specDiag(map: SourceMap, pointer: string, message: string, code: string, severity: "fejl" | "advarsel" = "fejl"): Diagnostic {
  return { severity, ...map.locate(pointer), path: pointerToPath(pointer), message, code };
}

/**
 * Numbers a document tree and resolves its references (doc/number.ts). An unknown reference or a
 * duplicate clause id is a diagnostic located in the template (`template` is its name).
 */
export function numberTree(tree: DocumentTree, templates: TemplateSet, template: string, inSpec: (id: string) => boolean = () => false): Diagnostic[] {
  const errors: Diagnostic[] = [];
  const dir = templates.dir;
  for (const p of numberDocument(tree)) {
    if (p.kind === "unknown-ref" && inSpec(p.id)) continue; // reported located in the spec (outlineRefErrors)
    if (p.kind === "unknown-ref") {
      const places = templates.refPlaces(p.id);
      const [file, line] = (places[0] ?? `${path.join(dir, `${template}.md.hbs`)}:1`).split(/:(?=\d+$)/);
      errors.push({ severity: "fejl", file, line: Number(line), column: 1, path: "", message: `Fejl i skabelon: henvisning til ukendt klausul '${p.id}' i dokumentet '${tree.id}' (udeladt eller stavet forkert?).`, code: "template.ref" });
    } else {
      errors.push({ severity: "fejl", file: path.join(dir, `${template}.md.hbs`), line: 1, column: 1, path: "", message: `Fejl i skabelon: klausul-id'et '${p.id}' bruges af flere overskrifter i '${tree.id}'.`, code: "template.duplicate-id" });
    }
  }
  return errors;
}

/** `{ref:id}` / `{nr:id}` in a lot's outline (disposition) for this document, with their JSON pointers. */
function outlineRefs(u: Udbud, plan: DocumentPlan): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const lotIndex = plan.lot ? u.delkontrakter.findIndex((d) => d.id === plan.lot!.id) : -1;
  if (lotIndex < 0) return out;
  const lot = u.delkontrakter[lotIndex];
  const [root, outline] =
    plan.template === "kravspecifikation" ? [`/delkontrakter/${lotIndex}/disposition`, lot.disposition] : plan.template === "maalgruppe" ? [`/delkontrakter/${lotIndex}/målgruppe/disposition`, lot.målgruppe?.disposition] : ["", undefined];
  const walk = (v: unknown, ptr: string): void => {
    if (typeof v === "string") {
      for (const m of v.matchAll(/\{(?:ref|nr):([\p{L}\p{N}_.-]+)\}/gu)) out.set(m[1], [...(out.get(m[1]) ?? []), ptr]);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, joinPointer(ptr, i)));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, joinPointer(ptr, k));
  };
  if (outline) walk(outline, root);
  return out;
}

function headingIds(tree: DocumentTree): string[] {
  return tree.blocks.flatMap((b) => (b.type === "heading" && b.id ? [b.id] : []));
}

/** How many example values (`# illustrativ`) a document's blocks show. */
export function countExamples(blocks: Block[]): number {
  const inl = (xs: Inline[]): number => xs.reduce((n, x) => n + (x.type === "example" ? 1 : "content" in x ? inl(x.content) : 0), 0);
  const blk = (b: Block): number => {
    switch (b.type) {
      case "heading":
      case "paragraph":
        return inl(b.content);
      case "figure":
        return inl(b.caption);
      case "list":
        return b.items.reduce((n, it) => n + it.reduce((m, x) => m + blk(x), 0), 0);
      case "table":
        return [b.header, ...b.rows].reduce((n, r) => n + r.reduce((m, c) => m + inl(c.content), 0), 0);
      case "blockquote":
        return b.content.reduce((n, x) => n + blk(x), 0);
      default:
        return 0;
    }
  };
  return blocks.reduce((n, b) => n + blk(b), 0);
}

/** The first page says how many example values the document holds, before anything else. */
function withExampleNotice(blocks: Block[]): Block[] {
  const n = countExamples(blocks);
  if (n === 0) return blocks;
  const text = `Dokumentet indeholder ${n === 1 ? "én eksempelværdi" : `${n} eksempelværdier`} (markeret), som ikke er endelig${n === 1 ? "" : "e"}. ${n === 1 ? "Den" : "De"} skal erstattes med de endelige værdier, før udbudsmaterialet offentliggøres.`;
  return [{ type: "paragraph", content: [{ type: "strong", content: [{ type: "text", text }] }] }, ...blocks];
}

/** A document tree for a plan: its id, titles and metadata, and the blocks. */
export function treeFor(plan: DocumentPlan, date: string, author: string, blocks: DocumentTree["blocks"]): DocumentTree {
  return { id: plan.id, title: plan.title, subtitle: plan.subtitle, label: plan.label, lang: "da", date, author, blocks };
}

/** Where a term is defined: its entry under the spec's `definitioner`, else the standard list's line. */
function definitionPlace(u: Udbud, map: SourceMap, dir: string, term: string): Pick<Diagnostic, "file" | "line" | "column" | "path"> {
  const i = (u.definitioner ?? []).findIndex((d) => d.begreb === term);
  if (i >= 0) {
    const ptr = joinPointer(joinPointer("/definitioner", i), "begreb");
    return { ...map.locate(ptr), path: pointerToPath(ptr) };
  }
  const file = path.join(dir, "definitioner.yaml");
  try {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const at = lines.findIndex((l) => new RegExp(`^\\s*-?\\s*begreb:\\s*["']?${term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']?\\s*$`).test(l));
    if (at >= 0) return { file, line: at + 1, column: lines[at].indexOf("begreb") + 1, path: "" };
  } catch {
    // fall through to the spec's first line
  }
  return { ...map.locate(""), path: "" };
}

/** Overrides that name a document the tender does not have. */
function unknownOverrideDocuments(u: Udbud, map: SourceMap, plans: DocumentPlan[]): Diagnostic[] {
  const errors: Diagnostic[] = [];
  (u.klausuler ?? []).forEach((k, i) => {
    const docId = k.dokument ?? "rammeaftale";
    if (!plans.some((p) => p.id === docId))
      errors.push(specDiag(map, joinPointer(joinPointer("/klausuler", i), k.dokument ? "dokument" : "id"), `Dokumentet '${docId}' findes ikke.${hint(docId, plans.map((p) => p.id))}`, "render.override"));
  });
  return errors;
}

/** A document's blocks with the spec's overrides for it applied; their problems are pushed to `errors`. */
function overridden(u: Udbud, map: SourceMap, plan: DocumentPlan, blocks: Block[], errors: Diagnostic[]): ReturnType<typeof applyOverrides> {
  const overrides = (u.klausuler ?? []).map((k, index) => ({ k, index })).filter(({ k }) => (k.dokument ?? "rammeaftale") === plan.id);
  const applied = applyOverrides(blocks, overrides);
  for (const p of applied.problems) {
    const [message, ids] = p.message.split("|");
    const ptr = joinPointer(joinPointer("/klausuler", p.index), p.field);
    errors.push(specDiag(map, ptr, ids !== undefined ? `${message}${hint(u.klausuler![p.index].id, ids.split(","))}` : message, "render.override"));
  }
  return applied;
}

/**
 * The `render.override` errors buildDocuments would report (an override naming an unknown document
 * or clause), without building the trees: only the documents that overrides name are rendered from
 * their templates and parsed; nothing is numbered or checked further (for `validate`). A template
 * that fails gives no override errors, as in buildDocuments.
 */
export function overrideErrors(u: Udbud, map: SourceMap, opts: { templatesDir?: string; examples?: readonly string[] } = {}): Diagnostic[] {
  if (!u.klausuler?.length) return [];
  const dir = opts.templatesDir ?? defaultTemplatesDir;
  let templates: TemplateSet;
  try {
    templates = loadTemplates(dir);
  } catch (e) {
    if (e instanceof TemplateError) return [];
    throw e;
  }
  const plans = planDocuments(u);
  const errors = unknownOverrideDocuments(u, map, plans);
  const named = new Set(u.klausuler.map((k) => k.dokument ?? "rammeaftale"));
  const examples = opts.examples ?? exampleValues(u, map).map((v) => v.pointer);
  for (const plan of plans) {
    if (!named.has(plan.id)) continue;
    let markdown: string;
    try {
      markdown = templates.render(plan.template, buildView(u, plan, plans, dir, examples));
    } catch (e) {
      if (e instanceof TemplateError) continue;
      throw e;
    }
    overridden(u, map, plan, parseMarkdown(markdown, (parser ??= markdownParser())), errors);
  }
  return sortDiagnostics(errors);
}

/** One Markdown parser per process (creating one compiles its rules; parsing does not change it). */
let parser: ReturnType<typeof markdownParser> | undefined;

/**
 * Builds the document trees for a validated tender (no files written). `only` selects documents by
 * id or id prefix (as `--only`); with `exact`, by whole id only. `onTree` is called with each
 * finished tree (numbered, not changed afterwards) as soon as it is built, before the whole
 * tender's checks: the render pool starts writing while later documents are still being built.
 * `examples`: the pointers of the spec's example values when the caller has them (readSpec's
 * `eksempelværdier`), so they are not looked up again.
 */
export function buildDocuments(
  u: Udbud,
  map: SourceMap,
  opts: { templatesDir?: string; only?: string[]; exact?: boolean; onTree?: (tree: DocumentTree) => void; examples?: readonly string[] } = {},
): BuildResult {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const dir = opts.templatesDir ?? defaultTemplatesDir;
  let templates: TemplateSet;
  try {
    templates = loadTemplates(dir);
  } catch (e) {
    if (e instanceof TemplateError) return { trees: [], errors: [templateDiag(e)], warnings };
    throw e;
  }
  const plans = planDocuments(u);
  let selected: DocumentPlan[] = plans;
  if (opts.only?.length) {
    const ids = plans.map((p) => p.id);
    for (const want of opts.only) {
      if (!ids.includes(want) && (opts.exact || !plans.some((p) => p.id.startsWith(want)))) {
        errors.push({ severity: "fejl", file: map.entry, line: 1, column: 1, path: "", message: `Dokumentet '${want}' findes ikke.${hint(want, ids)} Dokumenter: ${ids.join(", ")}.`, code: "render.unknown-document" });
      }
    }
    selected = plans.filter((p) => opts.only!.some((w) => p.id === w || (!opts.exact && p.id.startsWith(w))));
  }
  errors.push(...unknownOverrideDocuments(u, map, plans));
  const md = (parser ??= markdownParser());
  const definitions = standardDefinitions(dir, u);
  const known = definitions.map((d) => d.begreb);
  // A standard term the spec words itself is deliberate (seed 003 defines "Kvartal" without using it): no "unused" warning.
  const own = new Set(definitions.filter((d) => d.erstatter).map((d) => d.begreb));
  const examples = opts.examples ?? exampleValues(u, map).map((v) => v.pointer);
  const trees: DocumentTree[] = [];
  for (const plan of selected) {
    let markdown: string;
    try {
      markdown = templates.render(plan.template, buildView(u, plan, plans, dir, examples));
    } catch (e) {
      if (e instanceof TemplateError) {
        const d = templateDiag(e);
        if (!errors.some((x) => x.file === d.file && x.line === d.line && x.message === d.message)) errors.push(d);
        continue;
      }
      throw e;
    }
    const figs = specFigures(u, plan, map);
    errors.push(...figs.errors);
    // Without the chart module (a synchronous caller), a figure is its numbers as a table.
    for (const [id, table] of figs.tables) markdown = markdown.replace(new RegExp(`^!\\[(.*)\\]\\(figur:${id.replace(/[.]/g, "\\.")}\\)$`, "m"), (_m, caption: string) => `**${caption}**\n\n${table}`);
    if (figs.errors.length) continue;
    const applied = overridden(u, map, plan, parseMarkdown(markdown, md, figs.figures), errors);
    const tree = treeFor(plan, u.dato ?? u.tidsplan.offentliggørelse, u.ordregiver.navn, withExampleNotice(applied.blocks));
    if (u.kort_titel) tree.shortTitle = u.kort_titel;
    const specRefs = outlineRefs(u, plan);
    const treeErrors = numberTree(tree, templates, plan.template, (id) => specRefs.has(id));
    errors.push(...treeErrors);
    const ids = headingIds(tree);
    for (const [id, ptrs] of specRefs) {
      if (ids.includes(id)) continue;
      for (const ptr of ptrs) errors.push(specDiag(map, ptr, `Henvisningen til afsnittet '${id}' kan ikke findes i dokumentet '${tree.id}'.${hint(id, ids)}`, "render.outline-ref"));
    }
    trees.push(tree);
    if (errors.length === 0) opts.onTree?.(tree);
  }
  // Defined terms: the contract defines them for itself and its annexes. With --only, usage in
  // documents that were not built is unknown, so only "used but undefined" is checked then.
  const contract = trees.find((t) => t.id === "rammeaftale");
  if (contract) {
    const terms = checkTerms(contract, known, trees.filter((t) => t !== contract));
    if (!opts.only?.length) for (const t of terms.unused.filter((x) => !own.has(x))) warnings.push({ ...definitionPlace(u, map, dir, t), message: `Begrebet ”${t}” er defineret i rammeaftalen, men bruges ikke i udbudsmaterialet.`, code: "render.term-unused", severity: "advarsel" });
    for (const t of terms.undefinedUsed) warnings.push(specDiag(map, "", `Begrebet ”${t}” bruges i rammeaftalen, men er ikke defineret.`, "render.term-undefined", "advarsel"));
  }
  return { trees, errors, warnings };
}

