/**
 * Diagnostics: what the tool tells the user about their input.
 * Every diagnostic names a file, a line and a column (1-based) and the JSON path of the value.
 */
import { visible } from "./terminal.js";

export type Severity = "fejl" | "advarsel";

export interface Diagnostic {
  severity: Severity;
  /** File as the user named it (relative to the working directory when possible). */
  file: string;
  line: number;
  column: number;
  /** Readable JSON path into the resolved spec, e.g. `delkontrakter[0].prismodel.type`; "" for the root. */
  path: string;
  /** Danish message, including a hint where one exists. */
  message: string;
  /** Machine-readable code, e.g. `schema.enum`, `semantic.weights`. */
  code: string;
  /** In a workbook: the sheet and the cell (line and column are then the cell's row and column). */
  sheet?: string;
  cell?: string;
}

/** Thrown for input that cannot be read at all; carries ready-made diagnostics. */
export class InputError extends Error {
  constructor(public readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n"));
    this.name = "InputError";
  }
}

/** One line for the terminal; input text in it has its control and bidi characters made visible. */
export function formatDiagnostic(d: Diagnostic): string {
  if (d.sheet !== undefined) return `${d.file} › ${d.sheet}${d.cell ? ` › ${d.cell}` : ""}: ${d.severity}: ${d.message}`;
  const where = `${d.file}:${d.line}:${d.column}`;
  const path = d.path ? ` [${d.path}]` : "";
  return visible(`${where}: ${d.severity}: ${d.message}${path}`);
}

/** Sort by file, line, column, then message, so output is deterministic. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message),
  );
}

/** Converts a JSON pointer (`/a/0/b`) to a readable path (`a[0].b`). */
export function pointerToPath(pointer: string): string {
  if (pointer === "" || pointer === "/") return "";
  let out = "";
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

export function joinPointer(base: string, seg: string | number): string {
  const s = String(seg);
  return s.includes("~") || s.includes("/") ? `${base}/${s.replace(/~/g, "~0").replace(/\//g, "~1")}` : `${base}/${s}`;
}
