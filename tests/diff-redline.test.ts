/**
 * The redline DOCX writer, checked for its one hard promise: accepting every tracked change gives
 * exactly the new text, rejecting every change exactly the old text. Checked three ways on the same
 * hand-built DocDiffs: (a) our own accept/reject over word/document.xml (Word's semantics: w:ins /
 * w:del runs, paragraph-mark revisions that join a paragraph to the next, table-row revisions);
 * (b) pandoc --track-changes=accept|reject when pandoc is installed; (c) LibreOffice: the file
 * converts to PDF, and a headless Basic macro that runs "Accept All" / "Reject All" and exports the
 * text (and a DOCX, for paragraph styles) gives the new / old version, when soffice is installed.
 * (LibreOffice's plain --convert-to txt, without accepting, writes deleted and inserted text alike.)
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import JSZip from "jszip";
import type { AlignedClause, Block, BlockDiff, Clause, DocDiff, Run } from "../src/diff/model.js";
import { runsText } from "../src/diff/model.js";
import { writeRedlineDocx } from "../src/diff/redline-docx.js";
import { C, OPTS, P, aligned, bodyOf, del, diff1, diff2, diff3, diffs, expected, ins, kids, parseXml, partsOf, redline, resolved, runText, same, summary, walk } from "./diff-redline-fixture.js";

/* ------------------------------------------------------------------------------------------ */
/* Tests                                                                                       */

test("the fixture's exact runs are exact (only the two deliberate ones are not)", () => {
  let inexact = 0;
  for (const d of diffs)
    for (const c of d.clauses)
      for (const b of c.blocks)
        if (b.old && b.new && (runsText(b.runs, "old") !== b.old.text || runsText(b.runs, "new") !== b.new.text)) inexact++;
  assert.equal(inexact, 2);
});

test("a valid, minimal package: every part well-formed, content types and relationships complete", async () => {
  const buf = await redline();
  const zip = await JSZip.loadAsync(buf);
  const names = Object.keys(zip.files);
  assert.deepEqual(names, [
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "word/document.xml",
    "word/styles.xml",
    "word/settings.xml",
    "word/numbering.xml",
    "word/comments.xml",
    "word/_rels/document.xml.rels",
  ]);
  const parts = await partsOf(buf);
  for (const [name, xml] of Object.entries(parts)) assert.doesNotThrow(() => parseXml(xml), name);
  const types = parseXml(parts["[Content_Types].xml"]);
  for (const name of names.filter((n) => !n.endsWith(".rels") && n !== "[Content_Types].xml")) {
    assert.ok(kids(types, "Override").some((o) => o.attrs.PartName === `/${name}`), `content type for ${name}`);
  }
  for (const rels of ["_rels/.rels", "word/_rels/document.xml.rels"]) {
    const base = rels.startsWith("word/") ? "word/" : "";
    for (const r of kids(parseXml(parts[rels]), "Relationship")) assert.ok(names.includes(base + r.attrs.Target), `${rels} → ${r.attrs.Target}`);
  }
  assert.match(parts["word/settings.xml"], /<w:trackRevisions\/>/);
  const core = parseXml(parts["docProps/core.xml"]);
  const textOf = (n: string) => kids(core, n)[0].children.join("");
  assert.equal(textOf("dc:title"), OPTS.title);
  assert.equal(textOf("dc:creator"), OPTS.author);
  assert.equal(textOf("dcterms:created"), OPTS.date);
  assert.equal(textOf("dcterms:modified"), OPTS.date);
  assert.equal(textOf("dc:language"), "da-DK");
  const styles = parts["word/styles.xml"];
  for (const id of ["Normal", "Title", "Heading1", "Heading2", "Heading3", "ListBullet", "TableGrid"]) assert.match(styles, new RegExp(`w:styleId="${id}"`));
  for (let n = 1; n <= 3; n++) assert.match(styles, new RegExp(`w:styleId="Heading${n}">.*?<w:outlineLvl w:val="${n - 1}"/>`));
  assert.match(styles, /<w:lang w:val="da-DK"/);
});

test("same input → same bytes", async () => {
  const a = await writeRedlineDocx(diffs, OPTS);
  const b = await writeRedlineDocx(diffs, OPTS);
  assert.ok(a.equals(b));
});

test("every revision and comment has a unique id and carries the author and date", async () => {
  const parts = await partsOf(await redline());
  const ids = new Set<string>();
  let revisions = 0;
  for (const part of ["word/document.xml", "word/comments.xml"]) {
    for (const el of walk(parseXml(parts[part]))) {
      if (["w:ins", "w:del", "w:pPrChange", "w:comment"].includes(el.name)) {
        revisions++;
        assert.ok(!ids.has(el.attrs["w:id"]), `duplicate w:id ${el.attrs["w:id"]}`);
        ids.add(el.attrs["w:id"]);
        assert.equal(el.attrs["w:author"], OPTS.author);
        assert.equal(el.attrs["w:date"], OPTS.date);
      }
    }
  }
  assert.ok(revisions > 40, `${revisions} revisions`);
  // Comment anchors point at comments that exist.
  const doc = parseXml(parts["word/document.xml"]);
  const refs = [...walk(doc)].filter((e) => e.name === "w:commentReference").map((e) => e.attrs["w:id"]);
  const comments = kids(parseXml(parts["word/comments.xml"]), "w:comment").map((e) => e.attrs["w:id"]);
  assert.deepEqual(refs, comments);
});

test("accept all gives exactly the new text, reject all exactly the old (our Word semantics)", async () => {
  const xml = (await partsOf(await redline()))["word/document.xml"];
  assert.deepEqual(resolved(xml, "accept"), expected("new"));
  assert.deepEqual(resolved(xml, "reject"), expected("old"));
});

test("the redline shows the changes where a lawyer looks for them", async () => {
  const parts = await partsOf(await redline());
  const xml = parts["word/document.xml"];
  // Renumbered heading: old number deleted, new number inserted, the heading text untouched.
  assert.match(xml, /<w:del [^>]*><w:r><w:delText xml:space="preserve">4\.1<\/w:delText><\/w:r><\/w:del><w:ins [^>]*><w:r><w:t xml:space="preserve">4\.2<\/w:t><\/w:r><\/w:ins><w:r><w:t xml:space="preserve"> Bod<\/w:t><\/w:r>/);
  // Word-level change inside a paragraph.
  assert.match(xml, /<w:ins [^>]*><w:r><w:t xml:space="preserve">ledige <\/w:t><\/w:r><\/w:ins>/);
  // Whole inserted and deleted paragraphs revise their paragraph mark.
  assert.match(xml, /<w:pPr><w:rPr><w:ins [^>]*\/><\/w:rPr><\/w:pPr><w:ins [^>]*><w:r><w:t xml:space="preserve">Journalen opbevares i 5 år\.<\/w:t>/);
  assert.match(xml, /<w:pPr><w:pStyle w:val="ListBullet"\/><w:numPr><w:ilvl w:val="0"\/><w:numId w:val="1"\/><\/w:numPr><w:rPr><w:del [^>]*\/><\/w:rPr><\/w:pPr><w:del [^>]*><w:r><w:delText xml:space="preserve">Virksomhedspraktik<\/w:delText>/);
  // Table rows: inserted and deleted rows are revisions of the row, a modified row per cell.
  assert.match(xml, /<w:trPr><w:ins [^>]*\/><\/w:trPr>(?:(?!<\/w:tr>).)*Jobsøgning/);
  assert.match(xml, /<w:trPr><w:del [^>]*\/><\/w:trPr>(?:(?!<\/w:tr>).)*<w:delText xml:space="preserve">Praktik</);
  assert.match(xml, /<w:tr>(?:(?!<\/w:tr>).)*>Afklaring<(?:(?!<\/w:tr>).)*<w:delText xml:space="preserve">1\.000<\/w:delText>(?:(?!<\/w:tr>).)*1\.200/);
  // A revised paragraph right before a table hands its mark revision to the paragraph before it
  // (LibreOffice cannot join a paragraph into a table).
  assert.match(xml, /<w:p><w:pPr><w:rPr><w:ins [^>]*\/><\/w:rPr><\/w:pPr><w:r><w:t xml:space="preserve">Priserne fremgår af tabellen:<\/w:t><\/w:r><\/w:p><w:p><w:ins [^>]*><w:r><w:t xml:space="preserve">Alle priser er ekskl\. moms\.<\/w:t><\/w:r><\/w:ins><\/w:p><w:tbl>/);
  // Insertions that would meet across an unrevised paragraph mark (LibreOffice would join them and
  // the paragraphs on Reject All): the paragraph before an inserted one ends on a deletion, the
  // one after "… pr. rykker" starts with one.
  assert.match(xml, /<w:r><w:t xml:space="preserve">faktura<\/w:t><\/w:r><w:ins [^>]*><w:r><w:t xml:space="preserve">\. Elektronisk\.<\/w:t><\/w:r><\/w:ins><w:del [^>]*><w:r><w:delText xml:space="preserve">\.<\/w:delText><\/w:r><\/w:del><\/w:p>/);
  assert.match(xml, /<w:p><w:del [^>]*><w:r><w:delText xml:space="preserve">Renter<\/w:delText><\/w:r><\/w:del><w:ins [^>]*><w:r><w:t xml:space="preserve">Desuden Renter<\/w:t>/);
  // Header rows repeat.
  assert.match(xml, /<w:trPr><w:tblHeader\/><\/w:trPr>/);
  // XML-special characters and Danish quotes survive escaped.
  assert.match(xml, /voldgift &lt;A&gt; &quot;B&quot;\./);
  assert.match(xml, /”Journalvejledning 2024”/);
  // A paragraph that became a list item: a formatting revision with the old properties.
  assert.match(xml, /<w:pPrChange [^>]*><w:pPr><w:pStyle w:val="Heading1"\/><\/w:pPr><\/w:pPrChange>/);
  assert.match(xml, /<w:pPrChange [^>]*><w:pPr><\/w:pPr><\/w:pPrChange>/);
  // Moves: comments at both places.
  const comments = kids(parseXml(parts["word/comments.xml"]), "w:comment").map((c) => runText(c, "accept"));
  assert.deepEqual(comments, ["Flyttet til pkt. 4.1", "Flyttet fra pkt. 3.1 (og ændret)", "Flyttet fra pkt. 3", "Flyttet til pkt. 1"]);
  // The moved clause's old copy stands right after its old predecessor (3 Leverandørens forpligtelser
  // and its inserted paragraph), before the inserted 3.1 Databeskyttelse.
  const body = bodyOf(xml);
  const paras = kids(body, "w:p").map((p) => runText(p, "reject") || runText(p, "accept"));
  const at = (s: string) => paras.indexOf(s);
  assert.ok(at("Journalen opbevares i 5 år.") < at("3.1 Tavshedspligt") && at("3.1 Tavshedspligt") < at("3.1 Databeskyttelse"));
  assert.ok(at("4 Misligholdelse") < at("4.1 Tavshedspligt"));
  // Moved to the front: the old copy is placed after "2 Formål" (its old predecessor).
  assert.ok(at("1 Kontakt") < at("Tekst  med to mellemrum.") || at("1 Kontakt") < at("Tekst med to mellemrum og mere."));
  assert.ok(at("Se også bilag C.") < at("3 Kontakt"));
});

test("without oldIndex a move is placed by its old number", async () => {
  const strip = (d: DocDiff): DocDiff => ({ ...d, clauses: d.clauses.map(({ oldIndex: _o, ...c }) => c) });
  const buf = await writeRedlineDocx([strip(diff1), strip(diff3)], OPTS);
  const xml = (await partsOf(buf))["word/document.xml"];
  const want = (which: "old" | "new") => {
    const all = expected(which);
    // Documents 1 and 3 only.
    const t2 = all.indexOf(diff2.title);
    const t3 = all.indexOf(diff3.title);
    return [...all.slice(0, t2), ...all.slice(t3)];
  };
  assert.deepEqual(resolved(xml, "accept"), want("new"));
  assert.deepEqual(resolved(xml, "reject"), want("old"));
});

test("edge cases: empty input, a clause out of order without the moved flag, a bad date", async () => {
  const empty = await writeRedlineDocx([], OPTS);
  const xml = (await partsOf(empty))["word/document.xml"];
  assert.deepEqual(resolved(xml, "accept"), []);
  // Paired clauses out of old order but not flagged moved: still exact.
  const a = C("1", "A", 1, [P("a")]);
  const b = C("2", "B", 1, [P("b")]);
  const swapped: DocDiff = { id: "x", title: "X", summary, clauses: [aligned([], b, b, 1, 0), aligned([], a, a, 0, 1)] };
  const sx = (await partsOf(await writeRedlineDocx([swapped], OPTS)))["word/document.xml"];
  assert.deepEqual(resolved(sx, "accept"), ["X", "2 B", "b", "1 A", "a"]);
  assert.deepEqual(resolved(sx, "reject"), ["X", "1 A", "a", "2 B", "b"]);
  await assert.rejects(writeRedlineDocx([], { ...OPTS, date: "i går" }), /ugyldig dato/);
});
