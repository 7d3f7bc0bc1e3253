/**
 * PDF writer: lays the document tree out as an A4 Danish contract with pdfkit.
 *
 * pdfkit is used as a drawing surface only; line breaking, justification, page breaks (keep-with-next,
 * widows/orphans, repeated table headers), lists and tables are laid out here, so every break is
 * under our control and the output is byte-for-byte deterministic. The layout runs at least twice:
 * the first pass learns on which page each heading lands, the next pass prints those numbers in the
 * table of contents (whose size does not depend on the numbers), until the pages are stable.
 *
 * Fonts are DejaVu Serif/Sans from the `dejavu-fonts-ttf` package, embedded as subsets; the parsed
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
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import SVGtoPDF from "svg-to-pdfkit";
import { Block, DocumentTree, Figure, Heading, Inline, TableCell, figureNumbers, headingText, inlineText, tocEntries } from "../doc/ast.js";
import { fitSize, sizedSvg } from "./figure.js";

type PDFDoc = PDFKit.PDFDocument;
type StructEl = PDFKit.PDFStructureElement;

// ---------------------------------------------------------------- page geometry and typography

const PAGE_W = 595.28; // A4 in points
const PAGE_H = 841.89;
const MARGIN = { top: 82, bottom: 76, left: 72, right: 72 };
const TOP = MARGIN.top;
const BOTTOM = PAGE_H - MARGIN.bottom;
const BODY_H = BOTTOM - TOP;
const TEXT_W = PAGE_W - MARGIN.left - MARGIN.right;
const EPS = 0.01;

const COLOR = {
  text: "#1a1a1a",
  heading: "#1f3a5f",
  accent: "#1f3a5f",
  muted: "#5f6670",
  quote: "#333333",
  link: "#1a4f8b",
  rule: "#c4c9d0",
  border: "#8a9099",
  headerFill: "#e9edf2",
  leader: "#7a7f87",
};

const BODY_SIZE = 10.5;
const BODY_LH = 1.45; // line height as a multiple of the font size
/**
 * Body text is set ragged right: without Danish hyphenation, justified lines with long compounds
 * ("kravspecifikationen", "Aftaleperioden") open wide gaps. Set to "justify" to justify (pdfkit then
 * positions words instead of emitting space glyphs).
 */
const BODY_ALIGN: Align = "left";
const PARA_GAP = 7; // space between paragraphs
const ITEM_GAP = 3; // space between list items
const TABLE_SIZE = 9.5;
const TABLE_LH = 1.35;
const CELL_PAD_X = 5;
const CELL_PAD_Y = 3.5;
const QUOTE_INDENT = 18;
const TOC_INDENT = 20;
const CAPTION_SIZE = 9;
const CAPTION_LH = 1.35;
const CAPTION_GAP = 6; // between a figure and its caption
const FIGURE_GAP = 10; // above a figure and below its caption
const PX = 0.75; // points per CSS px

interface HeadingStyle {
  family: Family;
  bold: boolean;
  italic: boolean;
  size: number;
  lh: number;
  before: number;
  after: number;
  color: string;
}

const HEADING_STYLES: HeadingStyle[] = [
  { family: "sans", bold: true, italic: false, size: 13, lh: 1.3, before: 20, after: 8, color: COLOR.heading },
  { family: "sans", bold: true, italic: false, size: 11, lh: 1.3, before: 14, after: 5, color: COLOR.heading },
  { family: "serif", bold: true, italic: false, size: BODY_SIZE, lh: 1.4, before: 10, after: 3, color: COLOR.text },
  { family: "serif", bold: true, italic: true, size: BODY_SIZE, lh: 1.4, before: 8, after: 2, color: COLOR.text },
];
const headingStyle = (level: number): HeadingStyle => HEADING_STYLES[Math.min(Math.max(level, 1), HEADING_STYLES.length) - 1];

// ---------------------------------------------------------------- fonts

type Family = "serif" | "sans";
const FONT_FILES = {
  serif: "DejaVuSerif.ttf",
  "serif-b": "DejaVuSerif-Bold.ttf",
  "serif-i": "DejaVuSerif-Italic.ttf",
  "serif-bi": "DejaVuSerif-BoldItalic.ttf",
  sans: "DejaVuSans.ttf",
  "sans-b": "DejaVuSans-Bold.ttf",
  "sans-i": "DejaVuSans-Oblique.ttf",
  "sans-bi": "DejaVuSans-BoldOblique.ttf",
} as const;
type FontName = keyof typeof FONT_FILES;

let fontData: Map<FontName, Buffer> | undefined;

/** The DejaVu TTF files, read once from the `dejavu-fonts-ttf` package wherever it is installed. */
function fonts(): Map<FontName, Buffer> {
  if (!fontData) {
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
    fontData = new Map((Object.keys(FONT_FILES) as FontName[]).map((k) => [k, fs.readFileSync(path.join(dir, FONT_FILES[k]))]));
  }
  return fontData;
}

/**
 * Parsed fonts shared by every document this process writes. pdfkit parses a registered TTF (fontkit)
 * for every document that uses it, and shapes every word again in every document; together that was
 * most of a PDF's cost. The first document captures pdfkit's EmbeddedFont class and the parsed
 * fontkit font; later documents get a fresh EmbeddedFont (own id and subset, so the output does not
 * change) around the same parsed font. All of them shape words through one cache per font, kept here.
 * A cached run is never changed after pdfkit has scaled it (pdfkit copies positions before adjusting
 * them), so sharing it is safe. Guarded: if pdfkit's internals are not as expected, every document
 * parses and shapes its fonts itself, as pdfkit does on its own.
 */
interface GlyphRun {
  glyphs: unknown[];
  positions: unknown[];
  advanceWidth: number;
}
type LayoutResult = { glyphs: unknown[] | null; positions: unknown[] | null; advanceWidth: number };
interface EmbeddedFontLike {
  font: unknown;
  name?: string;
  layout?: (text: string, features?: unknown, onlyWidth?: boolean) => LayoutResult;
  layoutRun?: (text: string, features?: unknown) => GlyphRun;
}
interface PdfkitFontState {
  _fontFamilies?: Record<string, EmbeddedFontLike>;
  _fontCount?: number;
  _font?: EmbeddedFontLike;
}
type EmbeddedFontCtor = new (doc: PDFDoc, font: unknown, id: string) => EmbeddedFontLike;
interface SharedFont {
  ctor: EmbeddedFontCtor;
  font: unknown;
  /** Shaped pieces of text ("word " or a last "word"), in pdfkit's units. */
  runs: Map<string, GlyphRun>;
}
const sharedFonts = new Map<FontName, SharedFont>();
/** Shaped pieces kept per font before its cache starts afresh (bounds memory). */
const RUN_CACHE_LIMIT = 50_000;

/**
 * pdfkit's EmbeddedFont.layout with the shared cache: the text is cut after each space or tab and the
 * pieces' runs are joined, exactly as pdfkit does it (but without testing each character with
 * `[' ', '\t'].includes`, re-copying the arrays for every word, or a property lookup per piece).
 */
function sharedLayout(shared: SharedFont): NonNullable<EmbeddedFontLike["layout"]> {
  return function (this: EmbeddedFontLike, text: string, features?: unknown, onlyWidth?: boolean): LayoutResult {
    if (features) return this.layoutRun!(text, features);
    const glyphs: unknown[] | null = onlyWidth ? null : [];
    const positions: unknown[] | null = onlyWidth ? null : [];
    let advanceWidth = 0;
    let last = 0;
    const n = text.length;
    for (let i = 0; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : -1;
      if (c === 32 || c === 9 || (i === n && last < n)) {
        const piece = text.slice(last, i + 1);
        let run = shared.runs.get(piece);
        if (!run) {
          run = shapeAfresh(this, piece);
          if (shared.runs.size >= RUN_CACHE_LIMIT) shared.runs.clear();
          shared.runs.set(piece, run);
        }
        if (glyphs && positions) {
          for (const g of run.glyphs) glyphs.push(g);
          for (const p of run.positions) positions.push(p);
        }
        advanceWidth += run.advanceWidth;
        last = i + 1;
      }
    }
    return { glyphs, positions, advanceWidth };
  };
}

/**
 * Shapes `piece` with glyph objects of its own. fontkit keeps one glyph object per glyph id and font,
 * holding the characters it was first made for, and pdfkit takes a glyph's text (for copying and
 * searching) from that object; with the font shared, that would depend on what other documents
 * wrote first (a ligature's "fi" or a literal "ﬁ", a space or a no-break space for one glyph). Made
 * afresh, a piece's glyphs carry its own characters, so a document's output depends on it alone.
 */
function shapeAfresh(ef: EmbeddedFontLike, piece: string): GlyphRun {
  const font = ef.font as { _glyphs?: unknown };
  const saved = font._glyphs;
  if (!saved || typeof saved !== "object") return ef.layoutRun!(piece);
  font._glyphs = {};
  try {
    return ef.layoutRun!(piece);
  } finally {
    font._glyphs = saved;
  }
}

interface FontkitFontLike {
  getGlyph?: (id: number, codePoints?: number[]) => unknown;
  _variationProcessor?: unknown;
  directory?: { tables?: Record<string, unknown> };
}

interface GlyphInternals {
  _decode?: () => unknown;
  _getMetrics?: (...args: unknown[]) => unknown;
  _metrics?: unknown;
}

/**
 * What fontkit works out per glyph object, shared by all objects of a glyph id: its decoded outline
 * (every document's font subset decodes each glyph it embeds again, only to find a composite glyph's
 * parts) and its metrics (worked out again for each glyph object made by `shapeAfresh`). Both depend
 * on the glyph id alone and are only read once made. Not for variable fonts, whose outlines and
 * metrics depend on the variation settings.
 */
function shareGlyphData(font: FontkitFontLike): void {
  const getGlyph = font.getGlyph;
  if (typeof getGlyph !== "function" || font._variationProcessor || font.directory?.tables?.gvar) return;
  const seen = new WeakSet<object>();
  const outlines = new Map<number, unknown>();
  const metrics = new Map<number, unknown>();
  font.getGlyph = function (this: FontkitFontLike, id: number, codePoints?: number[]): unknown {
    const glyph = getGlyph.call(this, id, codePoints) as GlyphInternals | null;
    if (glyph && typeof glyph === "object" && !seen.has(glyph)) {
      seen.add(glyph);
      const decode = glyph._decode;
      if (typeof decode === "function") {
        glyph._decode = function (this: unknown): unknown {
          if (!outlines.has(id)) outlines.set(id, decode.call(this));
          return outlines.get(id);
        };
      }
      const getMetrics = glyph._getMetrics;
      const known = metrics.get(id);
      if (known !== undefined && glyph._metrics == null) glyph._metrics = known;
      else if (typeof getMetrics === "function") {
        glyph._getMetrics = function (this: unknown, ...args: unknown[]): unknown {
          const m = getMetrics.apply(this, args);
          if (m !== undefined && m !== null) metrics.set(id, m);
          return m;
        };
      }
    }
    return glyph;
  };
}

/** Selects a registered font on `pdf`, made around the shared parsed font where possible. */
function useFont(pdf: PDFDoc, name: FontName): PDFDoc {
  const st = pdf as unknown as PdfkitFontState;
  const families = st._fontFamilies;
  if (!families || typeof st._fontCount !== "number") return pdf.font(name);
  if (!families[name]) {
    const shared = sharedFonts.get(name);
    if (shared) {
      // What pdfkit's font() does for a font it has not seen, minus the parsing.
      const ef = new shared.ctor(pdf, shared.font, `F${++st._fontCount}`);
      const same = ef.name ? families[ef.name] : undefined;
      if (same) families[name] = same; // the same font under another name: pdfkit uses the one it has
      else {
        ef.layout = sharedLayout(shared);
        families[name] = ef;
        if (ef.name) families[ef.name] = ef;
      }
    } else {
      pdf.font(name);
      const ef = st._font;
      if (ef && ef.font && families[name] === ef && typeof ef.layout === "function" && typeof ef.layoutRun === "function") {
        const s: SharedFont = { ctor: ef.constructor as EmbeddedFontCtor, font: ef.font, runs: new Map() };
        sharedFonts.set(name, s);
        ef.layout = sharedLayout(s);
        shareGlyphData(ef.font as FontkitFontLike);
      }
      return pdf;
    }
  }
  return pdf.font(name);
}

// ---------------------------------------------------------------- text output

interface GlyphPos {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}
type Encoded = [string[], GlyphPos[]];
interface FontGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}
interface PdfkitEmbeddedFont {
  id?: string;
  ref?: () => unknown;
  encode?: (text: string) => Encoded;
  layout?: EmbeddedFontLike["layout"];
  subset?: { includeGlyph?: (id: number) => number };
  widths?: number[];
  unicode?: unknown[];
  scale?: number;
}
interface PdfkitTextState {
  _font?: PdfkitEmbeddedFont;
  _fontSize?: number;
  page?: { height: number; fonts: Record<string, unknown> };
  addContent?: (data: string) => unknown;
}

/** pdfkit's number formatting in content streams. */
const num = (n: number): number => {
  if (n > -1e21 && n < 1e21) return Math.round(n * 1e6) / 1e6;
  throw new Error(`unsupported number: ${n}`);
};

/** Glyph codes (the glyph's number in the document's subset, as 4 hex digits) per glyph id, per font of one document. */
const glyphCodes = new WeakMap<object, Map<number, string>>();

/**
 * pdfkit's EmbeddedFont.encode(text): the glyph codes and positions of `text`, each glyph added to
 * the document's subset (with its width and Unicode text) the first time it is used, as pdfkit does,
 * but looking a glyph's code up instead of working it out again each time.
 */
function encode(font: PdfkitEmbeddedFont, text: string): Encoded {
  const { layout, subset, widths, unicode, scale } = font;
  if (typeof layout === "function" && typeof subset?.includeGlyph === "function" && Array.isArray(widths) && Array.isArray(unicode) && typeof scale === "number") {
    const { glyphs, positions } = layout.call(font, text);
    if (glyphs && positions) {
      let codes = glyphCodes.get(font);
      if (!codes) glyphCodes.set(font, (codes = new Map()));
      const hexes = new Array<string>(glyphs.length);
      for (let i = 0; i < glyphs.length; i++) {
        const glyph = glyphs[i] as FontGlyph;
        let hex = codes.get(glyph.id);
        if (hex === undefined) {
          const gid = subset.includeGlyph(glyph.id);
          hex = `0000${gid.toString(16)}`.slice(-4);
          codes.set(glyph.id, hex);
          if (widths[gid] == null) widths[gid] = glyph.advanceWidth * scale;
          if (unicode[gid] == null) unicode[gid] = glyph.codePoints;
        }
        hexes[i] = hex;
      }
      return [hexes, positions as GlyphPos[]];
    }
  }
  return font.encode!(text);
}

/**
 * A piece of text ("word " or a last "word") encoded for one font of one document: its glyph codes
 * and positions, and the same as TJ material — runs of glyph codes, each but the last closed by
 * the kerning adjustment after its last glyph — unless a glyph is offset (then `runs` is null).
 */
interface EncodedPiece {
  enc: Encoded;
  runs: { hex: string; adj: string | null }[] | null;
}
const piecesByFont = new WeakMap<object, Map<string, EncodedPiece>>();

function makePiece(enc: Encoded): EncodedPiece {
  const [hexes, positions] = enc;
  const runs: { hex: string; adj: string | null }[] = [];
  let from = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i];
    if (p.xOffset || p.yOffset) return { enc, runs: null };
    if (p.xAdvance - p.advanceWidth !== 0) {
      runs.push({ hex: hexes.slice(from, i + 1).join(""), adj: String(num(-(p.xAdvance - p.advanceWidth))) });
      from = i + 1;
    }
  }
  if (from < hexes.length) runs.push({ hex: hexes.slice(from).join(""), adj: null });
  return { enc, runs };
}

/**
 * Writes one line of text in the current font, size and colour with its baseline at `baseline`:
 * the operators pdfkit's `text(text, x, baseline, { lineBreak: false, baseline: "alphabetic" })`
 * writes, byte for byte, without its option handling and second measuring of the line, and
 * encoding each piece of text (a word and its space) once per document: pdfkit's encoding of a
 * line is the concatenation of its pieces' encodings. pdfkit's save/transform/restore around the
 * text leave its state as it was, so their operators are written directly, all in one go.
 * Returns false, having written nothing, where pdfkit's internals are not as expected.
 */
function textLine(pdf: PDFDoc, text: string, x: number, baseline: number): boolean {
  const d = pdf as unknown as PdfkitTextState;
  const font = d._font;
  const page = d.page;
  const size = d._fontSize;
  if (!font || typeof font.encode !== "function" || typeof font.ref !== "function" || typeof font.id !== "string") return false;
  if (!page || typeof page.height !== "number" || !page.fonts || typeof size !== "number" || typeof d.addContent !== "function") return false;
  if (text.includes("\n")) return false;
  if (!text.length) return true;

  let cache = piecesByFont.get(font);
  if (!cache) piecesByFont.set(font, (cache = new Map()));
  const pieces: EncodedPiece[] = [];
  let simple = true;
  const n = text.length;
  for (let i = 0, last = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : -1;
    if (c === 32 || c === 9 || (i === n && last < n)) {
      const key = text.slice(last, i + 1);
      let piece = cache.get(key);
      if (!piece) cache.set(key, (piece = makePiece(encode(font, key))));
      if (!piece.runs) simple = false;
      pieces.push(piece);
      last = i + 1;
    }
  }

  if (page.fonts[font.id] == null) page.fonts[font.id] = font.ref();
  const y = page.height - baseline;
  const out = [`q\n1 0 0 -1 0 ${num(page.height)} cm\nBT\n1 0 0 1 ${num(x)} ${num(y)} Tm\n/${font.id} ${num(size)} Tf`];
  // As pdfkit: one TJ array of glyph runs, each closed by its kerning adjustment; split where a
  // glyph is offset.
  if (simple) {
    let tj = "";
    let open = "";
    for (const piece of pieces) {
      for (const run of piece.runs!) {
        open += run.hex;
        if (run.adj !== null) {
          tj += `${tj ? " " : ""}<${open}> ${run.adj}`;
          open = "";
        }
      }
    }
    if (open) tj += `${tj ? " " : ""}<${open}> 0`;
    if (tj) out.push(`[${tj}] TJ`);
  } else {
    const encoded: string[] = [];
    const positions: GlyphPos[] = [];
    for (const piece of pieces) {
      for (const h of piece.enc[0]) encoded.push(h);
      for (const p of piece.enc[1]) positions.push(p);
    }
    const scale = size / 1000;
    const commands: string[] = [];
    let last = 0;
    let hadOffset = false;
    const addSegment = (cur: number): void => {
      if (last < cur) {
        const hex = encoded.slice(last, cur).join("");
        const advance = positions[cur - 1].xAdvance - positions[cur - 1].advanceWidth;
        commands.push(`<${hex}> ${num(-advance)}`);
      }
      last = cur;
    };
    const flush = (i: number): void => {
      addSegment(i);
      if (commands.length > 0) {
        out.push(`[${commands.join(" ")}] TJ`);
        commands.length = 0;
      }
    };
    let cx = x;
    let i = 0;
    for (; i < positions.length; i++) {
      const pos = positions[i];
      if (pos.xOffset || pos.yOffset) {
        flush(i);
        out.push(`1 0 0 1 ${num(cx + pos.xOffset * scale)} ${num(y + pos.yOffset * scale)} Tm`);
        flush(i + 1);
        hadOffset = true;
      } else {
        if (hadOffset) {
          out.push(`1 0 0 1 ${num(cx)} ${num(y)} Tm`);
          hadOffset = false;
        }
        if (pos.xAdvance - pos.advanceWidth !== 0) addSegment(i + 1);
      }
      cx += pos.xAdvance * scale;
    }
    flush(i);
  }
  out.push("ET\nQ");
  d.addContent.call(pdf, out.join("\n"));
  return true;
}

interface StreamRef {
  write: (chunk: unknown) => unknown;
  finalize: () => unknown;
  compress?: boolean;
  buffer?: unknown;
}

/**
 * zlib level for the pages' content streams. pdfkit deflates at zlib's default (6); 4 takes about
 * half the time for 2–3 % larger page streams (the fonts, compressed by pdfkit, are unchanged).
 */
const CONTENT_LEVEL = 4;

/** Operators gathered into one stream chunk: a page takes thousands of them. */
const BATCH = 512;

/**
 * Makes a page's content stream gather the operators pdfkit writes to it and pass them on in batches.
 * pdfkit turns every operator into a Buffer of its own (the line plus "\n") that lives until the
 * document ends; tens of thousands of these per document kept the garbage collector busy. The bytes
 * are the same: a batch is the operators joined by "\n", and pdfkit adds the last "\n". The stream
 * is deflated here, at CONTENT_LEVEL, and handed to pdfkit as already compressed (it has marked it
 * FlateDecode when the first operator was written).
 */
function batchWrites(ref: StreamRef | undefined): void {
  if (!ref || typeof ref.write !== "function" || typeof ref.finalize !== "function") return;
  const write = ref.write;
  const finalize = ref.finalize;
  let parts: string[] = [];
  const flush = (): void => {
    if (!parts.length) return;
    const text = parts.join("\n");
    parts = [];
    write.call(ref, text);
  };
  ref.write = (chunk: unknown): unknown => {
    if (chunk instanceof Uint8Array) {
      flush();
      return write.call(ref, chunk);
    }
    parts.push((chunk as string) + "");
    if (parts.length >= BATCH) flush();
    return undefined;
  };
  ref.finalize = (): unknown => {
    flush();
    if (ref.compress === true && Array.isArray(ref.buffer) && ref.buffer.length && ref.buffer.every((b) => b instanceof Uint8Array)) {
      ref.buffer = [zlib.deflateSync(Buffer.concat(ref.buffer as Uint8Array[]), { level: CONTENT_LEVEL })];
      ref.compress = false;
    }
    return finalize.call(ref);
  };
}

// DejaVu vertical metrics (ascent 1901, descent 483 per 2048 units), used to centre text in its line box.
const ASCENT = 1901 / 2048;
const DESCENT = 483 / 2048;
const baselineIn = (lineHeight: number, size: number): number => (lineHeight - (ASCENT + DESCENT) * size) / 2 + ASCENT * size;

// ---------------------------------------------------------------- inline text model

interface LinkTarget {
  href?: string;
  dest?: string;
}

interface Style {
  family: Family;
  bold: boolean;
  italic: boolean;
  size: number;
  color: string;
  /** Object identity groups the pieces of one link into one clickable area per line. */
  link?: LinkTarget;
  /** An example value (`# illustrativ`): drawn in a box; object identity groups its pieces per line. */
  example?: object;
}

const fontOf = (s: Style): FontName => `${s.family}${s.bold ? (s.italic ? "-bi" : "-b") : s.italic ? "-i" : ""}` as FontName;
const sameStyle = (a: Style, b: Style): boolean =>
  a.family === b.family && a.bold === b.bold && a.italic === b.italic && a.size === b.size && a.color === b.color && a.link === b.link && a.example === b.example;

type Piece = { kind: "text"; text: string; style: Style } | { kind: "break" };

interface Seg {
  text: string;
  style: Style;
  width: number;
}
interface Word {
  kind: "word";
  segs: Seg[];
  width: number;
}
interface Space {
  kind: "space";
  style: Style;
  width: number;
}
type Tok = Word | Space | { kind: "break" };

interface Line {
  items: (Word | Space)[];
  /** Natural width without trailing spaces. */
  width: number;
  spaces: number;
  /** Ends the paragraph or a hard break: never justified. */
  hard: boolean;
}

type Align = "left" | "right" | "center" | "justify";

/** Text widths kept before the cache starts afresh (bounds memory in a long-running process). */
const WIDTH_CACHE_LIMIT = 200_000;

/**
 * Text widths, cached for the whole process (a width depends only on font, size and text). Measured
 * with a pdfkit document of its own that never draws anything, so a layout pass needs no document.
 */
class Measure {
  private static cache = new Map<string, Map<string, number>>();
  private static cached = 0;
  private static measuringDoc: PDFDoc | undefined;
  private static doc(): PDFDoc {
    if (!Measure.measuringDoc) {
      const d = new PDFDocument({ autoFirstPage: false, font: "", size: [PAGE_W, PAGE_H] });
      for (const [name, data] of fonts()) d.registerFont(name, data);
      Measure.measuringDoc = d;
    }
    return Measure.measuringDoc;
  }
  width(text: string, font: FontName, size: number): number {
    const key = `${font} ${size}`;
    let cache = Measure.cache.get(key);
    if (!cache) Measure.cache.set(key, (cache = new Map()));
    let w = cache.get(text);
    if (w === undefined) {
      w = useFont(Measure.doc(), font).fontSize(size).widthOfString(text);
      if (++Measure.cached > WIDTH_CACHE_LIMIT) {
        for (const c of Measure.cache.values()) c.clear();
        Measure.cached = 1;
      }
      cache.set(text, w);
    }
    return w;
  }
  seg(text: string, style: Style): Seg {
    return { text, style, width: this.width(text, fontOf(style), style.size) };
  }
}

const makeWord = (segs: Seg[]): Word => ({ kind: "word", segs, width: segs.reduce((a, s) => a + s.width, 0) });
const wordText = (w: Word): string => w.segs.map((s) => s.text).join("");

function tokenize(pieces: Piece[], m: Measure): Tok[] {
  const toks: Tok[] = [];
  let word: Seg[] = [];
  const flush = (): void => {
    if (word.length) toks.push(makeWord(word));
    word = [];
  };
  for (const p of pieces) {
    if (p.kind === "break") {
      flush();
      toks.push({ kind: "break" });
      continue;
    }
    // Soft hyphens and zero-width spaces are dropped; control characters have no glyphs.
    const text = p.text.replace(/[\u00ad\u200b\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
    const parts = text.split(/([ \t\r\n]+)/);
    for (let k = 0; k < parts.length; k++) {
      const s = parts[k];
      if (!s) continue;
      if (k % 2 === 1) {
        flush();
        const last = toks[toks.length - 1];
        if (!last || last.kind !== "space") toks.push({ kind: "space", style: p.style, width: m.width(" ", fontOf(p.style), p.style.size) });
      } else {
        word.push(m.seg(s, p.style));
      }
    }
  }
  flush();
  return toks;
}

/** Characters of `w` from `from` to `to` as a new word (segments re-measured where cut). */
function sliceWord(w: Word, from: number, to: number, m: Measure): Word {
  const segs: Seg[] = [];
  let off = 0;
  for (const s of w.segs) {
    const a = Math.max(from, off);
    const b = Math.min(to, off + s.text.length);
    if (a < b) segs.push(a === off && b === off + s.text.length ? s : m.seg(s.text.slice(a - off, b - off), s.style));
    off += s.text.length;
  }
  return makeWord(segs);
}

const LETTER = /[\p{L}\p{N}]/u;

/** Splits after the last inner hyphen ("ikke-|udtømmende") whose prefix fits in `room`. */
function hyphenSplit(w: Word, room: number, m: Measure): [Word, Word] | null {
  const t = wordText(w);
  for (let i = t.length - 2; i > 0; i--) {
    if (t[i] !== "-" || !LETTER.test(t[i - 1]) || !LETTER.test(t[i + 1])) continue;
    const head = sliceWord(w, 0, i + 1, m);
    if (head.width <= room + EPS) return [head, sliceWord(w, i + 1, t.length, m)];
  }
  return null;
}

/** Breaks a word longer than a whole line (URLs, identifiers), preferring to break after / . - _ ? & = #. */
function forceSplit(w: Word, room: number, m: Measure): [Word, Word] | null {
  const t = wordText(w);
  if (t.length < 2) return null;
  let lo = 1;
  let hi = t.length - 1;
  let best = 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sliceWord(w, 0, mid, m).width <= room + EPS) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let k = best; k >= Math.max(1, Math.ceil(best * 0.6)); k--) {
    if ("/.-_?&=#,;:".includes(t[k - 1]) && k < t.length) {
      best = k;
      break;
    }
  }
  // Never cut a surrogate pair.
  const c = t.charCodeAt(best);
  if (c >= 0xdc00 && c <= 0xdfff) best = best > 1 ? best - 1 : best + 1;
  if (best >= t.length) return null;
  return [sliceWord(w, 0, best, m), sliceWord(w, best, t.length, m)];
}

/** Greedy line breaking; `widthAt(i)` is the width available to line i. */
function breakLines(toks: Tok[], widthAt: (line: number) => number, m: Measure): Line[] {
  const lines: Line[] = [];
  let cur: (Word | Space)[] = [];
  let curW = 0;
  const push = (hard: boolean): void => {
    while (cur.length && cur[cur.length - 1].kind === "space") curW -= cur.pop()!.width;
    lines.push({ items: cur, width: curW, spaces: cur.filter((i) => i.kind === "space").length, hard });
    cur = [];
    curW = 0;
  };
  const queue = toks.slice();
  for (let i = 0; i < queue.length; i++) {
    const t = queue[i];
    if (t.kind === "break") {
      push(true);
      continue;
    }
    if (t.kind === "space") {
      if (cur.length) {
        cur.push(t);
        curW += t.width;
      }
      continue;
    }
    const W = widthAt(lines.length);
    if (curW + t.width <= W + EPS) {
      cur.push(t);
      curW += t.width;
      continue;
    }
    if (cur.length) {
      const split = hyphenSplit(t, W - curW, m);
      if (split) {
        cur.push(split[0]);
        curW += split[0].width;
        queue[i] = split[1];
      }
      push(false);
      i--; // the (rest of the) word starts the next line
      continue;
    }
    const split = hyphenSplit(t, W, m) ?? forceSplit(t, W, m);
    if (!split) {
      cur.push(t);
      curW += t.width;
      continue;
    }
    cur.push(split[0]);
    curW += split[0].width;
    push(false);
    queue[i] = split[1];
    i--;
  }
  if (cur.length || lines.length === 0) push(true);
  lines[lines.length - 1].hard = true;
  return lines;
}

/** Longest unbreakable piece and the whole content on one line: the min and max widths of a table cell. */
function contentWidths(toks: Tok[]): { min: number; max: number } {
  let min = 0;
  let max = 0;
  let line = 0;
  for (const t of toks) {
    if (t.kind === "break") {
      max = Math.max(max, line);
      line = 0;
    } else {
      line += t.width;
      if (t.kind === "word") min = Math.max(min, t.width);
    }
  }
  return { min, max: Math.max(max, line) };
}

// ---------------------------------------------------------------- tagging

/** Thin wrapper over pdfkit's structure API: one marked-content sequence per drawn line or shape. */
class Tags {
  readonly root: StructEl;
  /** `dry`: a layout-only pass; nothing is drawn or tagged. */
  constructor(
    private doc: PDFDoc,
    private readonly dry = false,
  ) {
    this.root = doc.struct("Document");
    doc.addStructure(this.root);
  }
  el(type: string, parent: StructEl | null, options?: PDFKit.Mixins.StructureElementOptions): StructEl {
    const e = options ? this.doc.struct(type, options) : this.doc.struct(type);
    (parent ?? this.root).add(e);
    return e;
  }
  mark(el: StructEl | null, type: string, draw: () => void): void {
    if (this.dry) return;
    if (!el) return this.artifact(draw);
    const content = this.doc.markStructureContent(type);
    draw();
    this.doc.endMarkedContent();
    el.add(content);
  }
  artifact(draw: () => void, type?: "Pagination" | "Layout"): void {
    if (this.dry) return;
    this.doc.markContent("Artifact", type ? { type } : undefined);
    draw();
    this.doc.endMarkedContent();
  }
}

// ---------------------------------------------------------------- layout

interface Ctx {
  x: number;
  width: number;
  parent: StructEl | null;
  italic: boolean;
  color: string;
  paraGap: number;
  listDepth: number;
}

interface PendingLabel {
  text: string;
  style: Style;
  /** Right edge of the label box; the label is right-aligned against it. */
  right: number;
  el: StructEl;
}

interface Quote {
  x: number;
  drawn: boolean;
  startY: number;
  endY: number;
}

type TableLayout = { widths: number[]; header: RowBox | null; rows: RowBox[] } | null;

/** A figure's size on the page (points) and its caption's lines. */
interface FigureLayout {
  width: number;
  height: number;
  caption: Line[];
  captionH: number;
}

/** A registered font for an SVG font: DejaVu Serif for serif families, else DejaVu Sans. */
function svgFont(family: string, bold: boolean, italic: boolean): FontName {
  const f = (family || "").toLowerCase();
  const serif = /serif|times|georgia|garamond|cambria/.test(f) && !/sans/.test(f) && !/mono/.test(f);
  return `${serif ? "serif" : "sans"}${bold ? (italic ? "-bi" : "-b") : italic ? "-i" : ""}` as FontName;
}

/** Images in a figure's SVG: only embedded PNG/JPEG data; anything else is never opened (an empty buffer fails harmlessly). */
const svgImage = (link: string): string | Buffer => (/^data:image\/(png|jpeg);base64,/i.test(link.trim()) ? link.trim() : Buffer.alloc(0));

/**
 * Layouts shared by the passes of one document (and by the look-ahead that keeps a heading with what
 * follows it): the same content at the same width always breaks into the same lines, and laid-out
 * lines are never changed once made. Keyed by the tree's own objects, and made anew for each document.
 */
class Memo {
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

interface PassResult {
  pdf: PDFDoc;
  pages: Map<string, number>;
}

class Pass {
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
    return { family: "serif", bold: false, italic: ctx.italic, size, color: ctx.color };
  }

  pieces(content: Inline[], st: Style, out: Piece[] = []): Piece[] {
    for (const i of content) {
      switch (i.type) {
        case "text":
          out.push({ kind: "text", text: i.text, style: st });
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
          out.push({ kind: "text", text: i.text, style: dest ? { ...st, link: { dest } } : st });
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
        return this.paragraph(b.content, ctx);
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
    }
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

  paragraph(content: Inline[], ctx: Ctx): void {
    const toks = this.contentToks(content, this.baseStyle(ctx));
    if (!toks.some((t) => t.kind === "word")) return;
    const lines = this.linesAt(toks, ctx.width);
    this.gap(ctx.paraGap);
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

  /** Height of the first lines of `siblings[index]`, which a heading before it is kept with. */
  private keepHeight(siblings: Block[], index: number, ctx: Ctx, depth = 0): number {
    const b = siblings[index];
    if (!b || depth > 3) return 0;
    const lines = (content: Inline[], width: number, size = BODY_SIZE, lhf = BODY_LH): number => {
      const toks = this.contentToks(content, this.baseStyle(ctx, size));
      return Math.min(2, this.linesAt(toks, width).length) * size * lhf;
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
        return ctx.paraGap + (t.header ? t.header.height : 0) + (t.rows[0] ? t.rows[0].height : 0);
      }
      case "toc":
        return 3 * BODY_SIZE * BODY_LH;
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
    const next = this.keepHeight(siblings, index + 1, ctx);
    this.gap(st.before);
    this.reserve(own + next <= BODY_H * 0.8 ? own + Math.max(0, next) : own);
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
    const labels = l.items.map((_, i) => (l.ordered ? `${l.start + i}.` : ["•", "–", "◦"][ctx.listDepth % 3]));
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
      const style: Style = { family: "sans", bold: false, italic: false, size: CAPTION_SIZE, color: COLOR.text };
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
    const base = this.baseStyle(ctx, TABLE_SIZE);
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
    const widths =
      sumMax <= avail
        ? max.map((w) => (w * avail) / sumMax)
        : sumMin >= avail
          ? min.map((w) => (w * avail) / sumMin)
          : min.map((w, i) => w + ((max[i] - w) * (avail - sumMin)) / (sumMax - sumMin));
    const lh = TABLE_SIZE * TABLE_LH;
    const align = (col: number, cell: TableCell | undefined, header: boolean): Align =>
      cell?.align ?? (header ? t.rows[0]?.[col]?.align : undefined) ?? "left";
    const box = (cells: Tok[][], src: (TableCell | undefined)[], isHeader: boolean): RowBox => {
      const lines = cells.map((toks, i) => (toks.some((x) => x.kind === "word") ? breakLines(toks, () => widths[i] - 2 * CELL_PAD_X, this.m) : []));
      const n = Math.max(1, ...lines.map((l) => l.length));
      return { lines, aligns: src.map((c, i) => align(i, c, isHeader)), height: n * lh + 2 * CELL_PAD_Y, lh };
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
        this.drawLine(row.lines[i][j], x + CELL_PAD_X, ly, w - 2 * CELL_PAD_X, row.lh, TABLE_SIZE, row.aligns[i], el, header ? "TH" : "TD");
      }
      x += w;
    });
    if (this.labels.length) this.flushLabels(top + CELL_PAD_Y + baselineIn(row.lh, TABLE_SIZE));
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
    this.reserve(Math.min(headerH + (rows[0] ? rows[0].height : 0), BODY_H));
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
    const pageCol = this.m.width("0000", "serif", BODY_SIZE);
    entries.forEach((h, idx) => {
      const level1 = h.level <= 1;
      const style: Style = { family: "serif", bold: level1, italic: false, size: BODY_SIZE, color: COLOR.text };
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

  cover(): void {
    this.newPage();
    this.y = TOP + 96;
    this.atTop = false;
    const ctx = this.rootCtx();
    const head = (text: string, style: Style, lhf: number, tag: string): void => {
      const lines = breakLines(tokenize([{ kind: "text", text, style }], this.m), () => TEXT_W, this.m);
      const el = this.tags.el(tag, ctx.parent);
      this.flowLines(lines, { x: MARGIN.left, width: TEXT_W, lh: style.size * lhf, size: style.size, align: "left", el, tag, keep: true });
      el.end();
    };
    if (this.tree.label) {
      head(this.tree.label.toLocaleUpperCase("da-DK"), { family: "sans", bold: true, italic: false, size: 9.5, color: COLOR.muted }, 1.4, "P");
      this.y += 10;
    }
    head(this.tree.title, { family: "sans", bold: true, italic: false, size: 24, color: COLOR.accent }, 1.22, "H1");
    this.y += 14;
    for (const s of this.tree.subtitle) head(s, { family: "serif", bold: false, italic: false, size: 13, color: COLOR.text }, 1.45, "P");
    this.y += 16;
    const y = this.y;
    this.tags.artifact(() => {
      this.pdf.save().lineWidth(1.2).strokeColor(COLOR.accent).moveTo(MARGIN.left, y).lineTo(MARGIN.left + 90, y).stroke().restore();
    });
    this.y += 8;
    this.gap(34);
  }

  pageFurniture(): void {
    const { start, count } = this.pdf.bufferedPageRange();
    const small: Style = { family: "sans", bold: false, italic: false, size: 8.5, color: COLOR.muted };
    for (let i = start; i < start + count; i++) {
      if (i === 0) continue; // the cover has neither header nor footer
      this.pdf.switchToPage(i);
      this.tags.artifact(() => {
        const hb = 48;
        this.drawText(this.tree.label, MARGIN.left, hb, small, 0);
        this.pdf.save().lineWidth(0.5).strokeColor(COLOR.rule).moveTo(MARGIN.left, hb + 6).lineTo(PAGE_W - MARGIN.right, hb + 6).stroke().restore();
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

interface RowBox {
  lines: Line[][];
  aligns: Align[];
  height: number;
  lh: number;
}

// ---------------------------------------------------------------- helpers

/** The document date at midnight UTC; a fixed fallback keeps output deterministic for a bad date. */
function documentDate(iso: string): Date {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? new Date(Date.UTC(2000, 0, 1)) : d;
}

const xmlEscape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * pdfkit writes Title/Author/Subject into the XMP packet without XML escaping, so a title such as
 * "Køb & levering" would make the metadata invalid. Escape them for the XMP only (the Info dictionary
 * keeps the plain strings). Guarded: if pdfkit changes its internals this is a no-op.
 */
function escapeXmpInfo(pdf: PDFDoc): void {
  const target = pdf as unknown as { _addInfo?: () => void; info: Record<string, unknown> };
  const original = target._addInfo;
  if (typeof original !== "function") return;
  target._addInfo = function (this: typeof target) {
    const saved = this.info;
    this.info = Object.fromEntries(Object.entries(saved).map(([k, v]) => [k, typeof v === "string" ? xmlEscape(v) : v]));
    try {
      original.call(this);
    } finally {
      this.info = saved;
    }
  };
}

/** Every heading, in document order, including those nested in lists and block quotes. */
function allHeadings(blocks: Block[], out: Heading[] = []): Heading[] {
  for (const b of blocks) {
    if (b.type === "heading") out.push(b);
    else if (b.type === "list") for (const item of b.items) allHeadings(item, out);
    else if (b.type === "blockquote") allHeadings(b.content, out);
  }
  return out;
}

/** Unique named-destination names: the clause id where there is one. */
function destinations(tree: DocumentTree): { dests: Map<Heading, string>; idDest: Map<string, string> } {
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

function sameMap(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function toBuffer(pdf: PDFDoc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on("data", (c: Buffer) => chunks.push(c));
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
    pdf.end();
  });
}

/**
 * A stand-in for a pdfkit document in a dry pass: every property is itself, every call returns
 * itself, every assignment is ignored, so drawing, tagging and outline calls cost next to nothing.
 */
function nullDoc(): PDFDoc {
  const target = function () {} as unknown as object;
  const proxy: object = new Proxy(target, {
    get: (_t, prop) => (prop === "then" ? undefined : proxy),
    apply: () => proxy,
    set: () => true,
  });
  return proxy as PDFDoc;
}

/** Whether any block is a table of contents, the only thing that depends on page numbers. */
const hasToc = (blocks: Block[]): boolean => blocks.some((b) => b.type === "toc");

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
