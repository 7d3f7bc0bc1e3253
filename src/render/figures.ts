/**
 * A spec's own figures (`figur` blocks in a lot's outline: bar charts from numbers in the spec, e.g.
 * the target-group statistics of seed 003's bilag B1/B2) as the FigureMap the Markdown parser needs.
 *
 * Documents are built synchronously, but the chart module (vega) is large and loads
 * asynchronously; it is loaded only for a spec that has figures (`loadChartsFor`, called by the
 * async entry points before they build). Where it is not loaded (a synchronous caller that only
 * needs headings, e.g. the clause list), a figure is built as a table of the same numbers with
 * the same caption, so no caller fails and nothing is lost.
 */
import type { FigureMap } from "../doc/ast.js";
import { Diagnostic, joinPointer, pointerToPath } from "../diagnostics.js";
import type { Afsnit, Blok, Figur, Udbud } from "../model/types.js";
import type { SourceMap } from "../read/source.js";
import type { DocumentPlan } from "./documents.js";

type Charts = typeof import("../chart/index.js");
let charts: Charts | undefined;

/** Every figure of a spec's outlines, with its JSON pointer. */
export function specFigureBlocks(u: Udbud, plan?: DocumentPlan): { figur: Figur; pointer: string }[] {
  const out: { figur: Figur; pointer: string }[] = [];
  const walkBlocks = (blocks: Blok[] | undefined, ptr: string): void =>
    (blocks ?? []).forEach((b, i) => {
      const p = joinPointer(ptr, i);
      if (b.figur) out.push({ figur: b.figur, pointer: joinPointer(p, "figur") });
      if (b.afsnit) walkSection(b.afsnit, joinPointer(p, "afsnit"));
    });
  const walkSection = (a: Afsnit, ptr: string): void => {
    walkBlocks(a.indhold, joinPointer(ptr, "indhold"));
    (a.afsnit ?? []).forEach((s, i) => walkSection(s, joinPointer(joinPointer(ptr, "afsnit"), i)));
  };
  u.delkontrakter.forEach((lot, li) => {
    if (plan && plan.lot?.id !== lot.id) return;
    const root = `/delkontrakter/${li}`;
    if (!plan || plan.template === "kravspecifikation") (lot.disposition ?? []).forEach((a, i) => walkSection(a, joinPointer(joinPointer(root, "disposition"), i)));
    if (!plan || plan.template === "maalgruppe") (lot.målgruppe?.disposition ?? []).forEach((a, i) => walkSection(a, `${root}/målgruppe/disposition/${i}`));
  });
  return out;
}

/**
 * Loads the chart module when the documents to build have figures (before building them). `plans`:
 * the documents that will be built (`--only`); without it, every document of the spec.
 */
export async function loadChartsFor(u: Udbud | undefined, plans?: readonly DocumentPlan[]): Promise<void> {
  if (charts || !u) return;
  const has = plans ? plans.some((p) => specFigureBlocks(u, p).length > 0) : specFigureBlocks(u).length > 0;
  if (has) charts = await import("../chart/index.js");
}

/** The figure's numbers as a plain table (Markdown), for when charts are not loaded. */
export function figureTable(f: Figur): string {
  const cell = (s: string | number) => String(s).replace(/\|/g, "\\|");
  const unit = f.enhed === "antal" ? "" : " %";
  const head = `| | ${f.serier.map((s) => cell(s.navn)).join(" | ")} |`;
  const rows = f.kategorier.map((k, i) => `| ${cell(k)} | ${f.serier.map((s) => (s.værdier[i] == null ? "" : `${String(s.værdier[i]).replace(".", ",")}${unit}`)).join(" | ")} |`);
  return [head, `|---|${f.serier.map(() => "---|").join("")}`, ...rows].join("\n");
}

/**
 * Room for the category labels: the chart module wraps them at spaces but truncates a word wider
 * than its column, so the chart is made wide enough for the longest word (about 6,8 px a letter
 * at the labels' 11 px), at least 640 px; a writer scales a figure wider than the page down.
 */
function widthFor(categories: string[]): number {
  const longest = Math.max(...categories.flatMap((c) => c.split(/\s+/)).map((w) => [...w].length));
  return Math.round(Math.min(1000, Math.max(640, 130 + categories.length * ((longest * 6.8 + 10) / 0.9))));
}

/**
 * The figures of one document: each `figur` drawn as a bar chart. A figure whose numbers do not
 * fit its categories, or an id used twice, is an error located in the spec.
 */
export function specFigures(u: Udbud, plan: DocumentPlan, map: SourceMap): { figures: FigureMap; errors: Diagnostic[]; tables: Map<string, string> } {
  const figures: FigureMap = {};
  const tables = new Map<string, string>();
  const errors: Diagnostic[] = [];
  const err = (pointer: string, message: string) => errors.push({ severity: "fejl", ...map.locate(pointer), path: pointerToPath(pointer), message, code: "render.figure" });
  for (const { figur: f, pointer } of specFigureBlocks(u, plan)) {
    if (Object.prototype.hasOwnProperty.call(figures, f.id) || tables.has(f.id)) {
      err(joinPointer(pointer, "id"), `Figur-id'et '${f.id}' bruges af flere figurer i dokumentet '${plan.id}'.`);
      continue;
    }
    const bad = f.serier.findIndex((s) => s.værdier.length !== f.kategorier.length);
    if (bad >= 0) {
      const n = f.serier[bad].værdier.length;
      err(joinPointer(joinPointer(joinPointer(pointer, "serier"), bad), "værdier"), `Dataserien '${f.serier[bad].navn}' har ${n === 1 ? "én værdi" : `${n} værdier`}, men figuren har ${f.kategorier.length} kategorier: der skal være én værdi pr. kategori.`);
      continue;
    }
    const dup = f.kategorier.find((k, i) => f.kategorier.indexOf(k) !== i);
    if (dup !== undefined) {
      err(joinPointer(pointer, "kategorier"), `Kategorien '${dup}' står to gange i figuren '${f.id}'.`);
      continue;
    }
    if (!charts) {
      tables.set(f.id, figureTable(f));
      continue;
    }
    const unit = f.enhed ?? "pct";
    const c = charts.barChartSync({
      categories: f.kategorier,
      series: f.serier.map((s) => ({ name: s.navn, values: s.værdier })),
      yTitle: f.akse ?? (unit === "pct" ? "Andel" : "Antal"),
      unit,
      alt: f.titel,
      width: widthFor(f.kategorier),
      height: 300,
    });
    figures[f.id] = { svg: c.svg, width: c.width, height: c.height, alt: c.alt };
  }
  return { figures, errors, tables };
}
