/**
 * Figures (charts as SVG) end to end: Markdown `![Caption](figur:ID)` → a figure block → every
 * writer, checked on the real output with readers we did not write: parse5 (HTML), base64 and
 * pandoc (Markdown), jszip and mammoth (DOCX), pdfjs-dist (PDF, text and structure tree).
 */
import { test } from "vitest";
import { missing } from "./prereq.js";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import JSZip from "jszip";
import mammoth from "mammoth";
import { parse } from "parse5";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import { type Block, type DocumentTree, type Figure, type FigureMap } from "../src/doc/ast.js";
import { parseMarkdown } from "../src/doc/parse.js";
import { readHtmlDoc, readMarkdownDoc, fromTree } from "../src/diff/inputs.js";
import { writeDocx } from "../src/write/docx.js";
import { htmlSvg, safeSvg } from "../src/write/figure.js";
import { writeHtml } from "../src/write/html.js";
import { writeMarkdown } from "../src/write/markdown.js";
import { writePdf } from "../src/write/pdf.js";
import { all, attr, text } from "./html-dom.js";
import { figures, MARKDOWN, SVG, SVG_TEXT, tree } from "./figure-fixture.js";
import { tmpDir } from "./helpers.js";


const figuresOf = (blocks: Block[]): Figure[] => blocks.filter((b): b is Figure => b.type === "figure");

// ---------------------------------------------------------------- parsing

test("parse: an image alone in a paragraph with src figur:ID is a figure with the map's SVG", () => {
  const blocks = parseMarkdown(MARKDOWN, undefined, figures);
  const figs = figuresOf(blocks);
  assert.equal(figs.length, 2);
  const [f] = figs;
  assert.equal(f.id, "pris");
  assert.equal(f.svg, SVG);
  assert.equal(f.width, 480);
  assert.equal(f.height, 240);
  assert.equal(f.alt, "Søjlediagram over prisen");
  assert.deepEqual(f.caption, [
    { type: "text", text: "Samlet pris " },
    { type: "emph", content: [{ type: "text", text: "pr. år" }] },
  ]);
  // In a list item too; ids with Danish letters survive markdown-it's URL encoding.
  const nested = parseMarkdown("- ![Månedlig](figur:måned)\n", undefined, { måned: figures.pris });
  assert.equal(nested[0].type, "list");
  assert.equal((nested[0] as Extract<Block, { type: "list" }>).items[0][0].type, "figure");
});

test("parse: an unknown figure id is an error in Danish", () => {
  assert.throws(() => parseMarkdown("![Titel](figur:findes-ikke)\n", undefined, figures), { message: "Ukendt figur 'findes-ikke'." });
  assert.throws(() => parseMarkdown("![Titel](figur:pris)\n"), { message: "Ukendt figur 'pris'." });
  // Not an own property of the map.
  assert.throws(() => parseMarkdown("![Titel](figur:constructor)\n", undefined, {}), { message: "Ukendt figur 'constructor'." });
});

test("parse: any other image is only its alt text (nothing fetched or read), in HTML no <img>", () => {
  const blocks = parseMarkdown(MARKDOWN, undefined, figures);
  const p = blocks.find((b) => b.type === "paragraph" && JSON.stringify(b).includes("Logo"));
  assert.deepEqual(p, { type: "paragraph", content: [{ type: "text", text: "Et billede udefra: Logo fra nettet og et lokalt lokalt." }] });
  // A figure image that is not alone in its paragraph is not a figure either.
  const inline = parseMarkdown("Se ![her](figur:pris) nu.\n", undefined, figures);
  assert.deepEqual(inline, [{ type: "paragraph", content: [{ type: "text", text: "Se her nu." }] }]);
  const html = writeHtml(tree());
  assert.ok(!/<img\b/i.test(html), "no <img> in the HTML");
  assert.ok(!html.includes("example.com") && !html.includes("/etc/passwd"));
  assert.ok(html.includes("<p>Et billede udefra: Logo fra nettet og et lokalt lokalt.</p>"));
});

// ---------------------------------------------------------------- HTML

test("HTML: <figure id=fig-ID> with the inline SVG and 'Figur N.' captions in document order", () => {
  const html = writeHtml(tree());
  const errors: unknown[] = [];
  const doc = parse(html, { onParseError: (e) => errors.push(e) });
  assert.deepEqual(errors, [], "valid HTML5");
  const figs = all(doc, "figure");
  assert.deepEqual(figs.map((f) => attr(f, "id")), ["fig-pris", "fig-andet"]);
  assert.deepEqual(figs.map((f) => text(all(f, "figcaption")[0])), ["Figur 1. Samlet pris pr. år", "Figur 2. Den anden figur"]);
  assert.ok(html.includes("<figcaption>Figur 1. Samlet pris <em>pr. år</em></figcaption>"));
  const chart = all(figs[0], "div").find((d) => attr(d, "class") === "chart");
  assert.ok(chart, "div.chart");
  const [svg] = all(chart, "svg");
  assert.ok(svg, "the SVG is inline");
  assert.equal(svg.namespaceURI, "http://www.w3.org/2000/svg");
  assert.equal(attr(svg, "viewBox"), "0 0 480 240");
  assert.equal(attr(svg, "role"), "img");
  assert.equal(attr(svg, "aria-label"), "Søjlediagram over prisen");
  assert.equal(text(all(svg, "text")[0]), SVG_TEXT);
  assert.match(html, /\.chart svg \{[^}]*max-width: 100%;[^}]*height: auto;/, "scaled to the page by CSS");
});

test("HTML: scripts, event handlers and outside references are stripped from the SVG; ids are per figure", () => {
  const hostile =
    `<?xml version="1.0"?><!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50" onload="alert(1)">` +
    `<script>alert(2)</script><script href="http://evil.example/x.js"/>` +
    `<defs><clipPath id="clip1"><rect width="10" height="10"/></clipPath></defs>` +
    `<g clip-path="url(#clip1)" ONCLICK='alert(3)'><rect width="100" height="50" fill="url(http://evil.example/p.svg#x)"/></g>` +
    `<a xlink:href="javascript:alert(4)"><text x="1" y="20">klik on=here</text></a>` +
    `<image href="file:///etc/passwd" width="1" height="1"/><use href="#clip1"/>` +
    `<foreignObject><iframe src="http://evil.example"></iframe></foreignObject></svg>`;
  const blocks: Block[] = [
    { type: "figure", id: "a", caption: [{ type: "text", text: "Én" }], alt: "A", svg: hostile, width: 100, height: 50 },
    { type: "figure", id: "a", caption: [{ type: "text", text: "To" }], alt: "B", svg: hostile, width: 100, height: 50 },
  ];
  const html = writeHtml(tree(blocks));
  const errors: unknown[] = [];
  const doc = parse(html, { onParseError: (e) => errors.push(e) });
  assert.deepEqual(errors, []);
  assert.equal(all(doc, "script").length, 0);
  assert.equal(all(doc, "iframe").length, 0);
  assert.equal(all(doc, "foreignObject").length + all(doc, "foreignobject").length, 0);
  for (const el of all(doc)) for (const a of el.attrs) assert.ok(!/^on/i.test(a.name), `${el.tagName} ${a.name}`);
  assert.ok(!/evil\.example|javascript:|etc\/passwd|alert/.test(html.replace(/<style>[\s\S]*<\/style>/, "")), "nothing outside is referenced");
  assert.ok(html.includes("klik on=here"), "text content is left alone");
  // Two figures with the same chart: unique element ids, each SVG's references to its own ids.
  assert.deepEqual(all(doc, "figure").map((f) => attr(f, "id")), ["fig-a", "fig-a-2"]);
  const clipIds = all(doc, "clipPath").concat(all(doc, "clippath")).map((c) => attr(c, "id"));
  assert.equal(new Set(clipIds).size, 2);
  const gs = all(doc, "g").map((g) => attr(g, "clip-path"));
  assert.deepEqual(gs, clipIds.map((id) => `url(#${id})`));
  // A clean SVG comes through the clean-up unchanged.
  assert.equal(safeSvg(SVG), SVG);
  assert.ok(htmlSvg(SVG, "p-", "alt", 480, 240).includes(`<rect x="40" y="40" width="160" height="120" fill="#0072b2"/>`));
});

// ---------------------------------------------------------------- Markdown

test("Markdown: a self-contained data:image/svg+xml image that decodes back to the SVG", () => {
  const md = writeMarkdown(tree());
  const m = /^!\[Figur 1\. Samlet pris pr\. år\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)$/m.exec(md);
  assert.ok(m, md);
  assert.equal(Buffer.from(m[1], "base64").toString("utf8"), SVG);
  assert.match(md, /^!\[Figur 2\. Den anden figur\]\(data:image\/svg\+xml;base64,/m);
  // Read back by our own parser (as the diff does): the caption, no link, nothing fetched.
  const back = parseMarkdown(md);
  const texts = back.filter((b) => b.type === "paragraph").map((b) => JSON.stringify(b));
  assert.ok(texts.includes(JSON.stringify({ type: "paragraph", content: [{ type: "text", text: "Figur 1. Samlet pris pr. år" }] })), texts.join("\n"));
});

// ---------------------------------------------------------------- DOCX

test("DOCX: the SVG and a PNG fallback in word/media, referenced from the drawing; caption in the Caption style", async () => {
  const buf = await writeDocx(tree());
  const zip = await JSZip.loadAsync(buf);
  const names = Object.keys(zip.files);
  const svgs = names.filter((n) => /^word\/media\/[^/]+\.svg$/.test(n));
  const pngs = names.filter((n) => /^word\/media\/[^/]+\.png$/.test(n));
  assert.equal(svgs.length, 2, names.join(" "));
  assert.equal(pngs.length, 2);
  const svgTexts = await Promise.all(svgs.map((n) => zip.file(n)!.async("string")));
  assert.ok(svgTexts.includes(SVG), "the SVG itself");
  for (const n of pngs) {
    const png = await zip.file(n)!.async("nodebuffer");
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG");
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [960, 480], "rendered at twice the size");
  }
  const rels = await zip.file("word/_rels/document.xml.rels")!.async("string");
  const relId = (target: string) => new RegExp(`Id="([^"]+)"[^>]*Target="${target.replace("word/", "")}"|Target="${target.replace("word/", "")}"[^>]*Id="([^"]+)"`).exec(rels);
  const docXml = await zip.file("word/document.xml")!.async("string");
  for (const n of [...svgs, ...pngs]) {
    const m = relId(n);
    assert.ok(m, `relationship for ${n}`);
    assert.ok(docXml.includes(`r:embed="${m[1] ?? m[2]}"`), `document.xml embeds ${n}`);
  }
  const types = await zip.file("[Content_Types].xml")!.async("string");
  assert.match(types, /Extension="svg"|image\/svg\+xml/);
  // Alt text, unique drawing ids, size scaled to the 16 cm text width (480 px = 12.7 cm fits as is).
  assert.match(docXml, /<wp:docPr id="1" name="Figur 1" descr="Søjlediagram over prisen"/);
  assert.match(docXml, /<wp:docPr id="2" name="Figur 2" descr="Andet diagram"/);
  assert.ok(docXml.includes(`<wp:extent cx="${480 * 9525}" cy="${240 * 9525}"/>`));
  assert.match(docXml, /<w:pStyle w:val="Caption"\/>/);
  const styles = await zip.file("word/styles.xml")!.async("string");
  assert.match(styles, /<w:style w:type="paragraph" w:styleId="Caption"[^>]*>\s*<w:name w:val="caption"\/>/);

  const { value: raw } = await mammoth.extractRawText({ buffer: buf });
  assert.ok(raw.includes("Figur 1. Samlet pris pr. år"), raw);
  assert.ok(raw.includes("Figur 2. Den anden figur"));
  const { value: html } = await mammoth.convertToHtml({ buffer: buf });
  const imgs = all(parse(html), "img");
  assert.equal(imgs.length, 2, "mammoth sees two pictures");
  assert.equal(attr(imgs[0], "alt"), "Søjlediagram over prisen");
});

test("DOCX: a figure wider than the text is scaled down to the text width, keeping its proportions", async () => {
  const wide: Block[] = [{ type: "figure", id: "bred", caption: [{ type: "text", text: "Bred" }], alt: "Bred", svg: SVG, width: 1200, height: 300 }];
  const zip = await JSZip.loadAsync(await writeDocx(tree(wide)));
  const docXml = await zip.file("word/document.xml")!.async("string");
  const m = /<wp:extent cx="(\d+)" cy="(\d+)"\/>/.exec(docXml);
  assert.ok(m);
  const [cx, cy] = [Number(m[1]), Number(m[2])];
  assert.ok(Math.abs(cx - 16 * 360000) < 9525, `16 cm wide, got ${cx / 360000} cm`);
  assert.ok(Math.abs(cx / cy - 4) < 0.01, "aspect ratio kept");
});

// ---------------------------------------------------------------- PDF

async function pdfText(buf: Buffer): Promise<{ pages: string[]; roles: { role: string; alt?: string }[] }> {
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(buf), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  const roles: { role: string; alt?: string }[] = [];
  const walk = (n: { role?: string; alt?: string; children?: unknown[] }): void => {
    if (n.role) roles.push({ role: n.role, ...(n.alt ? { alt: n.alt } : {}) });
    for (const c of n.children ?? []) walk(c as never);
  };
  for (let p = 1; p <= pdf.numPages; p++) {
    const page = await pdf.getPage(p);
    const tc = await page.getTextContent();
    pages.push(tc.items.map((i) => ("str" in i ? i.str + (i.hasEOL ? "\n" : "") : "")).join(""));
    walk((await page.getStructTree()) as never);
  }
  return { pages, roles };
}

test("PDF: the SVG drawn as vectors (its text is real text, in DejaVu), the caption below, tagged Figure with alt text", async () => {
  const buf = await writePdf(tree());
  const { pages, roles } = await pdfText(buf);
  const all = pages.join("\n");
  assert.ok(all.includes(SVG_TEXT), all);
  assert.ok(all.includes("Figur 1. Samlet pris pr. år"), all);
  assert.ok(all.includes("Figur 2. Den anden figur"));
  assert.ok(all.indexOf(SVG_TEXT) < all.indexOf("Figur 1."), "the caption is below the chart");
  const figs = roles.filter((r) => r.role === "Figure");
  assert.deepEqual(figs, [
    { role: "Figure", alt: "Søjlediagram over prisen" },
    { role: "Figure", alt: "Andet diagram" },
  ]);
  assert.equal(roles.filter((r) => r.role === "Caption").length, 2);
  // Arial in the SVG became DejaVu Sans (the charts' metrics); the text is Carlito: no other (standard) font.
  const raw = buf.toString("latin1");
  const baseFonts = [...raw.matchAll(/\/BaseFont \/([A-Za-z0-9+_-]+)/g)].map((m) => m[1]);
  for (const f of baseFonts) assert.match(f, /^[A-Z]{6}\+(DejaVu|Carlito)/, f);
  assert.ok(baseFonts.some((f) => /DejaVuSans/.test(f)), "the chart's text in DejaVu Sans");
  assert.ok(!raw.includes("/Subtype /Image"), "vectors, not a picture");
});

test("PDF: a figure that does not fit on the page goes to the next, whole, with its caption", async () => {
  const filler = (n: number): Block => ({ type: "paragraph", content: [{ type: "text", text: `Afsnit ${n}. ` + "Leverandøren skal levere ydelserne som aftalt. ".repeat(9) }] });
  let moved = 0;
  // With more and more text before it, the figure comes nearer the foot of the page until it
  // no longer fits there: then it starts the next page, never split from its caption.
  for (let n = 8; n <= 16; n++) {
    const blocks: Block[] = [...Array.from({ length: n }, (_, i) => filler(i + 1)), ...parseMarkdown("![Sidst](figur:pris)\n", undefined, figures)];
    const { pages } = await pdfText(await writePdf(tree(blocks)));
    const withChart = pages.findIndex((p) => p.includes(SVG_TEXT));
    const withCaption = pages.findIndex((p) => p.includes("Figur 1. Sidst"));
    assert.ok(withChart > 0, `n=${n}`);
    assert.equal(withChart, withCaption, `n=${n}: chart and caption on the same page`);
    assert.equal(pages.length, withChart + 1, "the figure is last");
    if (!pages[withChart].includes("Afsnit")) {
      moved++;
      assert.ok(pages[withChart - 1].includes(`Afsnit ${n}.`), "all the text is on the page before");
    }
  }
  assert.ok(moved > 0, "some figure started a new page");
  assert.ok(moved < 9, "and some fitted after the text");
});

// ---------------------------------------------------------------- determinism and the diff

test("deterministic: the same tree gives identical bytes in every format", async () => {
  const a = tree();
  const b = structuredClone(a);
  assert.equal(writeHtml(a), writeHtml(b));
  assert.equal(writeMarkdown(a), writeMarkdown(b));
  assert.ok((await writeDocx(a)).equals(await writeDocx(b)), "DOCX");
  assert.ok((await writePdf(a)).equals(await writePdf(b)), "PDF");
  const dir = process.env.UDBUD_PDF_OUT;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "figurer.pdf"), await writePdf(a));
    fs.writeFileSync(path.join(dir, "figurer.docx"), await writeDocx(a));
    fs.writeFileSync(path.join(dir, "figurer.html"), writeHtml(a));
  }
});

test("diff: a figure compares by its caption without its number, alike from the tree, HTML and Markdown", () => {
  const t = tree();
  const captions = (d: ReturnType<typeof fromTree>) => d.clauses.flatMap((c) => c.blocks.map((b) => b.text)).filter((s) => s.startsWith("Figur"));
  const expected = ["Figur: Samlet pris pr. år", "Figur: Den anden figur"];
  assert.deepEqual(captions(fromTree(t)), expected);
  assert.deepEqual(captions(readHtmlDoc(writeHtml(t), "x")), expected);
  assert.deepEqual(captions(readMarkdownDoc(writeMarkdown(t), "x")), expected);
  // A hand-written Markdown file with figur: references reads without the pictures.
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, "a.md"), "## Prisen\n\n![Samlet pris](figur:ukendt)\n");
  assert.deepEqual(captions(readMarkdownDoc(fs.readFileSync(path.join(dir, "a.md"), "utf8"), "a")), ["Figur: Samlet pris"]);
});
