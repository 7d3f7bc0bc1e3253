/**
 * Table pagination in the PDF (issue 10), read back with pdfjs-dist: a short table (≤ 15 body rows)
 * near the foot of a page moves to the next page whole, with its lead-in; a long table breaks only
 * between rows (no row's text on two pages) and repeats its header row on every page.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import { writePdf } from "../src/write/pdf.js";
import type { Block, DocumentTree, Inline, TableCell } from "../src/doc/ast.js";

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
