/**
 * Reading spec files safely: size limits, binary and encoding checks, and where each value came from.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isUtf8 } from "node:buffer";
import { Diagnostic } from "../diagnostics.js";
import { LIMITS } from "./limits.js";
import { readRegularFile, regularFileMessage } from "./regular-file.js";

/** Line index of a text, built on first use: offset → 1-based line and column. */
export class Lines {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}
  linePos(offset: number): { line: number; col: number } {
    if (!this.starts) {
      this.starts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo] + 1 };
  }
}

export interface SourceFile {
  /** Absolute path. */
  abs: string;
  /** Path as shown to the user. */
  display: string;
  text: string;
  lines: Lines;
}

export interface Location {
  file: SourceFile;
  /** Offset of the value. */
  offset: number;
  /** Offset of the key whose value this is, if any. */
  keyOffset?: number;
}

/** Maps JSON pointers in the resolved spec to their place in the source files. */
export class SourceMap {
  private readonly locs = new Map<string, Location>();
  readonly files: SourceFile[] = [];
  constructor(public readonly entry: string) {}

  set(pointer: string, loc: Location): void {
    this.locs.set(pointer, loc);
  }

  get(pointer: string): Location | undefined {
    return this.locs.get(pointer);
  }

  /** Every pointer with a location, in insertion (document) order. */
  pointers(): string[] {
    return [...this.locs.keys()];
  }

  /** File, line and column for a pointer; falls back to the nearest ancestor that has a location. */
  locate(pointer: string, preferKey = false): { file: string; line: number; column: number } {
    let p = pointer;
    for (;;) {
      const loc = this.locs.get(p);
      if (loc) {
        const offset = preferKey && loc.keyOffset !== undefined ? loc.keyOffset : loc.offset;
        const pos = loc.file.lines.linePos(offset);
        return { file: loc.file.display, line: pos.line, column: pos.col };
      }
      if (p === "") return { file: this.entry, line: 1, column: 1 };
      p = p.slice(0, p.lastIndexOf("/"));
    }
  }
}

export function displayPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : abs;
}

function diag(file: string, line: number, column: number, message: string, code: string): Diagnostic {
  return { severity: "fejl", file, line, column, path: "", message, code };
}

/** Position (1-based) of a byte offset in a buffer, counting lines and UTF-8 characters. */
function bytePosition(buf: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (buf[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = buf.subarray(lineStart, offset).toString("utf8").length + 1;
  return { line, column };
}

/** Offset of the first byte that is not valid UTF-8, or -1. */
function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    let need = 0;
    let min = 0;
    if (b < 0x80) { i++; continue; }
    else if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Reads a YAML file for parsing. Returns the text or a Danish diagnostic (never throws for bad input).
 * `at` is where the file was asked for (an include), used when the file itself cannot be opened.
 */
export function readSourceFile(
  abs: string,
  at?: { file: string; line: number; column: number },
): { file: SourceFile } | { error: Diagnostic } {
  const display = displayPath(abs);
  const where = at ?? { file: display, line: 1, column: 1 };
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return { error: diag(where.file, where.line, where.column, `Filen '${display}' findes ikke. Tjek stavning og sti.`, "read.missing") };
  }
  if (st.isDirectory()) {
    return { error: diag(where.file, where.line, where.column, `'${display}' er en mappe, ikke en YAML-fil.`, "read.directory") };
  }
  if (!st.isFile()) {
    return { error: diag(where.file, where.line, where.column, `'${display}' er ikke en almindelig fil.`, "read.notfile") };
  }
  if (st.size > LIMITS.maxFileBytes) {
    const mib = (LIMITS.maxFileBytes / 1024 / 1024).toFixed(0);
    return { error: diag(display, 1, 1, `Filen er for stor (${st.size} bytes; grænsen er ${mib} MiB). Del udbuddet op i flere filer med $inkluder.`, "read.too-large") };
  }
  const read = readRegularFile(abs, LIMITS.maxFileBytes);
  if (!("data" in read)) {
    const code = read.problem === "not-regular" ? "read.notfile" : read.problem === "too-large" ? "read.too-large" : "read.unreadable";
    return { error: diag(where.file, where.line, where.column, regularFileMessage(read, display, LIMITS.maxFileBytes), code) };
  }
  const buf = read.data;
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    return { error: diag(display, 1, 1, "Filen er gemt som UTF-16. Gem den som UTF-8 (i de fleste editorer: 'Gem som' → kodning UTF-8).", "read.utf16") };
  }
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    const pos = bytePosition(buf, nul);
    return { error: diag(display, pos.line, pos.column, "Filen indeholder binære data (en NUL-byte) og er ikke en YAML-tekstfil.", "read.binary") };
  }
  const bad = isUtf8(buf) ? -1 : firstInvalidUtf8(buf);
  if (bad >= 0) {
    const pos = bytePosition(buf, bad);
    return {
      error: diag(display, pos.line, pos.column, "Filen er ikke gyldig UTF-8 (fx gemt som Windows-1252/Latin-1, så æ, ø og å er ødelagt). Gem den som UTF-8.", "read.encoding"),
    };
  }
  let text = buf.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { file: { abs, display, text, lines: new Lines(text) } };
}
