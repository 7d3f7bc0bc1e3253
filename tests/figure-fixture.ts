/** The figure tests' fixture: a hand-written SVG chart, two figures and a Markdown text using them. */
import { parseMarkdown } from "../src/doc/parse.js";
import type { Block, DocumentTree, FigureMap } from "../src/doc/ast.js";

/** A small hand-written chart: a bar and a label (the label proves text is drawn as text). */
export const SVG =
  `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="240" viewBox="0 0 480 240">` +
  `<rect x="40" y="40" width="160" height="120" fill="#0072b2"/>` +
  `<text x="40" y="200" font-family="Arial, Helvetica, sans-serif" font-size="18">Søjlehøjde 1.234 kr.</text>` +
  `</svg>`;
export const SVG_TEXT = "Søjlehøjde 1.234 kr.";

export const figures: FigureMap = {
  pris: { svg: SVG, width: 480, height: 240, alt: "Søjlediagram over prisen" },
  andet: { svg: SVG.replace("#0072b2", "#e69f00"), width: 480, height: 240, alt: "Andet diagram" },
};

export const MARKDOWN = [
  "## Prisen {#pris}",
  "",
  "Teksten før figuren.",
  "",
  "![Samlet pris *pr. år*](figur:pris)",
  "",
  "Et billede udefra: ![Logo fra nettet](http://example.com/logo.png) og et lokalt ![lokalt](/etc/passwd).",
  "",
  "![Den anden figur](figur:andet)",
  "",
].join("\n");

export function tree(blocks: Block[] = parseMarkdown(MARKDOWN, undefined, figures)): DocumentTree {
  return { id: "figurer", title: "Rapport med figurer", subtitle: ["Kommunen"], label: "Rapport", lang: "da", date: "2024-05-01", author: "Kommunen", blocks };
}
