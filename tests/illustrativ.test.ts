/**
 * Example values (`# illustrativ` in the YAML): recorded by the reader, marked in every format,
 * counted on the first page, and refused by `--endelig` with one located error each.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import JSZip from "jszip";
import mammoth from "mammoth";
import { cli, repoRoot, tmpDir, writeFiles } from "./helpers.js";
import { readSpec } from "../src/read/index.js";

const minimalYaml = fs.readFileSync(path.join(repoRoot, "tests", "fixtures", "minimal", "udbud.yaml"), "utf8");
// Two example values: a trailing comment and an own-line comment above the value.
const withExamples = minimalYaml
  .replace("    - { delkontrakt: mentor, navn: Anna Andersen, email: anna@example.dk }", "    - delkontrakt: mentor\n      navn: Anna Andersen # illustrativ\n      email: anna@example.dk")
  .replace("  maksimum: 40000000", "  # illustrativ: skøn\n  maksimum: 40000000");

test("the reader records values marked '# illustrativ', on their line or the line above", () => {
  assert.notEqual(withExamples, minimalYaml);
  const dir = writeFiles({ "udbud.yaml": withExamples });
  const r = readSpec(dir);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(
    r.eksempelværdier.map((v) => [v.pointer, v.line]),
    [
      ["/ordregiver/kontaktpersoner/0/navn", withExamples.split("\n").findIndex((l) => l.includes("Anna Andersen # illustrativ")) + 1],
      ["/værdi/maksimum", withExamples.split("\n").findIndex((l) => l.startsWith("  maksimum:")) + 1],
    ],
  );
  // A '#' inside quotes is not a comment.
  const quoted = writeFiles({ "udbud.yaml": minimalYaml.replace("titel: Testudbud om mentorstøtte", 'titel: "Testudbud # illustrativ"') });
  assert.deepEqual(readSpec(quoted).eksempelværdier, []);
});

test("--endelig: validate and render fail with one located error per example value; without it they pass", async () => {
  const dir = writeFiles({ "udbud.yaml": withExamples });
  const v = await cli("validate", "--endelig", dir);
  assert.equal(v.code, 1);
  const lines = v.stderr.split("\n").filter((l) => l.includes("Eksempelværdi (# illustrativ)"));
  assert.equal(lines.length, 2, v.stderr);
  assert.match(lines[0], /udbud\.yaml:\d+:\d+: fejl: Eksempelværdi \(# illustrativ\).*\[ordregiver\.kontaktpersoner\[0\]\.navn\]/);
  assert.match(lines[1], /\[værdi\.maksimum\]/);
  assert.equal((await cli("validate", dir)).code, 0);
  const out = tmpDir();
  const r = await cli("render", "--endelig", dir, "--out", out);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.split("\n").filter((l) => l.includes("Eksempelværdi")).length, 2);
  assert.deepEqual(fs.readdirSync(out), [], "nothing written");
  // The bundled examples are full of example values; the helårsperson fixture has none.
  assert.equal((await cli("validate", "--endelig", path.join(repoRoot, "tests", "fixtures", "helaarsperson"))).code, 0);
});

test("example values are marked in every format and counted on the first page", async () => {
  const dir = writeFiles({ "udbud.yaml": withExamples });
  const out = tmpDir();
  const r = await cli("render", dir, "--out", out, "--only", "rammeaftale");
  assert.equal(r.code, 0, r.stderr);
  const md = fs.readFileSync(path.join(out, "rammeaftale.md"), "utf8");
  assert.match(md, /==Anna Andersen==/);
  assert.match(md, /==DKK 40 mio\.==/);
  assert.match(md, /Dokumentet indeholder 2 eksempelværdier \(markeret\)/);
  assert.ok(md.indexOf("Dokumentet indeholder 2") < md.indexOf("##"), "before the first clause");
  const html = fs.readFileSync(path.join(out, "rammeaftale.html"), "utf8");
  assert.match(html, /<mark class="eksempel"[^>]*>Anna Andersen<\/mark>/);
  const zip = await JSZip.loadAsync(fs.readFileSync(path.join(out, "rammeaftale.docx")));
  const xml = await zip.file("word/document.xml")!.async("string");
  assert.match(xml, /<w:highlight w:val="yellow"\/>(?:(?!<\/w:r>).)*Anna Andersen/s);
  const text = (await mammoth.extractRawText({ path: path.join(out, "rammeaftale.docx") })).value;
  assert.match(text, /Dokumentet indeholder 2 eksempelværdier/);
  // PDF: the text is there, and the example values add boxes (rectangles) to the page content.
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const rectangles = async (file: string): Promise<{ rects: number; text: string }> => {
    const doc = await pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(file)), useSystemFonts: false, isEvalSupported: false }).promise;
    let rects = 0;
    let text = "";
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      text += (await page.getTextContent()).items.map((it: any) => ("str" in it ? it.str : "")).join("");
      const ops = await page.getOperatorList();
      ops.fnArray.forEach((f: number, k: number) => {
        if (f === pdfjs.OPS.rectangle) rects++;
        else if (f === pdfjs.OPS.constructPath) rects += (ops.argsArray[k]?.[0] ?? []).filter((op: number) => op === pdfjs.OPS.rectangle).length;
      });
    }
    return { rects, text };
  };
  const plainOut = tmpDir();
  assert.equal((await cli("render", writeFiles({ "udbud.yaml": minimalYaml }), "--out", plainOut, "--only", "rammeaftale", "--format", "pdf")).code, 0);
  const marked = await rectangles(path.join(out, "rammeaftale.pdf"));
  const plain = await rectangles(path.join(plainOut, "rammeaftale.pdf"));
  assert.ok(marked.text.includes("Anna Andersen"), "name in the PDF");
  assert.ok(marked.rects >= plain.rects + 2, `a box around each example value (${marked.rects} vs ${plain.rects} rectangles)`);
});

test("user text with '==' stays literal (not an example mark)", async () => {
  const dir = writeFiles({ "udbud.yaml": minimalYaml.replace("titel: Mentorstøtte", "titel: Mentorstøtte ==a== b") });
  const out = tmpDir();
  const r = await cli("render", dir, "--out", out, "--format", "md,html", "--only", "bilag-a1");
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(fs.readFileSync(path.join(out, "bilag-a1-mentor.html"), "utf8"), /<mark/);
  assert.match(fs.readFileSync(path.join(out, "bilag-a1-mentor.md"), "utf8"), /Mentorstøtte \\==a\\== b/);
});
