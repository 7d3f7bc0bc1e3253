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
  return { file: d.file, line: d.line, column: d.column, path: d.path, message: d.message, code: d.code };
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

/**
 * The one error shape of every command's `--json`: `{ "errors": [...], "warnings": [...] }`, as a
 * string ready for stdout (with a final newline).
 */
export function jsonErrors(errors: readonly Diagnostic[], warnings: readonly Diagnostic[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, errors: errors.map(jsonDiag), warnings: warnings.map(jsonDiag) }, null, 2) + "\n";
}

/** Progress lines only on a terminal, or when asked for with `--fremdrift`. */
export function wantProgress(opts: { fremdrift?: boolean }, io: Io): boolean {
  return Boolean(opts.fremdrift) || (Boolean((process.stderr as { isTTY?: boolean }).isTTY) && io.err === defaultIo.err);
}

/** Commander collector for a list option that may be repeated and comma separated: `--only a,b --only c`. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(",").map((s) => s.trim()).filter(Boolean)];
}

/** "1 dokument", "2 dokumenter": a count with the Danish singular or plural. */
export function antal(n: number, singular: string, plural: string): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/**
 * When the user points a command at a lot file (a file with indsatsspor and no ordregiver), the
 * Danish advice to point at the tender folder instead; otherwise undefined. Reads at most 64 KB.
 */
export async function lotFileHint(target: string): Promise<string | undefined> {
  const fs = await import("node:fs");
  const path = await import("node:path");
  try {
    if (!fs.statSync(target).isFile()) return undefined;
    const fd = fs.openSync(target, "r");
    const buf = Buffer.alloc(65536);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    const text = buf.subarray(0, n).toString("utf8");
    if (/^indsatsspor:/m.test(text) && !/^ordregiver:/m.test(text)) {
      const dir = path.dirname(target) || ".";
      return `'${target}' er en delkontraktfil, ikke et helt udbud. Peg på udbuddets mappe (den med udbud.yaml), fx: udbud validate ${dir}`;
    }
  } catch {
    // not readable here: the reader reports it
  }
  return undefined;
}
