/**
 * Benchmark (issue 4): two versions of the seed-003 text as DOCX made with pandoc, 5 % of the
 * paragraphs changed and one clause inserted; the full diff including the redline DOCX, against
 * pandoc merely reading one of the files (`pandoc old.docx -t markdown`). Worst cases: 30 % of
 * words rewritten, and two unrelated documents.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { compareInputs } from "../src/diff/compare.js";
import { writeRedlineDocx } from "../src/diff/redline-docx.js";
import type { BenchResult } from "./validate.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The seed text as Markdown: numbered heading lines become headings. */
export function seedMarkdown(text: string): string {
  return text
    .split("\n")
    .map((l) => {
      const m = /^(\d+(?:\.\d+)*)\.?\s+(\S.{0,90})$/.exec(l.trim());
      if (m && !/[.:;,]$/.test(m[2])) return `\n${"#".repeat(Math.min(3, m[1].split(".").length))} ${l.trim()}\n`;
      return `\n${l.replace(/([\\`*_[\]<>#|~])/g, "\\$1")}\n`;
    })
    .join("");
}

/** Deterministic edits: every 20th paragraph gets words changed; one clause inserted in the middle. */
export function editMarkdown(md: string, mode: "five-percent" | "thirty-percent"): string {
  const paras = md.split("\n\n");
  let n = 0;
  const out = paras.map((p) => {
    if (p.startsWith("#") || !p.trim()) return p;
    n++;
    if (mode === "five-percent") return n % 20 === 0 ? p.replace(/\b(skal|kan|Leverandøren)\b/, "$1 altid") + " Dette er tilføjet." : p;
    return p.split(" ").map((w, i) => (i % 3 === 0 && /\p{L}/u.test(w) ? `${w}x` : w)).join(" ");
  });
  const mid = Math.floor(out.length / 2);
  const at = out.findIndex((p, i) => i >= mid && /^## /.test(p.trim()));
  if (mode === "five-percent" && at > 0) out.splice(at, 0, "## 9.9 Ny klausul om cyberforsikring", "Leverandøren skal have en cyberforsikring med en dækning på mindst DKK 5 mio.");
  return out.join("\n\n");
}

function pandoc(args: string[]): void {
  const r = spawnSync("pandoc", args);
  if (r.status !== 0) throw new Error(String(r.stderr));
}

export async function benchDiff(root: string, runs = 5): Promise<BenchResult[]> {
  const seed = path.join(root, "..", "shared", "seeds", "003_5b90929a1b5338aa.txt");
  if (spawnSync("pandoc", ["--version"]).status !== 0 || !fs.existsSync(seed)) {
    console.log("(pandoc eller ../shared/seeds mangler: diff-benchmark springes over)");
    return [];
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "udbud-bench-diff-"));
  const md = seedMarkdown(fs.readFileSync(seed, "utf8"));
  const files: Record<string, string> = {
    old: md,
    five: editMarkdown(md, "five-percent"),
    thirty: editMarkdown(md, "thirty-percent"),
    other: seedMarkdown(fs.readFileSync(path.join(root, "..", "shared", "seeds", "004_33c6dbc0d2affba1.txt"), "utf8")),
  };
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, `${name}.md`), text);
    pandoc(["-f", "markdown", "-t", "docx", "-o", path.join(dir, `${name}.docx`), path.join(dir, `${name}.md`)]);
  }
  const results: BenchResult[] = [];
  const pandocTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    pandoc([path.join(dir, "old.docx"), "-t", "markdown", "-o", path.join(dir, "read.md")]);
    pandocTimes.push(performance.now() - t0);
  }
  results.push({ name: "pandoc old.docx -t markdown (kun læsning)", detail: `${(fs.statSync(seed).size / 1024).toFixed(0)} KB tekst`, coldMs: pandocTimes[0], medianMs: median(pandocTimes), runs });
  for (const [name, other, detail] of [
    ["five", "5 % af afsnittene ændret + én indsat klausul", ""],
    ["thirty", "30 % af ordene omskrevet", ""],
    ["other", "to uafhængige dokumenter (seed 003 mod seed 004)", ""],
  ] as const) {
    const times: number[] = [];
    let summary = "";
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const { comparison, errors } = await compareInputs(path.join(dir, "old.docx"), path.join(dir, `${name}.docx`));
      if (!comparison) throw new Error(errors.map((e) => e.message).join("; "));
      const buf = await writeRedlineDocx(comparison.docs, { author: "udbud", date: "2024-01-01T00:00:00Z", title: "Redline" });
      times.push(performance.now() - t0);
      summary = `${JSON.stringify(comparison.docs[0].summary)}, redline ${(buf.length / 1024).toFixed(0)} KB`;
    }
    results.push({ name: `diff + redline-DOCX: ${other}`, detail: summary + detail, coldMs: times[0], medianMs: median(times), runs });
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return results;
}
