/**
 * Example values: a value whose YAML line carries the comment `# illustrativ` (after the value, or
 * on a comment line of its own directly above) is an example, not a decision. Documents show such
 * values marked, and `--endelig` refuses to publish while any is left.
 */
import type { Diagnostic } from "../diagnostics.js";
import { pointerToPath } from "../diagnostics.js";
import type { SourceFile, SourceMap } from "./source.js";

/** Keys whose values are ids, references or enum keys: structure, not example content. */
const STRUCTURAL = new Set(["id", "delkontrakt", "indsats", "element", "indsatsspor", "type", "regime", "kriterium", "model", "lov", "kan_kombineres_med", "elementer"]);

const TRAILING = /\s#\s*illustrativ\b/i;
const OWN_LINE = /^\s*#\s*illustrativ\b/i;

/** 1-based line numbers of a file that are marked: a trailing comment, or the line after an own-line comment. */
function markedLines(file: SourceFile): Set<number> {
  const out = new Set<number>();
  const lines = file.text.split("\n");
  let pending = false;
  lines.forEach((line, i) => {
    if (OWN_LINE.test(line)) {
      pending = true;
      return;
    }
    if (/^\s*(#|$)/.test(line)) return; // other comments and blank lines keep a pending mark
    if (pending || (TRAILING.test(stripQuoted(line)))) out.add(i + 1);
    pending = false;
  });
  return out;
}

/** The line without quoted strings, so a '#' inside "…" is not a comment. */
function stripQuoted(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g, '""');
}

export interface ExampleValue {
  pointer: string;
  file: string;
  line: number;
  column: number;
}

function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === "") return data;
  return pointer
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<any>((o, k) => (o == null ? undefined : o[k]), data);
}

/** Every example value (scalar leaves only, ids and enum keys left out), in document order. */
export function exampleValues(data: unknown, map: SourceMap): ExampleValue[] {
  const marks = new Map<SourceFile, Set<number>>();
  const out: ExampleValue[] = [];
  // The cheap tests first (the key, then the marked lines); the value is looked up only for a marked line.
  for (const pointer of map.pointers()) {
    const key = pointer.slice(pointer.lastIndexOf("/") + 1);
    if (STRUCTURAL.has(key)) continue;
    const loc = map.get(pointer)!;
    let set = marks.get(loc.file);
    if (!set) marks.set(loc.file, (set = markedLines(loc.file)));
    if (set.size === 0) continue;
    const lines = loc.file.lines;
    if (!set.has(lines.linePos(loc.offset).line) && !(loc.keyOffset !== undefined && set.has(lines.linePos(loc.keyOffset).line))) continue;
    const v = valueAt(data, pointer);
    if (v === null || v === undefined || typeof v === "object") continue;
    out.push({ pointer, ...map.locate(pointer, true) });
  }
  return out;
}

/** `--endelig`: one located error per example value left in the spec. */
export function finalDiagnostics(values: ExampleValue[]): Diagnostic[] {
  return values.map((v) => ({
    severity: "fejl" as const,
    file: v.file,
    line: v.line,
    column: v.column,
    path: pointerToPath(v.pointer),
    message: "Eksempelværdi (# illustrativ): erstat den med den endelige værdi, og fjern kommentaren, før udbudsmaterialet offentliggøres.",
    code: "final.example-value",
  }));
}
