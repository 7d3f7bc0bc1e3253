/**
 * The document tree: one typed AST that every writer (docx, pdf, html, md) consumes.
 * Templates produce Markdown; doc/parse.ts turns it into this tree; doc/number.ts numbers
 * headings and resolves cross-references. Writers never see Markdown, templates or the model.
 */
export type Inline =
  | { type: "text"; text: string }
  | { type: "strong"; content: Inline[] }
  | { type: "emph"; content: Inline[] }
  /** A cross-reference to a clause id; `text` is filled in by numbering ("pkt. 6.4"). */
  | { type: "ref"; target: string; form: "ref" | "nr"; text: string }
  | { type: "link"; href: string; content: Inline[] }
  /** An example value (`# illustrativ` in the spec): writers show it marked (highlight, box, <mark>, ==…==). */
  | { type: "example"; content: Inline[] }
  | { type: "break" };

export interface Heading {
  type: "heading";
  /** 1 = top-level clause ("6."), 2 = "6.4", 3 = "6.4.1", … */
  level: number;
  /** Stable clause id (from `{#id}`), used by references, overrides and the diff. */
  id?: string;
  /** Whether the heading takes part in numbering (`{.unnumbered}` turns it off). */
  numbered: boolean;
  /** Filled in by numbering: "6.4". */
  number?: string;
  content: Inline[];
}

export interface TableCell {
  content: Inline[];
  align?: "left" | "center" | "right";
}

/**
 * A figure: a chart (SVG) with a caption. In Markdown a paragraph that is exactly one image
 * `![Caption](figur:ID)`; the SVG comes from the FigureMap given to the parser. Writers number
 * figures 1, 2, … in document order ("Figur 1. Caption"); see `figureNumbers`.
 */
export interface Figure {
  type: "figure";
  id: string;
  caption: Inline[];
  /** Alternative text (screen readers, PDF /Alt, DOCX descr). */
  alt: string;
  /** The SVG document (trusted: made by the chart module; writers still strip scripts and external references). */
  svg: string;
  /** Intrinsic size of the SVG in CSS px (96 per inch). */
  width: number;
  height: number;
}

/** A figure's picture, as the chart module makes it. */
export interface FigureSource {
  svg: string;
  width: number;
  height: number;
  alt: string;
}

/** Figure id (the `ID` of `figur:ID`) → its picture. */
export type FigureMap = Record<string, FigureSource>;

export type Block =
  | Heading
  | Figure
  | { type: "paragraph"; content: Inline[] }
  /**
   * `marker` (ordered lists only): how the number is shown, "1." by default; "a)", "i)" and "1)"
   * for a contract's sub-clauses (lettered, roman or numbered with a parenthesis).
   */
  | { type: "list"; ordered: boolean; start: number; marker?: ListMarker; items: Block[][] }
  | { type: "table"; header: TableCell[]; rows: TableCell[][] }
  | { type: "blockquote"; content: Block[] }
  | { type: "pagebreak" }
  /** Table of contents; writers fill it from the numbered headings. */
  | { type: "toc"; title: string }
  /**
   * A signature block: one box per party side by side, each with ruled lines (drawn, never
   * characters) for "Sted og dato", the signature, "Navn" and "Titel". From `{underskrifter: …}`.
   */
  | Signature;

export interface SignatureParty {
  /** "For Ordregiver". */
  label: string;
  /** Printed on the "Sted og dato" line, e.g. "København, den". */
  place?: string;
}

export interface Signature {
  type: "signature";
  parties: SignatureParty[];
}

/** The captions under a signature box's lines, in order; the second line is the signature. */
export const SIGNATURE_FIELDS = ["Sted og dato", "Underskrift", "Navn", "Titel"] as const;

export type ListMarker = "a)" | "i)" | "1)";

const ROMAN: [number, string][] = [[1000, "m"], [900, "cm"], [500, "d"], [400, "cd"], [100, "c"], [90, "xc"], [50, "l"], [40, "xl"], [10, "x"], [9, "ix"], [5, "v"], [4, "iv"], [1, "i"]];

/** The label of item `n` (1-based) of an ordered list: "3.", "c)", "iii)", "3)". */
export function listLabel(n: number, marker?: ListMarker): string {
  if (marker === "a)") {
    let s = "";
    for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(97 + ((k - 1) % 26)) + s;
    return `${s || "a"})`;
  }
  if (marker === "i)") {
    let s = "";
    let k = Math.max(1, Math.min(n, 3999));
    for (const [v, r] of ROMAN) for (; k >= v; k -= v) s += r;
    return `${s})`;
  }
  return marker === "1)" ? `${n})` : `${n}.`;
}

export interface DocumentTree {
  /** Document id, e.g. `rammeaftale`, `bilag-a1-udsatte`. */
  id: string;
  /** Title shown on the cover, in headers and in metadata. */
  title: string;
  /** Lines under the title on the cover, e.g. "Bilag A1" and the ordregiver. */
  subtitle: string[];
  /** Short label for page headers, e.g. "Rammeaftale" or "Bilag A1". */
  label: string;
  /** A short title for the running header (the spec's `kort_titel`); without it the header is the label only. */
  shortTitle?: string;
  lang: "da";
  /** Fixed document date (ISO) used for metadata, so output is deterministic. */
  date: string;
  author: string;
  blocks: Block[];
}

/** Plain text of inlines (for TOCs, bookmarks, metadata, diff). */
export function inlineText(content: Inline[]): string {
  return content
    .map((i) => {
      switch (i.type) {
        case "text":
          return i.text;
        case "break":
          return "\n";
        case "ref":
          return i.text;
        default:
          return inlineText(i.content);
      }
    })
    .join("");
}

/** The heading's display text including its number: "6.4 Bod". */
export function headingText(h: Heading): string {
  const t = inlineText(h.content);
  if (!h.number) return t;
  return h.level === 1 ? `${h.number}. ${t}` : `${h.number} ${t}`;
}

/** Every figure, in document order (also inside lists and block quotes), numbered from 1. */
export function figureNumbers(blocks: Block[]): Map<Figure, number> {
  const out = new Map<Figure, number>();
  const visit = (bs: Block[]): void => {
    for (const b of bs) {
      if (b.type === "figure") {
        if (!out.has(b)) out.set(b, out.size + 1);
      } else if (b.type === "list") b.items.forEach(visit);
      else if (b.type === "blockquote") visit(b.content);
    }
  };
  visit(blocks);
  return out;
}

/** The caption as writers show it: "Figur 3. Caption" ("Figur 3." without a caption). */
export function figureCaption(n: number, caption: Inline[]): string {
  const text = inlineText(caption).replace(/\s+/g, " ").trim();
  return text ? `Figur ${n}. ${text}` : `Figur ${n}.`;
}

/** Headings that belong in a table of contents. */
export function tocEntries(doc: DocumentTree, maxLevel = 2): Heading[] {
  return doc.blocks.filter((b): b is Heading => b.type === "heading" && b.level <= maxLevel);
}
