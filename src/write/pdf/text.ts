/** The inline text model, shaping (measured widths) and line breaking. */
import PDFDocument from "pdfkit";
import { EPS, PAGE_H, PAGE_W } from "./style.js";
import { Family, FontName, PdfkitFontState, fonts, useFont } from "./fonts.js";

type PDFDoc = PDFKit.PDFDocument;

// ---------------------------------------------------------------- inline text model

export interface LinkTarget {
  href?: string;
  dest?: string;
}

export interface Style {
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

export const fontOf = (s: Style): FontName => `${s.family}${s.bold ? (s.italic ? "-bi" : "-b") : s.italic ? "-i" : ""}` as FontName;
export const sameStyle = (a: Style, b: Style): boolean =>
  a.family === b.family && a.bold === b.bold && a.italic === b.italic && a.size === b.size && a.color === b.color && a.link === b.link && a.example === b.example;

export type Piece = { kind: "text"; text: string; style: Style } | { kind: "break" };

export interface Seg {
  text: string;
  style: Style;
  width: number;
}
export interface Word {
  kind: "word";
  segs: Seg[];
  width: number;
  /** A piece of a longer word (see MAX_WORD): follows the previous word without a space. */
  glue?: boolean;
}
export interface Space {
  kind: "space";
  style: Style;
  width: number;
}
export type Tok = Word | Space | { kind: "break" };

export interface Line {
  items: (Word | Space)[];
  /** Natural width without trailing spaces. */
  width: number;
  spaces: number;
  /** Ends the paragraph or a hard break: never justified. */
  hard: boolean;
}

export type Align = "left" | "right" | "center" | "justify";

/** Text widths kept before the cache starts afresh (bounds memory in a long-running process). */
export const WIDTH_CACHE_LIMIT = 200_000;

/**
 * Text widths, cached for the whole process (a width depends only on font, size and text). Measured
 * with a pdfkit document of its own that never draws anything, so a layout pass needs no document.
 */
export class Measure {
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
  /** Whether the body font (Carlito's Latin subset) has a glyph for every character of `text`. */
  private static coverage: ((cp: number) => boolean) | undefined;
  private static bodyHas(cp: number): boolean {
    if (!Measure.coverage) {
      const ef = (useFont(Measure.doc(), "body") as unknown as PdfkitFontState)._font;
      const font = ef?.font as { hasGlyphForCodePoint?: (cp: number) => boolean } | undefined;
      Measure.coverage = typeof font?.hasGlyphForCodePoint === "function" ? (c) => font.hasGlyphForCodePoint!(c) : () => true;
    }
    return Measure.coverage(cp);
  }
  /**
   * `text` in `style`, cut where the body font lacks a character: those characters are set in
   * DejaVu Sans (same weight and slant), so no text is ever drawn as a missing glyph.
   */
  covered(text: string, style: Style): [string, Style][] {
    if (style.family !== "body" || /^[\u0020-\u007e\u00a0-\u00ff]*$/.test(text)) return [[text, style]];
    const out: [string, Style][] = [];
    const fallback: Style = { ...style, family: "sans" };
    for (const ch of text) {
      const st = Measure.bodyHas(ch.codePointAt(0)!) ? style : fallback;
      const last = out[out.length - 1];
      if (last && last[1] === st) last[0] += ch;
      else out.push([ch, st]);
    }
    return out;
  }
  seg(text: string, style: Style): Seg {
    return { text, style, width: this.width(text, fontOf(style), style.size) };
  }
}

export const makeWord = (segs: Seg[]): Word => ({ kind: "word", segs, width: segs.reduce((a, s) => a + s.width, 0) });
export const wordText = (w: Word): string => w.segs.map((s) => s.text).join("");

/**
 * Longest piece of a word measured as one (characters). A longer word (a pasted hash, a URL, hostile
 * input) is cut into pieces of this length that follow each other without a space: every width the
 * line breaker measures is of a bounded string, so a 20.000-character word costs 20.000 characters
 * of work, not 20.000 times a line (it used to shape every candidate prefix of the whole word).
 */
export const MAX_WORD = 120;

export function tokenize(pieces: Piece[], m: Measure): Tok[] {
  const toks: Tok[] = [];
  let word: Seg[] = [];
  let wordLen = 0;
  let glue = false;
  const flush = (): void => {
    if (word.length) toks.push(glue ? { ...makeWord(word), glue: true } : makeWord(word));
    word = [];
    wordLen = 0;
    glue = false;
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
        continue;
      }
      let at = 0;
      while (at < s.length) {
        let take = Math.min(s.length - at, MAX_WORD - wordLen);
        // Never cut a surrogate pair.
        if (take > 0 && at + take < s.length && /[\uDC00-\uDFFF]/.test(s[at + take])) take--;
        if (take <= 0) {
          flush();
          glue = true;
          continue;
        }
        for (const [text, style] of m.covered(s.slice(at, at + take), p.style)) word.push(m.seg(text, style));
        wordLen += take;
        at += take;
        if (wordLen >= MAX_WORD) {
          flush();
          glue = true;
        }
      }
    }
  }
  flush();
  return toks;
}

/** Characters of `w` from `from` to `to` as a new word (segments re-measured where cut). */
export function sliceWord(w: Word, from: number, to: number, m: Measure): Word {
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

export const LETTER = /[\p{L}\p{N}]/u;

/** Splits after the last inner hyphen ("ikke-|udtømmende") whose prefix fits in `room`. */
export function hyphenSplit(w: Word, room: number, m: Measure): [Word, Word] | null {
  const t = wordText(w);
  for (let i = t.length - 2; i > 0; i--) {
    if (t[i] !== "-" || !LETTER.test(t[i - 1]) || !LETTER.test(t[i + 1])) continue;
    const head = sliceWord(w, 0, i + 1, m);
    if (head.width <= room + EPS) return [head, sliceWord(w, i + 1, t.length, m)];
  }
  return null;
}

/** Breaks a word longer than a whole line (URLs, identifiers), preferring to break after / . - _ ? & = #. */
export function forceSplit(w: Word, room: number, m: Measure): [Word, Word] | null {
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
export function breakLines(toks: Tok[], widthAt: (line: number) => number, m: Measure): Line[] {
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
    if (cur.length && t.glue) {
      // A piece of a long word: fill this line with as much of it as fits.
      const split = forceSplit(t, W - curW, m);
      if (split && split[0].width <= W - curW + EPS) {
        cur.push(split[0]);
        curW += split[0].width;
        queue[i] = split[1];
      }
      push(false);
      i--;
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
export function contentWidths(toks: Tok[]): { min: number; max: number } {
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
