/**
 * Hostile input (issue 18): a spec field holding one 20.000-character word. The PDF writer used to
 * shape every candidate prefix of the whole word while breaking it into lines (2,9 GB, then death).
 * The CLI runs as a child process with its heap capped at 400 MB; a preloaded module reports the
 * child's peak resident memory and CPU time as it exits (CPU time, not wall time: the test machine
 * is shared, and a wall-clock limit would measure the neighbours). It must finish normally under
 * 500 MB and 10 s of CPU, and the PDFs must hold the whole word and no NaN/Infinity (a broken
 * layout writes those into the content streams).
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { pathToFileURL } from "node:url";
import { mutated, repoRoot, tmpDir } from "./helpers.js";

const WORD = "a".repeat(20_000);

/** Every stream of a PDF file, inflated where it is Flate-compressed. */
function pdfStreams(buf: Buffer): string[] {
  const out: string[] = [];
  const s = buf.toString("latin1");
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const start = m.index + m[0].length;
    const end = s.indexOf("endstream", start);
    if (end < 0) break;
    const raw = buf.subarray(start, end);
    try {
      out.push(zlib.inflateSync(raw).toString("latin1"));
    } catch {
      out.push(raw.toString("latin1"));
    }
    re.lastIndex = end;
  }
  return out;
}

test("render --format pdf with a 20.000-character word: bounded memory and time, whole word printed", async () => {
  const { dir } = mutated((s) => {
    s.delkontrakter[0].indsatsspor[0].indsatser[0].titel = WORD;
  });
  const out = tmpDir("udbud-hostile-");
  const probe = path.join(out, "..", `${path.basename(out)}-probe.mjs`);
  fs.writeFileSync(
    probe,
    `process.on("exit", () => { const c = process.cpuUsage(); process.stderr.write("\\nPROBE " + JSON.stringify({ rssKb: process.resourceUsage().maxRSS, cpuMs: (c.user + c.system) / 1000 }) + "\\n"); });\n`,
  );
  const r = spawnSync(
    process.execPath,
    ["--max-old-space-size=400", "--import", pathToFileURL(probe).href, path.join(repoRoot, "bin", "udbud.js"), "render", dir, "--format", "pdf", "-o", out],
    // A backstop only (the old code ran for minutes); the limit asserted is CPU time, below.
    { encoding: "utf8", timeout: 120_000, killSignal: "SIGKILL" },
  );
  assert.equal(r.signal, null, `killed (${r.signal})`);
  const m = /\nPROBE (\{.*\})\n/.exec(r.stderr);
  assert.ok(m, r.stderr);
  const stderr = r.stderr.replace(m[0], "");
  assert.equal(r.status, 0, stderr);
  assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
  const { rssKb, cpuMs } = JSON.parse(m[1]) as { rssKb: number; cpuMs: number };
  assert.ok(rssKb < 500 * 1024, `peak memory ${Math.round(rssKb / 1024)} MB`);
  assert.ok(cpuMs < 10_000, `CPU time ${Math.round(cpuMs)} ms`);
  const pdfs = fs.readdirSync(out).filter((f) => f.endsWith(".pdf"));
  assert.ok(pdfs.length >= 3, pdfs.join(", "));

  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  let seen = 0;
  for (const f of pdfs) {
    const buf = fs.readFileSync(path.join(out, f));
    for (const st of pdfStreams(buf)) assert.doesNotMatch(st, /NaN|Infinity/, `${f}: NaN/Infinity in a stream`);
    const doc = await pdfjs.getDocument({ data: new Uint8Array(buf), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
    let text = "";
    for (let p = 1; p <= doc.numPages; p++) {
      const c = await (await doc.getPage(p)).getTextContent();
      text += c.items.map((i: any) => ("str" in i ? i.str : "")).join("");
    }
    // Every occurrence of the word is printed whole, only cut into lines.
    const runs = text.match(/a{1000,}/g) ?? [];
    for (const run of text.replace(/\s+/g, "").match(/a{19000,}/g) ?? []) assert.ok(run.length >= WORD.length, `${f}: ${run.length}`);
    seen += runs.length;
  }
  assert.ok(seen > 0, "the word is in the PDFs");
});
