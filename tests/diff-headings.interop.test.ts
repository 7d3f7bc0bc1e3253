/**
 * The redline keeps the new document's heading numbering: our DOCX numbers headings with Word's
 * automatic numbering (a multilevel list linked to the Heading styles), and so must the redline.
 * Two versions of the 2020 rammeaftale rendered by `udbud render` (one clause inserted, one deleted:
 * 15 headings renumbered) are compared with `udbud diff --format docx`; then
 *   - the DOM (slimdom): every numbered heading's w:numPr — its own or its style's — resolves to a
 *     level of a w:num/w:abstractNum in the redline's numbering.xml, and no heading types its number;
 *   - LibreOffice: Accept All gives exactly the new document's heading numbers and texts, Reject All
 *     the old one's, as LibreOffice itself shows them (text export), and the accepted document opens
 *     and converts to PDF (pdftotext reads the new numbers from the PDF);
 *   - pandoc: Accept All / Reject All keep the inserted / deleted heading (pandoc shows no list
 *     numbers of headings, in our DOCX or the redline, so it checks the changed heading texts).
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import JSZip from "jszip";
import { parseXmlDocument, type Element } from "slimdom";
import { readDocx } from "../src/diff/read-docx/index.js";
import { cli, repoRoot, tmpDir } from "./helpers.js";
import { libreOffice, libreOfficeText } from "./libreoffice.js";
import { requirePrereq } from "./prereq.js";

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;

let made: Promise<{ dir: string; oldDocx: string; newDocx: string; redline: string }> | undefined;

/** Two rendered versions of the 2020 contract and their redline (made once). */
function fixture() {
  made ??= (async () => {
    const dir = tmpDir("udbud-overskrifter-");
    const src = path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte");
    const oldSpec = path.join(dir, "gammel");
    const newSpec = path.join(dir, "ny");
    fs.cpSync(src, oldSpec, { recursive: true });
    fs.cpSync(src, newSpec, { recursive: true });
    const yaml = path.join(newSpec, "udbud.yaml");
    const text = fs.readFileSync(yaml, "utf8");
    assert.ok(text.includes("\nklausuler:\n"));
    fs.writeFileSync(
      yaml,
      text.replace(
        "\nklausuler:\n",
        "\nklausuler:\n  - id: konsortium\n    handling: tilføj-efter\n    nyt_id: statusmoeder\n    titel: Statusmøder\n    tekst: |\n      Parterne holder statusmøde hvert halve år.\n  - id: baggrund\n    handling: udelad\n",
      ),
    );
    for (const [spec, out] of [[oldSpec, "r-gammel"], [newSpec, "r-ny"]]) {
      const r = await cli("render", spec, "--format", "docx", "--only", "rammeaftale", "--out", path.join(dir, out));
      assert.equal(r.code, 0, r.stderr);
    }
    const oldDocx = path.join(dir, "r-gammel", "rammeaftale.docx");
    const newDocx = path.join(dir, "r-ny", "rammeaftale.docx");
    const r = await cli("diff", oldDocx, newDocx, "--format", "docx", "--out", path.join(dir, "diff"), "--date", "2026-12-01");
    assert.equal(r.code, 0, r.stderr);
    return { dir, oldDocx, newDocx, redline: path.join(dir, "diff", "redline.docx") };
  })();
  return made;
}

const el = (parent: Element | null | undefined, name: string): Element | undefined => (parent ? (parent.getElementsByTagNameNS(W, name)[0] ?? undefined) : undefined);
const val = (e: Element | undefined) => e?.getAttributeNS(W, "val") ?? undefined;

test("redline DOM: every numbered heading resolves to a level of the redline's heading list; no typed numbers", async () => {
  const f = await fixture();
  const zip = await JSZip.loadAsync(fs.readFileSync(f.redline));
  const doc = parseXmlDocument(await zip.file("word/document.xml")!.async("string"));
  const styles = parseXmlDocument(await zip.file("word/styles.xml")!.async("string"));
  const numbering = parseXmlDocument(await zip.file("word/numbering.xml")!.async("string"));
  const styleNum = new Map<string, { numId?: string; ilvl?: string }>();
  for (const s of styles.getElementsByTagNameNS(W, "style")) {
    const np = el(el(s, "pPr"), "numPr");
    if (np) styleNum.set(s.getAttributeNS(W, "styleId")!, { numId: val(el(np, "numId")), ilvl: val(el(np, "ilvl")) });
  }
  const abstracts = new Map([...numbering.getElementsByTagNameNS(W, "abstractNum")].map((a) => [a.getAttributeNS(W, "abstractNumId")!, a]));
  const nums = new Map([...numbering.getElementsByTagNameNS(W, "num")].map((n) => [n.getAttributeNS(W, "numId")!, val(el(n, "abstractNumId"))!]));
  let numbered = 0;
  let unnumbered = 0;
  for (const p of doc.getElementsByTagNameNS(W, "p")) {
    const pPr = [...p.children].find((c) => c.localName === "pPr");
    const style = val(pPr ? el(pPr, "pStyle") : undefined);
    if (!style || !/^Heading\d$/.test(style)) continue;
    const own = pPr ? [...pPr.children].find((c) => c.localName === "numPr") : undefined;
    const numId = own ? val(el(own, "numId")) : styleNum.get(style)?.numId;
    const ilvl = (own ? val(el(own, "ilvl")) : undefined) ?? styleNum.get(style)?.ilvl;
    const text = [...p.getElementsByTagNameNS(W, "t"), ...p.getElementsByTagNameNS(W, "delText")].map((t) => t.textContent).join("");
    assert.doesNotMatch(text, /^\d+(\.\d+)*\.?\s/, `no typed number in »${text}«`);
    if (numId === undefined || numId === "0") {
      unnumbered++;
      continue;
    }
    const abs = abstracts.get(nums.get(numId) ?? "");
    assert.ok(abs, `heading »${text}«: numId ${numId} has a w:num and an w:abstractNum`);
    const lvl = [...abs.getElementsByTagNameNS(W, "lvl")].find((l) => l.getAttributeNS(W, "ilvl") === ilvl);
    assert.ok(lvl, `heading »${text}«: level ${ilvl} is defined`);
    assert.equal(val(el(lvl, "numFmt")), "decimal");
    assert.equal(val(el(lvl, "pStyle")), style, "the level is linked to the heading's style");
    numbered++;
  }
  // Every numbered heading of both versions (the new one's and the deleted one).
  const newDoc = await readDocx(fs.readFileSync(f.newDocx), "ny");
  assert.equal(numbered, newDoc.clauses.filter((c) => c.ref !== null).length + 1, "the new version's numbered headings and the deleted one");
  assert.ok(numbered > 80);
  assert.equal(unnumbered, newDoc.clauses.filter((c) => c.ref === null && c.heading !== "").length, "the unnumbered headings (Bilagsfortegnelse …) stay unnumbered");
  assert.ok(unnumbered >= 1);
});

/** The heading texts of the rendered versions (our reader), to tell headings from numbered list items. */
let headingTexts: Set<string> | undefined;
async function knownHeadings(): Promise<Set<string>> {
  const f = await fixture();
  if (!headingTexts) {
    const docs = await Promise.all([f.oldDocx, f.newDocx].map(async (p) => readDocx(fs.readFileSync(p), path.basename(p))));
    headingTexts = new Set(docs.flatMap((d) => d.clauses.map((c) => c.heading)).filter(Boolean));
  }
  return headingTexts;
}

/**
 * The numbered heading lines of a LibreOffice text export, "4.5 Statusmøder" (the table of
 * contents has tabs; leading spaces are LibreOffice's rendering of a list indent, not text).
 */
let known = new Set<string>();
const headingLines = (txt: string) =>
  txt
    .split("\n")
    .map((l) => l.trimStart())
    .filter((l) => {
      const m = /^\d+(?:\.\d+)*\.? (.+)$/.exec(l);
      return !!m && known.has(m[1]);
    });

test("LibreOffice: Accept All shows the new document's heading numbers, Reject All the old one's; the accepted redline converts to PDF", async (ctx) => {
  requirePrereq(!has("soffice") || !has("pdftotext"), "LibreOffice eller pdftotext mangler", ctx.skip);
  const f = await fixture();
  known = await knownHeadings();
  const want = headingLines(libreOfficeText(f.newDocx, f.dir, "None"));
  assert.ok(want.length > 80, want.join("\n"));
  assert.ok(want.includes("4.5 Statusmøder") && want.includes("4.6 Overdragelse af rettigheder og forpligtelser") && want.includes("1.2 Definitioner"), want.join("\n"));
  assert.deepEqual(headingLines(libreOfficeText(f.redline, f.dir, "Accept")), want);
  const oldDir = path.join(f.dir, "lo-gammel");
  fs.mkdirSync(oldDir);
  const wantOld = headingLines(libreOfficeText(f.oldDocx, oldDir, "None"));
  assert.ok(wantOld.includes("1.2 Baggrund") && wantOld.includes("4.5 Overdragelse af rettigheder og forpligtelser"));
  assert.deepEqual(headingLines(libreOfficeText(f.redline, oldDir, "Reject")), wantOld);
  // The accepted redline, stored by LibreOffice as DOCX, converts to PDF with the new numbers.
  const accepted = libreOffice(f.redline, f.dir, "Accept", "docx");
  const pdfDir = path.join(f.dir, "pdf");
  const conv = spawnSync("soffice", ["--headless", `-env:UserInstallation=file://${path.join(f.dir, "lo-pdf-profile")}`, "--convert-to", "pdf", "--outdir", pdfDir, accepted], { encoding: "utf8", timeout: 180_000 });
  const pdf = path.join(pdfDir, "out-Accept.pdf");
  assert.ok(fs.existsSync(pdf), conv.stderr);
  const pdfText = spawnSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" }).stdout.replace(/\s+/g, " ");
  for (const h of ["4.5 Statusmøder", "4.6 Overdragelse af rettigheder og forpligtelser", "1.2 Definitioner"]) assert.ok(pdfText.includes(h), `PDF: ${h}`);
});

test("pandoc: Accept All / Reject All give the new / old headings", async (ctx) => {
  requirePrereq(!has("pandoc"), "pandoc mangler", ctx.skip);
  const f = await fixture();
  // pandoc shows no numbers of list-numbered headings (neither in our DOCX nor in the redline) and
  // joins some paragraphs of our DOCX into headings, so it checks the changed headings only.
  const headings = (file: string, track?: "accept" | "reject") => {
    const r = spawnSync("pandoc", ["-f", "docx", ...(track ? [`--track-changes=${track}`] : []), "-t", "markdown", file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split("\n").filter((l) => /^#+ /.test(l)).map((l) => l.replace(/\s*\{#.*\}$/, "").replace(/\[([^\]]*)\]\{[^}]*\}/g, "$1"));
  };
  const accepted = headings(f.redline, "accept");
  const rejected = headings(f.redline, "reject");
  assert.ok(accepted.includes("## Statusmøder") && !accepted.includes("## Baggrund"), accepted.join("\n"));
  assert.ok(rejected.includes("## Baggrund") && !rejected.includes("## Statusmøder"), rejected.join("\n"));
  assert.ok(!accepted.some((h) => /^#+ \d+(\.\d+)*\.? /.test(h)), "no typed numbers");
});

test("DOCX re-saved by LibreOffice and DOCX made by pandoc: Accept All shows the new version's heading numbers", async (ctx) => {
  requirePrereq(!has("soffice") || !has("pandoc"), "LibreOffice eller pandoc mangler", ctx.skip);
  const f = await fixture();
  known = await knownHeadings();
  // LibreOffice: both rendered versions re-saved as DOCX (its own numbering.xml and styles).
  const lo = path.join(f.dir, "lo");
  for (const [src, side] of [[f.oldDocx, "gammel"], [f.newDocx, "ny"]]) {
    const conv = spawnSync("soffice", ["--headless", `-env:UserInstallation=file://${path.join(f.dir, "lo-conv-profile")}`, "--convert-to", "docx", "--outdir", path.join(lo, side), src], { encoding: "utf8", timeout: 180_000 });
    assert.ok(fs.existsSync(path.join(lo, side, "rammeaftale.docx")), conv.stderr);
  }
  // pandoc: our Markdown of both versions (typed numbers in the headings) converted to DOCX.
  const pd = path.join(f.dir, "pandoc");
  fs.mkdirSync(pd);
  for (const side of ["gammel", "ny"]) {
    const r = await cli("render", path.join(f.dir, side), "--format", "md", "--only", "rammeaftale", "--out", path.join(pd, `md-${side}`));
    assert.equal(r.code, 0, r.stderr);
    const p = spawnSync("pandoc", [path.join(pd, `md-${side}`, "rammeaftale.md"), "-o", path.join(pd, `${side}.docx`)], { encoding: "utf8" });
    assert.equal(p.status, 0, p.stderr);
  }
  const cases = [
    { name: "LibreOffice", old: path.join(lo, "gammel", "rammeaftale.docx"), new: path.join(lo, "ny", "rammeaftale.docx"), wordList: true },
    { name: "pandoc", old: path.join(pd, "gammel.docx"), new: path.join(pd, "ny.docx"), wordList: false },
  ];
  for (const c of cases) {
    const out = path.join(f.dir, `diff-${c.name}`);
    const r = await cli("diff", c.old, c.new, "--format", "docx", "--out", out, "--date", "2026-12-01");
    assert.equal(r.code, 0, r.stderr);
    const redline = path.join(out, "redline.docx");
    const numbering = await (await JSZip.loadAsync(fs.readFileSync(redline))).file("word/numbering.xml")!.async("string");
    assert.equal(numbering.includes('w:abstractNumId="50"'), c.wordList, `${c.name}: Word's heading list only when the input numbers its headings that way`);
    const dir = path.join(f.dir, `lo-${c.name}`);
    fs.mkdirSync(dir);
    const want = headingLines(libreOfficeText(c.new, dir, "None"));
    assert.ok(want.some((l) => /^4\.5\.? Statusmøder$/.test(l)), `${c.name}: ${want.join("\n")}`);
    assert.deepEqual(headingLines(libreOfficeText(redline, dir, "Accept")), want, c.name);
  }
});
