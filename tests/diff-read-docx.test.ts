/**
 * The DOCX reader of the diff: documents from our writer, pandoc and LibreOffice, hand-made XML
 * for tracked changes, fields, tables of contents and automatic numbering, and hostile files
 * (zip bombs, entity declarations, deep nesting, broken archives), which must fail with a
 * DocxReadError quickly.
 */
import { test } from "vitest";
import { requirePrereq } from "./prereq.js";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import JSZip from "jszip";
import type { Block as AstBlock, DocumentTree } from "../src/doc/ast.js";
import type { Clause, ComparableDoc } from "../src/diff/model.js";
import { DocxReadError, readDocx } from "../src/diff/read-docx/index.js";
import { writeDocx } from "../src/write/docx.js";
import { sampleTree } from "./fixtures/sample-tree.js";
import { tmpDir } from "./helpers.js";

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/** A document.xml around body XML, with the namespaces Word declares for text boxes. */
const documentXml = (body: string): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
  `<w:document xmlns:w="${W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"` +
  ` xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"` +
  ` xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"` +
  ` xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml"` +
  ` mc:Ignorable="wps"><w:body>${body}<w:sectPr/></w:body></w:document>`;

const CONTENT_TYPES =
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
  `<Default Extension="xml" ContentType="application/xml"/></Types>`;

const ROOT_RELS =
  `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
  `</Relationships>`;

/** A DOCX package from parts (name → XML); content types and package relationships are added. */
async function docx(parts: Record<string, string>): Promise<Buffer> {
  const zip = new JSZip();
  zip.file("[Content_Types].xml", CONTENT_TYPES);
  zip.file("_rels/.rels", ROOT_RELS);
  for (const [name, xml] of Object.entries(parts)) zip.file(name, xml);
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

/** Paragraph XML: text runs, with an optional style id and extra pPr content. */
const para = (text: string, style?: string, pPr = ""): string =>
  `<w:p>${style || pPr ? `<w:pPr>${style ? `<w:pStyle w:val="${style}"/>` : ""}${pPr}</w:pPr>` : ""}<w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;

/** Danish Word's style ids ("Overskrift1") with the built-in English names, as Word writes them. */
const STYLES =
  `<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="${W}">` +
  `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
  `<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>` +
  `<w:style w:type="paragraph" w:styleId="Overskrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>` +
  `<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="Overskrift2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>` +
  `<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="KontraktOverskrift"><w:name w:val="Kontrakt overskrift"/><w:basedOn w:val="Overskrift2"/></w:style>` +
  `<w:style w:type="paragraph" w:styleId="Overskrift"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="Indholdsfortegnelse1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/></w:style>` +
  `<w:style w:type="paragraph" w:styleId="Overskrift-Indhold"><w:name w:val="TOC Heading"/><w:basedOn w:val="Overskrift"/>` +
  `<w:pPr><w:numPr><w:numId w:val="0"/></w:numPr><w:outlineLvl w:val="9"/></w:pPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="Listeafsnit"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/></w:style>` +
  `<w:style w:type="character" w:styleId="Standardskrifttypeiafsnit"><w:name w:val="Default Paragraph Font"/></w:style>` +
  `</w:styles>`;

/** Headings "%1." / "%1.%2" (linked to the heading styles), and a lettered list "a)". */
const NUMBERING =
  `<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="${W}">` +
  `<w:abstractNum w:abstractNumId="10">` +
  `<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Overskrift1"/><w:lvlText w:val="%1."/></w:lvl>` +
  `<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Overskrift2"/><w:lvlText w:val="%1.%2"/></w:lvl>` +
  `<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%3)"/></w:lvl>` +
  `</w:abstractNum>` +
  `<w:abstractNum w:abstractNumId="20"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>` +
  `<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>` +
  `<w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>` +
  `</w:numbering>`;

/** Clause summaries: [ref, heading, level, id]. */
const outline = (doc: ComparableDoc): [string | null, string, number, string | undefined][] => doc.clauses.map((c) => [c.ref, c.heading, c.level, c.id]);

const clause = (doc: ComparableDoc, heading: string): Clause => {
  const c = doc.clauses.find((x) => x.heading === heading);
  assert.ok(c, `no clause '${heading}' in ${JSON.stringify(outline(doc))}`);
  return c;
};

/** All text the reader produced (headings and blocks). */
const allText = (doc: ComparableDoc): string => doc.clauses.flatMap((c) => [c.heading, ...c.blocks.map((b) => b.text)]).join("\n");

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, cmd), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Expects a DocxReadError whose message matches, within `ms` milliseconds. */
/**
 * Rejected with a Danish DocxReadError matching `message`. (How quickly is measured in bench/, not
 * here: a timed assertion fails on a loaded machine. That the limit is hit while inflating is in
 * the message: it names the limit, not the size the header claims.)
 */
async function rejectsQuickly(input: Promise<Buffer> | Buffer, message: RegExp): Promise<void> {
  const data = await input;
  await assert.rejects(readDocx(data, "fjendtlig.docx"), (e: unknown) => {
    assert.ok(e instanceof DocxReadError, `expected DocxReadError, got ${e}`);
    assert.match(e.message, message);
    return true;
  });
}

/* ------------------------------------------------------------------------------------------ */
/* Our own writer                                                                              */

let ours: Promise<Buffer> | undefined;
const oursDocx = (): Promise<Buffer> => (ours ??= writeDocx(sampleTree));

test("our writer's DOCX: numbered clauses, bookmark ids, lists, tables, no table of contents", async () => {
  const doc = await readDocx(await oursDocx(), "rammeaftale.docx");
  assert.equal(doc.id, "rammeaftale.docx");
  assert.equal(doc.title, sampleTree.title);
  assert.deepEqual(outline(doc).slice(0, 10), [
    [null, "", 0, undefined],
    ["1", "Formål og baggrund", 1, "formaal"],
    ["2", "Misligholdelse", 1, "misligholdelse"],
    ["2.1", "Leverandørens forsinkelse", 2, "forsinkelse"],
    ["2.1.1", "Varsel om forsinkelse", 3, "varsel"],
    ["2.2", "Bod", 2, "bod"],
    ["3", "Priser", 1, "priser"],
    [null, "Bemærkning uden nummer", 2, "bilag_note"], // bookmark names are sanitised ids
    ["4", "Klausul nummer 4", 1, "klausul_4"],
    ["4.1", "Underklausul 4.1", 2, "klausul_4_1"],
  ]);
  assert.equal(doc.clauses.length, 1 + 7 + 6 * 4);
  assert.deepEqual(doc.clauses.at(-1)!.ref, "9.3");

  // The cover is the preamble; the table of contents and its heading are gone.
  assert.deepEqual(doc.clauses[0].blocks, [
    { kind: "paragraph", text: sampleTree.title },
    { kind: "paragraph", text: "Københavns Kommune" },
    { kind: "paragraph", text: "Beskæftigelses- og Integrationsforvaltningen" },
    { kind: "paragraph", text: "12. maj 2020" }, // the cover's date
  ]);
  assert.doesNotMatch(allText(doc), /Indholdsfortegnelse|\t\d+$/m);
  assert.equal(doc.clauses.filter((c) => c.heading === "Formål og baggrund").length, 1);

  assert.match(clause(doc, "Formål og baggrund").blocks[0].text, /^Formålet med Kontrakten \(herefter ”Kontrakten”\) er at sikre Ordregivers behov – se også pkt\. 2\.2\. Æ, ø og å: Ærø, Øresund, Århus\. Fed tekst og kursiv tekst\.$/);
  assert.deepEqual(clause(doc, "Varsel om forsinkelse").blocks, [
    { kind: "paragraph", text: "Der foreligger en mangel i følgende ikke-udtømmende tilfælde:" },
    { kind: "list-item", text: "Ydelser lever ikke op til kravspecifikationen" },
    { kind: "list-item", text: "Ydelser lever ikke op til god skik" },
  ]);
  assert.deepEqual(
    clause(doc, "Bod").blocks.map((b) => b.kind),
    ["paragraph", "list-item", "list-item"],
  );
  assert.deepEqual(clause(doc, "Priser").blocks, [
    { kind: "table-row", text: "Indsats | Varighed | Pris pr. uge", cells: ["Indsats", "Varighed", "Pris pr. uge"], header: true },
    { kind: "table-row", text: "1A | 26 uger | 3.200 kr.", cells: ["1A", "26 uger", "3.200 kr."] },
    { kind: "table-row", text: "2A | 12 uger | 1.300 kr.", cells: ["2A", "12 uger", "1.300 kr."] },
    { kind: "paragraph", text: "Priserne er eksklusive moms." },
    { kind: "paragraph", text: "Første linje\nanden linje" },
  ]);
});

// Timing lives in bench/ (no timed assertions in tests): this checks the large document reads right.
test("a 100-page contract reads completely: every clause, every heading numbered, list markers kept", async () => {
  const filler = "Leverandøren skal i Aftaleperioden præstere de tilbudte Ydelser i overensstemmelse med kravspecifikationen og Leverandørens tilbud. ";
  const blocks: AstBlock[] = [{ type: "toc", title: "Indholdsfortegnelse" }];
  const text = (t: string): AstBlock => ({ type: "paragraph", content: [{ type: "text", text: t }] });
  for (let i = 1; i <= 40; i++) {
    blocks.push({ type: "heading", level: 1, id: `k-${i}`, numbered: true, number: String(i), content: [{ type: "text", text: `Klausul ${i}` }] });
    for (let j = 1; j <= 5; j++) {
      blocks.push({ type: "heading", level: 2, id: `k-${i}-${j}`, numbered: true, number: `${i}.${j}`, content: [{ type: "text", text: `Underklausul ${i}.${j}` }] });
      blocks.push(text(filler.repeat(6)));
      blocks.push({ type: "list", ordered: true, start: 1, items: [1, 2, 3].map((k) => [text(`Punkt ${k}: ${filler}`)]) });
    }
    blocks.push({
      type: "table",
      header: [{ content: [{ type: "text", text: "Ydelse" }] }, { content: [{ type: "text", text: "Beskrivelse" }] }],
      rows: Array.from({ length: 8 }, (_, r) => [{ content: [{ type: "text", text: `Ydelse ${r}` }] }, { content: [{ type: "text", text: filler }] }]),
    });
  }
  const tree: DocumentTree = { ...sampleTree, blocks };
  const data = await writeDocx(tree, { pageNumbers: false });
  const first = await readDocx(data, "stor.docx"); // the first read also warms up the JIT
  assert.equal(first.clauses.length, 1 + 40 * 6);
  assert.ok(first.clauses.every((c) => c.level === 0 || c.ref), "every heading numbered");
  const body = first.clauses.filter((c) => c.level === 2);
  assert.deepEqual(body[0].blocks.filter((x) => x.kind === "list-item").map((x) => x.marker), ["1.", "2.", "3."]);
  assert.deepEqual(await readDocx(data, "stor.docx"), first, "deterministic");
});

/* ------------------------------------------------------------------------------------------ */
/* pandoc and LibreOffice                                                                      */

const MARKDOWN = `---
title: Kontrakt om rengøring
---

Indledende tekst før første overskrift.

# 1. Formål

Formålet med kontrakten er at sikre **god** rengøring.

## 1.1 Baggrund

Ordregiver har behov for:

- rengøring af kontorer
- vinduespolering

| Ydelse  |    Pris |
|---------|--------:|
| Kontor  | 100 kr. |
| Vinduer |  50 kr. |

# 2. Vederlag

Betaling sker månedligt.
`;

test("a DOCX from pandoc", async (ctx) => {
  requirePrereq(!onPath("pandoc"), "pandoc is not installed", ctx.skip);
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, "kontrakt.md"), MARKDOWN);
  const r = spawnSync("pandoc", ["kontrakt.md", "-o", "kontrakt.docx"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const doc = await readDocx(fs.readFileSync(path.join(dir, "kontrakt.docx")), "kontrakt.docx");
  assert.equal(doc.title, "Kontrakt om rengøring");
  assert.deepEqual(
    doc.clauses.map((c) => [c.ref, c.heading, c.level]),
    [
      [null, "", 0],
      ["1", "Formål", 1],
      ["1.1", "Baggrund", 2],
      ["2", "Vederlag", 1],
    ],
  );
  // pandoc's heading identifiers are its bookmarks.
  assert.equal(clause(doc, "Formål").id, "formål");
  assert.equal(clause(doc, "Vederlag").id, "vederlag");
  assert.deepEqual(doc.clauses[0].blocks, [
    { kind: "paragraph", text: "Kontrakt om rengøring" },
    { kind: "paragraph", text: "Indledende tekst før første overskrift." },
  ]);
  assert.deepEqual(clause(doc, "Formål").blocks, [{ kind: "paragraph", text: "Formålet med kontrakten er at sikre god rengøring." }]);
  assert.deepEqual(clause(doc, "Baggrund").blocks, [
    { kind: "paragraph", text: "Ordregiver har behov for:" },
    { kind: "list-item", text: "rengøring af kontorer" },
    { kind: "list-item", text: "vinduespolering" },
    { kind: "table-row", text: "Ydelse | Pris", cells: ["Ydelse", "Pris"], header: true },
    { kind: "table-row", text: "Kontor | 100 kr.", cells: ["Kontor", "100 kr."] },
    { kind: "table-row", text: "Vinduer | 50 kr.", cells: ["Vinduer", "50 kr."] },
  ]);
});

/** A flat ODF text with LibreOffice outline numbering on its headings: the numbers exist only as numbering. */
const OUTLINE_FODT = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1"/>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2"/>
  <text:outline-style style:name="Outline">
   <text:outline-level-style text:level="1" style:num-format="1" style:num-suffix="."/>
   <text:outline-level-style text:level="2" style:num-format="1" text:display-levels="2"/>
  </text:outline-style>
 </office:styles>
 <office:body>
  <office:text>
   <text:p>Indledning uden nummer.</text:p>
   <text:h text:style-name="Heading_20_1" text:outline-level="1">Formål</text:h>
   <text:p>Tekst om formål.</text:p>
   <text:h text:style-name="Heading_20_2" text:outline-level="2">Baggrund</text:h>
   <text:h text:style-name="Heading_20_2" text:outline-level="2">Omfang</text:h>
   <text:h text:style-name="Heading_20_1" text:outline-level="1">Vederlag</text:h>
   <text:p>Betaling.</text:p>
  </office:text>
 </office:body>
</office:document>
`;

test("DOCX from LibreOffice: our document re-saved, and outline numbering", async (ctx) => {
  requirePrereq(!onPath("soffice"), "LibreOffice (soffice) is not installed", ctx.skip);
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, "vores.docx"), await oursDocx());
  fs.writeFileSync(path.join(dir, "disposition.fodt"), OUTLINE_FODT);
  const out = path.join(dir, "lo");
  const r = spawnSync(
    "soffice",
    [`-env:UserInstallation=file://${path.join(dir, "profile")}`, "--headless", "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", out, "vores.docx", "disposition.fodt"],
    { cwd: dir, encoding: "utf8", timeout: 180_000 },
  );
  assert.equal(r.status, 0, r.stderr);

  // LibreOffice rewrites every part (styles, numbering, fields, the TOC): the reading is the same.
  const original = await readDocx(await oursDocx(), "vores.docx");
  const resaved = await readDocx(fs.readFileSync(path.join(out, "vores.docx")), "vores.docx");
  assert.equal(resaved.title, original.title);
  assert.deepEqual(resaved.clauses, original.clauses);

  // Heading numbers that exist only as numbering (numbering.xml, linked from the heading styles).
  const outlined = await readDocx(fs.readFileSync(path.join(out, "disposition.docx")), "disposition.docx");
  assert.equal(outlined.title, "disposition.docx");
  assert.deepEqual(
    outlined.clauses.map((c) => [c.ref, c.heading, c.level, c.blocks.map((b) => b.text)]),
    [
      [null, "", 0, ["Indledning uden nummer."]],
      ["1", "Formål", 1, ["Tekst om formål."]],
      ["1.1", "Baggrund", 2, []],
      ["1.2", "Omfang", 2, []],
      ["2", "Vederlag", 1, ["Betaling."]],
    ],
  );
});

/* ------------------------------------------------------------------------------------------ */
/* Hand-made WordprocessingML                                                                  */

test("tracked changes are read as accepted", async () => {
  const rev = `w:author="Ordregiver" w:date="2024-05-01T10:00:00Z"`;
  const body = [
    para("3. Vederlag", "Overskrift"),
    // Replaced word.
    `<w:p><w:r><w:t xml:space="preserve">Prisen er </w:t></w:r><w:del w:id="1" ${rev}><w:r><w:delText>100</w:delText></w:r></w:del>` +
      `<w:ins w:id="2" ${rev}><w:r><w:t>120</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> kr. pr. time.</w:t></w:r></w:p>`,
    // Deleted paragraph mark: the paragraph joins the next one.
    `<w:p><w:pPr><w:rPr><w:del w:id="3" ${rev}/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">Første del af et afsnit, </w:t></w:r></w:p>`,
    para("der fortsætter her."),
    // A wholly deleted paragraph.
    `<w:p><w:pPr><w:rPr><w:del w:id="4" ${rev}/></w:rPr></w:pPr><w:del w:id="5" ${rev}><w:r><w:delText>Et helt slettet afsnit.</w:delText></w:r></w:del></w:p>`,
    // An inserted paragraph, with formatting changes and a move.
    `<w:p><w:pPr><w:rPr><w:ins w:id="6" ${rev}/></w:rPr></w:pPr><w:ins w:id="7" ${rev}><w:r><w:rPr><w:b/><w:rPrChange w:id="8" ${rev}><w:rPr/></w:rPrChange></w:rPr><w:t xml:space="preserve">Nyt afsnit </w:t></w:r></w:ins>` +
      `<w:moveFrom w:id="9" ${rev}><w:r><w:t xml:space="preserve">herfra </w:t></w:r></w:moveFrom><w:r><w:t xml:space="preserve">med tekst </w:t></w:r>` +
      `<w:moveTo w:id="10" ${rev}><w:r><w:t>hertil.</w:t></w:r></w:moveTo></w:p>`,
    // The old properties in pPrChange (a heading style) don't count: this is body text now.
    `<w:p><w:pPr><w:pPrChange w:id="11" ${rev}><w:pPr><w:pStyle w:val="Overskrift"/></w:pPr></w:pPrChange></w:pPr><w:r><w:t>Tidligere en overskrift.</w:t></w:r></w:p>`,
    // A deleted field (its result and instruction).
    `<w:p><w:r><w:t xml:space="preserve">Se </w:t></w:r><w:del w:id="12" ${rev}><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:delInstrText> REF _Ref1 \\h </w:delInstrText></w:r>` +
      `<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:delText>pkt. 2</w:delText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:del><w:ins w:id="13" ${rev}><w:r><w:t>bilag B</w:t></w:r></w:ins><w:r><w:t>.</w:t></w:r></w:p>`,
    // Table: a deleted row goes, an inserted row stays.
    `<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:p><w:r><w:t>Ydelse</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Pris</w:t></w:r></w:p></w:tc></w:tr>` +
      `<w:tr><w:trPr><w:del w:id="14" ${rev}/></w:trPr><w:tc><w:p><w:del w:id="15" ${rev}><w:r><w:delText>Gammel</w:delText></w:r></w:del></w:p></w:tc><w:tc><w:p><w:del w:id="16" ${rev}><w:r><w:delText>1 kr.</w:delText></w:r></w:del></w:p></w:tc></w:tr>` +
      `<w:tr><w:trPr><w:ins w:id="17" ${rev}/></w:trPr><w:tc><w:p><w:ins w:id="18" ${rev}><w:r><w:t>Ny</w:t></w:r></w:ins></w:p></w:tc><w:tc><w:p><w:r><w:t xml:space="preserve">2 </w:t></w:r><w:del w:id="19" ${rev}><w:r><w:delText>øre</w:delText></w:r></w:del><w:ins w:id="20" ${rev}><w:r><w:t>kr.</w:t></w:r></w:ins></w:p></w:tc></w:tr></w:tbl>`,
  ].join("");
  const doc = await readDocx(await docx({ "word/document.xml": documentXml(body), "word/styles.xml": STYLES }), "aendringer.docx");
  assert.deepEqual(doc.clauses, [
    {
      ref: "3",
      label: "3.",
      heading: "Vederlag",
      level: 1,
      blocks: [
        { kind: "paragraph", text: "Prisen er 120 kr. pr. time." },
        { kind: "paragraph", text: "Første del af et afsnit, der fortsætter her." },
        { kind: "paragraph", text: "Nyt afsnit med tekst hertil." },
        { kind: "paragraph", text: "Tidligere en overskrift." },
        { kind: "paragraph", text: "Se bilag B." },
        { kind: "table-row", text: "Ydelse | Pris", cells: ["Ydelse", "Pris"], header: true },
        { kind: "table-row", text: "Ny | 2 kr.", cells: ["Ny", "2 kr."] },
      ],
    },
  ]);
});

test("automatic heading numbers, styles by name, lists, fields, tables of contents, text boxes", async () => {
  const tocEntry = (text: string) => `<w:p><w:hyperlink w:anchor="_Toc1"><w:r><w:t>${text}</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>2</w:t></w:r></w:hyperlink></w:p>`;
  const body = [
    para("Kontrakt om drift", "Titel"),
    para("Indhold", "Overskrift-Indhold"),
    // A TOC field spanning paragraphs (its entries in no TOC style), then a TOC content control,
    // then a bare TOC-styled paragraph: none of it is content.
    `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` +
      `<w:hyperlink w:anchor="_Toc1"><w:r><w:t>1. Formål</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>2</w:t></w:r></w:hyperlink></w:p>`,
    tocEntry("1.1 Baggrund"),
    `<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`,
    `<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>${tocEntry("2. Vederlag")}</w:sdtContent></w:sdt>`,
    para("3. Ophør\t4", "Indholdsfortegnelse1"),
    para("Indledende bemærkning."),
    // Body-level bookmark before the heading, hidden bookmarks inside it.
    `<w:bookmarkStart w:id="1" w:name="formaal"/><w:p><w:pPr><w:pStyle w:val="Overskrift1"/></w:pPr><w:bookmarkStart w:id="2" w:name="_Toc1"/><w:bookmarkStart w:id="3" w:name="_GoBack"/><w:r><w:t>Formål</w:t></w:r><w:bookmarkEnd w:id="2"/></w:p><w:bookmarkEnd w:id="1"/>`,
    // Fields: a simple field and a complex one; the instruction is skipped, the result kept.
    `<w:p><w:r><w:t xml:space="preserve">Se side </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>3</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> og </w:t></w:r>` +
      `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> REF _Ref9 \\r \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>pkt. 2.1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>.</w:t></w:r></w:p>`,
    // Special characters.
    `<w:p><w:r><w:t>A</w:t><w:tab/><w:t>B</w:t><w:br/><w:t>C</w:t><w:noBreakHyphen/><w:t>D</w:t><w:sym w:font="Wingdings" w:char="F0FC"/><w:softHyphen/><w:t>E</w:t><w:br w:type="page"/></w:r></w:p>`,
    para("Baggrund", "Overskrift2"),
    // Numbered list items (the letters are not part of the text), a List Paragraph without numbering.
    para("første punkt", undefined, `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr>`),
    para("andet punkt", undefined, `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr>`),
    para("fortsættelse af punktet", "Listeafsnit"),
    // A style based on a heading style is a heading.
    `<w:p><w:pPr><w:pStyle w:val="KontraktOverskrift"/></w:pPr><w:bookmarkStart w:id="4" w:name="omfang"/><w:r><w:t>Omfang</w:t></w:r><w:bookmarkEnd w:id="4"/></w:p>`,
    // A text box, written twice (DrawingML and the VML fallback): its text comes once, after its anchor.
    `<w:p><w:r><w:t>Ankertekst.</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>` +
      `${para("Tekst i tekstboks.")}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>` +
      `<mc:Fallback><w:pict><v:rect><v:textbox><w:txbxContent>${para("Tekst i tekstboks.")}</w:txbxContent></v:textbox></v:rect></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`,
    // A level-3 list paragraph under a heading numbering: "(i)" is a list item, not a clause.
    para("Vederlag", "Overskrift1"),
    para("Tekst i romertal", undefined, `<w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>`),
    para("Betaling", "Overskrift2"),
    // A table: the first row is the header; a nested table becomes lines of its cell; empty paragraphs vanish.
    `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Frist</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Beløb</w:t></w:r></w:p></w:tc></w:tr>` +
      `<w:tr><w:tc><w:p><w:r><w:t>30 dage</w:t></w:r></w:p><w:p/></w:tc><w:tc><w:p><w:r><w:t>Se tabel:</w:t></w:r></w:p>` +
      `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr></w:tbl>`,
    // Numbering switched off on a heading (numId 0); an empty heading is no clause.
    para("Bilag", "Overskrift1", `<w:numPr><w:numId w:val="0"/></w:numPr>`),
    `<w:p><w:pPr><w:pStyle w:val="Overskrift1"/></w:pPr></w:p>`,
    para("6.4\tTypet nummer", "Overskrift"),
    `<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>Direkte dispositionsniveau</w:t></w:r></w:p>`,
  ].join("");
  const rels =
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
    `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="/word/numbering.xml"/>` +
    `<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.com" TargetMode="External"/>` +
    `</Relationships>`;
  const doc = await readDocx(
    await docx({ "word/document.xml": documentXml(body), "word/_rels/document.xml.rels": rels, "word/styles.xml": STYLES, "word/numbering.xml": NUMBERING }),
    "drift.docx",
  );
  // No docProps/core.xml: the Title paragraph is the title.
  assert.equal(doc.title, "Kontrakt om drift");
  assert.deepEqual(outline(doc), [
    [null, "", 0, undefined],
    ["1", "Formål", 1, "formaal"],
    ["1.1", "Baggrund", 2, undefined],
    ["1.2", "Omfang", 2, "omfang"],
    ["2", "Vederlag", 1, undefined],
    ["2.1", "Betaling", 2, undefined],
    [null, "Bilag", 1, undefined],
    ["6.4", "Typet nummer", 1, undefined],
    [null, "Direkte dispositionsniveau", 3, undefined],
  ]);
  assert.deepEqual(doc.clauses[0].blocks, [
    { kind: "paragraph", text: "Kontrakt om drift" },
    { kind: "paragraph", text: "Indledende bemærkning." },
  ]);
  assert.deepEqual(clause(doc, "Formål").blocks, [
    { kind: "paragraph", text: "Se side 3 og pkt. 2.1." },
    { kind: "paragraph", text: "A\tB\nC-DE" },
  ]);
  assert.deepEqual(clause(doc, "Baggrund").blocks, [
    // The marker as numbering.xml makes it (kept aside from the text, for the redline's list types).
    { kind: "list-item", text: "første punkt", marker: "a)" },
    { kind: "list-item", text: "andet punkt", marker: "b)" },
    { kind: "list-item", text: "fortsættelse af punktet" },
  ]);
  assert.deepEqual(clause(doc, "Omfang").blocks, [
    { kind: "paragraph", text: "Ankertekst." },
    { kind: "paragraph", text: "Tekst i tekstboks." },
  ]);
  assert.deepEqual(clause(doc, "Vederlag").blocks, [{ kind: "list-item", text: "Tekst i romertal", marker: "(i)", level: 2 }]);
  assert.deepEqual(clause(doc, "Betaling").blocks, [
    { kind: "table-row", text: "Frist | Beløb", cells: ["Frist", "Beløb"], header: true },
    { kind: "table-row", text: "30 dage | Se tabel:\na | b", cells: ["30 dage", "Se tabel:\na | b"] },
  ]);
  const text = allText(doc);
  assert.doesNotMatch(text, /Indhold\b|Ophør|TOC|REF|PAGE/);
  assert.equal(text.split("Tekst i tekstboks.").length, 2, "text box read once");
});

test("title: dc:title, else the first Title paragraph, else the file name", async () => {
  const core =
    `<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Titel fra egenskaberne</dc:title></cp:coreProperties>`;
  const body = documentXml(para("Titel i dokumentet", "Title") + para("Tekst."));
  assert.equal((await readDocx(await docx({ "word/document.xml": body, "docProps/core.xml": core }), "a.docx")).title, "Titel fra egenskaberne");
  // Without styles.xml, a style id that names a built-in style still counts.
  assert.equal((await readDocx(await docx({ "word/document.xml": body }), "b.docx")).title, "Titel i dokumentet");
  const plain = await readDocx(await docx({ "word/document.xml": documentXml(para("Tekst.")) }), "c.docx");
  assert.equal(plain.title, "c.docx");
  assert.deepEqual(plain.clauses, [{ ref: null, heading: "", level: 0, blocks: [{ kind: "paragraph", text: "Tekst." }] }]);
  // An empty document has no clauses.
  assert.deepEqual((await readDocx(await docx({ "word/document.xml": documentXml("") }), "d.docx")).clauses, []);
});

/* ------------------------------------------------------------------------------------------ */
/* Hostile and broken files                                                                    */

/** Raw DEFLATE of `head` followed by `size` bytes of `fill`, compressed as a stream (never all in memory). */
async function deflated(head: string, fill: string, size: number): Promise<Buffer> {
  const z = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on("data", (c: Buffer) => out.push(c));
  const done = once(z, "end");
  const block = Buffer.alloc(1 << 20, fill);
  z.write(head);
  for (let n = 0; n < size; n += block.length) if (!z.write(block)) await once(z, "drain");
  z.end();
  await done;
  return Buffer.concat(out);
}

/**
 * A ZIP archive written byte by byte, so an entry can claim any uncompressed size. jszip can't be
 * made to lie in its headers, and compressing hundreds of megabytes with it takes seconds.
 * CRCs are left 0 (nothing checks them before the limits are hit).
 */
function rawZip(entries: { name: string; data: Buffer; claimed: number; stored?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const method = e.stored ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.claimed, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt16LE(0x21, 14);
    dir.writeUInt32LE(e.data.length, 20);
    dir.writeUInt32LE(e.claimed, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    central.push(dir, name);
    offset += local.length + name.length + e.data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const stored = (name: string, text: string) => ({ name, data: Buffer.from(text), claimed: Buffer.byteLength(text), stored: true });
const BOMB_HEAD = `<?xml version="1.0"?><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>`;

test("zip bomb: a 300 MB document.xml fails fast, whatever its header claims", async () => {
  const bomb = await deflated(BOMB_HEAD, "a", 300 * 1024 * 1024);
  assert.ok(bomb.length < 1024 * 1024, `${bomb.length} bytes compressed`);
  const entries = (claimed: number) => [stored("[Content_Types].xml", CONTENT_TYPES), stored("_rels/.rels", ROOT_RELS), { name: "word/document.xml", data: bomb, claimed }];
  // An honest header is refused before anything is inflated.
  await rejectsQuickly(rawZip(entries(BOMB_HEAD.length + 300 * 1024 * 1024)), /word\/document\.xml fylder 300 MB udpakket.*zip-bombe/);
  // A header claiming 1 KB: inflation stops at the limit (100 MB), long before 300 MB.
  const before = process.memoryUsage().rss;
  await rejectsQuickly(rawZip(entries(1024)), /word\/document\.xml fylder over 100 MB udpakket.*zip-bombe/);
  const grown = (process.memoryUsage().rss - before) / 1024 / 1024;
  assert.ok(grown < 250, `memory grew ${grown.toFixed(0)} MB`);
});

test("zip bomb: parts each under the entry limit, together over the total limit", async () => {
  const part = await deflated(BOMB_HEAD, "a", 90 * 1024 * 1024);
  const size = BOMB_HEAD.length + 90 * 1024 * 1024;
  const zip = rawZip([
    stored("[Content_Types].xml", CONTENT_TYPES),
    stored("_rels/.rels", ROOT_RELS),
    { name: "word/styles.xml", data: part, claimed: size },
    { name: "word/numbering.xml", data: part, claimed: size },
    { name: "word/document.xml", data: part, claimed: size },
  ]);
  await rejectsQuickly(zip, /indholdet fylder over 200 MB udpakket.*zip-bombe/);
});

test("too many entries, too big a file", async () => {
  const zip = new JSZip();
  zip.file("word/document.xml", documentXml(para("x")));
  for (let i = 0; i < 2000; i++) zip.file(`word/media/image${i}.png`, ""); // + word/ and word/media/
  await rejectsQuickly(zip.generateAsync({ type: "nodebuffer", compression: "STORE" }), /^Filen er ikke en gyldig DOCX \(ZIP-arkivet har 2003 poster; højst 2000 er tilladt\)$/);
  await rejectsQuickly(Buffer.alloc(60 * 1024 * 1024), /^Filen er for stor til at blive læst som DOCX \(60 MB; højst 50 MB\)$/);
});

test("entity declarations are refused: billion laughs and XXE", async () => {
  const laughs =
    `<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "lol">` +
    Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`).join("") +
    `]><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`;
  await rejectsQuickly(docx({ "word/document.xml": laughs }), /^Filen er ikke en gyldig DOCX \(word\/document\.xml indeholder en DOCTYPE-erklæring/);
  const xxe = `<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>`;
  await rejectsQuickly(docx({ "word/document.xml": xxe }), /DOCTYPE/);
  // In any part read, not just the document.
  const styles = `<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://example.com/x.dtd"><w:styles xmlns:w="${W}"/>`;
  await rejectsQuickly(docx({ "word/document.xml": documentXml(para("x")), "word/styles.xml": styles }), /word\/styles\.xml indeholder en DOCTYPE/);
});

test("deep nesting and too many elements", async () => {
  const deep = documentXml("<w:p>".repeat(10_000) + "</w:p>".repeat(10_000));
  await rejectsQuickly(docx({ "word/document.xml": deep }), /word\/document\.xml er indlejret mere end 256 niveauer dybt/);
  const many = documentXml(para("x").repeat(400)); // 3 elements each
  // The default limit (2 million) is far above this; a lower one shows the check.
  await assert.rejects(readDocx(await docx({ "word/document.xml": many }), "mange.docx", { xmlElements: 1000 }), /word\/document\.xml har over 1\.000 elementer/);
});

test("not a DOCX: plain text, an old .doc, a ZIP without document.xml, broken XML", async () => {
  await rejectsQuickly(Buffer.from("Dette er ikke en DOCX-fil, men almindelig tekst."), /^Filen er ikke en gyldig DOCX \(den er ikke et ZIP-arkiv\)$/);
  await rejectsQuickly(Buffer.alloc(0), /ikke et ZIP-arkiv/);
  const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
  await rejectsQuickly(ole, /ældre Word-fil \(\.doc\) eller en adgangskodebeskyttet fil/);
  const noDocument = new JSZip();
  noDocument.file("[Content_Types].xml", CONTENT_TYPES);
  noDocument.file("word/styles.xml", STYLES);
  await rejectsQuickly(noDocument.generateAsync({ type: "nodebuffer" }), /^Filen er ikke en gyldig DOCX \(word\/document\.xml mangler\)$/);
  await rejectsQuickly(docx({ "word/document.xml": documentXml("<w:p><w:r><w:t>uafsluttet</w:r></w:p>") }), /word\/document\.xml er ikke gyldig XML/);
  await rejectsQuickly(docx({ "word/document.xml": "" }), /word\/document\.xml er ikke gyldig XML/);
});

test("truncated and damaged archives", async () => {
  const good = await oursDocx();
  // Cut off: no central directory.
  await rejectsQuickly(good.subarray(0, Math.floor(good.length / 2)), /^Filen er ikke en gyldig DOCX \(ZIP-arkivet er afkortet eller beskadiget\)$/);
  // The middle cut out: the directory points at the wrong places.
  const gap = Buffer.concat([good.subarray(0, 2000), good.subarray(6000)]);
  await rejectsQuickly(gap, /^Filen er ikke en gyldig DOCX \(.*(beskadiget|afkortet|ikke gyldig XML)/);
  // Compressed data overwritten with garbage inside an intact archive.
  const zip = await JSZip.loadAsync(good);
  const raw = new JSZip();
  for (const [name, f] of Object.entries(zip.files)) if (!f.dir) raw.file(name, await f.async("uint8array"));
  const rebuilt = await raw.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
  const at = rebuilt.indexOf("word/document.xml") + "word/document.xml".length + 50;
  const damaged = Buffer.from(rebuilt);
  for (let i = 0; i < 64; i++) damaged[at + i] = 0xff;
  await rejectsQuickly(damaged, /^Filen er ikke en gyldig DOCX \(word\/document\.xml (kan ikke pakkes ud|er ikke gyldig XML)/);
});
