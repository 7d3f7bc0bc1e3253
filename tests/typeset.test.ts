/**
 * Danish typesetting details and the signature block (issue 10): non-breaking spaces, the signature
 * construct from Markdown to DOCX (cell borders, read back with jszip) and to PDF, and no character
 * in our PDFs that the embedded fonts lack (fontkit reads the Carlito and DejaVu files the PDF embeds).
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import JSZip from "jszip";
import { danishSpaces, coverDate } from "../src/doc/typography.js";
import { parseMarkdown } from "../src/doc/parse.js";
import type { DocumentTree } from "../src/doc/ast.js";
import { writeDocx } from "../src/write/docx.js";
import { writePdf } from "../src/write/pdf.js";
import { writeHtml } from "../src/write/html.js";
import { writeMarkdown } from "../src/write/markdown.js";
import { cli, repoRoot, tmpDir } from "./helpers.js";

const nb = (s: string): string => s.replace(/\u00a0/g, "~");

test("non-breaking spaces after pkt., DKK, §, bilag, nr. and before kr., %, uger, timer", () => {
  assert.equal(nb(danishSpaces("jf. pkt. 5.1 og DKK 3.000")), "jf. pkt.~5.1 og DKK~3.000");
  assert.equal(nb(danishSpaces("10 % af 1.234.567 kr. i 26 uger á 5 timer")), "10~% af 1.234.567~kr. i 26~uger á 5~timer");
  assert.equal(nb(danishSpaces("efter § 12, bilag A1 og nr. 3 (pkt. 2)")), "efter §~12, bilag~A1 og nr.~3 (pkt.~2)");
  // Not inside words, not before words that are not units.
  assert.equal(nb(danishSpaces("Tilbilag 3 og 12 borgere")), "Tilbilag 3 og 12 borgere");
  assert.equal(coverDate("2020-05-12"), "12. maj 2020");
  assert.equal(coverDate("ikke en dato"), "");
});

const tree = (md: string): DocumentTree => ({ id: "t", title: "Test", subtitle: [], label: "Test", lang: "da", date: "2020-05-12", author: "K", blocks: parseMarkdown(md) });

test("signature block: parsed from {underskrifter: …}, ruled lines as cell borders in DOCX, in every writer", async () => {
  const t = tree("Tekst.\n\n{underskrifter: For Ordregiver = København, den | For Leverandøren}\n");
  const sig = t.blocks[1];
  assert.deepEqual(sig, { type: "signature", parties: [{ label: "For Ordregiver", place: "København, den" }, { label: "For Leverandøren" }] });
  const doc = await (await JSZip.loadAsync(await writeDocx(t, { pageNumbers: false }))).file("word/document.xml")!.async("string");
  const table = /<w:tbl>.*?<\/w:tbl>/.exec(doc)![0];
  // 4 lines per party (Sted og dato, Underskrift, Navn, Titel): cells with a single bottom border.
  const ruled = [...table.matchAll(/<w:tcBorders>(?:(?!<\/w:tcBorders>).)*<w:bottom w:val="single"[^>]*\/>(?:(?!<\/w:tcBorders>).)*<\/w:tcBorders>/g)];
  assert.equal(ruled.length, 8);
  for (const f of ["For Ordregiver", "For Leverandøren", "København, den", "Sted og dato", "Underskrift", "Navn", "Titel"]) assert.ok(table.includes(`>${f}<`), f);
  assert.doesNotMatch(doc, /[\u23af_]{3,}/, "no lines made of characters");
  assert.match(table, /<w:cantSplit\/>/);
  const html = writeHtml(t);
  assert.equal((html.match(/class="underskrift-linje/g) ?? []).length, 8);
  const md = writeMarkdown(t);
  assert.match(md, /\| \*\*For Ordregiver\*\* \| \*\*For Leverandøren\*\* \|/);
  assert.match(md, /\| Sted og dato: København, den \| Sted og dato: \|/);
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(await writePdf(t)), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  let text = "";
  for (let p = 1; p <= pdf.numPages; p++) text += (await (await pdf.getPage(p)).getTextContent()).items.map((i: any) => i.str ?? "").join(" ");
  for (const f of ["For Ordregiver", "For Leverandøren", "København, den", "Sted og dato", "Underskrift", "Navn", "Titel"]) assert.ok(text.includes(f), f);
});

test("every character in the 2020 example's PDFs is in the embedded fonts, Carlito or DejaVu (no .notdef)", async () => {
  const out = tmpDir("udbud-glyphs-");
  const r = await cli("render", path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte"), "--out", out, "--format", "pdf", "--only", "rammeaftale,bilag-a1,bilag-b2,tilbudsliste-1");
  assert.equal(r.code, 0, r.stderr);
  const require = createRequire(import.meta.url);
  const fontkit = require("fontkit");
  const dir = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
  // The PDF embeds Carlito (its Latin subset, from @fontsource/carlito) and, for what Carlito lacks, DejaVu Sans.
  const carlitoDir = path.join(path.dirname(require.resolve("@fontsource/carlito/package.json")), "files");
  const carlito = ["carlito-latin-400-normal.woff", "carlito-latin-700-normal.woff"].map((f) => fontkit.create(fs.readFileSync(path.join(carlitoDir, f))));
  const dejavu = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => fontkit.create(fs.readFileSync(path.join(dir, f))));
  const has = (fonts: any[], cp: number): boolean => fonts.every((font) => font.hasGlyphForCodePoint(cp));
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const files = fs.readdirSync(out).filter((f) => f.endsWith(".pdf"));
  assert.equal(files.length, 4);
  for (const f of files) {
    const pdf = await pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(path.join(out, f))), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
    const chars = new Set<string>();
    for (let p = 1; p <= pdf.numPages; p++) for (const i of (await (await pdf.getPage(p)).getTextContent()).items as any[]) for (const c of i.str ?? "") chars.add(c);
    assert.ok(chars.size > 40, f);
    const missing = [...chars].filter((c) => !/\s/.test(c) && !has(carlito, c.codePointAt(0)!) && !has(dejavu, c.codePointAt(0)!));
    assert.deepEqual(missing.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`), [], `${f}: characters without a glyph`);
  }
});

test("lettered and roman sub-clauses are real list levels in every writer, not a bullet and a typed letter", async () => {
  const t = tree("Tilfælde:\n\n- a) Grov misligholdelse;\n- b) Urigtige oplysninger.\n\nOg:\n\n- i) første\n- ii) anden\n\nIkke:\n\n- a) x\n- c) y\n");
  const [, alpha, , roman, , mixed] = t.blocks;
  assert.deepEqual(alpha, { type: "list", ordered: true, start: 1, marker: "a)", items: [[{ type: "paragraph", content: [{ type: "text", text: "Grov misligholdelse;" }] }], [{ type: "paragraph", content: [{ type: "text", text: "Urigtige oplysninger." }] }]] });
  assert.equal(roman.type === "list" && roman.marker, "i)");
  assert.equal(mixed.type === "list" && mixed.ordered, false, "labels out of sequence stay as written");
  const zip = await JSZip.loadAsync(await writeDocx(t, { pageNumbers: false }));
  const numbering = await zip.file("word/numbering.xml")!.async("string");
  assert.match(numbering, /<w:numFmt w:val="lowerLetter"\/><w:lvlText w:val="%1\)"\/>/);
  assert.match(numbering, /<w:numFmt w:val="lowerRoman"\/><w:lvlText w:val="%1\)"\/>/);
  const doc = await zip.file("word/document.xml")!.async("string");
  assert.ok(doc.includes(">Grov misligholdelse;<") && !doc.includes(">a) Grov"), "no typed letter in the DOCX");
  const html = writeHtml(t);
  assert.match(html, /<ol type="a" class="paren">\n<li>Grov misligholdelse;<\/li>/);
  assert.match(html, /<ol type="i" class="paren">/);
  const md = writeMarkdown(t);
  assert.match(md, /^a\) Grov misligholdelse;\n\nb\) Urigtige oplysninger\.$/m);
  assert.match(md, /^ii\) anden$/m);
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(await writePdf(t)), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const items = (await (await pdf.getPage(1)).getTextContent()).items.map((i: any) => i.str ?? "");
  assert.ok(items.includes("a)") && items.includes("b)") && items.includes("ii)"), items.join("|"));
  assert.equal(items.filter((s: string) => s.includes("•")).length, 2, "bullets only for the list left as written");
});
