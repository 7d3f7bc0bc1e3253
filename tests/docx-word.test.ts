/**
 * Word documents a lawyer can work in (issue 10), checked on the 2020 example's real documents with
 * jszip and the package XML: numbered headings in Word's multilevel list without typed numbers,
 * REF fields with cached results for every reference, TOC entries with page numbers, widow control,
 * unequal grid columns for the tilbudsliste, rows that do not split.
 */
import { describe, test } from "vitest";
import assert from "node:assert/strict";
import * as path from "node:path";
import JSZip from "jszip";
import { readSpec } from "../src/read/index.js";
import { buildDocuments } from "../src/render/build.js";
import type { Block, DocumentTree, Inline } from "../src/doc/ast.js";
import { writeDocx } from "../src/write/docx.js";
import { readDocx } from "../src/diff/read-docx/index.js";
import { repoRoot } from "./helpers.js";

function trees(example: string): DocumentTree[] {
  const read = readSpec(path.join(repoRoot, "specs", example));
  assert.ok(read.udbud, "the example reads");
  const built = buildDocuments(read.udbud, read.sourceMap, {});
  assert.deepEqual(built.errors, []);
  return built.trees;
}

async function xml(buf: Buffer, part: string): Promise<string> {
  const f = (await JSZip.loadAsync(buf)).file(part);
  assert.ok(f, part);
  return f.async("string");
}

function refsOf(blocks: Block[]): Inline[] {
  const out: Inline[] = [];
  const walk = (xs: Inline[]): void => {
    for (const x of xs) {
      if (x.type === "ref") out.push(x);
      else if (x.type === "strong" || x.type === "emph" || x.type === "link") walk(x.content);
    }
  };
  const visit = (bs: Block[]): void => {
    for (const b of bs) {
      if (b.type === "paragraph" || b.type === "heading") walk(b.content);
      else if (b.type === "list") b.items.forEach(visit);
      else if (b.type === "blockquote") visit(b.content);
      else if (b.type === "table") [b.header, ...b.rows].forEach((r) => r.forEach((c) => walk(c.content)));
    }
  };
  visit(blocks);
  return out;
}

const paragraphs = (doc: string): string[] => [...doc.matchAll(/<w:p>(?:(?!<\/w:p>).)*?<\/w:p>/g)].map(([p]) => p);
const textOf = (p: string): string => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map(([, t]) => t).join("");

const headingTitle = (b: Block): string => (b.type === "heading" ? b.content.map((c) => (c.type === "text" ? c.text : "")).join("") : "");

describe("2020 example as Word documents", () => {
  const all = trees("kk-2020-udsatte-sygemeldte");
  const byId = (prefix: string): DocumentTree => {
    const t = all.find((x) => x.id.startsWith(prefix));
    assert.ok(t, prefix);
    return t;
  };

  test("rammeaftale: numbered headings in the heading list, REF fields, TOC page numbers, widow control", async () => {
    const tree = byId("rammeaftale");
    const buf = await writeDocx(tree, { pageNumbers: true });
    const doc = await xml(buf, "word/document.xml");
    const styles = await xml(buf, "word/styles.xml");
    assert.match(styles, /<w:pPrDefault><w:pPr>.*?<w:widowControl\/>.*?<\/w:pPr><\/w:pPrDefault>/);

    const heads = paragraphs(doc).filter((p) => /<w:pStyle w:val="Heading\d"\/>/.test(p));
    const numbered = tree.blocks.filter((b) => b.type === "heading" && b.number);
    // Each Heading style is in the heading list; a numbered heading has its numPr from its style,
    // an unnumbered one leaves the list with numId 0.
    for (let l = 1; l <= 4; l++) assert.match(styles, new RegExp(`w:styleId="Heading${l}">(?:(?!</w:style>).)*<w:numPr><w:ilvl w:val="${l - 1}"/><w:numId w:val="[1-9]\\d*"/></w:numPr>`));
    const inList = heads.filter((p) => !/<w:numId w:val="0"\/>/.test(p));
    assert.equal(inList.length, numbered.length, "every numbered heading is in the list, the others are not");
    for (const p of heads) assert.doesNotMatch(textOf(p), /^\d+(\.\d+)*\.?\s/, `typed number: ${textOf(p)}`);

    // Every reference to a numbered clause is a REF field whose cached result is its number.
    const refs = refsOf(tree.blocks).filter((r) => r.type === "ref" && /\d$/.test(r.text));
    const fields = [...doc.matchAll(/<w:instrText xml:space="preserve"> REF (\S+) \\h \\w <\/w:instrText><\/w:r><w:r><w:fldChar w:fldCharType="separate"\/><\/w:r>(.*?)<w:fldChar w:fldCharType="end"\/>/g)];
    assert.ok(refs.length > 5, `${refs.length} references`);
    assert.equal(fields.length, refs.length);
    for (const [, , cached] of fields) assert.match(textOf(cached), /^\d+(\.\d+)*$/);
    const cachedNumbers = fields.map(([, , c]) => textOf(c));
    const expected = refs.map((r) => (r.type === "ref" ? (/(\d+(?:\.\d+)*)$/.exec(r.text)?.[1] ?? "") : ""));
    assert.deepEqual(cachedNumbers, expected);

    // The TOC: every entry has a page number, in order, none before the TOC's own page.
    const toc = paragraphs(doc).filter((p) => /<w:pStyle w:val="TOC[12]"\/>/.test(p));
    assert.ok(toc.length > 20);
    const pages = toc.map((p) => /PAGEREF \S+ \\h<\/w:instrText><w:fldChar w:fldCharType="separate"\/><w:t xml:space="preserve">(\d+)<\/w:t>/.exec(p)?.[1]);
    assert.ok(pages.every((n) => n !== undefined), "every TOC entry has its page number");
    const nums = pages.map(Number);
    for (let i = 1; i < nums.length; i++) assert.ok(nums[i] >= nums[i - 1], `page order at ${i}`);
    assert.ok(nums[0] >= 2);
  });

  test("tilbudsliste: unequal grid columns, numeric columns right-aligned, rows that do not split", async () => {
    const buf = await writeDocx(byId("tilbudsliste-1"), { pageNumbers: false });
    const doc = await xml(buf, "word/document.xml");
    const tables = [...doc.matchAll(/<w:tbl>.*?<\/w:tbl>/g)].map(([t]) => t);
    assert.ok(tables.length >= 1);
    const prices = tables.find((t) => t.includes("Ydelse"));
    assert.ok(prices, "the price table");
    const grid = [...prices.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map(([, w]) => Number(w));
    assert.ok(grid.length >= 3);
    assert.equal(grid.reduce((a, b) => a + b, 0), 9072, "full text width");
    assert.ok(new Set(grid).size > 1, `unequal columns: ${grid.join(", ")}`);
    // "Nr." is narrower than "Ydelse".
    const header = [...prices.matchAll(/<w:tc>.*?<\/w:tc>/g)].map(([c]) => textOf(c));
    const nr = header.findIndex((h) => /^Nr\.?$/.test(h));
    const ydelse = header.findIndex((h) => h === "Ydelse");
    if (nr >= 0) assert.ok(grid[nr] < grid[ydelse], `Nr. ${grid[nr]} < Ydelse ${grid[ydelse]}`);
    const rows = [...prices.matchAll(/<w:tr>.*?<\/w:tr>/g)].map(([r]) => r);
    for (const r of rows) assert.match(r, /<w:trPr>.*?<w:cantSplit\/>.*?<\/w:trPr>/);
    // A short table (≤ 15 body rows) is kept on one page: every row but the last keeps with the next.
    assert.ok(rows.length - 1 <= 15, `${rows.length - 1} body rows`);
    for (const [i, r] of rows.slice(0, -1).entries()) {
      const paras = [...r.matchAll(/<w:p>.*?<\/w:p>/g)];
      assert.ok(paras.length && paras.every(([p]) => p.includes("<w:keepNext/>")), `row ${i + 1} keeps with the next`);
    }
    assert.match(prices, /<w:jc w:val="right"\/>/);
  });

  test("the diff reader reads the rammeaftale's DOCX with the tree's clause numbers (from numbering.xml, none typed)", async () => {
    const tree = byId("rammeaftale");
    const doc = await readDocx(await writeDocx(tree, { pageNumbers: false }), "rammeaftale.docx");
    const want = tree.blocks.filter((b) => b.type === "heading" && b.number).map((b) => [(b as { number: string }).number.replace(/\.$/, ""), headingTitle(b)]);
    const got = doc.clauses.filter((c) => c.ref).map((c) => [c.ref!.replace(/\.$/, ""), c.heading]);
    assert.ok(want.length > 40, `${want.length} numbered headings`);
    assert.deepEqual(got, want);
  });
});
