/**
 * Tables and pages in the PDF (issue 10), read back with pdfjs-dist: a short table (≤ 15 body rows)
 * near the foot of a page moves to the next page whole, with its lead-in; a long table breaks only
 * between rows (no row's text on two pages) and repeats its header row on every page; a heading
 * goes with the signature block after it; the 11-column table of bilag B2 is set smaller, never
 * letter-broken.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import { writePdf } from "../src/write/pdf.js";
import * as path from "node:path";
import { type Block, type DocumentTree, type Heading, type Inline, type TableCell, headingText } from "../src/doc/ast.js";
import { readSpec } from "../src/read/index.js";
import { buildDocuments } from "../src/render/build.js";
import { repoRoot } from "./helpers.js";
import { widestTableWords } from "./table-words.js";

/** Per page: text lines top to bottom (items on one baseline joined left to right). */
async function pageLines(buf: Buffer): Promise<string[][]> {
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(buf), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const pages: string[][] = [];
  for (let p = 1; p <= pdf.numPages; p++) {
    const tc = await (await pdf.getPage(p)).getTextContent();
    const rows = new Map<number, { x: number; s: string }[]>();
    for (const i of tc.items) {
      if (!("str" in i) || i.str === "") continue;
      const y = i.transform[5];
      const key = [...rows.keys()].find((k) => Math.abs(k - y) < 1.5) ?? y;
      rows.set(key, [...(rows.get(key) ?? []), { x: i.transform[4], s: i.str }]);
    }
    pages.push(
      [...rows.entries()]
        .sort((a, b) => b[0] - a[0])
        .map(([, r]) => r.sort((a, b) => a.x - b.x).map((i) => i.s).join("").replace(/\s+/g, " ").trim()),
    );
  }
  await pdf.destroy();
  return pages;
}

const text = (t: string): Inline => ({ type: "text", text: t });
const para = (t: string): Block => ({ type: "paragraph", content: [text(t)] });
const cell = (...content: Inline[]): TableCell => ({ content });
const filler = "Leverandøren skal til enhver tid kunne dokumentere, at ydelsen leveres som aftalt i denne rammeaftale. ";
/** 1-based pages with a line starting with `start`. */
const pagesOf = (pages: string[][], start: string): number[] => pages.flatMap((l, i) => (l.some((x) => x.startsWith(start)) ? [i + 1] : []));

function tree(blocks: Block[]): DocumentTree {
  return { id: "test", title: "Sideombrydning af tabeller", subtitle: [], label: "Bilag T", lang: "da", date: "2026-12-01", author: "Test", blocks };
}

const header = [cell(text("Nr.")), cell(text("Ydelse")), { content: [text("Pris")], align: "right" as const }];

test("a short table near the foot of a page moves to the next page whole, with its lead-in", async () => {
  let moved = 0;
  // The same 12-row table after 14–30 paragraphs: wherever it falls, it is on one page.
  for (let n = 14; n <= 30; n += 2) {
    const rows = Array.from({ length: 12 }, (_, i) => [cell(text(`K${i + 1}`)), cell(text(`Kort tabel række ${i + 1}`)), { content: [text(`${(i + 1) * 100} kr.`)], align: "right" as const }]);
    const blocks: Block[] = [
      ...Array.from({ length: n }, (_, i) => para(`Afsnit ${i + 1}. ${filler}`)),
      para("Priserne for de enkelte ydelser fremgår af følgende tabel:"),
      { type: "table", header, rows },
      para("Tekst efter tabellen."),
    ];
    const pages = await pageLines(await writePdf(tree(blocks)));
    const on = new Set(rows.map((_, i) => pagesOf(pages, `K${i + 1} `)).flat());
    assert.equal(on.size, 1, `${n} paragraphs before: the 12 rows are on pages ${[...on].join(", ")}`);
    const [page] = [...on];
    assert.ok(pages[page - 1].includes("Nr. Ydelse Pris"), `${n}: header row on page ${page}`);
    assert.deepEqual(pagesOf(pages, "Priserne for de enkelte"), [page], `${n}: the lead-in is on the table's page`);
    if (!pagesOf(pages, `Afsnit ${n}.`).includes(page)) moved++;
  }
  assert.ok(moved > 0, "in some case the table and its lead-in moved to the next page");
});

test("a long table breaks between rows only, its header row repeated on every page", async () => {
  // 45 rows of three lines each: some rows must meet a page end.
  const rows = Array.from({ length: 45 }, (_, i) => [
    cell(text(`L${i + 1}`)),
    cell(text(`Række ${i + 1} første linje`), { type: "break" }, text(`Række ${i + 1} anden linje`), { type: "break" }, text(`Række ${i + 1} tredje linje`)),
    { content: [text(`${(i + 1) * 1000} kr.`)], align: "right" as const },
  ]);
  const blocks: Block[] = [...Array.from({ length: 9 }, (_, i) => para(`Afsnit ${i + 1}. ${filler}`)), { type: "table", header, rows }, para("Slut.")];
  const pages = await pageLines(await writePdf(tree(blocks)));
  const first = pagesOf(pages, "L1 ")[0];
  const last = pagesOf(pages, "L45 ")[0];
  assert.ok(first && last > first, `the table spans pages ${first}–${last}`);
  for (let i = 1; i <= 45; i++) {
    const a = pagesOf(pages, `L${i} Række ${i} første linje`);
    const c = pagesOf(pages, `Række ${i} tredje linje`);
    assert.equal(a.length, 1, `row ${i}: first line printed once`);
    assert.deepEqual(c, a, `row ${i}: its lines are on one page (${a} / ${c})`);
  }
  for (let p = first; p <= last; p++) assert.ok(pages[p - 1].includes("Nr. Ydelse Pris"), `header row on page ${p}`);
});

test("a heading before the signature block is never left at the foot of a page without it", async () => {
  let moved = 0;
  for (let n = 16; n <= 30; n += 2) {
    const blocks: Block[] = [
      ...Array.from({ length: n }, (_, i) => para(`Afsnit ${i + 1}. ${filler}`)),
      { type: "heading", level: 2, numbered: false, content: [text("Parternes underskrifter")] },
      { type: "signature", parties: [{ label: "For Ordregiver", place: "København, den" }, { label: "For Leverandøren" }] },
    ];
    const pages = await pageLines(await writePdf(tree(blocks)));
    const [h] = pagesOf(pages, "Parternes underskrifter");
    const sig = pagesOf(pages, "For Ordregiver");
    assert.deepEqual(sig, [h], `${n} paragraphs before: heading on page ${h}, signature on ${sig}`);
    assert.ok(pages[h - 1].some((l) => l.startsWith("Titel")), `${n}: the whole block on page ${h}`);
    if (!pagesOf(pages, `Afsnit ${n}.`).includes(h)) moved++;
  }
  assert.ok(moved > 0, "in some case heading and block moved to the next page together");
});

const trees2020 = (): DocumentTree[] => {
  const read = readSpec(path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte"));
  assert.ok(read.udbud);
  return buildDocuments(read.udbud, read.sourceMap, {}).trees;
};

test("2020 rammeaftale and bilag A1: no page ends with a heading (a heading before a three-line paragraph goes with all of it)", async () => {
  for (const t of trees2020().filter((x) => x.id === "rammeaftale" || x.id.startsWith("bilag-a1"))) {
    const headings = new Set(t.blocks.filter((b): b is Heading => b.type === "heading").map((h) => headingText(h).replace(/\s+/g, " ")));
    const pages = await pageLines(await writePdf(t));
    assert.ok(pages.length > 10);
    for (const [i, lines] of pages.entries()) {
      const body = lines.filter((l) => !/^Side \d+ af \d+$/.test(l));
      assert.ok(!headings.has(body[body.length - 1]), `${t.id} page ${i + 1} ends with the heading "${body[body.length - 1]}"`);
    }
  }
});

test("bilag B2's 11-column table is set smaller, never letter-broken: every header word and number whole", async () => {
  const t = trees2020().find((x) => x.id.startsWith("bilag-b2"));
  assert.ok(t, "bilag B2");
  const { cols, words } = widestTableWords(t);
  assert.ok(cols >= 10, `${cols} columns`);
  // Words of the table-sized text items as drawn (body text is 11 pt, tables at most 10 pt; a cell's
  // line is one item, so a broken word would be two).
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(await writePdf(t)), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const printed = new Set<string>();
  for (let p = 1; p <= pdf.numPages; p++) {
    for (const i of (await (await pdf.getPage(p)).getTextContent()).items) if ("str" in i && i.height <= 10.5) i.str.split(/[\s\u00a0]+/).forEach((w) => printed.add(w));
  }
  await pdf.destroy();
  const broken = [...new Set(words)].filter((w) => !printed.has(w));
  assert.deepEqual(broken, [], "words of the wide table not printed whole");
  assert.ok(words.includes("5.623") && words.includes("baggrund,"));
});
