/**
 * Document tree → Word document (.docx, Office Open XML), built with the `docx` package.
 *
 * Layout: A4, 2.5 cm margins, Calibri 11 pt, Danish (da-DK) on the default run properties.
 *
 *   cover        doc.title in the built-in Title style, subtitle lines in Subtitle
 *   headings     built-in Heading 1/2/3… styles (so Word, pandoc, python-docx and mammoth see them as
 *                headings), text with the computed number: "6. Misligholdelse", "6.4 Bod"
 *   toc block    "Indholdsfortegnelse" in the TOC Heading style, then a real Word TOC field
 *                (` TOC \o "1-2" \h \z \u `) whose cached result already holds one TOC 1/TOC 2
 *                paragraph per heading (linked, with estimated page numbers), written clean: Word
 *                and LibreOffice show it as written, without an "update fields" prompt
 *   header       label and (shortened) title; footer "Side X af Y" (PAGE / NUMPAGES fields);
 *                the cover page (first page) has no header
 *   lists        real numbering definitions (bullets; "1." / "a)" / "i." for ordered lists), each
 *                ordered list restarts at its own `start`; nested lists go one level deeper
 *   tables       full width, single borders, bold shaded header row repeated on every page
 *   blockquote   indented paragraphs (Quote style); pagebreak → page break
 *   figures      the SVG as an inline picture (with a PNG rendering as the fallback Word requires
 *                for SVG), scaled down to the text width, centred, kept with its caption below:
 *                "Figur N. …" in the Caption style (Word's "Billedtekst"); the alt text is the
 *                picture's description
 *
 * Clause ids become bookmarks (letters, digits and "_", starting with a letter, ≤ 40 characters,
 * unique); a `ref` inline is an internal hyperlink to its target's bookmark, or plain text when
 * the target has none. Links: http(s)/mailto → external hyperlink, "#clause-id" → internal
 * hyperlink, anything else → its text only.
 *
 * Text is stripped of characters XML 1.0 cannot carry. The output is deterministic: the package's
 * files, taken from docx's compiler before it zips them, are zipped here with fixed entry dates,
 * order and compression (Node's zlib), docProps/core.xml carries doc.date
 * (and dc:language da-DK) instead of the current time, and the ids the docx library takes from
 * process-wide counters or random strings (bookmark ids, "_Toc…" bookmark names, hyperlink
 * relationship ids) are renumbered in document order.
 *
 * Page numbers: the TOC entries' page numbers and the NUMPAGES result are worked out by
 * docx/layout's estimatePageNumbers (Word's metrics for Calibri), so the TOC is complete before any
 * field update; Word and LibreOffice recompute PAGE/NUMPAGES when they lay the pages out, and the
 * TOC's numbers when the user updates the table.
 */
import {
  AlignmentType,
  Bookmark,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  ImageRun,
  Header,
  HeadingLevel,
  InternalHyperlink,
  LevelFormat,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  ShadingType,
  TableLayoutType,
  LineRuleType,
  HeightRule,
  VerticalAlign,
  LevelSuffix,
  NumberedItemReference,
  NumberedItemReferenceFormat,
  type ILevelsOptions,
  type IRunOptions,
  type NumberingDefinition,
  type ParagraphChild,
} from "docx";
import { estimatePageNumbers } from "docx/layout";
import JSZip from "jszip";
import * as zlib from "node:zlib";
import type { Block, DocumentTree, Figure, Heading, Inline, ListMarker, Signature, TableCell as AstCell } from "../doc/ast.js";
import { SIGNATURE_FIELDS, figureNumbers, inlineText } from "../doc/ast.js";
import { columnAligns, coverDate, danishSpaces, keepsWithNext } from "../doc/typography.js";
export { isNumeric } from "../doc/typography.js";
import { fitSize, sizedSvg, svgToPng } from "./figure.js";
import { carlitoWidth } from "./carlito-widths.js";

/* ------------------------------------------------------------------------------------------ */
/* Page geometry and typography                                                                */

const A4 = { width: 11906, height: 16838 }; // twips (210 × 297 mm)
const MARGIN = 1417; // 2.5 cm
const TEXT_WIDTH = A4.width - 2 * MARGIN; // 9072 twips = 16 cm
const TEXT_HEIGHT = A4.height - 2 * MARGIN;
const TWIPS_PER_PX = 15; // 1440 per inch, 96 px per inch
const FONT = "Calibri";
const LIST_INDENT = 567; // 1 cm per list level
const QUOTE_INDENT = 567;
const BORDER_COLOR = "808080";
const HEADER_FILL = "E7E6E6";

/* ------------------------------------------------------------------------------------------ */
/* Text hygiene                                                                                */

/**
 * Removes what XML 1.0 cannot carry (C0 controls other than tab/newline, U+FFFE/U+FFFF, lone
 * surrogates) and turns tabs and line ends into spaces (a line break is an explicit `break` inline).
 */
export function cleanText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
    .replace(/\r\n|[\t\n\r]/g, " ");
}

/**
 * A clause id → a Word bookmark name: ASCII letters, digits and "_", starting with a letter (a
 * leading "_" would make it a hidden bookmark), at most 40 characters.
 */
export function bookmarkName(raw: string): string {
  let s = raw
    .replace(/æ/g, "ae")
    .replace(/Æ/g, "Ae")
    .replace(/ø/g, "oe")
    .replace(/Ø/g, "Oe")
    .replace(/å/g, "aa")
    .replace(/Å/g, "Aa")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!/^[A-Za-z]/.test(s)) s = `pkt_${s}`.replace(/_+$/, "");
  return s.slice(0, 40).replace(/_+$/, "");
}

/** Bookmark names for every heading with a clause id: unique, in document order. */
function assignBookmarks(blocks: Block[]): { heading: Map<Heading, string>; clause: Map<string, string> } {
  const used = new Set<string>();
  const heading = new Map<Heading, string>();
  const clause = new Map<string, string>();
  const visit = (bs: Block[]): void => {
    for (const b of bs) {
      if (b.type === "heading" && b.id) {
        const base = bookmarkName(b.id);
        let name = base;
        for (let n = 2; used.has(name.toLowerCase()); n++) {
          const suffix = `_${n}`;
          name = base.slice(0, 40 - suffix.length) + suffix;
        }
        used.add(name.toLowerCase()); // Word compares bookmark names case-insensitively
        heading.set(b, name);
        if (!clause.has(b.id)) clause.set(b.id, name);
      } else if (b.type === "list") b.items.forEach(visit);
      else if (b.type === "blockquote") visit(b.content);
    }
  };
  visit(blocks);
  return { heading, clause };
}

/* ------------------------------------------------------------------------------------------ */
/* Numbering definitions                                                                       */

const BULLETS = ["•", "–", "▪"];
const ORDERED_FORMATS: { format: (typeof LevelFormat)[keyof typeof LevelFormat]; text: (n: number) => string }[] = [
  { format: LevelFormat.DECIMAL, text: (n) => `%${n}.` },
  { format: LevelFormat.LOWER_LETTER, text: (n) => `%${n})` },
  { format: LevelFormat.LOWER_ROMAN, text: (n) => `%${n}.` },
];

const MARKER_FORMATS: Record<ListMarker, { format: (typeof LevelFormat)[keyof typeof LevelFormat]; text: (n: number) => string }> = {
  "a)": { format: LevelFormat.LOWER_LETTER, text: (n) => `%${n})` },
  "i)": { format: LevelFormat.LOWER_ROMAN, text: (n) => `%${n})` },
  "1)": { format: LevelFormat.DECIMAL, text: (n) => `%${n})` },
};

function levels(ordered: boolean, start: number, marker?: ListMarker): ILevelsOptions[] {
  return Array.from({ length: 9 }, (_, i) => {
    const indent = { left: LIST_INDENT * (i + 1), hanging: LIST_INDENT };
    if (!ordered) {
      return {
        level: i,
        format: LevelFormat.BULLET,
        text: BULLETS[i % BULLETS.length],
        alignment: AlignmentType.LEFT,
        style: { paragraph: { indent } },
      };
    }
    const f = i === 0 && marker ? MARKER_FORMATS[marker] : ORDERED_FORMATS[i % ORDERED_FORMATS.length];
    return {
      level: i,
      format: f.format,
      text: f.text(i + 1),
      alignment: AlignmentType.LEFT,
      start: i === 0 ? start : 1,
      style: { paragraph: { indent } },
    };
  });
}

/** The one multilevel list of the numbered headings, linked to the Heading 1–6 styles. */
export const HEADING_LIST = "overskrifter";
const HEADING_INDENT = 851; // 1,5 cm: room for "10.10.10"

function headingLevels(): ILevelsOptions[] {
  return Array.from({ length: 9 }, (_, i) => ({
    level: i,
    format: LevelFormat.DECIMAL,
    // "%1." for chapters, "%1.%2" below them, as the headings' numbers were typed before.
    text: i === 0 ? "%1." : Array.from({ length: i + 1 }, (_, k) => `%${k + 1}`).join("."),
    alignment: AlignmentType.LEFT,
    suffix: LevelSuffix.TAB,
    isLegalNumberingStyle: true,
    style: {
      ...(i < 6 ? { style: `Heading${i + 1}` } : {}),
      paragraph: { indent: { left: HEADING_INDENT, hanging: HEADING_INDENT } },
    },
  }));
}

/* ------------------------------------------------------------------------------------------ */
/* Tables sized to their content                                                               */

const CELL_PAD = 100; // twips, left and right in every cell
const TABLE_SIZE = 20; // half points: 10 pt
const SHORT_TABLE_ROWS = 15;

/**
 * Column widths from the content, as HTML's automatic table layout does: each column at least its
 * longest word (so words are never broken), the room left shared out in proportion to how much
 * each column would take on one line. A table whose words do not fit side by side at 10 pt is set
 * smaller (down to 7 pt) rather than letter-broken.
 */
export function tableWidths(b: Extract<Block, { type: "table" }>, cols: number, avail: number): { widths: number[]; size: number } {
  const texts = (header: boolean) => (header ? [b.header] : b.rows);
  const measure = (halfPoints: number) => {
    // Twips of text at this size, measured with Carlito's widths (Calibri's), as Word sets it.
    const twips = (text: string, bold: boolean): number => carlitoWidth(text, halfPoints / 2, bold) * 20;
    const min = new Array<number>(cols).fill(0);
    const max = new Array<number>(cols).fill(0);
    for (const header of [true, false]) {
      for (const r of texts(header)) {
        for (let k = 0; k < cols; k++) {
          const t = danishSpaces(inlineText(r[k]?.content ?? [])); // no-break spaces as written
          const words = t.split(/[ \n]+/).filter(Boolean);
          const longest = Math.max(0, ...words.map((w) => twips(w, header)));
          const lines = t.split("\n").map((l) => twips(l, header));
          min[k] = Math.max(min[k], longest + 2 * CELL_PAD + 40);
          max[k] = Math.max(max[k], Math.max(0, ...lines) + 2 * CELL_PAD + 40);
        }
      }
    }
    return { min, max };
  };
  let size = TABLE_SIZE;
  let m = measure(size);
  while (m.min.reduce((a, x) => a + x, 0) > avail && size > 14) m = measure((size -= 2));
  const min = m.min.map((x) => Math.max(x, 2 * CELL_PAD + 200));
  const max = m.max.map((x, i) => Math.max(x, min[i]));
  const sumMin = min.reduce((a, x) => a + x, 0);
  const sumMax = max.reduce((a, x) => a + x, 0);
  const raw =
    sumMax <= avail
      ? max.map((w) => (w * avail) / sumMax)
      : sumMin >= avail
        ? min.map((w) => (w * avail) / sumMin)
        : min.map((w, i) => w + ((max[i] - w) * (avail - sumMin)) / (sumMax - sumMin));
  const widths = raw.map((w) => Math.floor(w));
  widths[widths.length - 1] += avail - widths.reduce((a, x) => a + x, 0);
  return { widths, size };
}

/* ------------------------------------------------------------------------------------------ */
/* The writer                                                                                  */

interface Fmt {
  bold?: boolean;
  /** Font size in half points (table text). */
  size?: number;
  italics?: boolean;
  /** Inside a hyperlink: references and links only leave their text. */
  inLink?: boolean;
  hyperlink?: boolean;
  /** An example value (`# illustrativ`): highlighted. */
  example?: boolean;
}

interface Ctx {
  /** Extra left indent (blockquotes), in twips. */
  indent: number;
  /** Nesting depth of lists around the block (0 = none). */
  listDepth: number;
  /** Style for body paragraphs (Quote inside blockquotes). */
  style?: string;
}

type BodyChild = Paragraph | Table | TableOfContents;

class DocxWriter {
  readonly numbering: NumberingDefinition[] = [{ reference: HEADING_LIST, levels: headingLevels() }];
  private listInstance = 0;
  private readonly figures: Map<Figure, number>;
  /** Drawings so far: their ids (wp:docPr) are numbered here, not by docx's process-wide counter. */
  private drawings = 0;
  /** Clause id → its heading's number, for REF fields. */
  private readonly numbers = new Map<string, string>();

  constructor(
    private readonly doc: DocumentTree,
    private readonly bookmarks: ReturnType<typeof assignBookmarks>,
  ) {
    this.figures = figureNumbers(doc.blocks);
    const visit = (bs: Block[]): void => {
      for (const b of bs) {
        if (b.type === "heading" && b.id && b.number && !this.numbers.has(b.id)) this.numbers.set(b.id, b.number);
        else if (b.type === "list") b.items.forEach(visit);
        else if (b.type === "blockquote") visit(b.content);
      }
    };
    visit(doc.blocks);
  }

  /* ---- inlines ---- */

  run(text: string, f: Fmt): TextRun {
    const o: IRunOptions = {
      text: danishSpaces(cleanText(text)),
      ...(f.bold ? { bold: true } : {}),
      ...(f.italics ? { italics: true } : {}),
      ...(f.size ? { size: f.size } : {}),
      ...(f.hyperlink ? { style: "Hyperlink" } : {}),
      ...(f.example ? { highlight: "yellow" } : {}),
    };
    return new TextRun(o);
  }

  inlines(content: Inline[], f: Fmt = {}): ParagraphChild[] {
    return content.flatMap((i) => this.inline(i, f));
  }

  inline(i: Inline, f: Fmt): ParagraphChild[] {
    switch (i.type) {
      case "text":
        return i.text ? [this.run(i.text, f)] : [];
      case "break":
        return [new TextRun({ break: 1 })];
      case "strong":
        return this.inlines(i.content, { ...f, bold: true });
      case "emph":
        return this.inlines(i.content, { ...f, italics: true });
      case "example":
        return this.inlines(i.content, { ...f, example: true });
      case "ref": {
        const anchor = this.bookmarks.clause.get(i.target);
        if (!anchor || f.inLink) return [this.run(i.text, f)];
        // A numbered target: a REF field (\w: the full number, \h: a link) whose cached result is
        // the number we computed, so Word and LibreOffice show it at once and renumber it when a
        // clause is inserted and fields are updated. "pkt. " stays text before the field.
        const num = this.numbers.get(i.target);
        if (num && i.text.endsWith(num)) {
          // "pkt. " and its number are never parted at a line end.
          const lead = i.text.slice(0, i.text.length - num.length).replace(/ $/, "\u00a0");
          const field = new NumberedItemReference(anchor, num, { hyperlink: true, referenceFormat: NumberedItemReferenceFormat.FULL_CONTEXT });
          // Inside a link to the heading, for readers that do not follow fields (mammoth, pandoc).
          return [new InternalHyperlink({ anchor, children: [...(lead ? [this.run(lead, f)] : []), field as unknown as TextRun] })];
        }
        // Like Word's own cross-references: a link in the text's own look, not a blue underlined one.
        return [new InternalHyperlink({ anchor, children: [this.run(i.text, f)] })];
      }
      case "link": {
        if (f.inLink) return this.inlines(i.content, f);
        const href = i.href.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
        const inner = (): ParagraphChild[] => this.inlines(i.content, { ...f, inLink: true, hyperlink: true });
        if (/^(https?:\/\/|mailto:)/i.test(href)) {
          // Characters a URI can't hold unescaped (controls, spaces, quotes, angle brackets) are percent-encoded.
          const link = href.replace(/[\u0000-\u0020"<>\\^`{|}\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
          return [new ExternalHyperlink({ link, children: inner() })];
        }
        if (href.startsWith("#")) {
          const anchor = this.bookmarks.clause.get(decodeURIComponentSafe(href.slice(1)));
          if (anchor) return [new InternalHyperlink({ anchor, children: inner() })];
        }
        return this.inlines(i.content, f);
      }
    }
  }

  /* ---- blocks ---- */

  heading(h: Heading): Paragraph {
    const level = Math.min(Math.max(Math.trunc(h.level) || 1, 1), 6);
    // The number is Word's: the heading is in the heading list through its Heading style.
    const runs: ParagraphChild[] = this.inlines(h.content);
    const name = this.bookmarks.heading.get(h);
    this.bookmarks.heading.delete(h); // a heading object used twice in the tree is bookmarked once
    return new Paragraph({
      heading: HeadingLevel[`HEADING_${level}` as keyof typeof HeadingLevel],
      // Numbered: the style's numbering only (as Word writes a heading; pandoc reads a heading
      // with its own numPr as a list item). Unnumbered: numId 0 takes it out of the list.
      ...(h.number ? {} : { numbering: false as const, indent: { left: 0, hanging: 0 } }),
      children: name ? [new Bookmark({ id: name, children: runs })] : runs,
    });
  }

  paragraph(content: Inline[], ctx: Ctx, afterTable = false): Paragraph {
    // A further paragraph of a list item is a List Paragraph indented to the item's text.
    const style = ctx.style ?? (ctx.listDepth ? "ListParagraph" : undefined);
    return new Paragraph({
      ...(style ? { style } : {}),
      ...(keepsWithNext(content) ? { keepNext: true } : {}),
      ...(afterTable ? { spacing: { before: 200 } } : {}),
      ...(ctx.indent || ctx.listDepth ? { indent: { left: ctx.indent + ctx.listDepth * LIST_INDENT } } : {}),
      children: this.inlines(content),
    });
  }

  /** The picture, centred and kept with its caption, then the caption (Caption style). */
  figure(f: Figure, ctx: Ctx): Paragraph[] {
    const n = this.figures.get(f) ?? 0;
    const indent = ctx.indent + ctx.listDepth * LIST_INDENT;
    // In pixels (docx's unit for pictures): the text width, and most of the page's height.
    const size = fitSize(f.width, f.height, (TEXT_WIDTH - indent) / TWIPS_PER_PX, (TEXT_HEIGHT * 0.8) / TWIPS_PER_PX);
    const svg = sizedSvg(f.svg, f.width, f.height);
    const id = ++this.drawings;
    const alt = cleanText(f.alt || inlineText(f.caption));
    const picture = new ImageRun({
      type: "svg",
      data: Buffer.from(svg, "utf8"),
      fallback: { type: "png", data: svgToPng(svg) },
      transformation: { width: Math.max(1, Math.round(size.width)), height: Math.max(1, Math.round(size.height)) },
      altText: { id: String(id), name: `Figur ${n}`, description: alt },
    });
    const ind = indent ? { indent: { left: indent } } : {};
    const label = `Figur ${n}.`;
    const caption = this.inlines(f.caption);
    return [
      new Paragraph({ alignment: AlignmentType.CENTER, keepNext: true, keepLines: true, spacing: { before: 120, after: 60 }, ...ind, children: [picture] }),
      new Paragraph({ style: "Caption", ...ind, children: [this.run(caption.length ? `${label} ` : label, {}), ...caption] }),
    ];
  }

  numberingRef(ordered: boolean, start: number, marker?: ListMarker): string {
    if (!Number.isInteger(start) || start < 0) start = 1;
    const kind = marker === "a)" ? "bogstav" : marker === "i)" ? "romertal" : marker === "1)" ? "parentes" : "nummer";
    const reference = ordered ? `${kind}-${start}` : "punkt";
    if (!this.numbering.some((n) => n.reference === reference)) this.numbering.push({ reference, levels: levels(ordered, start, ordered ? marker : undefined) });
    return reference;
  }

  list(b: Extract<Block, { type: "list" }>, ctx: Ctx): BodyChild[] {
    const level = Math.min(ctx.listDepth, 8);
    const reference = this.numberingRef(b.ordered, b.start, b.marker);
    // Each ordered list is its own numbering instance, so it restarts at its start value.
    const instance = b.ordered ? ++this.listInstance : 0;
    const out: BodyChild[] = [];
    const inner: Ctx = { ...ctx, listDepth: ctx.listDepth + 1 };
    for (const item of b.items) {
      const [first, ...rest] = item;
      if (first && first.type === "paragraph") {
        out.push(
          new Paragraph({
            ...(ctx.style ? { style: ctx.style } : {}),
            numbering: { reference, level, instance },
            indent: { left: ctx.indent + (level + 1) * LIST_INDENT, hanging: LIST_INDENT },
            ...(keepsWithNext(first.content) ? { keepNext: true } : {}),
            contextualSpacing: false,
            spacing: { after: 60 },
            children: this.inlines(first.content),
          }),
        );
        out.push(...this.blocks(rest, inner));
      } else {
        // An item that doesn't start with a paragraph still gets its number, on an empty line.
        out.push(
          new Paragraph({
            numbering: { reference, level, instance },
            indent: { left: ctx.indent + (level + 1) * LIST_INDENT, hanging: LIST_INDENT },
            children: [],
          }),
        );
        out.push(...this.blocks(item, inner));
      }
    }
    return out;
  }

  cell(c: AstCell | undefined, header: boolean, width: number, align: AstCell["align"], size: number, keepNext: boolean): TableCell {
    const jc = align === "right" ? AlignmentType.RIGHT : align === "center" ? AlignmentType.CENTER : AlignmentType.LEFT;
    return new TableCell({
      width: { size: width, type: WidthType.DXA },
      margins: { top: 40, bottom: 40, left: CELL_PAD, right: CELL_PAD },
      ...(header ? { shading: { fill: HEADER_FILL, type: ShadingType.CLEAR, color: "auto" } } : {}),
      children: [
        new Paragraph({
          alignment: jc,
          spacing: { before: 0, after: 0, line: 240, lineRule: LineRuleType.AUTO },
          ...(keepNext ? { keepNext: true } : {}),
          children: c ? this.inlines(c.content, { ...(header ? { bold: true } : {}), size }) : [],
        }),
      ],
    });
  }

  table(b: Extract<Block, { type: "table" }>, ctx: Ctx): Table {
    const cols = Math.max(1, b.header.length, ...b.rows.map((r) => r.length));
    const width = TEXT_WIDTH - ctx.indent - ctx.listDepth * LIST_INDENT;
    const { widths, size } = tableWidths(b, cols, width);
    const aligns = columnAligns(b, cols);
    // Rows never split; the header and the first two rows stay together (and a short table
    // keeps all its rows together, so it moves to the next page whole when it fits there).
    const keepAll = b.rows.length <= SHORT_TABLE_ROWS;
    const row = (cells: AstCell[], header: boolean, r: number): TableRow => {
      const keep = header || (r < b.rows.length - 1 && (keepAll || r < 1));
      return new TableRow({
        cantSplit: true,
        ...(header ? { tableHeader: true } : {}),
        children: widths.map((w, k) => this.cell(cells[k], header, w, cells[k]?.align ?? aligns[k], size, keep)),
      });
    };
    const border = { style: BorderStyle.SINGLE, size: 4, color: BORDER_COLOR };
    const rows = [...(b.header.length ? [row(b.header, true, -1)] : []), ...b.rows.map((r, i) => row(r, false, i))];
    if (!rows.length) rows.push(row([], false, 0));
    return fixedTable(widths, ctx, border, rows);
  }

  toc(title: string): BodyChild[] {
    return [
      new Paragraph({ style: "TOCHeading", children: [this.run(title || "Indholdsfortegnelse", {})] }),
      new TableOfContents(title || "Indholdsfortegnelse", {
        headingStyleRange: "1-2",
        hyperlink: true,
        hideTabAndPageNumbersInWebView: true,
        useAppliedParagraphOutlineLevel: true,
        beginDirty: false,
      }),
    ];
  }

  blocks(blocks: Block[], ctx: Ctx): BodyChild[] {
    const out: BodyChild[] = [];
    for (const b of blocks) {
      const afterTable = out[out.length - 1] instanceof Table;
      // Two tables in a row would merge into one: keep them apart with an empty paragraph.
      if ((b.type === "table" || b.type === "signature") && afterTable) out.push(new Paragraph({ children: [] }));
      // Space after a table: the paragraph that follows it starts lower.
      if (b.type === "paragraph" && afterTable) out.push(this.paragraph(b.content, ctx, true));
      else out.push(...this.block(b, ctx));
    }
    return out;
  }

  block(b: Block, ctx: Ctx): BodyChild[] {
    switch (b.type) {
      case "heading":
        return [this.heading(b)];
      case "paragraph":
        return [this.paragraph(b.content, ctx)];
      case "list":
        return this.list(b, ctx);
      case "table":
        return [this.table(b, ctx)];
      case "blockquote":
        return this.blocks(b.content, { ...ctx, indent: ctx.indent + QUOTE_INDENT, style: "Quote" });
      case "pagebreak":
        return [new Paragraph({ children: [new PageBreak()] })];
      case "toc":
        return this.toc(b.title);
      case "figure":
        return this.figure(b, ctx);
      case "signature":
        return [this.signature(b, ctx)];
    }
  }

  /**
   * The signature block: a table without grid lines, one column per party (a narrow empty column
   * between them); each line to write on is a cell's bottom border, with its caption below it.
   * Rows never split and keep with the next, so the block stays on one page.
   */
  signature(b: Signature, ctx: Ctx): Table {
    const parties = b.parties.length ? b.parties : [{ label: "" }];
    const width = TEXT_WIDTH - ctx.indent - ctx.listDepth * LIST_INDENT;
    const gap = parties.length > 1 ? 567 : 0;
    // One party signs in a box half the text width, as it would beside a second party.
    const col = parties.length > 1 ? Math.floor((width - gap * (parties.length - 1)) / parties.length) : Math.floor((width - 567) / 2);
    const widths = parties.flatMap((_, i) => (i ? [gap, col] : [col]));
    const none = { style: BorderStyle.NONE, size: 0, color: "auto" };
    const rule = { style: BorderStyle.SINGLE, size: 6, color: "404040" };
    const cell = (w: number, children: ParagraphChild[], o: { line?: boolean; small?: boolean } = {}): TableCell =>
      new TableCell({
        width: { size: w, type: WidthType.DXA },
        margins: { top: 0, bottom: 20, left: 0, right: 0 },
        verticalAlign: VerticalAlign.BOTTOM,
        borders: { top: none, left: none, right: none, bottom: o.line ? rule : none },
        children: [new Paragraph({ keepNext: true, spacing: { before: 0, after: 0 }, children })],
      });
    const rows: TableRow[] = [];
    const row = (height: number, make: (p: (typeof parties)[number]) => { children: ParagraphChild[]; line?: boolean }): void => {
      const cells: TableCell[] = [];
      parties.forEach((p, i) => {
        if (i) cells.push(cell(gap, []));
        const c = make(p);
        cells.push(cell(col, c.children, { line: c.line }));
      });
      rows.push(new TableRow({ cantSplit: true, height: { value: height, rule: HeightRule.ATLEAST }, children: cells }));
    };
    row(360, (p) => ({ children: [this.run(p.label, { bold: true })] }));
    SIGNATURE_FIELDS.forEach((field, k) => {
      row(k === 1 ? 1000 : 560, (p) => ({ children: k === 0 && p.place ? [this.run(p.place, {})] : [], line: true }));
      row(300, () => ({ children: [new TextRun({ text: field, size: 18, color: "595959" })] }));
    });
    return fixedTable(widths, ctx, none, rows);
  }

  cover(): Paragraph[] {
    return [
      new Paragraph({ heading: HeadingLevel.TITLE, children: [this.run(this.doc.title, {})] }),
      ...this.doc.subtitle.map((s) => new Paragraph({ style: "Subtitle", children: [this.run(s, {})] })),
      ...(coverDate(this.doc.date) ? [new Paragraph({ style: "Subtitle", spacing: { before: 240 }, children: [this.run(coverDate(this.doc.date), {})] })] : []),
    ];
  }

  /** The running header: the label, and the short title (if the spec has one) at the right; never cut. */
  header(): Header {
    const label = cleanText(this.doc.label);
    const title = this.doc.shortTitle ? cleanText(this.doc.shortTitle) : "";
    return new Header({
      children: [
        new Paragraph({
          style: "Header",
          tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
          children: [new TextRun({ text: label, bold: true }), ...(title ? [new TextRun({ children: ["\t", title] })] : [])],
        }),
      ],
    });
  }

  footer(): Footer {
    return new Footer({
      children: [
        new Paragraph({
          style: "Footer",
          alignment: AlignmentType.RIGHT, // as the PDF's folio: one house style
          children: [new TextRun({ children: ["Side ", PageNumber.CURRENT, " af ", PageNumber.TOTAL_PAGES] })],
        }),
      ],
    });
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Styles                                                                                      */

function styles() {
  // Outline levels as Word's own heading styles have them, for LibreOffice and the navigation pane.
  // Each Heading style is in the heading list, so a heading a lawyer adds in Word is numbered too.
  const heading = (level: number, size: number, before: number, after: number, italics = false) => ({
    run: { font: FONT, size, bold: true, italics, color: "1F3864" },
    paragraph: {
      spacing: { before, after },
      keepNext: true,
      keepLines: true,
      outlineLevel: level - 1,
      numbering: { reference: HEADING_LIST, level: level - 1, custom: true },
      indent: { left: HEADING_INDENT, hanging: HEADING_INDENT },
    },
  });
  return {
    default: {
      document: {
        run: { font: FONT, size: 22, language: { value: "da-DK" } },
        paragraph: { spacing: { after: 120, line: 264, lineRule: LineRuleType.AUTO }, widowControl: true },
      },
      title: {
        run: { font: FONT, size: 40, bold: true, color: "1F3864" },
        paragraph: { spacing: { before: 1200, after: 240, line: 240, lineRule: LineRuleType.AUTO } },
      },
      heading1: heading(1, 28, 360, 120),
      heading2: heading(2, 24, 240, 80),
      heading3: heading(3, 22, 200, 60, true),
      heading4: heading(4, 22, 160, 40, true),
      heading5: heading(5, 22, 160, 40, true),
      heading6: heading(6, 22, 160, 40, true),
      hyperlink: { run: { color: "0563C1", underline: {} } },
    },
    paragraphStyles: [
      {
        id: "Subtitle",
        name: "Subtitle",
        basedOn: "Normal",
        next: "Normal",
        quickFormat: true,
        run: { font: FONT, size: 28, color: "404040" },
        paragraph: { spacing: { after: 80 } },
      },
      {
        id: "TOCHeading",
        name: "TOC Heading",
        basedOn: "Normal",
        next: "Normal",
        quickFormat: true,
        run: { font: FONT, size: 28, bold: true, color: "1F3864" },
        paragraph: { spacing: { before: 480, after: 120 }, keepNext: true, outlineLevel: 9 },
      },
      {
        id: "TOC1",
        name: "toc 1",
        basedOn: "Normal",
        next: "Normal",
        run: { bold: true },
        paragraph: { spacing: { before: 120, after: 40 } },
      },
      {
        id: "TOC2",
        name: "toc 2",
        basedOn: "Normal",
        next: "Normal",
        paragraph: { indent: { left: 440 }, spacing: { after: 40 } },
      },
      {
        // Word's built-in "caption" style (Danish Word: "Billedtekst").
        id: "Caption",
        name: "caption",
        basedOn: "Normal",
        next: "Normal",
        quickFormat: true,
        run: { size: 18, italics: true, color: "1F3864" },
        paragraph: { spacing: { before: 0, after: 240 } },
      },
      {
        id: "Quote",
        name: "Quote",
        basedOn: "Normal",
        next: "Normal",
        quickFormat: true,
        run: { color: "404040" },
        paragraph: { indent: { left: QUOTE_INDENT, right: QUOTE_INDENT } },
      },
      {
        id: "Header",
        name: "header",
        basedOn: "Normal",
        run: { size: 18, color: "595959" },
        paragraph: {
          spacing: { after: 0 },
          border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: "BFBFBF", space: 4 } },
        },
      },
      {
        id: "Footer",
        name: "footer",
        basedOn: "Normal",
        run: { size: 18, color: "595959" },
        paragraph: { spacing: { after: 0 } },
      },
    ],
  };
}

/* ------------------------------------------------------------------------------------------ */
/* Deterministic packaging                                                                     */

type PackageFiles = Map<string, string | Uint8Array>;

/** The files of a package docx has zipped, read back (when its compiler is not at hand). */
async function unzipPackage(buf: Buffer): Promise<PackageFiles> {
  const zip = await JSZip.loadAsync(buf);
  const files: PackageFiles = new Map();
  for (const n of Object.keys(zip.files)) {
    if (zip.files[n].dir) continue;
    files.set(n, await zip.files[n].async(/\.(xml|rels)$/.test(n) ? "string" : "uint8array"));
  }
  return files;
}

const utf8 = new TextDecoder("utf-8");

/**
 * Rewrites the package so the same tree always gives the same bytes: document dates instead of
 * the current time, bookmark ids in document order, and a zip with fixed entry dates, a stable
 * entry order and fixed compression.
 */
function normalise(parts: PackageFiles, doc: DocumentTree): Buffer {
  const stamp = `${/^\d{4}-\d{2}-\d{2}$/.test(doc.date) ? doc.date : "2000-01-01"}T00:00:00Z`;
  // XML parts as text, everything else as bytes.
  const files: PackageFiles = new Map();
  for (const [n, data] of parts) {
    if (/\.(xml|rels)$/.test(n)) files.set(n, typeof data === "string" ? data : utf8.decode(data));
    else files.set(n, typeof data === "string" ? Buffer.from(data, "utf8") : data);
  }

  const core = files.get("docProps/core.xml");
  if (typeof core === "string") {
    let c = core
      .replace(/(<dcterms:created\b[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${stamp}$2`)
      .replace(/(<dcterms:modified\b[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${stamp}$2`);
    if (!/<dc:language>/.test(c)) c = c.replace(/<\/cp:coreProperties>/, "<dc:language>da-DK</dc:language></cp:coreProperties>");
    files.set("docProps/core.xml", c);
  }

  // Bookmark ids, and the names of the TOC's "_Toc…" bookmarks, come from a counter shared by
  // every document the process writes: number them in document order instead.
  const body = files.get("word/document.xml");
  if (typeof body === "string") {
    const counter = () => {
      const seen = new Map<string, number>();
      return (key: string): number => {
        let n = seen.get(key);
        if (n === undefined) seen.set(key, (n = seen.size + 1));
        return n;
      };
    };
    const id = counter();
    const toc = counter();
    const tocName = (n: string): string => `_Toc${String(100000000 + toc(n))}`;
    files.set(
      "word/document.xml",
      body
        // A field left dirty makes Word ask to update the document's fields when it opens it.
        .replace(/ w:dirty="(?:true|1|on)"/g, "")
        // REF fields as complex fields (begin, instruction, separate, cached result, end): the form
        // Word itself writes, and the one readers that skip simple fields (mammoth) still read.
        .replace(/<w:fldSimple w:instr="(REF [^"]*)">(.*?)<\/w:fldSimple>/g, (_m, instr: string, result: string) =>
          `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ${instr} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>${result}<w:r><w:fldChar w:fldCharType="end"/></w:r>`)
        .replace(/<w:bookmark(Start|End)\b([^>]*?)\bw:id="(\d+)"/g, (_m, kind: string, pre: string, n: string) => `<w:bookmark${kind}${pre}w:id="${id(n)}"`)
        .replace(/(w:(?:name|anchor)=")_Toc(\d+)"/g, (_m, attr: string, n: string) => `${attr}${tocName(n)}"`)
        .replace(/(<w:instrText\b[^>]*>[^<]*PAGEREF )_Toc(\d+)/g, (_m, pre: string, n: string) => `${pre}${tocName(n)}`),
    );
  }

  // Hyperlink relationships get random ids: name them in the order the relationships are listed.
  for (const [relsPath, rels] of files) {
    const m = /^(.*)_rels\/([^/]+)\.rels$/.exec(relsPath);
    if (typeof rels !== "string" || !m) continue;
    const partPath = m[1] + m[2];
    const renamed = new Map<string, string>();
    for (const [, id] of rels.matchAll(/\bId="([^"]+)"/g)) if (!/^rId\d+$/.test(id)) renamed.set(id, `rIdX${renamed.size + 1}`);
    if (!renamed.size) continue;
    const rename = (_m: string, pre: string, id: string) => `${pre}"${renamed.get(id) ?? id}"`;
    files.set(relsPath, rels.replace(/(\bId=)"([^"]+)"/g, rename));
    const part = files.get(partPath);
    if (typeof part === "string") files.set(partPath, part.replace(/(\br:(?:id|embed|link)=)"([^"]+)"/g, rename));
  }

  const order = (n: string): string => (n === "[Content_Types].xml" ? "0" : n.startsWith("_rels/") ? "1" : "2") + n;
  const names = [...files.keys()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return zip(
    names.map((n) => {
      const data = files.get(n)!;
      return [n, typeof data === "string" ? Buffer.from(data, "utf8") : data];
    }),
    new Date(stamp),
  );
}

/* ------------------------------------------------------------------------------------------ */
/* Zip                                                                                         */

let crcTable: Int32Array | undefined;

/** CRC-32 of `data` (zlib's where Node has it). */
function crc32(data: Uint8Array): number {
  if (typeof zlib.crc32 === "function") return zlib.crc32(data) >>> 0;
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/**
 * A zip file of `entries`, in the order given: every entry deflated (level 6, Node's zlib), dated
 * `date` (DOS date and time, UTC), made by "DOS", without folder entries, extra fields or comments,
 * so the same entries always give the same bytes.
 */
function zip(entries: [string, Uint8Array][], date: Date): Buffer {
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const day = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  const chunks: Uint8Array[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const fileName = Buffer.from(name, "utf8");
    const flags = fileName.length !== name.length ? 0x0800 : 0; // UTF-8 name
    const packed = zlib.deflateRawSync(data, { level: 6 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(0x0014, 4); // made by DOS, 2.0
    local.copy(dir, 6, 4, 30); // version needed … name and extra lengths, as in the local header
    // comment length, disk number, internal and external attributes: 0
    dir.writeUInt32LE(offset, 42);
    chunks.push(local, fileName, packed);
    central.push(dir, fileName);
    offset += local.length + fileName.length + packed.length;
  }
  const dirSize = central.reduce((a, b) => a + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, ...central, end]);
}

/* ------------------------------------------------------------------------------------------ */

export interface DocxOptions {
  /**
   * Lay the pages out (docx/layout's estimatePageNumbers, which measures text as Word does for its
   * common fonts) so the table of contents and "af Y" are written with page numbers. Default true.
   * Off, or when the layout fails, the TOC's page numbers are left blank until fields are updated.
   */
  pageNumbers?: boolean;
}

/** Renders a numbered, reference-resolved document tree as a .docx file. */
export async function writeDocx(doc: DocumentTree, options: DocxOptions = {}): Promise<Buffer> {
  const pack = (pageNumbers: boolean): Promise<PackageFiles> => {
    // Built anew for each try: the docx objects are consumed by packing.
    const w = new DocxWriter(doc, assignBookmarks(doc.blocks));
    const children: BodyChild[] = [...w.cover(), ...w.blocks(doc.blocks, { indent: 0, listDepth: 0 })];
    const document = new Document({
      title: cleanText(doc.title),
      creator: cleanText(doc.author),
      lastModifiedBy: cleanText(doc.author),
      description: cleanText([doc.label, ...doc.subtitle].join(" – ")),
      revision: 1,
      styles: styles(),
      numbering: { config: w.numbering },
      ...(pageNumbers ? { pageNumbers: estimatePageNumbers } : {}),
      sections: [
        {
          properties: {
            titlePage: true,
            page: {
              size: { width: A4.width, height: A4.height },
              margin: { top: MARGIN, right: MARGIN, bottom: MARGIN, left: MARGIN, header: 709, footer: 709 },
            },
          },
          headers: { default: w.header(), first: new Header({ children: [new Paragraph({ children: [] })] }) },
          footers: { default: w.footer(), first: w.footer() },
          children,
        },
      ],
    });
    return packageFiles(document);
  };
  let files: PackageFiles;
  if (options.pageNumbers ?? true) {
    try {
      files = await pack(true);
    } catch {
      files = await pack(false); // the page layout is a nicety: never fail the document for it
    }
  } else files = await pack(false);
  return normalise(files, doc);
}

interface PackageCompiler {
  compile: (file: Document, prettify?: unknown, overrides?: unknown[]) => unknown;
}

/**
 * The package's files as docx writes them. Its Packer compiles the files and zips them; the zip is
 * made again in `normalise` anyway, so the files are taken from Packer's compiler directly (what
 * Packer.toBuffer zips) instead of being zipped and unzipped. Guarded: if docx has no such compiler,
 * the files are read back from Packer.toBuffer's zip.
 */
async function packageFiles(document: Document): Promise<PackageFiles> {
  const compiler = (Packer as unknown as { compiler?: Partial<PackageCompiler> }).compiler;
  if (compiler && typeof compiler.compile === "function") {
    const compiled = compiler.compile(document, undefined, []);
    if (compiled instanceof Map) {
      // As docx's zipping takes them: text, or bytes of any typed array or ArrayBuffer.
      const files: PackageFiles = new Map();
      for (const [path, data] of compiled as Map<string, unknown>) {
        files.set(
          path,
          typeof data === "string" || data instanceof Uint8Array
            ? data
            : ArrayBuffer.isView(data)
              ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
              : new Uint8Array(data as ArrayBuffer),
        );
      }
      return files;
    }
  }
  return unzipPackage(await Packer.toBuffer(document));
}

/** A table with fixed column widths (twips), indented with the list or block it stands in, one border on every edge. */
function fixedTable(widths: number[], ctx: { indent: number; listDepth: number }, border: { style: (typeof BorderStyle)[keyof typeof BorderStyle]; size: number; color: string }, rows: TableRow[]): Table {
  return new Table({
    width: { size: widths.reduce((a, w) => a + w, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    ...(ctx.indent || ctx.listDepth ? { indent: { size: ctx.indent + ctx.listDepth * LIST_INDENT, type: WidthType.DXA } } : {}),
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows,
  });
}
