/**
 * Rendering on worker threads (src/render/pool.ts) gives byte-identical files to one thread: the
 * hashes of every file of both examples (all documents × DOCX, PDF, HTML, Markdown, and the
 * manifest) are compared for 0, 1 and 2 workers.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { compiledModule } from "../src/paths.js";
import { DOC_FORMATS, FORMATS, renderSpec } from "../src/render/index.js";
import { startPool } from "../src/render/pool.js";
import { repoRoot, tmpDir } from "./helpers.js";

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) out[f] = createHash("sha256").update(fs.readFileSync(path.join(dir, f))).digest("hex");
  return out;
}

test("the compiled render worker exists, so the pool really runs (npm test builds first)", async () => {
  assert.ok(fs.existsSync(fileURLToPath(compiledModule("render/worker.js"))), "dist/src/render/worker.js (run npm run build)");
  const pool = startPool(["pdf", "html"], 2);
  assert.ok(pool, "a pool starts for a heavy format");
  assert.equal(pool.threads, 2);
  await pool.close();
  assert.equal(startPool(["html", "md"], 2), undefined, "light formats stay on one thread");
  assert.equal(startPool(["pdf"], 0), undefined, "0 threads: one thread");
});

for (const example of ["kk-2020-udsatte-sygemeldte", "kk-2024-udsatte-sygemeldte"]) {
  test(`${example}: one and two worker threads give the same bytes as the main thread alone`, async () => {
    const spec = path.join(repoRoot, "specs", example);
    const one = tmpDir("udbud-one-");
    const some = tmpDir("udbud-some-");
    const many = tmpDir("udbud-many-");
    const a = await renderSpec(spec, { out: one, formats: [...FORMATS], threads: 0 });
    // One worker: DOCX there, PDF on the main thread (which also takes waiting DOCX jobs). Two: DOCX and PDF each on a worker first.
    const b1 = await renderSpec(spec, { out: some, formats: [...FORMATS], threads: 1 });
    const b = await renderSpec(spec, { out: many, formats: [...FORMATS], threads: 2 });
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b1.errors, []);
    assert.deepEqual(b.errors, []);
    const ha = hashes(one);
    const hb = hashes(many);
    assert.deepEqual(hashes(some), ha);
    const files = Object.keys(ha);
    // Every document in every document format, the workbook of each tilbudsliste, and the manifest.
    const lists = a.documents.filter((d) => d.id.startsWith("tilbudsliste-")).length;
    assert.ok(lists >= 3, `${lists} tilbudslister`);
    assert.equal(files.length, a.documents.length * DOC_FORMATS.length + lists + 1, "every document in every format, and the manifest");
    assert.ok(a.documents.length >= 10, `${a.documents.length} documents`);
    for (const f of FORMATS) assert.ok(files.some((x) => x.endsWith(`.${f}`)), f);
    assert.deepEqual(hb, ha);
    fs.rmSync(one, { recursive: true, force: true });
    fs.rmSync(many, { recursive: true, force: true });
    fs.rmSync(some, { recursive: true, force: true });
  });
}
