/**
 * The PDF writer, checked through a reader we did not write (pdfjs-dist): text per page, footers,
 * table of contents against the real heading pages, links, bookmarks, metadata, tagging, fonts,
 * determinism and robustness against awkward content.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import { writePdf } from "../src/write/pdf.js";
import { headingText, tocEntries, type Block, type DocumentTree, type Heading } from "../src/doc/ast.js";
import { sampleTree } from "./fixtures/sample-tree.js";

type PdfDoc = Awaited<ReturnType<typeof pdfjs.getDocument>["promise"]>;

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
}

interface Reading {
  pdf: PdfDoc;
  numPages: number;
  /** Per page (index 0 = page 1): text lines top to bottom, items joined left to right. */
  lines: string[][];
  items: Item[][];
}

/** Set UDBUD_PDF_OUT=dir to keep the PDFs for looking at them. */
function keep(name: string, buf: Buffer): void {
  const dir = process.env.UDBUD_PDF_OUT;
  if (dir) fs.writeFileSync(path.join(dir, name), buf);
}

async function read(buf: Buffer): Promise<Reading> {
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(buf), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 })
    .promise;
  const lines: string[][] = [];
  const items: Item[][] = [];
  for (let p = 1; p <= pdf.numPages; p++) {
    const page = await pdf.getPage(p);
    const tc = await page.getTextContent();
    const its: Item[] = [];
    for (const i of tc.items) if ("str" in i && i.str !== "") its.push({ str: i.str, x: i.transform[4], y: i.transform[5], width: i.width });
    items.push(its);
    const byY = new Map<number, Item[]>();
    for (const i of its) {
      const key = [...byY.keys()].find((k) => Math.abs(k - i.y) < 1.5) ?? i.y;
      byY.set(key, [...(byY.get(key) ?? []), i]);
    }
    lines.push(
      [...byY.entries()]
        .sort((a, b) => b[0] - a[0])
        .map(([, row]) =>
          row
            .sort((a, b) => a.x - b.x)
            .map((i) => i.str)
            .join("")
            .replace(/\s+/g, " ")
            .trim(),
        ),
    );
  }
  return { pdf, numPages: pdf.numPages, lines, items };
}

const flat = (r: Reading): string => r.lines.map((l) => l.join("\n")).join("\n");
const oneLine = (s: string): string => s.replace(/\s+/g, " ");
/** 1-based pages on which a line equals `text`. */
const pagesWithLine = (r: Reading, text: string): number[] => r.lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []));

let sampleBuf: Promise<Buffer> | undefined;
const sample = (): Promise<Buffer> => (sampleBuf ??= writePdf(sampleTree).then((b) => (keep("sample.pdf", b), b)));

test("the Danish text comes out exactly: æøå, typographic quotes, dashes, amounts", async () => {
  const r = await read(await sample());
  const all = oneLine(flat(r));
  assert.ok(all.includes("Formålet med Kontrakten (herefter ”Kontrakten”) er at sikre Ordregivers behov – se også pkt. 2.2."), all.slice(0, 600));
  assert.ok(all.includes("Æ, ø og å: Ærø, Øresund, Århus. Fed tekst og kursiv tekst."));
  assert.ok(all.includes("dog mindst DKK 3.000 pr. Arbejdsdag."));
  assert.ok(all.includes("Priserne er eksklusive moms."));
  // Cover: title, subtitle lines; A4.
  assert.ok(oneLine(r.lines[0].join(" ")).includes(sampleTree.title));
  for (const s of sampleTree.subtitle) assert.ok(r.lines[0].includes(s), s);
  const view = (await r.pdf.getPage(1)).view;
  assert.deepEqual(view.map((v) => Math.round(v)), [0, 0, 595, 842]);
  // Headings carry their numbers; a hard break starts a new line.
  for (const h of ["1. Formål og baggrund", "2.1 Leverandørens forsinkelse", "2.1.1 Varsel om forsinkelse", "2.2 Bod", "3. Priser", "Bemærkning uden nummer"]) {
    assert.equal(pagesWithLine(r, h).length, 1, h);
  }
  const body = r.lines.flat();
  assert.equal(body[body.indexOf("Første linje") + 1], "anden linje");
  // Lists: bullets and numbers in front of the item text.
  assert.ok(body.includes("• Ydelser lever ikke op til kravspecifikationen"), body.join("\n"));
  assert.ok(body.includes("1. Kontrakten"));
  assert.ok(body.includes("2. Udbudsbetingelser (bilag U)"));
  // Table: header and cells, right-aligned prices end at the same x.
  assert.ok(body.includes("Indsats Varighed Pris pr. uge"), body.join("\n"));
  const prices = r.items.flat().filter((i) => i.str === "3.200 kr." || i.str === "1.300 kr." || i.str === "Pris pr. uge");
  assert.equal(prices.length, 3);
  for (const p of prices) assert.ok(Math.abs(p.x + p.width - (prices[0].x + prices[0].width)) < 0.5);
});

test("header on every page but the cover; 'Side X af Y' footer on every page, the cover too", async () => {
  const r = await read(await sample());
  const n = r.numPages;
  assert.ok(n >= 5, `expected several pages, got ${n}`);
  assert.notEqual(r.lines[0][0], sampleTree.label, "the cover has no header");
  assert.equal(r.lines[0][r.lines[0].length - 1], `Side 1 af ${n}`, "the cover has its folio");
  for (let p = 2; p <= n; p++) {
    const lines = r.lines[p - 1];
    assert.equal(lines[0], sampleTree.label, `header on page ${p}`);
    assert.equal(lines[lines.length - 1], `Side ${p} af ${n}`, `footer on page ${p}`);
  }
});

test("the table of contents shows the page each heading is really on, with dot leaders as graphics", async () => {
  const buf = await sample();
  const r = await read(buf);
  const entries = tocEntries(sampleTree, 2);
  assert.ok(entries.length > 20);
  const tocLines = [...r.lines[0], ...r.lines[1]];
  for (const h of entries) {
    const text = headingText(h);
    const line = tocLines.find((l) => l.startsWith(`${text} `) && /^\d+$/.test(l.slice(text.length + 1)));
    assert.ok(line, `TOC line for ${text}`);
    const listed = Number(line.slice(text.length + 1));
    const found = pagesWithLine(r, text);
    assert.equal(found.length, 1, `${text} appears once as a line of its own`);
    assert.equal(listed, found[0], `${text}: TOC says ${listed}, heading is on page ${found[0]}`);
  }
  assert.ok(tocLines.includes("2.2 Bod 3") || tocLines.some((l) => /^2\.2 Bod \d+$/.test(l)));
  assert.ok(!flat(r).includes(". . ."), "leaders are drawn, not typed");
});

test("TOC entries and references are links to the heading's page", async () => {
  const r = await read(await sample());
  const bodPage = pagesWithLine(r, "2.2 Bod")[0];
  const dest = await r.pdf.getDestination("bod");
  assert.ok(dest, "named destination for the heading id");
  assert.equal((await r.pdf.getPageIndex(dest[0] as { num: number; gen: number })) + 1, bodPage);
  const annots = async (p: number): Promise<{ dest?: unknown; url?: string; rect: number[] }[]> => (await r.pdf.getPage(p)).getAnnotations();
  const toc = [...(await annots(1)), ...(await annots(2))];
  assert.ok(toc.some((a) => a.dest === "bod"), "TOC links to 2.2 Bod");
  assert.ok(toc.some((a) => a.dest === "formaal"));
  const refPage = r.lines.findIndex((l) => l.some((x) => x.includes("pkt. 2.2"))) + 1;
  const ref = (await annots(refPage)).filter((a) => a.dest === "bod");
  assert.equal(ref.length, 1, "the reference 'pkt. 2.2' links to its target");
  const item = r.items[refPage - 1].find((i) => i.str === "pkt. 2.2")!;
  assert.ok(ref[0].rect[0] <= item.x + 0.5 && ref[0].rect[2] >= item.x + item.width - 0.5, "the link covers the reference text");
});

test("bookmarks: every heading, nested by level, pointing at its page", async () => {
  const r = await read(await sample());
  const outline = await r.pdf.getOutline();
  type Node = { title: string; dest: unknown; items: Node[] };
  const top = outline as unknown as Node[];
  assert.deepEqual(
    top.map((o) => o.title),
    ["1. Formål og baggrund", "2. Misligholdelse", "3. Priser", ...[4, 5, 6, 7, 8, 9].map((i) => `${i}. Klausul nummer ${i}`)],
  );
  const mis = top[1];
  assert.deepEqual(mis.items.map((o) => o.title), ["2.1 Leverandørens forsinkelse", "2.2 Bod"]);
  assert.deepEqual(mis.items[0].items.map((o) => o.title), ["2.1.1 Varsel om forsinkelse"]);
  assert.deepEqual(top[2].items.map((o) => o.title), ["Bemærkning uden nummer"]);
  const bod = mis.items[1];
  const dest = bod.dest as [{ num: number; gen: number }, ...unknown[]];
  assert.equal((await r.pdf.getPageIndex(dest[0])) + 1, pagesWithLine(r, "2.2 Bod")[0]);
});

test("metadata, language, tagging and display title", async () => {
  const buf = await sample();
  const r = await read(buf);
  const md = await r.pdf.getMetadata();
  const info = md.info as Record<string, unknown>;
  assert.equal(info.Title, sampleTree.title);
  assert.equal(info.Author, sampleTree.author);
  assert.match(String(info.Subject), /Københavns Kommune/);
  assert.equal(info.Language, "da-DK");
  assert.equal(info.CreationDate, "D:20200512000000Z");
  assert.equal(info.ModDate, "D:20200512000000Z");
  assert.equal(md.metadata?.get("dc:title"), sampleTree.title);
  assert.deepEqual(await r.pdf.getMarkInfo(), { Marked: true, UserProperties: false, Suspects: false });
  const prefs = (await r.pdf.getViewerPreferences()) as Record<string, unknown> | null;
  assert.equal(prefs?.DisplayDocTitle, true);
  // Structure tree on the first body page: headings, paragraphs, lists and the table are tagged.
  const roles = new Set<string>();
  const walk = (n: { role?: string; children?: unknown[] }): void => {
    if (n.role) roles.add(n.role);
    for (const c of n.children ?? []) walk(c as { role?: string; children?: unknown[] });
  };
  walk((await (await r.pdf.getPage(pagesWithLine(r, "2.2 Bod")[0])).getStructTree()) as never);
  for (const role of ["Document", "H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "BlockQuote"]) assert.ok(roles.has(role), role);
  const tocRoles = new Set<string>();
  const walk2 = (n: { role?: string; children?: unknown[] }): void => {
    if (n.role) tocRoles.add(n.role);
    for (const c of n.children ?? []) walk2(c as { role?: string; children?: unknown[] });
  };
  walk2((await (await r.pdf.getPage(1)).getStructTree()) as never);
  assert.ok(tocRoles.has("TOC") && tocRoles.has("TOCI"));
});

test("only embedded (subset) fonts: Carlito for the text (DejaVu only for what Carlito lacks)", async () => {
  const raw = (await sample()).toString("latin1");
  const baseFonts = [...raw.matchAll(/\/BaseFont \/([A-Za-z0-9+_-]+)/g)].map((m) => m[1]);
  assert.ok(baseFonts.length >= 3);
  for (const f of baseFonts) assert.match(f, /^[A-Z]{6}\+(Carlito|DejaVu)/, f);
  assert.ok(baseFonts.some((f) => /Carlito-Regular$/.test(f)) && baseFonts.some((f) => /Carlito-Bold$/.test(f)));
  assert.equal((raw.match(/\/FontFile2/g) ?? []).length, (raw.match(/\/Type \/FontDescriptor/g) ?? []).length);
});

test("deterministic: the same tree gives byte-identical PDFs", async () => {
  const a = await writePdf(sampleTree);
  const b = await writePdf(structuredClone(sampleTree));
  assert.ok(a.equals(b));
  assert.ok(a.equals(await sample()));
  assert.equal(a.subarray(0, 8).toString("latin1"), "%PDF-1.7");
});

// ---------------------------------------------------------------- awkward content

const longWord = "Erhvervsuddannelsesinstitutionsbeskæftigelsesindsatsforvaltningsbekendtgørelsesændringsforslagene";
const url = "https://www.udbud.dk/eksempel/meget/lang/sti/til/et/dokument/som/ikke/kan/brydes/ved/mellemrum/udbudsbetingelser-bilag-a1.pdf?version=2024&sprog=da";
const para = (text: string): Block => ({ type: "paragraph", content: [{ type: "text", text }] });
const h = (level: number, number: string | undefined, text: string, id?: string): Heading => ({
  type: "heading",
  level,
  numbered: number !== undefined,
  ...(number !== undefined ? { number } : {}),
  ...(id ? { id } : {}),
  content: [{ type: "text", text }],
});
const filler = "Ordregiver kan til enhver tid kræve dokumentation for, at Leverandøren overholder sine forpligtelser. ";

const awkward: DocumentTree = {
  id: "test",
  title: "Køb & levering <prøve> af “ydelser”",
  subtitle: ["Bilag Z"],
  label: "Bilag Z",
  lang: "da",
  date: "2024-02-29",
  author: "Ordregiver & Co.",
  blocks: [
    { type: "toc", title: "Indhold" },
    { type: "pagebreak" },
    { type: "pagebreak" },
    h(1, "1", "Lange ord og adresser", "lange"),
    para(`Et meget langt ord: ${longWord} og en adresse:`),
    { type: "paragraph", content: [{ type: "link", href: url, content: [{ type: "text", text: url }] }] },
    { type: "paragraph", content: [{ type: "text", text: "Ukendt henvisning: " }, { type: "ref", target: "findes-ikke", form: "ref", text: "pkt. ??" }, { type: "text", text: "." }] },
    { type: "list", ordered: false, start: 1, items: [] },
    { type: "table", header: [], rows: [] },
    { type: "table", header: [], rows: [[]] },
    { type: "paragraph", content: [] },
    { type: "blockquote", content: [] },
    {
      type: "list",
      ordered: true,
      start: 7,
      items: [
        [para("Syvende punkt"), { type: "list", ordered: false, start: 1, items: [[para("Underpunkt a")], [{ type: "list", ordered: true, start: 1, items: [[para("Dybt punkt")]] }]] }],
        [],
        [para(filler.repeat(4))],
      ],
    },
    { type: "blockquote", content: [para(filler.repeat(30))] },
    h(1, "2", "Stor tabel", "tabel"),
    {
      type: "table",
      header: [
        { content: [{ type: "text", text: "Nr." }] },
        { content: [{ type: "text", text: "Beskrivelse" }] },
        { content: [{ type: "text", text: "Beløb" }], align: "right" },
      ],
      rows: [
        ...Array.from({ length: 70 }, (_, i) => [
          { content: [{ type: "text" as const, text: String(i + 1) }] },
          { content: [{ type: "text" as const, text: i % 7 === 0 ? filler.repeat(2) : `Række ${i + 1}` }] },
          { content: [{ type: "text" as const, text: `${(i + 1) * 1000} kr.` }], align: "right" as const },
        ]),
        [{ content: [{ type: "text", text: "Kæmpe" }] }, { content: [{ type: "text", text: filler.repeat(60) }] }, { content: [{ type: "text", text: url }] }],
      ],
    },
    h(1, "3", "Overskrift nær sidens bund", "bund"),
    ...Array.from({ length: 24 }, (_, i) => para(`Afsnit ${i + 1}. ${filler}`)),
    h(2, "3.1", "Skal stå sammen med sin tekst", "sammen"),
    para(filler.repeat(3)),
    h(2, "3.2", "Også denne", "ogsaa"),
    h(3, "3.2.1", "Og denne", "og-denne"),
    para(filler),
    h(4, "3.2.1.1", "Niveau fire"),
    para(filler),
  ],
};

test("awkward content: long words and URLs break inside the margins, empty blocks do not crash", async () => {
  const buf = await writePdf(awkward);
  keep("awkward.pdf", buf);
  const r = await read(buf);
  const right = 595.28 - 70.87 + 0.5; // 2,5 cm right margin
  for (const [p, its] of r.items.entries()) for (const i of its) assert.ok(i.x + i.width <= right, `page ${p + 1}: '${i.str}' ends at ${i.x + i.width}`);
  const squeezed = flat(r).replace(/\s+/g, "");
  assert.ok(squeezed.includes(longWord));
  assert.ok(squeezed.includes(url.replace(/\s+/g, "")));
  assert.ok(oneLine(flat(r)).includes("Ukendt henvisning: pkt. ??."));
  // The link keeps its target although the text is broken over lines.
  const linkPage = r.lines.findIndex((l) => l.some((x) => x.startsWith("https://www.udbud.dk/"))) + 1;
  const links = ((await (await r.pdf.getPage(linkPage)).getAnnotations()) as { url?: string }[]).filter((a) => a.url === url);
  assert.ok(links.length >= 2, "one link area per line of the URL");
  // Ordered list from 7, the empty item keeps its number, nesting works.
  const lines = r.lines.flat();
  assert.ok(lines.includes("7. Syvende punkt"));
  assert.ok(lines.includes("8."));
  assert.ok(lines.some((l) => l.startsWith("9. Ordregiver kan")));
  assert.ok(lines.includes("– Underpunkt a") || lines.includes("• Underpunkt a"), lines.join("\n"));
  assert.ok(lines.includes("– 1. Dybt punkt"), "an item starting with a list shows both labels on its first line");
  // Two page breaks in a row do not make an empty page; the title's & and < survive in the XMP.
  for (let p = 2; p <= r.numPages; p++) assert.ok(r.lines[p - 1].length > 2, `page ${p} has content`);
  assert.equal((await r.pdf.getMetadata()).metadata?.get("dc:title"), awkward.title);
  assert.equal(((await r.pdf.getMetadata()).info as Record<string, unknown>).Title, awkward.title);
});

test("awkward content: a long table repeats its header on every page it spans", async () => {
  const r = await read(await writePdf(awkward));
  const first = pagesWithLine(r, "1 Række 1 1000 kr.")[0] ?? r.lines.findIndex((l) => l.some((x) => x.startsWith("1 Ordregiver kan"))) + 1;
  const last = r.lines.findIndex((l) => l.some((x) => x.startsWith("Kæmpe"))) + 1;
  assert.ok(first > 0 && last > first + 1, `table spans pages ${first}–${last}`);
  for (let p = first; p <= last; p++) assert.ok(r.lines[p - 1].includes("Nr. Beskrivelse Beløb"), `header row on page ${p}`);
  for (let i = 1; i <= 70; i++) assert.ok(r.lines.flat().some((l) => l.startsWith(`${i} `)), `row ${i}`);
  assert.ok(oneLine(flat(r)).includes(filler.repeat(60).trim().slice(-120)), "the end of a row taller than a page is printed");
});

test("headings are never the last line on a page, and the TOC matches on a harder document", async () => {
  for (const tree of [sampleTree, awkward]) {
    const r = await read(await writePdf(tree));
    const headings = tree.blocks.filter((b): b is Heading => b.type === "heading").map(headingText);
    for (const [p, lines] of r.lines.entries()) {
      const body = p === 0 ? lines : lines.slice(1, -1); // without header and footer
      const last = body[body.length - 1];
      if (p > 0) assert.ok(!headings.includes(last), `page ${p + 1} ends with heading '${last}'`);
    }
    for (const e of tocEntries(tree, 2)) {
      const text = headingText(e);
      const tocLine = r.lines.flat().find((l) => l.startsWith(`${text} `) && /^\d+$/.test(l.slice(text.length + 1)));
      assert.ok(tocLine, text);
      assert.equal(Number(tocLine.slice(text.length + 1)), pagesWithLine(r, text)[0], text);
    }
  }
});
