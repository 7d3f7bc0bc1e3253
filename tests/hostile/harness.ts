/**
 * The hostile-input harness: runs the built CLI (`bin/udbud.js`) as a child process with a memory
 * limit and a time limit, the way an attacker or a careless user would meet it, and reports
 * what came back. Reusable for any case (the PDF line breaker's 20.000-character word, new
 * commands): `await runLimited(["render", dir, "--format", "pdf", "--out", out])`.
 *
 * Limits: memory is the child's resident set (sampled from /proc every 20 ms, plus V8's heap cap
 * `--max-old-space-size`); the child is killed with SIGKILL when it passes the limit or the time.
 * A killed run has `killedFor` set, so a test fails with the reason instead of hanging.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import assert from "node:assert/strict";
import { repoRoot } from "../helpers.js";

export interface Limits {
  /** Largest resident set, in MB (default 500). */
  memoryMB: number;
  /** Longest run, in seconds (default 10; UDBUD_HOSTILE_TIME_FACTOR scales it on a loaded machine). */
  timeS: number;
}

export const DEFAULT_LIMITS: Limits = { memoryMB: 500, timeS: 10 };

export interface LimitedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Highest resident set seen, in MB. */
  peakMB: number;
  /** Set when the harness killed the child. */
  killedFor?: "memory" | "time";
}

function rssMB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs `udbud <args>` in `cwd` under the limits. Never rejects. */
export function runLimited(args: string[], opts: { cwd?: string; limits?: Partial<Limits>; env?: Record<string, string> } = {}): Promise<LimitedRun> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const factor = Number(process.env.UDBUD_HOSTILE_TIME_FACTOR ?? "1") || 1;
  const heap = Math.max(64, limits.memoryMB - 100);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${heap}`, path.join(repoRoot, "bin", "udbud.js"), ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: "1", UDBUD_DEBUG: "", ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let peakMB = 0;
    let killedFor: LimitedRun["killedFor"];
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s.length + stdout.length > 1 << 22 ? "" : s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s.length + stderr.length > 1 << 22 ? "" : s));
    const sampler = setInterval(() => {
      const mb = rssMB(child.pid!);
      peakMB = Math.max(peakMB, mb);
      if (mb > limits.memoryMB && !killedFor) {
        killedFor = "memory";
        child.kill("SIGKILL");
      }
    }, 20);
    const timer = setTimeout(() => {
      if (!killedFor) killedFor = "time";
      child.kill("SIGKILL");
    }, limits.timeS * 1000 * factor);
    child.on("close", (code, signal) => {
      clearInterval(sampler);
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, peakMB: Math.round(peakMB), ...(killedFor ? { killedFor } : {}) });
    });
  });
}

/** A stack trace line ("    at foo (file.js:1:2)") or a raw Node error. */
const STACK = /^\s+at .+[:(]\d+:\d+\)?$|Error: .*\n\s+at |node:internal/m;

/** The run stayed within its limits, exited with `code`, and printed no stack trace and no "intern fejl". */
export function assertWithinLimits(r: LimitedRun, what: string): void {
  assert.equal(r.killedFor, undefined, `${what}: killed for ${r.killedFor} (peak ${r.peakMB} MB)\n${r.stderr.slice(0, 500)}`);
}

export function assertCleanFailure(r: LimitedRun, what: string, opts: { code?: number; located?: boolean; message?: RegExp } = {}): void {
  assertWithinLimits(r, what);
  assert.equal(r.code, opts.code ?? 1, `${what}: exit code ${r.code}\n${r.stderr.slice(0, 800)}`);
  assert.doesNotMatch(r.stderr, STACK, `${what}: stack trace\n${r.stderr.slice(0, 800)}`);
  assert.doesNotMatch(r.stderr, /intern fejl/, `${what}: intern fejl\n${r.stderr.slice(0, 800)}`);
  assert.doesNotMatch(r.stderr, /\b(E[A-Z]{3,}|ENOENT)\b: /, `${what}: a raw errno\n${r.stderr}`);
  if (opts.located ?? true) assert.match(r.stderr, /^\S.*:\d+:\d+: fejl: \S/m, `${what}: no located Danish error\n${r.stderr.slice(0, 800)}`);
  if (opts.message) assert.match(r.stderr, opts.message, `${what}: message\n${r.stderr.slice(0, 800)}`);
}

/** Every file under `dir` (recursively) → sha256, folders as "dir". For "inputs unchanged" and "output untouched". */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (e.isDirectory()) {
        out[rel] = "dir";
        walk(p);
      } else if (e.isFile()) out[rel] = createHash("sha256").update(fs.readFileSync(p)).digest("hex");
      else out[rel] = e.isSymbolicLink() ? `link:${fs.readlinkSync(p)}` : "special";
    }
  };
  walk(dir);
  return out;
}
