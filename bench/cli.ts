/**
 * Benchmark (issue 13): whole processes, side by side in one run with the references (the Node
 * floor and pandoc), timed by hyperfine when it is installed (apt install hyperfine), otherwise by
 * spawning each command `runs` times here. Plus the warm in-process re-render (session.ts).
 * Prints a Markdown table with each target, its figure and whether it is met; the table in
 * docs/benchmarks.md is this output.
 *
 *   npm run bench -- cli            (or: node dist/bench/run.js cli)
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { editMarkdown, seedMarkdown } from "./diff.js";
import { benchSession } from "./session.js";

interface Cmd { key: string; label: string; argv: string[] }
/** Seconds: wall-clock median, min and max; `cpu` is the mean user + system time (hyperfine only). */
export interface Timing { key: string; label: string; median: number; min: number; max: number; runs: number; cpu?: number }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function must(argv: string[]): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr}`);
}

const quote = (a: string) => (/^[\w./=,:+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

function withHyperfine(cmds: Cmd[], runs: number, dir: string): Timing[] {
  const json = path.join(dir, "hyperfine.json");
  const args = ["-N", "--warmup", "1", "--runs", String(runs), "--export-json", json, "--style", "basic"];
  for (const c of cmds) args.push("-n", c.key, c.argv.map(quote).join(" "));
  const r = spawnSync("hyperfine", args, { encoding: "utf8", stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error("hyperfine failed");
  const out = JSON.parse(fs.readFileSync(json, "utf8")) as { results: { command: string; median: number; min: number; max: number; user: number; system: number; times: number[] }[] };
  return out.results.map((x, i) => ({ key: cmds[i]!.key, label: cmds[i]!.label, median: x.median, min: x.min, max: x.max, runs: x.times.length, cpu: x.user + x.system }));
}

function withSpawn(cmds: Cmd[], runs: number): Timing[] {
  return cmds.map((c) => {
    must(c.argv); // warm-up
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      must(c.argv);
      times.push((performance.now() - t0) / 1000);
    }
    return { key: c.key, label: c.label, median: median(times), min: Math.min(...times), max: Math.max(...times), runs };
  });
}

const s = (x: number) => `${x.toFixed(2).replace(".", ",")} s`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** Runs the whole-process comparison and returns the Markdown table (also printed). */
export async function benchCli(root: string, runs = 10): Promise<string> {
  const seed = path.join(root, "..", "shared", "seeds", "003_5b90929a1b5338aa.txt");
  if (spawnSync("pandoc", ["--version"]).status !== 0 || !fs.existsSync(seed)) throw new Error("pandoc and ../shared/seeds are needed for the side-by-side run");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "udbud-bench-cli-"));
  const md = seedMarkdown(fs.readFileSync(seed, "utf8"));
  fs.writeFileSync(path.join(dir, "old.md"), md);
  fs.writeFileSync(path.join(dir, "new.md"), editMarkdown(md, "five-percent"));
  for (const v of ["old", "new"]) must(["pandoc", "-f", "markdown", "-t", "docx", "-o", path.join(dir, `${v}.docx`), path.join(dir, `${v}.md`)]);
  const node = process.execPath;
  const udbud = path.join(root, "bin", "udbud.js");
  const spec = path.join(root, "specs", "kk-2020-udsatte-sygemeldte");
  const cmds: Cmd[] = [
    { key: "floor", label: "`node -e ''` (gulvet)", argv: [node, "-e", ""] },
    { key: "version", label: "`udbud --version`", argv: [node, udbud, "--version"] },
    { key: "validate", label: "`udbud validate specs/kk-2020-udsatte-sygemeldte`", argv: [node, udbud, "validate", spec] },
    { key: "one-docx", label: "`udbud render … --only rammeaftale --format docx`", argv: [node, udbud, "render", spec, "--only", "rammeaftale", "--format", "docx", "--out", path.join(dir, "one")] },
    { key: "pandoc-docx", label: "pandoc seed-003 (Markdown) → DOCX", argv: ["pandoc", "-f", "markdown", "-t", "docx", "-o", path.join(dir, "pandoc.docx"), seed] },
    { key: "package", label: "`udbud render specs/kk-2020-udsatte-sygemeldte` (alle formater)", argv: [node, udbud, "render", spec, "--out", path.join(dir, "all")] },
    { key: "diff", label: "`udbud diff old.docx new.docx --format docx`", argv: [node, udbud, "diff", path.join(dir, "old.docx"), path.join(dir, "new.docx"), "--format", "docx", "--out", path.join(dir, "diff"), "--date", "2024-01-01"] },
    { key: "pandoc-read", label: "pandoc old.docx -t markdown (kun læsning)", argv: ["pandoc", path.join(dir, "old.docx"), "-t", "markdown", "-o", path.join(dir, "read.md")] },
  ];
  const load = () => os.loadavg().map((x) => x.toFixed(1).replace(".", ",")).join(" / ");
  const loadBefore = load();
  const hasHyperfine = spawnSync("hyperfine", ["--version"]).status === 0;
  const t = hasHyperfine ? withHyperfine(cmds, runs, dir) : withSpawn(cmds, runs);
  const [session] = await benchSession(root);
  const loadAfter = load();
  fs.rmSync(dir, { recursive: true, force: true });
  const by = Object.fromEntries(t.map((x) => [x.key, x])) as Record<string, Timing>;
  const row = (k: string, target: string, met: boolean | undefined) =>
    `| ${by[k]!.label} | ${s(by[k]!.median)} (${s(by[k]!.min)}–${s(by[k]!.max)}) | ${by[k]!.cpu === undefined ? "–" : s(by[k]!.cpu!)} | ${target} | ${met === undefined ? "" : met ? "**nået**" : "**ikke nået**"} |`;
  const lines = [
    `Maskine: ${os.cpus()[0]?.model ?? "ukendt"}, ${os.cpus().length} kerner, Node ${process.version}; ${hasHyperfine ? "hyperfine" : "spawnSync"}, median af ${runs} kørsler (efter 1 opvarmning); belastning (1/5/15 min) før ${loadBefore}, efter ${loadAfter}.`,
    "",
    "| arbejde | væg-tid, median (min–maks) | CPU (bruger + system) | mål | |",
    "|---|---|---|---|---|",
    row("floor", "reference", undefined),
    row("version", "", undefined),
    row("validate", "≤ 0,20 s", by.validate!.median <= 0.2),
    row("one-docx", `≤ 1,0 × pandoc = ${s(by["pandoc-docx"]!.median)}`, by["one-docx"]!.median <= by["pandoc-docx"]!.median),
    row("pandoc-docx", "reference", undefined),
    row("package", "≤ 1,5 s", by.package!.median <= 1.5),
    row("diff", `≤ 0,5 × pandoc-læsning = ${s(0.5 * by["pandoc-read"]!.median)}`, by.diff!.median <= 0.5 * by["pandoc-read"]!.median),
    row("pandoc-read", "reference", undefined),
    `| warm re-render i processen: 1 værdi ændret, rammeaftalen → HTML, ${session!.runs} ændringer | p95 ${ms(session!.p95Ms!)} (p50 ${ms(session!.medianMs)}) | p95 ${ms(session!.cpuP95Ms!)} | p95 ≤ 100 ms | ${session!.p95Ms! <= 100 ? "**nået**" : "**ikke nået**"} |`,
    "",
    `Warm re-render: ${session!.detail}.`,
  ];
  const table = lines.join("\n");
  console.log(table);
  return table;
}
