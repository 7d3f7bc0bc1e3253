/**
 * PDF writer: lays the document tree out as an A4 Danish contract with pdfkit.
 *
 * pdfkit is used as a drawing surface only; line breaking, justification, page breaks (keep-with-next,
 * widows/orphans, repeated table headers), lists and tables are laid out here, so every break is
 * under our control and the output is byte-for-byte deterministic. The layout runs at least twice:
 * the first pass learns on which page each heading lands, the next pass prints those numbers in the
 * table of contents (whose size does not depend on the numbers), until the pages are stable.
 *
 * Files: style.ts (geometry, type scheme), fonts.ts (Carlito and DejaVu, shared parsed fonts),
 * output.ts (glyph encoding, batched writes), text.ts (text model, widths, line breaking), tags.ts,
 * layout.ts (the pass over the tree), document.ts, and this entry point.
 *
 * Fonts are Carlito (the DOCX's Calibri, metric-compatible; one type scheme for both formats) and,
 * for charts and characters Carlito lacks, DejaVu Sans/Serif, embedded as subsets; the parsed
 * fonts, word shapes and widths are shared by all documents of the process (see `useFont`), and a
 * first pass that only finds the headings' pages draws nothing (see `Pass.dry`). The PDF is
 * tagged (Document, H1–H6, P, L/LI/Lbl/LBody, Table/TR/TH/TD, BlockQuote, TOC/TOCI, Figure with its
 * alt text and Caption); page headers, footers, rules, borders, leaders and repeated table headers
 * are artifacts.
 *
 * Figures (charts as SVG) are drawn as vector graphics by svg-to-pdfkit, scaled down to the text
 * width (never up), on the next page if they do not fit on this one, with "Figur N. …" below;
 * every SVG font becomes DejaVu Sans (or Serif), the fonts the document already embeds.
 */
import { Block, DocumentTree, Heading } from "../../doc/ast.js";
import { Measure } from "./text.js";
import { Memo, Pass } from "./layout.js";

type PDFDoc = PDFKit.PDFDocument;

// ---------------------------------------------------------------- helpers

/** Every heading, in document order, including those nested in lists and block quotes. */
export function allHeadings(blocks: Block[], out: Heading[] = []): Heading[] {
  for (const b of blocks) {
    if (b.type === "heading") out.push(b);
    else if (b.type === "list") for (const item of b.items) allHeadings(item, out);
    else if (b.type === "blockquote") allHeadings(b.content, out);
  }
  return out;
}

/** Unique named-destination names: the clause id where there is one. */
export function destinations(tree: DocumentTree): { dests: Map<Heading, string>; idDest: Map<string, string> } {
  const dests = new Map<Heading, string>();
  const idDest = new Map<string, string>();
  const used = new Set<string>();
  allHeadings(tree.blocks).forEach((h, i) => {
    let name = h.id ? h.id : `overskrift-${i + 1}`;
    for (let n = 2; used.has(name); n++) name = `${h.id ?? "overskrift"}-${i + 1}-${n}`;
    used.add(name);
    dests.set(h, name);
    if (h.id && !idDest.has(h.id)) idDest.set(h.id, name);
  });
  return { dests, idDest };
}

export function sameMap(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export function toBuffer(pdf: PDFDoc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on("data", (c: Buffer) => chunks.push(c));
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
    pdf.end();
  });
}


/** Whether any block is a table of contents, the only thing that depends on page numbers. */
export const hasToc = (blocks: Block[]): boolean => blocks.some((b) => b.type === "toc");

/**
 * Renders the document tree as a tagged, deterministic A4 PDF: cover, table of contents with real
 * page numbers, bookmarks, running header and "Side X af Y" footer.
 */
export async function writePdf(doc: DocumentTree): Promise<Buffer> {
  const m = new Measure();
  const memo = new Memo();
  const { dests, idDest } = destinations(doc);
  let known = new Map<string, number>();
  const toc = hasToc(doc.blocks);
  // With a table of contents the first pass, which cannot know the page numbers yet, is a dry one:
  // only its pages are used. Its PDF is needed only if no later pass runs (no headings at all).
  const first = new Pass(doc, m, memo, dests, idDest, known, toc).run();
  let result = toc && sameMap(first.pages, known) ? new Pass(doc, m, memo, dests, idDest, known).run() : first;
  for (let pass = 2; pass <= 5 && toc && !sameMap(result.pages, known); pass++) {
    known = result.pages;
    result = new Pass(doc, m, memo, dests, idDest, known).run();
  }
  return toBuffer(result.pdf);
}
