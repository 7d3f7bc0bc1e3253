/** The diff's DOCX reader on documents made by pandoc and LibreOffice: the interoperability half of tests/diff-read-docx.test.ts. */
import { test } from "vitest";
import { requirePrereq } from "./prereq.js";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Clause, ComparableDoc } from "../src/diff/model.js";
import { readDocx } from "../src/diff/read-docx.js";
import { writeDocx } from "../src/write/docx.js";
import { sampleTree } from "./fixtures/sample-tree.js";
import { tmpDir } from "./helpers.js";

const outline = (doc: ComparableDoc): [string | null, string, number, string | undefined][] => doc.clauses.map((c) => [c.ref, c.heading, c.level, c.id]);

const clause = (doc: ComparableDoc, heading: string): Clause => {
  const c = doc.clauses.find((x) => x.heading === heading);
  assert.ok(c, `no clause '${heading}' in ${JSON.stringify(outline(doc))}`);
  return c;
};

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

let ours: Promise<Buffer> | undefined;
const oursDocx = (): Promise<Buffer> => (ours ??= writeDocx(sampleTree));

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
