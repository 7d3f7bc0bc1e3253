/** Layout: one pass over the document tree (blocks, keep rules, tables, figures, TOC, signature, page furniture). */
import PDFDocument from "pdfkit";
import SVGtoPDF from "svg-to-pdfkit";
import { Block, DocumentTree, Figure, Heading, Inline, SIGNATURE_FIELDS, listLabel, Signature, TableCell, figureNumbers, headingText, inlineText, tocEntries } from "../../doc/ast.js";
import { columnAligns, coverDate, danishSpaces, keepsWithNext } from "../../doc/typography.js";
import { fitSize, sizedSvg } from "../figure.js";
import { BODY_ALIGN, BODY_H, BODY_LH, BODY_SIZE, BOTTOM, CAPTION_GAP, CAPTION_LH, CAPTION_SIZE, CELL_PAD_X, CELL_PAD_Y, COLOR, EPS, FIGURE_GAP, HeadingStyle, ITEM_GAP, MARGIN, PAGE_H, PAGE_W, PARA_GAP, PX, QUOTE_INDENT, TABLE_LH, TABLE_SIZE, TEXT_W, TOC_INDENT, TOP, headingStyle } from "./style.js";
import { FontName, fonts, useFont } from "./fonts.js";
import { StreamRef, baselineIn, batchWrites, num, textLine } from "./output.js";
import { Align, Line, LinkTarget, Measure, Piece, Style, Tok, breakLines, contentWidths, fontOf, sameStyle, tokenize } from "./text.js";
import { Tags } from "./tags.js";
import { documentDate, escapeXmpInfo, nullDoc } from "./document.js";

type PDFDoc = PDFKit.PDFDocument;
type StructEl = PDFKit.PDFStructureElement;

// ---------------------------------------------------------------- layout

export interface Ctx {
  x: number;
  width: number;
  parent: StructEl | null;
  italic: boolean;
  color: string;
  paraGap: number;
  listDepth: number;
}

export interface PendingLabel {
  text: string;
  style: Style;
  /** Right edge of the label box; the label is right-aligned against it. */
  right: number;
  el: StructEl;
}

export interface Quote {
  x: number;
  drawn: boolean;
  startY: number;
  endY: number;
}

export type TableLayout = { widths: number[]; header: RowBox | null; rows: RowBox[] } | null;

/** A table with at most this many body rows is kept on one page when it fits on one (as in the DOCX). */
export const SHORT_TABLE_ROWS = 15;

/** The height of a short table that fits on a page (kept whole), else null (it may break between rows). */
export function wholeTableHeight(t: NonNullable<TableLayout>): number | null {
  if (t.rows.length > SHORT_TABLE_ROWS) return null;
  const h = (t.header ? t.header.height : 0) + t.rows.reduce((a, r) => a + r.height, 0);
  return h <= BODY_H ? h : null;
}

/** A figure's size on the page (points) and its caption's lines. */
export interface FigureLayout {
  width: number;
  height: number;
  caption: Line[];
  captionH: number;
}

/** The signature block: caption size, room above each line (most for the signature), whole height. */
const SIG_CAPTION = 8.5;
const sigSpace = (k: number): number => (k === 1 ? 44 : 26);
const signatureHeight = (): number => BODY_SIZE * BODY_LH + SIGNATURE_FIELDS.reduce((a, _, k) => a + sigSpace(k) + SIG_CAPTION * 1.4 + 6, 0);

/** A registered font for an SVG font: DejaVu Serif for serif families, else DejaVu Sans. */
export function svgFont(family: string, bold: boolean, italic: boolean): FontName {
  const f = (family || "").toLowerCase();
  const serif = /serif|times|georgia|garamond|cambria/.test(f) && !/sans/.test(f) && !/mono/.test(f);
  return `${serif ? "serif" : "sans"}${bold ? (italic ? "-bi" : "-b") : italic ? "-i" : ""}` as FontName;
}

/** Images in a figure's SVG: only embedded PNG/JPEG data; anything else is never opened (an empty buffer fails harmlessly). */
export const svgImage = (link: string): string | Buffer => (/^data:image\/(png|jpeg);base64,/i.test(link.trim()) ? link.trim() : Buffer.alloc(0));

/**
 * Layouts shared by the passes of one document (and by the look-ahead that keeps a heading with what
 * follows it): the same content at the same width always breaks into the same lines, and laid-out
 * lines are never changed once made. Keyed by the tree's own objects, and made anew for each document.
 */
export class Memo {
  readonly toks = new Map<Inline[], Map<string | number, Tok[]>>();
  readonly lines = new Map<Tok[], Map<string | number, Line[]>>();
  readonly headings = new Map<Heading, Map<string | number, { lines: Line[]; hang: number; st: HeadingStyle }>>();
  readonly tables = new Map<Block, Map<string | number, TableLayout>>();
  readonly figures = new Map<Figure, Map<string | number, FigureLayout>>();

  static get<K, V>(store: Map<K, Map<string | number, V>>, obj: K, key: string | number, make: () => V): V {
    let m = store.get(obj);
    if (!m) store.set(obj, (m = new Map()));
    let v = m.get(key);
    if (v === undefined && !m.has(key)) m.set(key, (v = make()));
    return v as V;
  }
}

export interface PassResult {
  pdf: PDFDoc;
  pages: Map<string, number>;
}

export class Pass {
  readonly pdf: PDFDoc;
  readonly tags: Tags;
  /** 0-based index of the current page. */
  page = -1;
  y = TOP;
  atTop = true;
  gapPending = 0;
  labels: PendingLabel[] = [];
  quotes: Quote[] = [];
  /** Destination name → 1-based page where the heading landed in this pass. */
  readonly pages = new Map<string, number>();
  private outlineStack: { level: number; item: PDFKit.PDFOutline }[] = [];

  constructor(
    readonly tree: DocumentTree,
    readonly m: Measure,
    readonly memo: Memo,
    readonly dests: Map<Heading, string>,
    readonly idDest: Map<string, string>,
    /** Pages from the previous pass, for the table of contents. */
    readonly known: Map<string, number>,
    /**
     * Only learn where the headings land: lay everything out exactly as a real pass does, but draw
     * nothing and build no PDF (the page flow never depends on the drawing).
     */
    readonly dry = false,
  ) {
    if (dry) {
      this.pdf = nullDoc();
      this.tags = new Tags(this.pdf, true);
      return;
    }
    const date = documentDate(tree.date);
    this.pdf = new PDFDocument({
      size: [PAGE_W, PAGE_H],
      margins: { ...MARGIN },
      autoFirstPage: false,
      // No default font: pdfkit would parse Helvetica's metrics for every document, never to use it.
      font: "",
      bufferPages: true,
      pdfVersion: "1.7",
      tagged: true,
      lang: tree.lang === "da" ? "da-DK" : tree.lang,
      displayTitle: true,
      info: {
        Title: tree.title,
        Author: tree.author,
        Subject: [tree.label, ...tree.subtitle].filter(Boolean).join(" – "),
        Creator: "udbud",
        Producer: "udbud (PDFKit)",
        CreationDate: date,
        ModDate: date,
      },
    });
    escapeXmpInfo(this.pdf);
    for (const [name, data] of fonts()) this.pdf.registerFont(name, data);
    this.tags = new Tags(this.pdf);
  }

  // ------------------------------------------------------------ page flow

  newPage(): void {
    for (const q of this.quotes) this.quoteSegment(q);
    this.pdf.addPage({ size: [PAGE_W, PAGE_H], margins: { ...MARGIN } });
    if (!this.dry) batchWrites((this.pdf.page as unknown as { content?: StreamRef }).content);
    this.page++;
    this.y = TOP;
    this.atTop = true;
    this.gapPending = 0;
  }

  gap(n: number): void {
    this.gapPending = Math.max(this.gapPending, n);
  }

  /** Space left for content, after the pending gap. */
  room(): number {
    return BOTTOM - this.y - (this.atTop ? 0 : this.gapPending);
  }

  /** Starts a new page unless `need` points (plus the pending gap) fit; then applies the gap. */
  reserve(need: number): void {
    if (!this.atTop && this.y + this.gapPending + need > BOTTOM + EPS) this.newPage();
    if (!this.atTop) this.y += this.gapPending;
    this.gapPending = 0;
  }

  /** Records that content occupies [y, y+h) and moves below it. */
  advance(h: number): void {
    for (const q of this.quotes) {
      if (!q.drawn) {
        q.drawn = true;
        q.startY = this.y;
      }
      q.endY = this.y + h;
    }
    this.y += h;
    this.atTop = false;
  }

  private quoteSegment(q: Quote): void {
    if (q.drawn) {
      this.tags.artifact(() => {
        this.pdf.save().lineWidth(2).strokeColor(COLOR.rule).moveTo(q.x, q.startY).lineTo(q.x, q.endY).stroke().restore();
      });
    }
    q.drawn = false;
  }

  // ------------------------------------------------------------ drawing primitives

  private flushLabels(baseline: number): void {
    for (const l of this.labels) {
      const w = this.m.width(l.text, fontOf(l.style), l.style.size);
      this.tags.mark(l.el, "Lbl", () => this.drawText(l.text, l.right - w, baseline, l.style, 0));
      l.el.end();
    }
    this.labels = [];
  }

  private drawText(text: string, x: number, baseline: number, style: Style, wordSpacing: number): void {
    useFont(this.pdf, fontOf(style)).fontSize(style.size).fillColor(style.color);
    if (wordSpacing > 0 || !textLine(this.pdf, text, x, baseline)) {
      this.pdf.text(text, x, baseline, { lineBreak: false, baseline: "alphabetic", ...(wordSpacing > 0 ? { wordSpacing } : {}) });
    }
  }

  /** Draws one laid-out line with its top at `top`, then its links. */
  drawLine(line: Line, x: number, top: number, width: number, lh: number, size: number, align: Align, el: StructEl | null, tag: string): void {
    const baseline = top + baselineIn(lh, size);
    this.flushLabels(baseline);
    if (!line.items.length || this.dry) return;
    const free = Math.max(0, width - line.width);
    const extra = align === "justify" && !line.hard && line.spaces > 0 ? free / line.spaces : 0;
    let cx = x + (align === "right" ? free : align === "center" ? free / 2 : 0);
    const links: { link: LinkTarget; x0: number; x1: number }[] = [];
    const boxes: { example: object; x0: number; x1: number }[] = [];
    const boxTo = (st: Style, x0: number, x1: number): void => {
      if (!st.example) return;
      const last = boxes[boxes.length - 1];
      if (last && last.example === st.example && Math.abs(last.x1 - x0) < 0.5) last.x1 = x1;
      else boxes.push({ example: st.example, x0, x1 });
    };
    const linkTo = (st: Style, x0: number, x1: number): void => {
      boxTo(st, x0, x1);
      if (!st.link) return;
      const last = links[links.length - 1];
      if (last && last.link === st.link && Math.abs(last.x1 - x0) < 0.5) last.x1 = x1;
      else links.push({ link: st.link, x0, x1 });
    };
    this.tags.mark(el, tag, () => {
      let run: { style: Style; text: string; x: number } | null = null;
      const flush = (): void => {
        if (run) this.drawText(run.text.replace(/ +$/, ""), run.x, baseline, run.style, extra);
        run = null;
      };
      for (const it of line.items) {
        if (it.kind === "space") {
          if (run && sameStyle(run.style, it.style)) run.text += " ";
          else flush();
          linkTo(it.style, cx, cx + it.width + extra);
          cx += it.width + extra;
          continue;
        }
        for (const s of it.segs) {
          if (run && sameStyle(run.style, s.style)) run.text += s.text;
          else {
            flush();
            run = { style: s.style, text: s.text, x: cx };
          }
          linkTo(s.style, cx, cx + s.width);
          cx += s.width;
        }
      }
      flush();
    });
    for (const b of boxes) {
      // An example value: a box around it (an artifact: decoration, not content).
      this.tags.artifact(() => {
        this.pdf.save().lineWidth(0.75).strokeColor(COLOR.rule).rect(b.x0 - 1.5, top + 0.5, b.x1 - b.x0 + 3, lh - 1).stroke().restore();
      });
    }
    for (const l of links) {
      if (l.link.dest) this.pdf.goTo(l.x0, top, l.x1 - l.x0, lh, l.link.dest);
      else if (l.link.href) this.pdf.link(l.x0, top, l.x1 - l.x0, lh, l.link.href);
    }
  }

  // ------------------------------------------------------------ inline content

  baseStyle(ctx: Ctx, size = BODY_SIZE): Style {
    return { family: "body", bold: false, italic: ctx.italic, size, color: ctx.color };
  }

  pieces(content: Inline[], st: Style, out: Piece[] = []): Piece[] {
    for (const i of content) {
      switch (i.type) {
        case "text":
          out.push({ kind: "text", text: danishSpaces(i.text), style: st });
          break;
        case "break":
          out.push({ kind: "break" });
          break;
        case "strong":
          this.pieces(i.content, { ...st, bold: true }, out);
          break;
        case "emph":
          this.pieces(i.content, { ...st, italic: !st.italic }, out);
          break;
        case "example":
          this.pieces(i.content, { ...st, example: st.example ?? {} }, out);
          break;
        case "link":
          this.pieces(i.content, i.href ? { ...st, color: COLOR.link, link: { href: i.href } } : st, out);
          break;
        case "ref": {
          const dest = this.idDest.get(i.target);
          out.push({ kind: "text", text: danishSpaces(i.text), style: dest ? { ...st, link: { dest } } : st });
          break;
        }
      }
    }
    return out;
  }

  /**
   * Lays out and draws a run of lines, breaking pages between lines. Without `keep`, a paragraph never
   * leaves its first line alone at the bottom of a page nor its last line alone at the top of the next.
   */
  flowLines(lines: Line[], o: { x: number; width: number; hang?: number; lh: number; size: number; align: Align; el: StructEl | null; tag: string; keep?: boolean }): void {
    let i = 0;
    while (i < lines.length) {
      const rest = lines.length - i;
      const avail = Math.floor((this.room() + EPS) / o.lh);
      let k = Math.min(rest, avail);
      if (k < rest) {
        if (o.keep) k = 0;
        else {
          if (rest - k === 1) k--; // widow
          if (i === 0 && k === 1) k = 0; // orphan
        }
        if (k <= 0) {
          if (!this.atTop) {
            this.newPage();
            continue;
          }
          k = Math.max(1, Math.min(rest, avail));
        }
      }
      this.reserve(k * o.lh);
      for (let j = i; j < i + k; j++) {
        const ind = j > 0 ? (o.hang ?? 0) : 0;
        this.drawLine(lines[j], o.x + ind, this.y, o.width - ind, o.lh, o.size, o.align, o.el, o.tag);
        this.advance(o.lh);
      }
      i += k;
      if (i < lines.length) this.newPage();
    }
  }

  // ------------------------------------------------------------ blocks

  blocks(blocks: Block[], ctx: Ctx): void {
    blocks.forEach((b, i) => this.block(b, ctx, blocks, i));
  }

  block(b: Block, ctx: Ctx, siblings: Block[], index: number): void {
    switch (b.type) {
      case "heading":
        return this.heading(b, ctx, siblings, index);
      case "paragraph":
        return this.paragraph(b.content, ctx, siblings, index);
      case "list":
        return this.list(b, ctx);
      case "table":
        return this.table(b, ctx);
      case "blockquote":
        return this.blockquote(b.content, ctx);
      case "pagebreak":
        if (!this.atTop) this.newPage();
        this.gapPending = 0;
        return;
      case "toc":
        return this.toc(b.title, ctx);
      case "figure":
        return this.figure(b, ctx);
      case "signature":
        return this.signature(b, ctx);
    }
  }

  /**
   * The signature block: a box per party side by side, kept on one page; each line to write on is
   * a drawn rule (never characters), its caption ("Sted og dato", "Underskrift", "Navn", "Titel")
   * below it, the place (if any) written on the first line.
   */
  signature(b: Signature, ctx: Ctx): void {
    const parties = b.parties.length ? b.parties : [{ label: "" }];
    const gapX = parties.length > 1 ? 28 : 0;
    // One party signs in a box half the text width, as it would beside a second party.
    const w = parties.length > 1 ? (ctx.width - gapX * (parties.length - 1)) / parties.length : (ctx.width - 28) / 2;
    const label: Style = { ...this.baseStyle(ctx), bold: true };
    const body = this.baseStyle(ctx);
    const caption: Style = { family: "body", bold: false, italic: false, size: SIG_CAPTION, color: COLOR.muted };
    const labelH = BODY_SIZE * BODY_LH;
    const capH = SIG_CAPTION * 1.4 + 6;
    const height = signatureHeight();
    this.gap(ctx.paraGap + 6);
    this.reserve(Math.min(height, BODY_H));
    const top = this.y;
    const el = this.tags.el("Div", ctx.parent);
    parties.forEach((p, i) => {
      const x = ctx.x + i * (w + gapX);
      const box = this.tags.el("Div", el);
      const text = (t: string, st: Style, y: number, tag: string): void => {
        if (!t) return;
        const lines = breakLines(tokenize([{ kind: "text", text: t, style: st }], this.m), () => w, this.m);
        const pe = this.tags.el(tag, box);
        this.drawLine(lines[0], x, y, w, st.size * 1.4, st.size, "left", pe, tag);
        pe.end();
      };
      text(p.label, label, top, "P");
      let y = top + labelH;
      SIGNATURE_FIELDS.forEach((f, k) => {
        y += sigSpace(k);
        if (k === 0 && p.place) text(p.place, body, y - BODY_SIZE * 1.45, "P");
        const ly = y;
        this.tags.artifact(() => {
          this.pdf.save().lineWidth(0.6).strokeColor(COLOR.text).moveTo(x, ly).lineTo(x + w, ly).stroke().restore();
        });
        text(f, caption, y + 2, "P");
        y += capH;
      });
      box.end();
    });
    el.end();
    this.advance(height);
    this.gap(ctx.paraGap);
  }

  /** Tokens of inline content in a base style (no link), memoised for the document. */
  private contentToks(content: Inline[], st: Style): Tok[] {
    const key = `${st.family}|${st.bold}|${st.italic}|${st.size}|${st.color}`;
    return Memo.get(this.memo.toks, content, key, () => tokenize(this.pieces(content, st), this.m));
  }

  /** Lines of `toks` all `width` wide, memoised for the document. */
  private linesAt(toks: Tok[], width: number): Line[] {
    return Memo.get(this.memo.lines, toks, width, () => breakLines(toks, () => width, this.m));
  }

  paragraph(content: Inline[], ctx: Ctx, siblings?: Block[], index = 0): void {
    const toks = this.contentToks(content, this.baseStyle(ctx));
    if (!toks.some((t) => t.kind === "word")) return;
    const lines = this.linesAt(toks, ctx.width);
    this.gap(ctx.paraGap);
    // A lead-in ("… skal indeholde:") or a bold pseudo-heading is kept with the start of what follows.
    if (siblings && index + 1 < siblings.length && lines.length <= 6 && keepsWithNext(content)) {
      const need = lines.length * BODY_SIZE * BODY_LH + this.keepHeight(siblings, index + 1, ctx);
      if (need <= this.keepCap(siblings, index + 1)) this.reserve(need);
    }
    const el = this.tags.el("P", ctx.parent);
    this.flowLines(lines, { x: ctx.x, width: ctx.width, lh: BODY_SIZE * BODY_LH, size: BODY_SIZE, align: BODY_ALIGN, el, tag: "P" });
    el.end();
    this.gap(ctx.paraGap);
  }

  private headingLayout(h: Heading, width: number): { lines: Line[]; hang: number; st: HeadingStyle } {
    return Memo.get(this.memo.headings, h, width, () => this.headingLayoutOf(h, width));
  }

  private headingLayoutOf(h: Heading, width: number): { lines: Line[]; hang: number; st: HeadingStyle } {
    const st = headingStyle(h.level);
    const style: Style = { family: st.family, bold: st.bold, italic: st.italic, size: st.size, color: st.color };
    const full = headingText(h);
    const prefix = full.slice(0, full.length - inlineText(h.content).length);
    const pieces: Piece[] = prefix ? [{ kind: "text", text: prefix, style }] : [];
    this.pieces(h.content, style, pieces);
    const hang = prefix ? Math.min(this.m.width(prefix, fontOf(style), st.size), width / 3) : 0;
    const lines = breakLines(tokenize(pieces, this.m), (i) => (i === 0 ? width : width - hang), this.m);
    return { lines, hang, st };
  }

  /**
   * How much a heading or lead-in may take along to the next page: most of a page, or a whole page
   * when what follows is a table kept whole (its heading or lead-in goes with it, never stranded).
   */
  private keepCap(siblings: Block[], index: number): number {
    for (let i = index; i < siblings.length && i < index + 4; i++) {
      const b = siblings[i];
      if (b.type === "table") return BODY_H;
      if (b.type !== "heading" && !(b.type === "paragraph" && keepsWithNext(b.content))) break;
    }
    return BODY_H * 0.8;
  }

  /**
   * Height of the first lines of `siblings[index]`, which a heading before it is kept with (all of
   * a short table that is kept whole).
   */
  private keepHeight(siblings: Block[], index: number, ctx: Ctx, depth = 0): number {
    const b = siblings[index];
    if (!b || depth > 3) return 0;
    const lines = (content: Inline[], width: number, size = BODY_SIZE, lhf = BODY_LH): number => {
      const toks = this.contentToks(content, this.baseStyle(ctx, size));
      // Two lines, or all of a paragraph of three (widow control would not leave one line behind).
      const n = this.linesAt(toks, width).length;
      return (n <= 3 ? n : 2) * size * lhf;
    };
    switch (b.type) {
      case "paragraph":
        return ctx.paraGap + lines(b.content, ctx.width);
      case "heading": {
        const { lines: hl, st } = this.headingLayout(b, ctx.width);
        return st.before + hl.length * st.size * st.lh + st.after + this.keepHeight(siblings, index + 1, ctx, depth + 1);
      }
      case "list":
        return b.items.length ? ctx.paraGap + this.keepHeight(b.items[0], 0, { ...ctx, width: ctx.width - 30 }, depth + 1) : 0;
      case "blockquote":
        return this.keepHeight(b.content, 0, { ...ctx, width: ctx.width - QUOTE_INDENT }, depth + 1);
      case "table": {
        const t = this.tableLayout(b, ctx);
        if (!t) return 0;
        return ctx.paraGap + 2 + (wholeTableHeight(t) ?? (t.header ? t.header.height : 0) + (t.rows[0] ? t.rows[0].height : 0));
      }
      case "toc":
        return 3 * BODY_SIZE * BODY_LH;
      case "signature":
        return ctx.paraGap + 6 + Math.min(signatureHeight(), BODY_H * 0.6);
      case "figure": {
        const f = this.figureLayout(b, ctx);
        return FIGURE_GAP + f.height + CAPTION_GAP + f.captionH;
      }
      default:
        return 0;
    }
  }

  heading(h: Heading, ctx: Ctx, siblings: Block[], index: number): void {
    const { lines, hang, st } = this.headingLayout(h, ctx.width);
    const lh = st.size * st.lh;
    const own = lines.length * lh;
    // What follows starts after the larger of the heading's space after and its own space before.
    const next = this.keepHeight(siblings, index + 1, ctx) + Math.max(0, st.after - ctx.paraGap);
    this.gap(st.before);
    this.reserve(own + next <= this.keepCap(siblings, index + 1) ? own + Math.max(0, next) : own);
    const dest = this.dests.get(h)!;
    this.pdf.addNamedDestination(dest, "XYZ", null, this.y - 6, null);
    this.pages.set(dest, this.page + 1);
    this.addOutline(h, this.y);
    const tag = `H${Math.min(Math.max(h.level, 1), 6)}`;
    const el = this.tags.el(tag, ctx.parent);
    this.flowLines(lines, { x: ctx.x, width: ctx.width, hang, lh, size: st.size, align: "left", el, tag, keep: true });
    el.end();
    this.gap(st.after);
  }

  private addOutline(h: Heading, top: number): void {
    while (this.outlineStack.length && this.outlineStack[this.outlineStack.length - 1].level >= h.level) this.outlineStack.pop();
    const parent = this.outlineStack.length ? this.outlineStack[this.outlineStack.length - 1].item : this.pdf.outline;
    const item = parent.addItem(headingText(h).replace(/\s+/g, " "));
    // pdfkit points outline items at the whole page ("Fit"); point at the heading instead.
    const data = (item as unknown as { outlineData?: { Dest?: unknown } }).outlineData;
    if (data && this.pdf.page) data.Dest = [this.pdf.page.dictionary, "XYZ", null, PAGE_H - (top - 6), null];
    this.outlineStack.push({ level: h.level, item });
  }

  list(l: Extract<Block, { type: "list" }>, ctx: Ctx): void {
    if (!l.items.length) return;
    const style = this.baseStyle(ctx);
    const labels = l.items.map((_, i) => (l.ordered ? listLabel(l.start + i, l.marker) : ["•", "–", "◦"][ctx.listDepth % 3]));
    const labelW = Math.max(...labels.map((t) => this.m.width(t, fontOf(style), style.size)));
    const lead = ctx.listDepth === 0 ? 6 : 0;
    const box = l.ordered ? Math.max(18, labelW + 7) : 14;
    const textX = ctx.x + lead + box;
    const itemCtx: Ctx = { ...ctx, x: textX, width: ctx.width - lead - box, paraGap: ITEM_GAP, listDepth: ctx.listDepth + 1 };
    this.gap(ctx.paraGap);
    const L = this.tags.el("L", ctx.parent);
    l.items.forEach((item, i) => {
      const li = this.tags.el("LI", L);
      const lbl = this.tags.el("Lbl", li);
      const body = this.tags.el("LBody", li);
      const right = l.ordered ? textX - 7 : ctx.x + lead + Math.max(labelW, 5);
      this.labels.push({ text: labels[i], style, right, el: lbl });
      if (i > 0) this.gap(ITEM_GAP);
      this.blocks(item, { ...itemCtx, parent: body });
      if (this.labels.some((p) => p.el === lbl)) {
        // An empty item still shows its label.
        const lh = BODY_SIZE * BODY_LH;
        this.reserve(lh);
        this.drawLine({ items: [], width: 0, spaces: 0, hard: true }, textX, this.y, 0, lh, BODY_SIZE, "left", body, "P");
        this.advance(lh);
      }
      body.end();
      li.end();
      this.gap(ITEM_GAP);
    });
    L.end();
    this.gap(ctx.paraGap);
  }

  blockquote(content: Block[], ctx: Ctx): void {
    this.gap(ctx.paraGap);
    const el = this.tags.el("BlockQuote", ctx.parent);
    const q: Quote = { x: ctx.x + 4, drawn: false, startY: 0, endY: 0 };
    this.quotes.push(q);
    this.blocks(content, { ...ctx, x: ctx.x + QUOTE_INDENT, width: ctx.width - QUOTE_INDENT, italic: !ctx.italic, color: COLOR.quote, parent: el });
    this.quotes.pop();
    this.quoteSegment(q);
    el.end();
    this.gap(ctx.paraGap);
  }

  // ------------------------------------------------------------ figures

  private figureNos: Map<Figure, number> | undefined;

  private figureNo(f: Figure): number {
    this.figureNos ??= figureNumbers(this.tree.blocks);
    return this.figureNos.get(f) ?? 0;
  }

  private figureLayout(f: Figure, ctx: Ctx): FigureLayout {
    return Memo.get(this.memo.figures, f, ctx.width, () => {
      const style: Style = { family: "body", bold: false, italic: true, size: CAPTION_SIZE, color: COLOR.heading };
      const pieces: Piece[] = [{ kind: "text", text: `Figur ${this.figureNo(f)}.`, style: { ...style, bold: true } }];
      if (inlineText(f.caption).trim()) {
        pieces.push({ kind: "text", text: " ", style });
        this.pieces(f.caption, style, pieces);
      }
      const caption = breakLines(tokenize(pieces, this.m), () => ctx.width, this.m);
      const captionH = caption.length * CAPTION_SIZE * CAPTION_LH;
      // Scaled down to the text width, and to what a page holds besides the caption; never up.
      const size = fitSize(f.width * PX, f.height * PX, ctx.width, BODY_H - captionH - CAPTION_GAP);
      return { width: size.width, height: size.height, caption, captionH };
    });
  }

  /**
   * A figure: the SVG as vector graphics, centred, tagged Figure (with its alt text and bounding
   * box), then its caption (tagged Caption). Figure and caption go on the next page together if
   * they do not fit on this one.
   */
  figure(f: Figure, ctx: Ctx): void {
    const fl = this.figureLayout(f, ctx);
    this.gap(FIGURE_GAP);
    this.reserve(fl.height + CAPTION_GAP + fl.captionH);
    const x = ctx.x + (ctx.width - fl.width) / 2;
    const top = this.y;
    const alt = (f.alt || inlineText(f.caption) || `Figur ${this.figureNo(f)}`).replace(/\s+/g, " ").trim();
    // A list item that starts with a figure has its label beside the figure's top.
    if (this.labels.length) this.flushLabels(top + baselineIn(BODY_SIZE * BODY_LH, BODY_SIZE));
    const el = this.tags.el("Figure", ctx.parent, { alt });
    this.tags.mark(el, "Figure", () => this.drawSvg(f, x, top, fl.width, fl.height));
    if (!this.dry) {
      const dict = (el as unknown as { dictionary?: { data?: Record<string, unknown> } }).dictionary;
      if (dict?.data) dict.data.A = { O: "Layout", Placement: "Block", BBox: [x, PAGE_H - (top + fl.height), x + fl.width, PAGE_H - top].map(num) };
    }
    el.end();
    this.advance(fl.height + CAPTION_GAP);
    const cap = this.tags.el("Caption", ctx.parent);
    const lh = CAPTION_SIZE * CAPTION_LH;
    this.flowLines(fl.caption, { x: ctx.x, width: ctx.width, lh, size: CAPTION_SIZE, align: "left", el: cap, tag: "Caption", keep: true });
    cap.end();
    this.gap(FIGURE_GAP);
  }

  /** Draws the SVG into the box; its fonts are the document's DejaVu fonts, shared as all its fonts are. */
  private drawSvg(f: Figure, x: number, y: number, width: number, height: number): void {
    this.pdf.save();
    SVGtoPDF(this.pdf, sizedSvg(f.svg, f.width, f.height), x, y, {
      width,
      height,
      preserveAspectRatio: "xMidYMid meet",
      assumePt: false,
      fontCallback: (family, bold, italic) => {
        const name = svgFont(family, bold, italic);
        useFont(this.pdf, name);
        return name;
      },
      imageCallback: svgImage,
      warningCallback: () => {},
    });
    this.pdf.restore();
  }

  // ------------------------------------------------------------ tables

  tableLayout(t: Extract<Block, { type: "table" }>, ctx: Ctx): TableLayout {
    return Memo.get(this.memo.tables, t, `${ctx.width}|${ctx.italic}|${ctx.color}`, () => this.tableLayoutOf(t, ctx));
  }

  private tableLayoutOf(t: Extract<Block, { type: "table" }>, ctx: Ctx): TableLayout {
    const ncols = Math.max(t.header.length, ...t.rows.map((r) => r.length), 0);
    if (ncols === 0) return null;
    // A table whose words do not fit side by side at 10 pt is set smaller (down to 7 pt, as in the
    // DOCX) rather than letter-broken.
    for (let size = TABLE_SIZE; ; size--) {
      const laid = this.tableAt(t, ctx, ncols, size, size <= 7);
      if (laid) return laid;
    }
  }

  /** The table at `size` points, or null if its words do not fit side by side (unless `last`). */
  private tableAt(t: Extract<Block, { type: "table" }>, ctx: Ctx, ncols: number, size: number, last: boolean): TableLayout {
    const base = this.baseStyle(ctx, size);
    const cellToks = (c: TableCell | undefined, header: boolean): Tok[] =>
      c ? tokenize(this.pieces(c.content, header ? { ...base, bold: true } : base), this.m) : [];
    const header = t.header.length ? Array.from({ length: ncols }, (_, i) => cellToks(t.header[i], true)) : null;
    const body = t.rows.map((r) => Array.from({ length: ncols }, (_, i) => cellToks(r[i], false)));
    // Column widths in proportion to content (HTML auto layout), always the full text width.
    const min = new Array<number>(ncols).fill(0);
    const max = new Array<number>(ncols).fill(0);
    for (const row of header ? [header, ...body] : body) {
      row.forEach((toks, i) => {
        const w = contentWidths(toks);
        min[i] = Math.max(min[i], Math.min(w.min, ctx.width * 0.4) + 2 * CELL_PAD_X);
        max[i] = Math.max(max[i], w.max + 2 * CELL_PAD_X);
      });
    }
    for (let i = 0; i < ncols; i++) {
      min[i] = Math.max(min[i], 2 * CELL_PAD_X + 12);
      max[i] = Math.max(max[i], min[i]);
    }
    const avail = ctx.width;
    const sumMin = min.reduce((a, b) => a + b, 0);
    const sumMax = max.reduce((a, b) => a + b, 0);
    if (sumMin > avail + EPS && !last) return null;
    const widths =
      sumMax <= avail
        ? max.map((w) => (w * avail) / sumMax)
        : sumMin >= avail
          ? min.map((w) => (w * avail) / sumMin)
          : min.map((w, i) => w + ((max[i] - w) * (avail - sumMin)) / (sumMax - sumMin));
    const lh = size * TABLE_LH;
    // Numeric columns are right-aligned (as in the DOCX); a cell's own alignment wins.
    const numeric = columnAligns(t, ncols);
    const align = (col: number, cell: TableCell | undefined, header: boolean): Align =>
      cell?.align ?? (header ? t.rows[0]?.[col]?.align : undefined) ?? numeric[col] ?? "left";
    const box = (cells: Tok[][], src: (TableCell | undefined)[], isHeader: boolean): RowBox => {
      const lines = cells.map((toks, i) => (toks.some((x) => x.kind === "word") ? breakLines(toks, () => widths[i] - 2 * CELL_PAD_X, this.m) : []));
      const n = Math.max(1, ...lines.map((l) => l.length));
      return { lines, aligns: src.map((c, i) => align(i, c, isHeader)), height: n * lh + 2 * CELL_PAD_Y, lh, size };
    };
    return {
      widths,
      header: header ? box(header, Array.from({ length: ncols }, (_, i) => t.header[i]), true) : null,
      rows: body.map((cells, r) => box(cells, Array.from({ length: ncols }, (_, i) => t.rows[r][i]), false)),
    };
  }

  /** Draws lines [from[i], to[i]) of each cell as one row band at the current y. */
  private rowBand(row: RowBox, widths: number[], x0: number, from: number[], to: number[], header: boolean, cellEls: StructEl[] | null): void {
    const n = Math.max(1, ...to.map((t, i) => t - from[i]));
    const h = n * row.lh + 2 * CELL_PAD_Y;
    const top = this.y;
    if (header) {
      this.tags.artifact(() => {
        this.pdf.save().rect(x0, top, widths.reduce((a, b) => a + b, 0), h).fill(COLOR.headerFill).restore();
      });
    }
    let x = x0;
    widths.forEach((w, i) => {
      const el = cellEls ? cellEls[i] : null;
      for (let j = from[i]; j < to[i]; j++) {
        const ly = top + CELL_PAD_Y + (j - from[i]) * row.lh;
        this.drawLine(row.lines[i][j], x + CELL_PAD_X, ly, w - 2 * CELL_PAD_X, row.lh, row.size, row.aligns[i], el, header ? "TH" : "TD");
      }
      x += w;
    });
    if (this.labels.length) this.flushLabels(top + CELL_PAD_Y + baselineIn(row.lh, row.size));
    this.tags.artifact(() => {
      this.pdf.save().lineWidth(0.5).strokeColor(COLOR.border);
      let cx = x0;
      for (const w of widths) {
        this.pdf.rect(cx, top, w, h);
        cx += w;
      }
      this.pdf.stroke().restore();
    });
    this.advance(h);
  }

  table(t: Extract<Block, { type: "table" }>, ctx: Ctx): void {
    const tl = this.tableLayout(t, ctx);
    if (!tl) return;
    const { widths, header, rows } = tl;
    const headerH = header ? header.height : 0;
    this.gap(ctx.paraGap + 2);
    // A short table that fits on a page goes to the next page whole; a longer one keeps its header
    // with its first row, and then breaks between rows (never inside one that fits on a page).
    this.reserve(wholeTableHeight(tl) ?? Math.min(headerH + (rows[0] ? rows[0].height : 0), BODY_H));
    const tableEl = this.tags.el("Table", ctx.parent);
    const all = (r: RowBox): number[] => r.lines.map((l) => l.length);
    const zero = (r: RowBox): number[] => r.lines.map(() => 0);
    const drawHeader = (tagged: boolean): void => {
      if (!header) return;
      let els: StructEl[] | null = null;
      if (tagged) {
        const tr = this.tags.el("TR", tableEl);
        els = header.lines.map(() => this.tags.el("TH", tr));
        this.rowBand(header, widths, ctx.x, zero(header), all(header), true, els);
        els.forEach((e) => e.end());
        tr.end();
      } else this.rowBand(header, widths, ctx.x, zero(header), all(header), true, null);
    };
    drawHeader(true);
    // The header row is repeated at the top of each page the table continues on (unless absurdly tall).
    const repeatH = headerH < BODY_H * 0.4 ? headerH : 0;
    for (const row of rows) {
      const tr = this.tags.el("TR", tableEl);
      const els = row.lines.map(() => this.tags.el("TD", tr));
      const next = zero(row);
      const total = all(row);
      for (;;) {
        const left = Math.max(1, ...total.map((t, i) => t - next[i]));
        const need = left * row.lh + 2 * CELL_PAD_Y;
        if (this.y + need <= BOTTOM + EPS) {
          this.rowBand(row, widths, ctx.x, next, total, false, els);
          break;
        }
        // Split a row only if it would not fit below the header on a fresh page either.
        const fits = Math.floor((BOTTOM - this.y - 2 * CELL_PAD_Y + EPS) / row.lh);
        if (need > BODY_H - repeatH && fits >= 1) {
          const upto = total.map((t, i) => Math.min(t, next[i] + fits));
          this.rowBand(row, widths, ctx.x, next, upto, false, els);
          upto.forEach((u, i) => (next[i] = u));
        }
        this.newPage();
        if (repeatH) drawHeader(false);
      }
      els.forEach((e) => e.end());
      tr.end();
    }
    tableEl.end();
    this.gap(ctx.paraGap + 2);
  }

  // ------------------------------------------------------------ table of contents

  toc(title: string, ctx: Ctx): void {
    const entries = tocEntries(this.tree, 2);
    if (title.trim()) {
      const st = headingStyle(1);
      const style: Style = { family: st.family, bold: true, italic: false, size: st.size, color: st.color };
      const lines = breakLines(tokenize([{ kind: "text", text: title, style }], this.m), () => ctx.width, this.m);
      this.gap(st.before);
      const lh = st.size * st.lh;
      this.reserve(lines.length * lh + 3 * BODY_SIZE * 1.4);
      const el = this.tags.el("H1", ctx.parent);
      this.flowLines(lines, { x: ctx.x, width: ctx.width, lh, size: st.size, align: "left", el, tag: "H1", keep: true });
      el.end();
      this.gap(st.after + 4);
    }
    const tocEl = this.tags.el("TOC", ctx.parent);
    // The page column has a fixed width, so the entries wrap the same way whatever the numbers are.
    const pageCol = this.m.width("0000", "body", BODY_SIZE);
    entries.forEach((h, idx) => {
      const level1 = h.level <= 1;
      const style: Style = { family: "body", bold: level1, italic: false, size: BODY_SIZE, color: COLOR.text };
      const indent = level1 ? 0 : TOC_INDENT;
      const text = headingText(h).replace(/\s+/g, " ");
      const prefix = text.slice(0, text.length - inlineText(h.content).replace(/\s+/g, " ").length);
      const hang = prefix ? Math.min(this.m.width(prefix, fontOf(style), style.size), 60) : 0;
      const width = ctx.width - indent - pageCol - 12;
      const lines = breakLines(tokenize([{ kind: "text", text, style }], this.m), (i) => (i === 0 ? width : width - hang), this.m);
      const lh = BODY_SIZE * 1.4;
      if (level1 && idx > 0) this.gap(5);
      this.reserve(lines.length * lh);
      const top = this.y;
      const dest = this.dests.get(h)!;
      const pageNo = this.known.get(dest);
      const item = this.tags.el("TOCI", tocEl);
      const p = this.tags.el("P", item);
      const x = ctx.x + indent;
      lines.forEach((line, j) => {
        const ind = j > 0 ? hang : 0;
        this.drawLine(line, x + ind, this.y, width - ind, lh, BODY_SIZE, "left", p, "P");
        if (j === lines.length - 1) {
          const baseline = this.y + baselineIn(lh, BODY_SIZE);
          const numText = pageNo === undefined ? "" : String(pageNo);
          const numW = numText ? this.m.width(numText, fontOf(style), BODY_SIZE) : 0;
          const right = ctx.x + ctx.width;
          // Dot leaders, on a grid shared by all entries so the dots line up.
          const step = 4.5;
          const from = Math.ceil((x + ind + line.width + 6) / step) * step;
          const to = right - pageCol + 4;
          if (to > from) {
            this.tags.artifact(() => {
              this.pdf
                .save()
                .lineWidth(0.9)
                .lineCap("round")
                .strokeColor(COLOR.leader)
                .dash(0.01, { space: step })
                .moveTo(from, baseline - 0.6)
                .lineTo(to, baseline - 0.6)
                .stroke()
                .restore();
            });
          }
          if (numText) this.tags.mark(p, "P", () => this.drawText(numText, right - numW, baseline, style, 0));
        }
        this.advance(lh);
      });
      p.end();
      item.end();
      this.pdf.goTo(x, top, ctx.x + ctx.width - x, this.y - top, dest);
    });
    tocEl.end();
    this.gap(ctx.paraGap);
  }

  // ------------------------------------------------------------ cover, header and footer

  /** The cover, as the DOCX's: the title (20 pt, as Word's Title style there), subtitles, the date. */
  cover(): void {
    this.newPage();
    this.y = TOP + 60;
    this.atTop = false;
    const ctx = this.rootCtx();
    const head = (text: string, style: Style, lhf: number, tag: string): void => {
      const lines = breakLines(tokenize([{ kind: "text", text, style }], this.m), () => TEXT_W, this.m);
      const el = this.tags.el(tag, ctx.parent);
      this.flowLines(lines, { x: MARGIN.left, width: TEXT_W, lh: style.size * lhf, size: style.size, align: "left", el, tag, keep: true });
      el.end();
    };
    head(this.tree.title, { family: "body", bold: true, italic: false, size: 20, color: COLOR.accent }, 1.22, "H1");
    this.y += 12;
    for (const s of this.tree.subtitle) {
      head(s, { family: "body", bold: false, italic: false, size: 14, color: "#404040" }, 1.22, "P");
      this.y += 4;
    }
    const date = coverDate(this.tree.date);
    if (date) {
      this.y += 12;
      head(date, { family: "body", bold: false, italic: false, size: 14, color: "#404040" }, 1.22, "P");
    }
    this.gap(24);
  }

  pageFurniture(): void {
    const { start, count } = this.pdf.bufferedPageRange();
    const small: Style = { family: "body", bold: false, italic: false, size: 9, color: COLOR.muted };
    for (let i = start; i < start + count; i++) {
      this.pdf.switchToPage(i);
      this.tags.artifact(() => {
        // The first page (the cover) has no header, but its folio like every page.
        if (i > 0) {
          const hb = 48;
          this.drawText(this.tree.label, MARGIN.left, hb, { ...small, bold: true }, 0); // bold, as in the DOCX
          const title = this.tree.shortTitle;
          if (title) this.drawText(title, PAGE_W - MARGIN.right - this.m.width(title, fontOf(small), small.size), hb, small, 0);
          this.pdf.save().lineWidth(0.5).strokeColor(COLOR.rule).moveTo(MARGIN.left, hb + 6).lineTo(PAGE_W - MARGIN.right, hb + 6).stroke().restore();
        }
        const foot = `Side ${i + 1} af ${count}`;
        const w = this.m.width(foot, fontOf(small), small.size);
        this.drawText(foot, PAGE_W - MARGIN.right - w, PAGE_H - 44, small, 0);
      }, "Pagination");
    }
  }

  rootCtx(): Ctx {
    return { x: MARGIN.left, width: TEXT_W, parent: null, italic: false, color: COLOR.text, paraGap: PARA_GAP, listDepth: 0 };
  }

  run(): PassResult {
    this.cover();
    this.blocks(this.tree.blocks, this.rootCtx());
    if (!this.dry) this.pageFurniture();
    return { pdf: this.pdf, pages: this.pages };
  }
}

export interface RowBox {
  lines: Line[][];
  aligns: Align[];
  height: number;
  lh: number;
  /** Font size of the table (points): 10, or smaller for a table too wide for its words. */
  size: number;
}
