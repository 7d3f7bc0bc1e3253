/**
 * The Word writer, checked on its real output with readers we did not write: mammoth (text and
 * HTML, as a Word-to-HTML converter sees the document) and jszip (the package's XML parts).
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import JSZip from "jszip";
import mammoth from "mammoth";
import type { Block, DocumentTree } from "../src/doc/ast.js";
import { bookmarkName, cleanText, writeDocx } from "../src/write/docx.js";
import { sampleTree } from "./fixtures/sample-tree.js";

/** The package's text parts, by path. */
async function parts(buf: Buffer): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(buf);
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(zip.files)) if (!f.dir && /\.(xml|rels)$/.test(name)) out[name] = await f.async("string");
  return out;
}

let sample: Promise<Buffer> | undefined;
const sampleDocx = (): Promise<Buffer> => (sample ??= writeDocx(sampleTree));

const p = (text: string): Block => ({ type: "paragraph", content: [{ type: "text", text }] });

/** A small tree with the awkward cases: characters XML can't hold, duplicate and odd ids, links. */
const edgeTree: DocumentTree = {
  id: "kant",
  title: "Vilkår & <betingelser>\u0001 for ”A/S”",
  subtitle: ["Bilag\u0007 B & C"],
  label: "Bilag <B>",
  lang: "da",
  date: "2024-02-29",
  author: "Kommune & Co\u0000",
  blocks: [
    { type: "heading", level: 1, id: "æble-ø", numbered: true, number: "1", content: [{ type: "text", text: "Første & <sidste>\u0008" }] },
    { type: "heading", level: 1, id: "æble-ø", numbered: true, number: "2", content: [{ type: "text", text: "Dublet" }] },
    { type: "heading", level: 2, id: "12", numbered: true, number: "2.1", content: [{ type: "text", text: "Tal som id" }] },
    { type: "heading", level: 2, id: "x".repeat(60), numbered: true, number: "2.2", content: [{ type: "text", text: "Langt id" }] },
    { type: "heading", level: 2, id: `${"x".repeat(60)}y`, numbered: true, number: "2.3", content: [{ type: "text", text: "Langt id igen" }] },
    {
      type: "paragraph",
      content: [
        { type: "ref", target: "findes-ikke", form: "ref", text: "pkt. 9.9" },
        { type: "text", text: " · " },
        { type: "link", href: "https://example.com/a?b=1&c=2", content: [{ type: "text", text: "ekstern" }] },
        { type: "text", text: " · " },
        { type: "link", href: "#12", content: [{ type: "text", text: "intern" }] },
        { type: "text", text: " · " },
        { type: "link", href: "javascript:alert(1)", content: [{ type: "text", text: "farlig" }] },
        { type: "text", text: " · A & B < C > D\u000B\uFFFF\uD800 slut" },
      ],
    },
    {
      type: "list",
      ordered: true,
      start: 3,
      items: [
        [p("tre"), { type: "list", ordered: false, start: 1, items: [[p("indlejret punkt")]] }, p("mere om tre")],
        [p("fire")],
      ],
    },
    { type: "list", ordered: true, start: 1, items: [[p("ny liste")]] },
  ],
};

/**
 * The heading paragraphs of document.xml: style level, effective numPr (ilvl, numId: the
 * paragraph's own, else its Heading style's, as Word resolves it) and text.
 */
function headingParas(doc: string, styles: string): { level: number; ilvl?: string; numId?: string; text: string }[] {
  const NUM = /<w:numPr><w:ilvl w:val="(\d)"\/><w:numId w:val="(\d+)"\/><\/w:numPr>/;
  return [...doc.matchAll(/<w:p>(?:(?!<\/w:p>).)*?<\/w:p>/g)]
    .map(([p]) => p)
    .filter((p) => /<w:pStyle w:val="Heading\d"\/>/.test(p))
    .map((p) => {
      const style = /Heading(\d)/.exec(p)![1];
      const own = NUM.exec(p);
      const styleDef = new RegExp(`w:styleId="Heading${style}">(?:(?!</w:style>).)*</w:style>`).exec(styles)?.[0] ?? "";
      const num = own ?? NUM.exec(styleDef);
      return {
        level: Number(/Heading(\d)/.exec(p)![1]),
        ...(num ? { ilvl: num[1], numId: num[2] } : {}),
        text: [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map(([, t]) => t).join(""),
      };
    });
}

test("headings are Word headings (h1/h2/h3) numbered by Word's multilevel list; no typed numbers", async () => {
  const { value: html } = await mammoth.convertToHtml({ buffer: await sampleDocx() });
  const headings = [...html.matchAll(/<h([1-6])>(.*?)<\/h\1>/g)].map(([, lvl, inner]) => `${lvl}:${inner.replace(/<[^>]+>/g, "")}`);
  assert.deepEqual(headings.slice(0, 6), [
    "1:Formål og baggrund",
    "1:Misligholdelse",
    "2:Leverandørens forsinkelse",
    "3:Varsel om forsinkelse",
    "2:Bod",
    "1:Priser",
  ]);
  assert.ok(headings.includes("2:Bemærkning uden nummer"));
  assert.ok(headings.includes("2:Underklausul 9.3"));
  // The title and the TOC heading are not clause headings.
  assert.ok(!headings.some((h) => h.includes("Rammeaftale om køb") || h.includes("Indholdsfortegnelse")));
  const x = await parts(await sampleDocx());
  const document = x["word/document.xml"];
  assert.match(document, /<w:pStyle w:val="Heading1"\/>/);
  assert.match(document, /<w:pStyle w:val="Heading3"\/>/);
  assert.match(document, /<w:pStyle w:val="Title"\/>/);
  // Every numbered heading is in one list (numPr, level = heading level - 1), with no typed number;
  // the unnumbered one leaves the list (numId 0).
  const paras = headingParas(document, x["word/styles.xml"]);
  // A numbered heading takes its number from its style alone (no numPr of its own).
  for (const p of [...document.matchAll(/<w:pStyle w:val="Heading\d"\/><w:numPr><w:ilvl w:val="\d"\/><w:numId w:val="([1-9]\d*)"/g)]) assert.fail(`paragraph numPr ${p[1]}`);
  const numbered = paras.filter((h) => h.text !== "Bemærkning uden nummer");
  const listId = numbered[0].numId;
  assert.ok(listId && listId !== "0");
  for (const h of numbered) {
    assert.equal(h.numId, listId, h.text);
    assert.equal(h.ilvl, String(h.level - 1), h.text);
    assert.doesNotMatch(h.text, /^\d+(\.\d+)*\.?\s/, `typed number in ${h.text}`);
  }
  assert.equal(paras.find((h) => h.text === "Bemærkning uden nummer")?.numId, "0");
  // The list: "%1." / "%1.%2" / "%1.%2.%3", each level linked to its Heading style, and the
  // Heading styles carry the list, so a heading added in Word is numbered too.
  const numbering = x["word/numbering.xml"];
  const abs = new RegExp(`<w:num w:numId="${listId}"><w:abstractNumId w:val="(\\d+)"/>`).exec(numbering)![1];
  const def = new RegExp(`<w:abstractNum w:abstractNumId="${abs}"[^>]*>(.*?)</w:abstractNum>`).exec(numbering)![1];
  assert.match(def, /<w:lvl w:ilvl="0"[^>]*>.*?<w:pStyle w:val="Heading1"\/>.*?<w:lvlText w:val="%1\."\/>/);
  assert.match(def, /<w:lvl w:ilvl="1"[^>]*>.*?<w:pStyle w:val="Heading2"\/>.*?<w:lvlText w:val="%1\.%2"\/>/);
  assert.match(def, /<w:lvl w:ilvl="2"[^>]*>.*?<w:pStyle w:val="Heading3"\/>.*?<w:lvlText w:val="%1\.%2\.%3"\/>/);
  for (const l of [1, 2, 3, 4]) {
    assert.match(x["word/styles.xml"], new RegExp(`w:styleId="Heading${l}">.*?<w:numPr><w:ilvl w:val="${l - 1}"/><w:numId w:val="${listId}"/></w:numPr>`));
  }
});

test("cross-references are REF fields whose cached result is the computed number, inside a link", async () => {
  const doc = (await parts(await sampleDocx()))["word/document.xml"];
  const refs = [...doc.matchAll(/<w:instrText xml:space="preserve"> REF (\S+) ([^<]*)<\/w:instrText><\/w:r><w:r><w:fldChar w:fldCharType="separate"\/><\/w:r>(.*?)<w:r><w:fldChar w:fldCharType="end"\/><\/w:r>/g)];
  assert.ok(refs.length >= 1);
  const bod = refs.find(([, b]) => b === "bod");
  assert.ok(bod, "the reference to Bod");
  assert.match(bod[2], /\\w/);
  assert.match(bod[2], /\\h/);
  assert.match(bod[3], /<w:t xml:space="preserve">2\.2<\/w:t>/);
  for (const [, , , cached] of refs) assert.match(cached, /<w:t xml:space="preserve">\d+(\.\d+)*<\/w:t>/);
  assert.doesNotMatch(doc, /<w:fldSimple w:instr="REF/);
});

test("Danish text, typographic quotes, emphasis, tables, lists and the reference survive exactly", async () => {
  const buf = await sampleDocx();
  const { value: text } = await mammoth.extractRawText({ buffer: buf });
  // "pkt." and its number are held together by a non-breaking space.
  assert.ok(text.includes("Formålet med Kontrakten (herefter ”Kontrakten”) er at sikre Ordregivers behov – se også pkt.\u00a02.2."));
  assert.ok(text.includes("Æ, ø og å: Ærø, Øresund, Århus."));
  assert.ok(text.includes("Rammeaftale om køb af indsats for udsatte og sygemeldte borgere"));
  assert.ok(text.includes("Beskæftigelses- og Integrationsforvaltningen"));
  const { value: html } = await mammoth.convertToHtml({ buffer: buf });
  assert.match(html, /<strong>Fed tekst<\/strong> og <em>kursiv tekst<\/em>/);
  // The reference is a link to the bookmark on its target heading.
  assert.match(html, /<a href="#bod">pkt\.\u00a02\.2<\/a>/);
  assert.match(html, /<h2><a id="[^"]*"><\/a><a id="bod"><\/a>Bod<\/h2>|<h2>(<a id="[^"]*"><\/a>)*Bod<\/h2>/);
  // Lists: a bulleted and a numbered one, as real Word lists.
  assert.match(html, /<ul><li>Ydelser lever ikke op til kravspecifikationen<\/li><li>Ydelser lever ikke op til god skik<\/li><\/ul>/);
  assert.match(html, /<ol><li>Kontrakten<\/li><li>Udbudsbetingelser \(bilag\u00a0U\)<\/li><\/ol>/);
  // The table: a header row and the cells.
  assert.match(html, /<table><thead><tr><th>.*Indsats.*<\/th><th>.*Varighed.*<\/th><th>.*Pris pr\. uge.*<\/th><\/tr><\/thead>/);
  // A number and its unit are held together by a non-breaking space.
  for (const cell of ["1A", "26\u00a0uger", "3.200\u00a0kr.", "2A", "12\u00a0uger", "1.300\u00a0kr."]) assert.ok(html.includes(`<td><p>${cell}</p></td>`), cell);
  assert.ok(text.includes("Priserne er eksklusive moms."));
  assert.match(html, /Første linje<br \/>anden linje/);
});

test("the package: A4, Danish, fonts, table header row, list numbering, page break", async () => {
  const x = await parts(await sampleDocx());
  const doc = x["word/document.xml"];
  const styles = x["word/styles.xml"];
  assert.match(doc, /<w:pgSz w:w="11906" w:h="16838"[^>]*\/>|<w:pgSz [^>]*w:w="11906"[^>]*w:h="16838"/);
  assert.match(styles, /<w:rPrDefault><w:rPr>.*<w:lang w:val="da-DK"\/>.*<\/w:rPr><\/w:rPrDefault>/);
  assert.match(styles, /<w:rFonts w:ascii="Calibri"/);
  // Heading styles carry outline levels (LibreOffice's and Word's navigation and TOC use them).
  assert.match(styles, /w:styleId="Heading1">.*?<w:outlineLvl w:val="0"\/>/);
  assert.match(styles, /w:styleId="Heading2">.*?<w:outlineLvl w:val="1"\/>/);
  // Table: full text width, borders, header row repeated on each page and bold.
  assert.match(doc, /<w:tblW w:type="dxa" w:w="9072"\/>/);
  assert.match(doc, /<w:tblBorders><w:top w:val="single"/);
  assert.match(doc, /<w:trPr>(?:<w:cantSplit\/>)?<w:tblHeader\/><\/w:trPr>/);
  assert.match(doc, /<w:jc w:val="right"\/><\/w:pPr><w:r><w:rPr><w:b\/><w:bCs\/>(?:<w:sz w:val="\d+"\/><w:szCs w:val="\d+"\/>)?<\/w:rPr><w:t xml:space="preserve">Pris pr\. uge</);
  // Lists use numbering definitions: a bullet and a decimal one.
  assert.match(doc, /<w:numPr><w:ilvl w:val="0"\/><w:numId w:val="\d+"\/><\/w:numPr>/);
  assert.match(x["word/numbering.xml"], /<w:numFmt w:val="decimal"\/><w:lvlText w:val="%1\."\/>/);
  assert.match(x["word/numbering.xml"], /<w:numFmt w:val="bullet"\/><w:lvlText w:val="•"\/>/);
  assert.match(doc, /<w:br w:type="page"\/>/);
});

test("table of contents: a TOC field with a readable cached result, and no update prompt", async () => {
  const x = await parts(await sampleDocx());
  const doc = x["word/document.xml"];
  assert.match(doc, /<w:pStyle w:val="TOCHeading"\/><\/w:pPr><w:r><w:t xml:space="preserve">Indholdsfortegnelse<\/w:t>/);
  assert.match(doc, /<w:instrText xml:space="preserve">\s*TOC (?=[^<]*\\o &quot;1-2&quot;)(?=[^<]*\\h)[^<]*<\/w:instrText>/);
  // begin … separate … cached entries … end
  const begin = doc.search(/<w:fldChar w:fldCharType="begin"[^>]*\/><w:instrText xml:space="preserve">\s*TOC /);
  assert.ok(begin > 0);
  const end = doc.indexOf('<w:fldChar w:fldCharType="end"/></w:r></w:p></w:sdtContent>', begin);
  assert.ok(end > begin, "the field ends after the last entry");
  const cached = doc.slice(doc.lastIndexOf("<w:p>", begin), end);
  // An entry: its number, a tab, its text (as Word writes the entry of a numbered heading), a tab, its page.
  const entries = [...cached.matchAll(/<w:p>(?:(?!<\/w:p>).)*?<\/w:p>/g)]
    .map(([p]) => p)
    .filter((p) => /<w:pStyle w:val="TOC[12]"\/>/.test(p))
    .map((p) => {
      const style = /TOC[12]/.exec(p)![0];
      const before = p.slice(0, p.indexOf("PAGEREF"));
      const texts = [...before.matchAll(/<w:t xml:space="preserve">([^<]*)<\/w:t>/g)].map(([, t]) => t);
      return `${style}:${texts.join(" ")}`;
    });
  assert.deepEqual(entries.slice(0, 6), [
    "TOC1:1. Formål og baggrund",
    "TOC1:2. Misligholdelse",
    "TOC2:2.1 Leverandørens forsinkelse",
    "TOC2:2.2 Bod",
    "TOC1:3. Priser",
    "TOC2:Bemærkning uden nummer",
  ]);
  assert.equal(entries.length, 1 + 1 + 2 + 1 + 1 + 6 * 4); // level-1/2 headings only, not 2.1.1
  assert.ok(!entries.some((e) => e.includes("2.1.1")));
  // Each entry's PAGEREF field already holds a page number (laid out by docx/layout).
  const pagerefs = [...cached.matchAll(/PAGEREF (\S+) \\h<\/w:instrText><w:fldChar w:fldCharType="separate"\/><w:t xml:space="preserve">(\d+)<\/w:t>/g)];
  assert.equal(pagerefs.length, entries.length);
  assert.ok(pagerefs.every(([, , n]) => Number(n) >= 1));
  // Word shows a prompt for dirty fields and for updateFields: neither is there.
  assert.doesNotMatch(doc, /w:dirty="(true|1)"/);
  assert.doesNotMatch(x["word/settings.xml"], /updateFields/);
  // mammoth reads the cached entries as links to the headings.
  const { value: html } = await mammoth.convertToHtml({ buffer: await sampleDocx() });
  const link = /<p><a href="#([^"]+)">2\.2\tBod(?:\t\d+)?<\/a><\/p>/.exec(html);
  assert.ok(link, "TOC entry for 2.2 Bod");
  assert.ok(html.includes(`<a id="${link[1]}"></a>`), "the TOC entry's bookmark exists");
});

test("without the page layout the TOC still has its entries and no dirty fields", async () => {
  const doc = (await parts(await writeDocx(sampleTree, { pageNumbers: false })))["word/document.xml"];
  assert.match(doc, /<w:pStyle w:val="TOC2"\/>.*?Bod/);
  assert.doesNotMatch(doc, /w:dirty="(true|1)"/);
});

test("header shows label and title; footer 'Side X af Y' with PAGE and NUMPAGES fields", async () => {
  const x = await parts(await sampleDocx());
  const headers = Object.keys(x).filter((n) => /^word\/header\d+\.xml$/.test(n)).map((n) => x[n]);
  const footers = Object.keys(x).filter((n) => /^word\/footer\d+\.xml$/.test(n)).map((n) => x[n]);
  // Without a short title the header is the label alone, never a title cut with "…".
  assert.ok(headers.some((h) => h.includes(">Rammeaftale<")));
  for (const h of headers) assert.doesNotMatch(h, /…/);
  const short = await parts(await writeDocx({ ...sampleTree, shortTitle: "Udsatte og sygemeldte borgere" }, { pageNumbers: false }));
  const shortHeaders = Object.keys(short).filter((n) => /^word\/header\d+\.xml$/.test(n)).map((n) => short[n]);
  assert.ok(shortHeaders.some((h) => h.includes(">Rammeaftale<") && h.includes(">Udsatte og sygemeldte borgere<")));
  assert.ok(footers.length > 0);
  for (const f of footers) {
    assert.match(f, /Side /);
    assert.match(f, /<w:instrText xml:space="preserve">\s*PAGE\s*<\/w:instrText>/);
    assert.match(f, /<w:instrText xml:space="preserve">\s*NUMPAGES\s*<\/w:instrText>/);
    assert.match(f, / af /);
  }
});

test("bookmarks are named from clause ids and references link to them", async () => {
  const doc = (await parts(await sampleDocx()))["word/document.xml"];
  const names = [...doc.matchAll(/<w:bookmarkStart w:name="([^"]+)" w:id="(\d+)"\/>/g)].map(([, n]) => n);
  for (const id of ["formaal", "misligholdelse", "forsinkelse", "varsel", "bod", "priser", "bilag_note", "klausul_9_3"]) {
    assert.ok(names.includes(id), id);
  }
  assert.equal(new Set(names).size, names.length, "unique names");
  const anchors = [...doc.matchAll(/<w:hyperlink [^>]*w:anchor="([^"]+)"/g)].map(([, a]) => a);
  assert.ok(anchors.includes("bod"));
  for (const a of anchors) assert.ok(names.includes(a), `anchor ${a} has a bookmark`);
  // Every bookmarkStart has its bookmarkEnd.
  const starts = [...doc.matchAll(/<w:bookmarkStart [^>]*w:id="(\d+)"/g)].map(([, i]) => i).sort();
  const ends = [...doc.matchAll(/<w:bookmarkEnd w:id="(\d+)"/g)].map(([, i]) => i).sort();
  assert.deepEqual(starts, ends);
});

test("bookmark names: letters, digits and _, starting with a letter, at most 40 characters, unique", async () => {
  assert.equal(bookmarkName("misligholdelse"), "misligholdelse");
  assert.equal(bookmarkName("æble-ø.på"), "aeble_oe_paa");
  assert.equal(bookmarkName("12"), "pkt_12");
  assert.equal(bookmarkName("x".repeat(60)).length, 40);
  const doc = (await parts(await writeDocx(edgeTree)))["word/document.xml"];
  const names = [...doc.matchAll(/<w:bookmarkStart w:name="([^"]+)"/g)].map(([, n]) => n).filter((n) => !n.startsWith("_Toc"));
  assert.deepEqual(names, ["aeble_oe", "aeble_oe_2", "pkt_12", "x".repeat(40), `${"x".repeat(38)}_2`]);
  for (const n of names) assert.match(n, /^[A-Za-z][A-Za-z0-9_]{0,39}$/);
  // "#12" links to the clause's bookmark; a reference without a target is plain text.
  assert.match(doc, /<w:hyperlink [^>]*w:anchor="pkt_12"[^>]*>.*?intern/);
  assert.doesNotMatch(doc, /findes/);
});

test("characters XML can't hold are stripped; & < > and Danish letters survive as text", async () => {
  const buf = await writeDocx(edgeTree);
  const x = await parts(buf);
  for (const [name, xml] of Object.entries(x)) {
    assert.doesNotMatch(xml, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, name);
  }
  assert.match(x["word/document.xml"], /Første &amp; &lt;sidste&gt;</);
  assert.match(x["docProps/core.xml"], /<dc:title>Vilkår &amp; &lt;betingelser&gt; for ”A\/S”<\/dc:title>/);
  assert.match(x["docProps/core.xml"], /<dc:creator>Kommune &amp; Co<\/dc:creator>/);
  const text = (await mammoth.extractRawText({ buffer: buf })).value.replace(/\u00a0/g, " ");
  assert.ok(text.includes("Første & <sidste>"));
  assert.ok(text.includes("A & B < C > D slut"));
  assert.ok(text.includes("Vilkår & <betingelser> for ”A/S”"));
  assert.ok(text.includes("Bilag B & C"));
  assert.ok(text.includes("farlig"));
  assert.equal(cleanText("a\u0000b\u0007c\td\ne\uFFFEf"), "abc d ef");
  // Only http(s)/mailto links go out of the document, with & escaped in the relationship.
  const rels = x["word/_rels/document.xml.rels"];
  assert.match(rels, /Target="https:\/\/example\.com\/a\?b=1&amp;c=2" TargetMode="External"/);
  assert.doesNotMatch(rels, /javascript/);
});

test("nested lists and restarting ordered lists", async () => {
  const buf = await writeDocx(edgeTree);
  const { value: html } = await mammoth.convertToHtml({ buffer: buf });
  assert.match(html, /<ol><li>tre<ul><li>indlejret punkt<\/li><\/ul>/);
  assert.ok(html.includes("mere om tre"));
  assert.ok(html.includes("<li>fire</li>"));
  const x = await parts(buf);
  // The first list starts at 3; the second one is a list of its own, starting at 1.
  // (The list paragraphs: the headings' numbering is the heading list's, in the Heading styles.)
  const headingList = /w:styleId="Heading1">.*?<w:numId w:val="(\d+)"/.exec(x["word/styles.xml"])![1];
  const nums = [...x["word/document.xml"].matchAll(/<w:numPr><w:ilvl w:val="(\d)"\/><w:numId w:val="(\d+)"\/>/g)]
    .map(([, l, n]) => ({ l, n }))
    .filter(({ n }) => n !== headingList && n !== "0");
  assert.equal(nums.length, 4);
  assert.equal(nums[1].l, "1");
  assert.notEqual(nums[0].n, nums[3].n);
  const num = (id: string) => new RegExp(`<w:num w:numId="${id}"><w:abstractNumId w:val="\\d+"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="(\\d+)"/>`).exec(x["word/numbering.xml"])?.[1];
  assert.equal(num(nums[0].n), "3");
  assert.equal(num(nums[3].n), "1");
});

test("document properties: title, creator, language and the document's date", async () => {
  const core = (await parts(await sampleDocx()))["docProps/core.xml"];
  assert.match(core, /<dc:title>Rammeaftale om køb af indsats for udsatte og sygemeldte borgere<\/dc:title>/);
  assert.match(core, /<dc:creator>Københavns Kommune<\/dc:creator>/);
  assert.match(core, /<dc:language>da-DK<\/dc:language>/);
  assert.match(core, /<dcterms:created xsi:type="dcterms:W3CDTF">2020-05-12T00:00:00Z<\/dcterms:created>/);
  assert.match(core, /<dcterms:modified xsi:type="dcterms:W3CDTF">2020-05-12T00:00:00Z<\/dcterms:modified>/);
});

test("deterministic: the same tree gives the same bytes, whatever else was written before", async () => {
  const a = await writeDocx(sampleTree);
  await writeDocx(edgeTree); // moves the docx library's global id counters on
  const b = await writeDocx(sampleTree);
  assert.ok(a.equals(b), "two writes are byte-identical");
  assert.ok(a.equals(await sampleDocx()));
  const e1 = await writeDocx(edgeTree);
  const e2 = await writeDocx(edgeTree);
  assert.ok(e1.equals(e2), "external hyperlinks too");
  // Zip entries: [Content_Types].xml first, fixed dates, deflated.
  const zip = await JSZip.loadAsync(a);
  const names = Object.keys(zip.files);
  assert.equal(names[0], "[Content_Types].xml");
  assert.ok(!names.some((n) => zip.files[n].dir), "no folder entries");
  for (const n of names) assert.equal(zip.files[n].date.toISOString(), "2020-05-12T00:00:00.000Z", n);
});

test("an empty document is still a valid package", async () => {
  const buf = await writeDocx({ ...edgeTree, blocks: [] });
  const { value: text } = await mammoth.extractRawText({ buffer: buf });
  assert.ok(text.includes("Vilkår & <betingelser>"));
  const doc = (await parts(buf))["word/document.xml"];
  assert.match(doc, /<w:body>.*<w:sectPr/);
});
