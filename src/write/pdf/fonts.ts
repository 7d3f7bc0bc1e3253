/** Fonts: Carlito (WOFF unpacked to TrueType) and DejaVu, parsed once and shared by every document of the process. */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { createRequire } from "node:module";

type PDFDoc = PDFKit.PDFDocument;

// ---------------------------------------------------------------- fonts

/** "body": Carlito, the text face; "serif"/"sans": DejaVu, for charts and characters Carlito lacks. */
export type Family = "serif" | "sans" | "body";
export const CARLITO_FILES = {
  body: "carlito-latin-400-normal.woff",
  "body-b": "carlito-latin-700-normal.woff",
  "body-i": "carlito-latin-400-italic.woff",
  "body-bi": "carlito-latin-700-italic.woff",
} as const;
export const FONT_FILES = {
  ...CARLITO_FILES,
  serif: "DejaVuSerif.ttf",
  "serif-b": "DejaVuSerif-Bold.ttf",
  "serif-i": "DejaVuSerif-Italic.ttf",
  "serif-bi": "DejaVuSerif-BoldItalic.ttf",
  sans: "DejaVuSans.ttf",
  "sans-b": "DejaVuSans-Bold.ttf",
  "sans-i": "DejaVuSans-Oblique.ttf",
  "sans-bi": "DejaVuSans-BoldOblique.ttf",
} as const;
export type FontName = keyof typeof FONT_FILES;

export let fontData: Map<FontName, Buffer> | undefined;

/**
 * The font files, read once: Carlito (Latin subset, WOFF) from `@fontsource/carlito`, DejaVu (TTF)
 * from `dejavu-fonts-ttf`, wherever they are installed.
 */
export function fonts(): Map<FontName, Buffer> {
  if (!fontData) {
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
    const carlito = path.join(path.dirname(require.resolve("@fontsource/carlito/package.json")), "files");
    fontData = new Map(
      (Object.keys(FONT_FILES) as FontName[]).map((k) => {
        const data = fs.readFileSync(path.join(k in CARLITO_FILES ? carlito : dir, FONT_FILES[k]));
        return [k, k in CARLITO_FILES ? woffToSfnt(data) : data];
      }),
    );
  }
  return fontData;
}

/**
 * A WOFF 1.0 font as the TrueType file it packs (pdfkit embeds TrueType; the Carlito package ships
 * WOFF): the tables inflated (zlib) and laid out again behind an sfnt table directory.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString("latin1", 0, 4) !== "wOFF") return woff;
  const flavor = woff.readUInt32BE(4);
  const n = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < n; i++) {
    const e = 44 + i * 20;
    const offset = woff.readUInt32BE(e + 4);
    const comp = woff.readUInt32BE(e + 8);
    const orig = woff.readUInt32BE(e + 12);
    const raw = woff.subarray(offset, offset + comp);
    tables.push({ tag: woff.readUInt32BE(e), checksum: woff.readUInt32BE(e + 16), data: comp < orig ? zlib.inflateSync(raw) : Buffer.from(raw) });
  }
  const pow = 2 ** Math.floor(Math.log2(n));
  const head = Buffer.alloc(12 + 16 * n);
  head.writeUInt32BE(flavor, 0);
  head.writeUInt16BE(n, 4);
  head.writeUInt16BE(pow * 16, 6);
  head.writeUInt16BE(Math.log2(pow), 8);
  head.writeUInt16BE(n * 16 - pow * 16, 10);
  const body: Buffer[] = [];
  let offset = head.length;
  tables.forEach((t, i) => {
    const r = 12 + i * 16;
    head.writeUInt32BE(t.tag, r);
    head.writeUInt32BE(t.checksum, r + 4);
    head.writeUInt32BE(offset, r + 8);
    head.writeUInt32BE(t.data.length, r + 12);
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    body.push(padded);
    offset += padded.length;
  });
  return Buffer.concat([head, ...body]);
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
export interface GlyphRun {
  glyphs: unknown[];
  positions: unknown[];
  advanceWidth: number;
}
export type LayoutResult = { glyphs: unknown[] | null; positions: unknown[] | null; advanceWidth: number };
export interface EmbeddedFontLike {
  font: unknown;
  name?: string;
  layout?: (text: string, features?: unknown, onlyWidth?: boolean) => LayoutResult;
  layoutRun?: (text: string, features?: unknown) => GlyphRun;
}
export interface PdfkitFontState {
  _fontFamilies?: Record<string, EmbeddedFontLike>;
  _fontCount?: number;
  _font?: EmbeddedFontLike;
}
export type EmbeddedFontCtor = new (doc: PDFDoc, font: unknown, id: string) => EmbeddedFontLike;
export interface SharedFont {
  ctor: EmbeddedFontCtor;
  font: unknown;
  /** Shaped pieces of text ("word " or a last "word"), in pdfkit's units. */
  runs: Map<string, GlyphRun>;
}
export const sharedFonts = new Map<FontName, SharedFont>();
/** Shaped pieces kept per font before its cache starts afresh (bounds memory). */
export const RUN_CACHE_LIMIT = 50_000;

/**
 * pdfkit's EmbeddedFont.layout with the shared cache: the text is cut after each space or tab and the
 * pieces' runs are joined, exactly as pdfkit does it (but without testing each character with
 * `[' ', '\t'].includes`, re-copying the arrays for every word, or a property lookup per piece).
 */
export function sharedLayout(shared: SharedFont): NonNullable<EmbeddedFontLike["layout"]> {
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
export function shapeAfresh(ef: EmbeddedFontLike, piece: string): GlyphRun {
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

export interface FontkitFontLike {
  getGlyph?: (id: number, codePoints?: number[]) => unknown;
  _variationProcessor?: unknown;
  directory?: { tables?: Record<string, unknown> };
}

export interface GlyphInternals {
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
export function shareGlyphData(font: FontkitFontLike): void {
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
export function useFont(pdf: PDFDoc, name: FontName): PDFDoc {
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
