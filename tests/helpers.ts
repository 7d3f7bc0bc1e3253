import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { main } from "../src/cli.js";

/** Repository root (vitest runs the TypeScript tests from tests/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const minimalDir = path.join(repoRoot, "tests", "fixtures", "minimal");

export function tmpDir(prefix = "udbud-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The minimal valid spec as a plain object (a fresh copy each time). */
export function minimal(): any {
  return parse(fs.readFileSync(path.join(minimalDir, "udbud.yaml"), "utf8"));
}

/** Writes files (name → text) into a fresh folder and returns the folder. */
export function writeFiles(files: Record<string, string | Buffer>): string {
  const dir = tmpDir();
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

/** Writes a mutated copy of the minimal spec; returns folder and the YAML text. */
export function mutated(mutate: (spec: any) => void): { dir: string; text: string } {
  const spec = minimal();
  mutate(spec);
  const text = stringify(spec, { lineWidth: 0 });
  return { dir: writeFiles({ "udbud.yaml": text }), text };
}

/** 1-based line of the first line of `text` containing `needle` (after line `after`). */
export function lineOf(text: string, needle: string, after = 0): number {
  const lines = text.split("\n");
  for (let i = after; i < lines.length; i++) if (lines[i].includes(needle)) return i + 1;
  throw new Error(`'${needle}' not found`);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(...args: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(["node", "udbud", ...args], { out: (s) => (stdout += s), err: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

export interface JsonResult {
  valid: boolean;
  errors: { file: string; line: number; column: number; path: string; message: string; code: string }[];
  warnings: { file: string; line: number; column: number; path: string; message: string; code: string }[];
}

export async function validateJson(dir: string): Promise<{ code: number; json: JsonResult }> {
  const r = await cli("validate", dir, "--json");
  return { code: r.code, json: JSON.parse(r.stdout) };
}

/** A schema node with a local `$ref` replaced by its target (the node's own keys win). */
export function resolveRef(root: any, s: any): any {
  if (s && s.$ref) {
    const target = s.$ref.replace(/^#\//, "").split("/").reduce((o: any, k: string) => o?.[k], root);
    return { ...target, ...s };
  }
  return s;
}
