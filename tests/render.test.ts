/** `udbud render` end to end: files, manifest, determinism, safety; content read back with mammoth and pdfjs. */
import { test } from "vitest";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import mammoth from "mammoth";
import { cli, minimalDir, mutated, repoRoot, tmpDir } from "./helpers.js";

async function pdfText(file: string): Promise<string[]> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(file)), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((it: any) => ("str" in it ? it.str + (it.hasEOL ? "\n" : "") : "")).join(""));
  }
  return pages;
}

test("render the minimal spec: every document in every format, manifest with sha256", async () => {
  const out = tmpDir();
  const r = await cli("render", minimalDir, "--out", out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /✓ 6 dokumenter, 25 filer/);
  const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
  assert.deepEqual(manifest.documents.map((d: any) => d.id), ["rammeaftale", "bilag-a1-mentor", "bilag-c1-mentor", "tilbudsliste-1-mentor", "evalueringsmodel", "evalueringsark-1-mentor"]);
  for (const d of manifest.documents) {
    // The workbook (xlsx) is written for the tilbudsliste only.
    assert.deepEqual(Object.keys(d.files), d.id.startsWith("tilbudsliste-") ? ["docx", "pdf", "html", "md", "xlsx"] : ["docx", "pdf", "html", "md"]);
    for (const [fmt, name] of Object.entries<string>(d.files)) {
      const data = fs.readFileSync(path.join(out, name));
      assert.equal(createHash("sha256").update(data).digest("hex"), d.sha256[fmt], name);
    }
  }
  assert.deepEqual(fs.readdirSync(out).filter((f) => f.startsWith(".")), [], "no temp files left");
});

test("rendering twice gives byte-identical files", async () => {
  const a = tmpDir();
  const b = tmpDir();
  assert.equal((await cli("render", minimalDir, "--out", a)).code, 0);
  assert.equal((await cli("render", minimalDir, "--out", b)).code, 0);
  const files = fs.readdirSync(a).sort();
  assert.ok(files.length > 4 && files.includes("manifest.json"), files.join(", "));
  assert.deepEqual(fs.readdirSync(b).sort(), files, "both runs wrote the same files");
  for (const f of files) assert.ok(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), f);
});

test("--format and --only select; unknown format is a usage error; unknown document is an error", async () => {
  const out = tmpDir();
  const r = await cli("render", minimalDir, "--out", out, "--format", "md,html", "--only", "rammeaftale");
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(fs.readdirSync(out).sort(), ["manifest.json", "rammeaftale.html", "rammeaftale.md"]);
  const bad = await cli("render", minimalDir, "--out", tmpDir(), "--format", "odt");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /ukendt format 'odt'/);
  const out2 = tmpDir();
  const unknown = await cli("render", minimalDir, "--out", out2, "--only", "rammeaftalen");
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /Dokumentet 'rammeaftalen' findes ikke/);
  assert.deepEqual(fs.readdirSync(out2), [], "nothing written on error");
});

test("invalid spec or template: exit 1 and nothing written", async () => {
  const { dir } = mutated((s) => (s.delkontrakter[0].prismodel.type = "ugpris"));
  const out = path.join(tmpDir(), "ud");
  const r = await cli("render", dir, "--out", out);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ingen dokumenter er skrevet/);
  assert.equal(fs.existsSync(out), false);
});

test("output stays inside --out: an existing file is replaced, a symlink replaced and never followed", async () => {
  const out = tmpDir();
  fs.writeFileSync(path.join(out, "rammeaftale.md"), "gammel");
  const outside = path.join(out, "..", `udenfor-${path.basename(out)}.md`);
  fs.symlinkSync(outside, path.join(out, "rammeaftale.html"));
  const r = await cli("render", minimalDir, "--out", out, "--format", "md,html", "--only", "rammeaftale");
  assert.equal(r.code, 0, r.stderr);
  assert.notEqual(fs.readFileSync(path.join(out, "rammeaftale.md"), "utf8"), "gammel");
  assert.equal(fs.lstatSync(path.join(out, "rammeaftale.html")).isSymbolicLink(), false, "a symlink is replaced, not followed");
  assert.equal(fs.existsSync(outside), false, "nothing written through the symlink");
});

test("2020 example: the contract carries the seed's terms (DOCX via mammoth, PDF via pdfjs)", async () => {
  const out = tmpDir();
  const r = await cli("render", path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte"), "--out", out, "--format", "docx,pdf", "--only", "rammeaftale,bilag-a1");
  assert.equal(r.code, 0, r.stderr);
  const { value: docx } = await mammoth.extractRawText({ path: path.join(out, "rammeaftale.docx") });
  const norm = (s: string) => s.replace(/\s+/g, " ");
  for (const want of [
    "10 % af værdien af den forsinkede eller mangelfulde del af Leverancen pr. Arbejdsdag",
    "minimum DKK 3.000 pr. Arbejdsdag",
    "mindst DKK 10 mio. for personskade og mindst DKK 500.000 for tingskade",
    "1. juli 2020",
    "30. juni 2023",
  ]) assert.ok(norm(docx).includes(want), `rammeaftale.docx: ${want}`);
  const html = (await mammoth.convertToHtml({ path: path.join(out, "rammeaftale.docx") })).value;
  // The numbers are Word's (the heading list; see docx-word.test.ts), not typed in the text.
  assert.match(html, /<h1>(?:<a id="[^"]*"><\/a>)*Misligholdelsesbestemmelser<\/h1>/);
  assert.match(html, /<h2>(?:<a id="[^"]*"><\/a>)*Bod<\/h2>/);
  const pages = await pdfText(path.join(out, "bilag-a1-udsatte.pdf"));
  const all = norm(pages.join(" "));
  assert.ok(all.includes("4.5.1 Indsats 1A (Virksomhedsspor) - målrettet borgere med meget stort støttebehov"), "offer heading in the seed's outline");
  assert.match(all, /Forløbet skal typisk leveres med en varighed op til 26 uger med mulighed for forlængelse\./);
  assert.match(all, /booket med et konkret ugentligt timetal et sted mellem 2-4 timer\./);
  assert.match(pages[pages.length - 1], new RegExp(`Side ${pages.length} af ${pages.length}`));
  const contract = norm((await pdfText(path.join(out, "rammeaftale.pdf"))).join(" "));
  assert.ok(contract.includes("minimum DKK 3.000 pr. Arbejdsdag"));
  assert.ok(contract.includes("Ved ”Arbejdsdag” forstås mandag til fredag"));
});
