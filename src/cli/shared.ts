/**
 * What every command of the CLI shares: the output channels, exit codes, Danish usage messages,
 * diagnostics as JSON and the `--format` parser. Light: it loads no subsystem.
 */
import type { Command } from "commander";
import type { Diagnostic } from "../diagnostics.js";

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const defaultIo: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** What a command's registration gets: where to print and how to set the exit code. */
export interface CommandContext {
  io: Io;
  setCode: (c: number) => void;
}

/** A command module: registers its options and help on the program; its action loads the subsystem lazily. */
export type Register = (program: Command, ctx: CommandContext) => void;

export function jsonDiag(d: Diagnostic) {
  return { file: d.file, line: d.line, column: d.column, path: d.path, message: d.message, code: d.code, ...(d.sheet !== undefined ? { sheet: d.sheet, cell: d.cell } : {}) };
}

/** `--format a,b`: the distinct formats in order, or null (with a Danish message) when one is unknown. */
export function parseFormats<T extends string>(value: string, allowed: readonly T[], io: Io): T[] | null {
  const formats = value.split(",").map((f) => f.trim().toLowerCase()).filter(Boolean);
  const bad = formats.filter((f) => !(allowed as readonly string[]).includes(f));
  if (bad.length || formats.length === 0) {
    io.err(`fejl: ukendt format '${bad.join(",") || value}'. Mulige formater: ${allowed.join(", ")}.\n`);
    return null;
  }
  return [...new Set(formats)] as T[];
}

/** Diagnostics to stderr, one per line. */
export async function printDiagnostics(io: Io, ds: readonly Diagnostic[]): Promise<void> {
  if (!ds.length) return;
  const { formatDiagnostic } = await import("../diagnostics.js");
  for (const d of ds) io.err(formatDiagnostic(d) + "\n");
}
