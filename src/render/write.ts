/**
 * One document tree → the bytes of one format. Each writer is imported when its format is first
 * asked for, so `--format html` never loads the DOCX or PDF stacks (docx, pdfkit, fontkit).
 */
import type { DocumentTree } from "../doc/ast.js";
import type { DocFormat as Format } from "./formats.js";

export async function renderTree(tree: DocumentTree, format: Format): Promise<Buffer> {
  switch (format) {
    case "docx":
      // The page layout (Word's, from docx/layout) only where its numbers are shown: a TOC.
      return (await import("../write/docx.js")).writeDocx(tree, { pageNumbers: tree.blocks.some((b) => b.type === "toc") });
    case "pdf":
      return (await import("../write/pdf.js")).writePdf(tree);
    case "html":
      return Buffer.from((await import("../write/html.js")).writeHtml(tree), "utf8");
    case "md":
      return Buffer.from((await import("../write/markdown.js")).writeMarkdown(tree), "utf8");
  }
}

/** Imports the writers of these formats now (a worker does this while the main thread builds the trees). */
export async function preloadWriters(formats: Format[]): Promise<void> {
  const load: Record<Format, () => Promise<unknown>> = {
    docx: () => import("../write/docx.js"),
    pdf: () => import("../write/pdf.js"),
    html: () => import("../write/html.js"),
    md: () => import("../write/markdown.js"),
  };
  await Promise.all([...new Set(formats)].map((f) => load[f]()));
}
