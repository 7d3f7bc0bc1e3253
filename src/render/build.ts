/**
 * Building document trees: per document, view → template (Markdown) → document tree
 * (parse, clause overrides, numbering, references, defined terms). No files are written here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Diagnostic, joinPointer, pointerToPath } from "../diagnostics.js";
import type { DocumentTree } from "../doc/ast.js";
import { numberDocument } from "../doc/number.js";
import { applyOverrides } from "../doc/overrides.js";
import { markdownParser, parseMarkdown } from "../doc/parse.js";
import { checkTerms } from "../doc/terms.js";
import type { Udbud } from "../model/types.js";
import { templatesDir as defaultTemplatesDir } from "../paths.js";
import type { SourceMap } from "../read/source.js";
import { hint } from "../suggest.js";
import { planDocuments, type DocumentPlan } from "./documents.js";
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
export function numberTree(tree: DocumentTree, templates: TemplateSet, template: string): Diagnostic[] {
  const errors: Diagnostic[] = [];
  const dir = templates.dir;
  for (const p of numberDocument(tree)) {
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

/** Builds the document trees for a validated tender (no files written). */
export function buildDocuments(u: Udbud, map: SourceMap, opts: { templatesDir?: string; only?: string[] } = {}): BuildResult {
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
      if (!ids.includes(want) && !plans.some((p) => p.id.startsWith(want))) {
        errors.push({ severity: "fejl", file: map.entry, line: 1, column: 1, path: "", message: `Dokumentet '${want}' findes ikke.${hint(want, ids)} Dokumenter: ${ids.join(", ")}.`, code: "render.unknown-document" });
      }
    }
    selected = plans.filter((p) => opts.only!.some((w) => p.id === w || p.id.startsWith(w)));
  }
  // Overrides that name unknown documents.
  (u.klausuler ?? []).forEach((k, i) => {
    const docId = k.dokument ?? "rammeaftale";
    if (!plans.some((p) => p.id === docId))
      errors.push(specDiag(map, joinPointer(joinPointer("/klausuler", i), k.dokument ? "dokument" : "id"), `Dokumentet '${docId}' findes ikke.${hint(docId, plans.map((p) => p.id))}`, "render.override"));
  });
  const md = markdownParser();
  const known = standardDefinitions(dir, u).map((d) => d.begreb);
  const trees: DocumentTree[] = [];
  for (const plan of selected) {
    let markdown: string;
    try {
      markdown = templates.render(plan.template, buildView(u, plan, plans, dir));
    } catch (e) {
      if (e instanceof TemplateError) {
        const d = templateDiag(e);
        if (!errors.some((x) => x.file === d.file && x.line === d.line && x.message === d.message)) errors.push(d);
        continue;
      }
      throw e;
    }
    const overrides = (u.klausuler ?? []).map((k, index) => ({ k, index })).filter(({ k }) => (k.dokument ?? "rammeaftale") === plan.id);
    const applied = applyOverrides(parseMarkdown(markdown, md), overrides);
    for (const p of applied.problems) {
      const [message, ids] = p.message.split("|");
      const ptr = joinPointer(joinPointer("/klausuler", p.index), p.field);
      errors.push(specDiag(map, ptr, ids !== undefined ? `${message}${hint(u.klausuler![p.index].id, ids.split(","))}` : message, "render.override"));
    }
    const tree = treeFor(plan, u.dato ?? u.tidsplan.offentliggørelse, u.ordregiver.navn, applied.blocks);
    errors.push(...numberTree(tree, templates, plan.template));
    trees.push(tree);
  }
  // Defined terms: the contract defines them for itself and its annexes. With --only, usage in
  // documents that were not built is unknown, so only "used but undefined" is checked then.
  const contract = trees.find((t) => t.id === "rammeaftale");
  if (contract) {
    const terms = checkTerms(contract, known, trees.filter((t) => t !== contract));
    if (!opts.only?.length) for (const t of terms.unused) warnings.push({ ...definitionPlace(u, map, dir, t), message: `Begrebet ”${t}” er defineret i rammeaftalen, men bruges ikke i udbudsmaterialet.`, code: "render.term-unused", severity: "advarsel" });
    for (const t of terms.undefinedUsed) warnings.push(specDiag(map, "", `Begrebet ”${t}” bruges i rammeaftalen, men er ikke defineret.`, "render.term-undefined", "advarsel"));
  }
  return { trees, errors, warnings };
}

