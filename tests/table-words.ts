/** Shared by the PDF and the LibreOffice table checks (issue 10). */
import { type Block, type DocumentTree, inlineText } from "../src/doc/ast.js";

/** The words of the widest table of a tree (header and body cells). */
export function widestTableWords(t: DocumentTree): { cols: number; words: string[] } {
  const tables: Extract<Block, { type: "table" }>[] = [];
  const visit = (bs: Block[]): void => {
    for (const b of bs) {
      if (b.type === "table") tables.push(b);
      else if (b.type === "list") b.items.forEach(visit);
      else if (b.type === "blockquote") visit(b.content);
    }
  };
  visit(t.blocks);
  const wide = tables.reduce((a, b) => (b.header.length > a.header.length ? b : a));
  const words = [wide.header, ...wide.rows].flat().flatMap((c) => inlineText(c.content).split(/[\s\u00a0]+/).filter(Boolean));
  return { cols: wide.header.length, words };
}
