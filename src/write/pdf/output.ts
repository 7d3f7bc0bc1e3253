/** Text output: glyph encoding cached per font, and batched content-stream writes. */
import * as zlib from "node:zlib";
import { EmbeddedFontLike, fonts } from "./fonts.js";

type PDFDoc = PDFKit.PDFDocument;

// ---------------------------------------------------------------- text output

export interface GlyphPos {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}
export type Encoded = [string[], GlyphPos[]];
export interface FontGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}
export interface PdfkitEmbeddedFont {
  id?: string;
  ref?: () => unknown;
  encode?: (text: string) => Encoded;
  layout?: EmbeddedFontLike["layout"];
  subset?: { includeGlyph?: (id: number) => number };
  widths?: number[];
  unicode?: unknown[];
  scale?: number;
}
export interface PdfkitTextState {
  _font?: PdfkitEmbeddedFont;
  _fontSize?: number;
  page?: { height: number; fonts: Record<string, unknown> };
  addContent?: (data: string) => unknown;
}

/** pdfkit's number formatting in content streams. */
export const num = (n: number): number => {
  if (n > -1e21 && n < 1e21) return Math.round(n * 1e6) / 1e6;
  throw new Error(`unsupported number: ${n}`);
};

/** Glyph codes (the glyph's number in the document's subset, as 4 hex digits) per glyph id, per font of one document. */
export const glyphCodes = new WeakMap<object, Map<number, string>>();

/**
 * pdfkit's EmbeddedFont.encode(text): the glyph codes and positions of `text`, each glyph added to
 * the document's subset (with its width and Unicode text) the first time it is used, as pdfkit does,
 * but looking a glyph's code up instead of working it out again each time.
 */
export function encode(font: PdfkitEmbeddedFont, text: string): Encoded {
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
export interface EncodedPiece {
  enc: Encoded;
  runs: { hex: string; adj: string | null }[] | null;
}
export const piecesByFont = new WeakMap<object, Map<string, EncodedPiece>>();

export function makePiece(enc: Encoded): EncodedPiece {
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
export function textLine(pdf: PDFDoc, text: string, x: number, baseline: number): boolean {
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

export interface StreamRef {
  write: (chunk: unknown) => unknown;
  finalize: () => unknown;
  compress?: boolean;
  buffer?: unknown;
}

/**
 * zlib level for the pages' content streams. pdfkit deflates at zlib's default (6); 4 takes about
 * half the time for 2–3 % larger page streams (the fonts, compressed by pdfkit, are unchanged).
 */
export const CONTENT_LEVEL = 4;

/** Operators gathered into one stream chunk: a page takes thousands of them. */
export const BATCH = 512;

/**
 * Makes a page's content stream gather the operators pdfkit writes to it and pass them on in batches.
 * pdfkit turns every operator into a Buffer of its own (the line plus "\n") that lives until the
 * document ends; tens of thousands of these per document kept the garbage collector busy. The bytes
 * are the same: a batch is the operators joined by "\n", and pdfkit adds the last "\n". The stream
 * is deflated here, at CONTENT_LEVEL, and handed to pdfkit as already compressed (it has marked it
 * FlateDecode when the first operator was written).
 */
export function batchWrites(ref: StreamRef | undefined): void {
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

// Carlito's vertical metrics (ascent 1950, descent 550 per 2048 units), used to centre text in its line box.
export const ASCENT = 1950 / 2048;
export const DESCENT = 550 / 2048;
export const baselineIn = (lineHeight: number, size: number): number => (lineHeight - (ASCENT + DESCENT) * size) / 2 + ASCENT * size;
