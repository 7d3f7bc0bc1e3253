/**
 * Benchmark (issue 3): the whole 2020 package — every document in DOCX, PDF, HTML and Markdown —
 * side by side with pandoc converting the seed-003 text (read as Markdown) to one DOCX.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { FORMATS, renderSpec } from "../src/render/index.js";
import type { BenchResult } from "./validate.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchRender(root: string, runs = 3): Promise<BenchResult[]> {
  const spec = path.join(root, "specs", "kk-2020-udsatte-sygemeldte");
  const times: number[] = [];
  let files = 0;
  for (let i = 0; i < runs; i++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "udbud-bench-render-"));
    const t0 = performance.now();
    const res = await renderSpec(spec, { out, formats: [...FORMATS] });
    times.push(performance.now() - t0);
    if (res.errors.length) throw new Error(res.errors.map((e) => e.message).join("; "));
    files = res.documents.reduce((s, d) => s + Object.keys(d.files).length, 0);
    fs.rmSync(out, { recursive: true, force: true });
  }
  const results: BenchResult[] = [
    { name: "render, hele 2020-pakken i processen", detail: `${files} filer (docx, pdf, html, md)`, coldMs: times[0], medianMs: median(times), runs },
  ];
  // The CLI as a user runs it, Node start-up included.
  const cliTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "udbud-bench-cli-"));
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [path.join(root, "bin", "udbud.js"), "render", spec, "--out", out], { encoding: "utf8" });
    cliTimes.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(r.stderr);
    fs.rmSync(out, { recursive: true, force: true });
  }
  results.push({ name: "udbud render (kommandolinje, med Node-opstart)", detail: `${files} filer`, coldMs: cliTimes[0], medianMs: median(cliTimes), runs });
  // pandoc: the seed's text as Markdown → one DOCX.
  const seed = path.join(root, "..", "shared", "seeds", "003_5b90929a1b5338aa.txt");
  const hasPandoc = spawnSync("pandoc", ["--version"]).status === 0;
  if (hasPandoc && fs.existsSync(seed)) {
    const pandocTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      const out = path.join(os.tmpdir(), `udbud-bench-pandoc-${process.pid}.docx`);
      const t0 = performance.now();
      const r = spawnSync("pandoc", ["-f", "markdown", "-t", "docx", "-o", out, seed]);
      pandocTimes.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(String(r.stderr));
      fs.rmSync(out, { force: true });
    }
    results.push({ name: "pandoc seed-003 (Markdown) → én DOCX", detail: `${(fs.statSync(seed).size / 1024).toFixed(0)} KB tekst`, coldMs: pandocTimes[0], medianMs: median(pandocTimes), runs });
  } else {
    console.log("(pandoc eller ../shared/seeds mangler: pandoc-sammenligningen springes over)");
  }
  return results;
}
