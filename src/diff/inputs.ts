/**
 * Inputs for the diff: a spec (folder or YAML, rendered to document trees), or a document file
 * (.docx, .md, .txt, .html). Everything becomes `ComparableDoc`s.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseHtml } from "parse5";
import { Block as AstBlock, DocumentTree, FigureMap, inlineText } from "../doc/ast.js";
import { parseMarkdown } from "../doc/parse.js";
import { Diagnostic } from "../diagnostics.js";
import type { Udbud } from "../model/types.js";
import { readSpec } from "../read/index.js";
import { readRegularFile, regularFileMessage } from "../read/regular-file.js";
import { displayPath } from "../read/source.js";
import { buildDocuments } from "../render/build.js";
import type { Block, Clause, ComparableDoc } from "./model.js";
import { DocxReadError, readDocx } from "./read-docx/index.js";
import { loadChartsFor } from "../render/figures.js";

/** Largest document file the diff reads (DOCX has its own, stricter limits in read-docx/errors.ts). */
export const MAX_INPUT_BYTES = 50 * 1024 * 1024;

const NUMBER = /^((\d+(?:\.\d+)*)\.?)\s+(\S.*)$/s;

/** "6.4 Bod" → { ref: "6.4", heading: "Bod" }; "1. Indledning" → { ref: "1", label: "1.", heading: "Indledning" } */
export function splitNumber(text: string): { ref: string | null; heading: string; label?: string } {
  const m = NUMBER.exec(text.trim());
  return m ? { ref: m[2], heading: m[3].trim(), ...(m[1] !== m[2] ? { label: m[1] } : {}) } : { ref: null, heading: text.trim() };
}

class Builder {
  clauses: Clause[] = [{ ref: null, heading: "", level: 0, blocks: [] }];
  heading(level: number, text: string, id?: string, ref?: string | null): void {
    const split: { ref: string | null; heading: string; label?: string } = ref !== undefined ? { ref, heading: text } : splitNumber(text);
    this.clauses.push({ ...(id ? { id } : {}), ref: split.ref, ...(split.label ? { label: split.label } : {}), heading: split.heading, level, blocks: [] });
  }
  block(b: Block): void {
    if (b.text.trim() === "" && b.kind !== "table-row") return;
    // A figure's caption as the writers number it ("Figur 3. Pris") compares as our trees give
    // it ("Figur: Pris"): a figure added before it is then not a change of this one.
    if (b.kind === "paragraph") b = { ...b, text: b.text.replace(/^Figur \d+\.(?:\s+|$)/, "Figur: ").trimEnd() };
    this.clauses[this.clauses.length - 1].blocks.push(b);
  }
  done(): Clause[] {
    return this.clauses[0].blocks.length ? this.clauses : this.clauses.slice(1);
  }
}

function addBlocks(b: Builder, blocks: AstBlock[], fromOurTree: boolean, depth = 0): void {
  for (const x of blocks) {
    switch (x.type) {
      case "heading":
        if (fromOurTree) b.heading(x.level, inlineText(x.content), x.id, x.number ?? null);
        else b.heading(x.level, inlineText(x.content), x.id);
        break;
      case "paragraph":
        b.block({ kind: "paragraph", text: inlineText(x.content) });
        break;
      case "list":
        x.items.forEach((item, k) => {
          const text = item.flatMap((i) => (i.type === "paragraph" ? [inlineText(i.content)] : [])).join("\n");
          b.block({ kind: "list-item", text, ...(x.ordered ? { marker: `${x.start + k}.` } : {}), ...(depth ? { level: depth } : {}) });
          addBlocks(b, item.filter((i) => i.type !== "paragraph"), fromOurTree, depth + 1);
        });
        break;
      case "blockquote":
        addBlocks(b, x.content, fromOurTree, depth);
        break;
      case "figure":
        // Compared by its caption, without its number (which any figure before it changes).
        b.block({ kind: "paragraph", text: `Figur: ${inlineText(x.caption)}`.trim() });
        break;
      case "table": {
        const row = (cells: { content: never[] }[], header: boolean) => {
          const texts = cells.map((c) => inlineText(c.content));
          b.block({ kind: "table-row", text: texts.join(" | "), cells: texts, header });
        };
        if (x.header.length) row(x.header as never, true);
        for (const r of x.rows) row(r as never, false);
        break;
      }
      default:
      // toc and pagebreak carry no text of their own
    }
  }
}

/** One of our document trees → ComparableDoc (ids and numbers are known exactly). */
export function fromTree(tree: DocumentTree): ComparableDoc {
  const b = new Builder();
  addBlocks(b, tree.blocks, true);
  // Our DOCX writer numbers the headings with Word's automatic numbering (src/write/docx.ts).
  return { id: tree.id, title: tree.title, clauses: b.done(), headingNumbers: "word" };
}

/**
 * Every `figur:ID` a Markdown text may refer to, with an empty picture: a Markdown file read for
 * the diff is compared by its figures' captions only. (Our own Markdown embeds the SVG instead.)
 */
function anyFigures(text: string): FigureMap {
  const figures: FigureMap = {};
  for (const m of text.matchAll(/\(\s*<?figur:([^\s)>]*)/gi)) {
    const raw = m[1].replace(/\\([!-/:-@[-`{-~])/g, "$1");
    for (const id of [raw, safeDecode(raw)]) figures[id] = { svg: "", width: 1, height: 1, alt: "" };
  }
  return figures;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function readMarkdownDoc(text: string, id: string): ComparableDoc {
  const b = new Builder();
  // Our Markdown writer adds a TOC ("**Indholdsfortegnelse**" + a list of links): drop it.
  const blocks = parseMarkdown(text, undefined, anyFigures(text));
  const tocAt = blocks.findIndex((x) => x.type === "paragraph" && inlineText(x.content).trim() === "Indholdsfortegnelse");
  if (tocAt >= 0 && blocks[tocAt + 1]?.type === "list") blocks.splice(tocAt, 2);
  // A leading level-1 heading without a number is the document title.
  let title = id;
  const first = blocks[0];
  if (first?.type === "heading" && first.level === 1 && !splitNumber(inlineText(first.content)).ref) {
    title = inlineText(first.content);
    blocks.shift();
  }
  // Our writer shifts clause levels one down (title is #): normalise so the shallowest numbered heading is 1.
  const levels = blocks.filter((x) => x.type === "heading").map((x) => (x as { level: number }).level);
  const shift = levels.length ? Math.min(...levels) - 1 : 0;
  addBlocks(b, blocks.map((x) => (x.type === "heading" ? { ...x, level: x.level - shift } : x)), false);
  return { id, title, clauses: b.done() };
}

export function readTextDoc(text: string, id: string): ComparableDoc {
  const b = new Builder();
  for (const para of text.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
    const t = para.trim();
    if (!t) continue;
    const split = splitNumber(t);
    if (split.ref && !t.includes("\n") && t.length < 120) b.heading(split.ref.split(".").length, t);
    else b.block({ kind: "paragraph", text: t.replace(/\s*\n\s*/g, " ") });
  }
  return { id, title: id, clauses: b.done() };
}

interface HNode {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: HNode[];
}

/** The text under a node, iteratively (an HTML input may nest 100.000 elements deep). */
function textOf(root: HNode): string {
  let out = "";
  const stack: HNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.nodeName === "#text") out += n.value ?? "";
    else if (n.nodeName === "br") out += "\n";
    else if (n.nodeName !== "script" && n.nodeName !== "style") {
      const kids = n.childNodes ?? [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
  }
  return out;
}

export function readHtmlDoc(html: string, id: string): ComparableDoc {
  const b = new Builder();
  let title = id;
  // Depth-first in document order with an explicit stack: no recursion on the input's depth.
  // An entry is a node to visit, or a list item (with its marker and nesting level) to emit.
  type Entry = { n: HNode; depth: number; item?: { marker?: string } };
  const stack: Entry[] = [];
  const push = (kids: HNode[], depth: number) => {
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ n: kids[i], depth });
  };
  const children = (n: HNode | HNode[], depth: number) => push(Array.isArray(n) ? n : (n.childNodes ?? []), depth);
  const nested = (li: HNode) => (li.childNodes ?? []).filter((c) => c.nodeName === "ul" || c.nodeName === "ol");
  const own = (li: HNode) => (li.childNodes ?? []).filter((c) => c.nodeName !== "ul" && c.nodeName !== "ol").map(textOf).join("").replace(/\s+/g, " ").trim();
  const visit = ({ n, depth, item }: Entry) => {
    if (item) {
      b.block({ kind: "list-item", text: own(n), ...(item.marker ? { marker: item.marker } : {}), ...(depth ? { level: depth } : {}) });
      push(nested(n), depth + 1);
      return;
    }
    const tag = n.nodeName;
    if (tag === "title") title = textOf(n).trim() || title;
    if (tag === "nav" || tag === "script" || tag === "style" || tag === "head" || tag === "header") {
      if (tag === "head") children(n, depth);
      return;
    }
    const h = /^h([1-6])$/.exec(tag);
    if (h) {
      const id = n.attrs?.find((a) => a.name === "id")?.value;
      b.heading(Number(h[1]), textOf(n).replace(/\s+/g, " "), id);
      return;
    }
    if (tag === "p") return b.block({ kind: "paragraph", text: textOf(n).replace(/\s+/g, " ").trim() });
    // A figure is its caption (the chart's own text is not compared).
    if (tag === "figure") {
      const caption = (n.childNodes ?? []).find((c) => c.nodeName === "figcaption");
      if (caption) b.block({ kind: "paragraph", text: textOf(caption).replace(/\s+/g, " ").trim() });
      return;
    }
    if (tag === "ol" || tag === "ul") {
      const attr = (k: string) => n.attrs?.find((x) => x.name === k)?.value;
      const start = Number(attr("start") ?? 1) || 1;
      const type = attr("type") ?? "1";
      let k = 0;
      const entries: Entry[] = [];
      for (const li of n.childNodes ?? []) {
        if (li.nodeName !== "li") {
          entries.push({ n: li, depth });
          continue;
        }
        const num = start + k++;
        const marker = tag === "ul" ? undefined : type === "a" ? `${String.fromCharCode(96 + ((num - 1) % 26) + 1)})` : type === "A" ? `${String.fromCharCode(64 + ((num - 1) % 26) + 1)}.` : `${num}.`;
        entries.push({ n: li, depth, item: { marker } });
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i]);
      return;
    }
    if (tag === "li") {
      b.block({ kind: "list-item", text: own(n) });
      push(nested(n), depth);
      return;
    }
    if (tag === "tr") {
      const cells = (n.childNodes ?? []).filter((c) => c.nodeName === "td" || c.nodeName === "th");
      const texts = cells.map((c) => textOf(c).replace(/\s+/g, " ").trim());
      return b.block({ kind: "table-row", text: texts.join(" | "), cells: texts, header: cells.some((c) => c.nodeName === "th") });
    }
    children(n, depth);
  };
  stack.push({ n: parseHtml(html) as unknown as HNode, depth: 0 });
  while (stack.length) visit(stack.pop()!);
  // h1 is usually the page title: normalise levels so the shallowest numbered heading is 1.
  const clauses = b.done();
  const numbered = clauses.filter((c) => c.ref);
  const shift = numbered.length ? Math.min(...numbered.map((c) => c.level)) - 1 : 0;
  return { id, title, clauses: clauses.filter((c) => !(c.level === 1 && !c.ref && shift > 0 && c.blocks.length === 0)).map((c) => (c.level > 0 ? { ...c, level: Math.max(1, c.level - shift) } : c)) };
}

export interface Side {
  label: string;
  docs: ComparableDoc[];
  /** Present when the side is a spec. */
  udbud?: Udbud;
}

function err(file: string, message: string, code: string): Diagnostic {
  return { severity: "fejl", file, line: 1, column: 1, path: "", message, code };
}

/** Reads one side of a comparison. */
export async function readSide(target: string): Promise<{ side?: Side; errors: Diagnostic[] }> {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch {
    return { errors: [err(target, `'${target}' findes ikke.`, "diff.missing")] };
  }
  const ext = path.extname(target).toLowerCase();
  const label = displayPath(path.resolve(target));
  if (stat.isDirectory() || ext === ".yaml" || ext === ".yml") {
    const read = readSpec(target);
    if (!read.udbud) return { errors: read.errors };
    await loadChartsFor(read.udbud);
    const built = buildDocuments(read.udbud, read.sourceMap);
    if (built.errors.length) return { errors: built.errors };
    return { side: { label, docs: built.trees.map(fromTree), udbud: read.udbud }, errors: [] };
  }
  if (stat.size > MAX_INPUT_BYTES) return { errors: [err(label, `Filen er for stor til at sammenligne (${stat.size} bytes; grænsen er ${MAX_INPUT_BYTES / 1024 / 1024} MiB).`, "diff.too-large")] };
  // Only a regular file is read (a FIFO or a link to /dev/zero would hang or read without end).
  const read = readRegularFile(path.resolve(target), MAX_INPUT_BYTES);
  if (!("data" in read)) return { errors: [err(label, regularFileMessage(read, label, MAX_INPUT_BYTES), `diff.${read.problem}`)] };
  const data = read.data;
  const id = path.basename(target, ext);
  if (ext === ".docx") {
    try {
      return { side: { label, docs: [await readDocx(data, id)] }, errors: [] };
    } catch (e) {
      if (e instanceof DocxReadError) return { errors: [err(label, e.message, "diff.docx")] };
      throw e;
    }
  }
  const text = data.toString("utf8");
  if (ext === ".md" || ext === ".markdown") return { side: { label, docs: [readMarkdownDoc(text, id)] }, errors: [] };
  if (ext === ".html" || ext === ".htm") return { side: { label, docs: [readHtmlDoc(text, id)] }, errors: [] };
  if (ext === ".txt" || ext === "") return { side: { label, docs: [readTextDoc(text, id)] }, errors: [] };
  return { errors: [err(label, `Filtypen '${ext}' kan ikke sammenlignes. Brug en spec (mappe eller .yaml), .docx, .md, .txt eller .html.`, "diff.type")] };
}
