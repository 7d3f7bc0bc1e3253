/**
 * The HTML writer, checked with a real HTML5 parser (parse5, the parser jsdom uses): the page's
 * structure, ids and links, tables, exact text, escaping of hostile input and determinism.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import { parse, type DefaultTreeAdapterTypes as T, type ParserError } from "parse5";
import { all, attr, children, isElement, text, type El } from "./html-dom.js";
import { type Block, type DocumentTree, type Heading, headingText, inlineText, tocEntries } from "../src/doc/ast.js";
import { writeHtml } from "../src/write/html.js";
import { sampleTree } from "./fixtures/sample-tree.js";


function parseStrict(html: string): { doc: T.Document; errors: ParserError[] } {
  const errors: ParserError[] = [];
  const doc = parse(html, { onParseError: (e) => errors.push(e) });
  return { doc, errors };
}

function one(root: T.Node, tag: string): El {
  const found = all(root, tag);
  assert.equal(found.length, 1, `exactly one <${tag}>`);
  return found[0];
}

function ancestors(el: El): El[] {
  const out: El[] = [];
  let p = el.parentNode;
  while (p && isElement(p)) {
    out.push(p);
    p = p.parentNode;
  }
  return out;
}

const inside = (el: El, tag: string) => ancestors(el).some((a) => a.tagName === tag);

function sample(): { html: string; doc: T.Document } {
  const html = writeHtml(sampleTree);
  const { doc, errors } = parseStrict(html);
  assert.deepEqual(errors, [], "the output is valid HTML5 (no parse errors)");
  return { html, doc };
}

const treeHeadings = (blocks: Block[]): Heading[] => blocks.filter((b): b is Heading => b.type === "heading");

test("a standalone HTML5 document in Danish with the title as its only h1", () => {
  const { html, doc } = sample();
  assert.equal(doc.mode, "no-quirks", "<!DOCTYPE html> gives standards mode");
  assert.ok(html.startsWith("<!DOCTYPE html>\n"));
  const root = one(doc, "html");
  assert.equal(attr(root, "lang"), "da");
  const metas = all(doc, "meta");
  assert.ok(metas.some((m) => attr(m, "charset")?.toLowerCase() === "utf-8"));
  assert.equal(metas.find((m) => attr(m, "name") === "date")?.attrs.find((a) => a.name === "content")?.value, "2020-05-12");
  assert.equal(text(one(doc, "title")), sampleTree.title);
  const h1 = one(doc, "h1");
  assert.equal(text(h1), sampleTree.title);
  assert.ok(inside(h1, "header"), "the title is on the cover (<header>)");
  const header = one(doc, "header");
  assert.deepEqual(
    all(header, "p").map(text),
    sampleTree.subtitle,
    "subtitle lines on the cover",
  );
  one(doc, "main");
});

test("clause headings: level 1/2/3 → h2/h3/h4 with the clause id and the number in span.nr", () => {
  const { doc } = sample();
  const main = one(doc, "main");
  const hs = all(main).filter((e) => /^h[2-6]$/.test(e.tagName) && !inside(e, "nav"));
  const tree = treeHeadings(sampleTree.blocks);
  assert.equal(hs.length, tree.length);
  tree.forEach((h, i) => {
    const el = hs[i];
    assert.equal(el.tagName, `h${h.level + 1}`, headingText(h));
    assert.equal(text(el), headingText(h), "heading text exact, number included");
    if (h.id) assert.equal(attr(el, "id"), h.id);
    else assert.match(attr(el, "id") ?? "", /^\p{L}[\p{L}\p{N}_.-]*$/u, "a generated id");
    const nr = all(el, "span").filter((s) => attr(s, "class") === "nr");
    if (h.number) {
      assert.equal(nr.length, 1);
      assert.equal(text(nr[0]), h.level === 1 ? `${h.number}.` : h.number);
    } else assert.equal(nr.length, 0, "an unnumbered heading has no number");
  });
  assert.equal(hs.find((e) => attr(e, "id") === "misligholdelse")?.tagName, "h2");
  assert.equal(hs.find((e) => attr(e, "id") === "bod")?.tagName, "h3");
  assert.equal(hs.find((e) => attr(e, "id") === "varsel")?.tagName, "h4");
  assert.equal(text(hs.find((e) => attr(e, "id") === "bod")!), "2.2 Bod");
  const ids = all(doc).map((e) => attr(e, "id")).filter((x) => x !== undefined);
  assert.equal(new Set(ids).size, ids.length, "ids are unique");
});

test("the toc is a <nav> of nested lists whose links all resolve to headings", () => {
  const { doc } = sample();
  const nav = one(doc, "nav");
  const ids = new Set(all(doc).map((e) => attr(e, "id")));
  const links = all(nav, "a");
  const entries = tocEntries(sampleTree);
  assert.equal(links.length, entries.length);
  entries.forEach((h, i) => {
    const a = links[i];
    const href = attr(a, "href") ?? "";
    assert.match(href, /^#/);
    assert.ok(ids.has(href.slice(1)), `${href} resolves`);
    const target = all(doc).find((e) => attr(e, "id") === href.slice(1))!;
    assert.equal(text(target), headingText(h), "the link leads to its own heading");
    assert.equal(text(a), headingText(h));
    // Level-1 entries sit in the top list, level-2 entries one list further in.
    const depth = ancestors(a).filter((e) => e.tagName === "ol" || e.tagName === "ul").length;
    assert.equal(depth, h.level, `${headingText(h)} at list depth ${h.level}`);
  });
  assert.ok(text(nav).includes("Indholdsfortegnelse"));
});

test("references link to the clause; every #fragment in the page resolves", () => {
  const { doc } = sample();
  const ids = new Set(all(doc).map((e) => attr(e, "id")));
  const ref = all(doc, "a").find((a) => text(a) === "pkt. 2.2");
  assert.ok(ref, "the reference is a link");
  assert.equal(attr(ref, "href"), "#bod");
  for (const a of all(doc, "a")) {
    const href = attr(a, "href") ?? "";
    if (href.startsWith("#")) assert.ok(ids.has(href.slice(1)), `${href} resolves`);
  }
});

test("tables have thead/tbody, th scope=col and alignment classes", () => {
  const { doc } = sample();
  const table = one(doc, "table");
  const thead = one(table, "thead");
  const ths = all(thead, "th");
  assert.deepEqual(ths.map(text), ["Indsats", "Varighed", "Pris pr. uge"]);
  for (const th of ths) assert.equal(attr(th, "scope"), "col");
  assert.equal(attr(ths[2], "class"), "align-right");
  const rows = all(one(table, "tbody"), "tr");
  assert.deepEqual(
    rows.map((r) => all(r, "td").map(text)),
    [
      ["1A", "26 uger", "3.200 kr."],
      ["2A", "12 uger", "1.300 kr."],
    ],
  );
  assert.equal(attr(all(rows[0], "td")[2], "class"), "align-right");
  assert.equal(all(table, "th").length, 3, "no th outside the header");
});

test("text is exact (æøå, ”quotes”, –), with strong/em, lists, blockquote, breaks and page breaks", () => {
  const { doc } = sample();
  const main = one(doc, "main");
  const ps = all(main, "p").filter((p) => !inside(p, "nav") && !inside(p, "li"));
  const treeParas: string[] = [];
  const walk = (bs: Block[]) => {
    for (const b of bs) {
      if (b.type === "paragraph") treeParas.push(inlineText(b.content));
      else if (b.type === "blockquote") walk(b.content);
    }
  };
  walk(sampleTree.blocks);
  assert.deepEqual(ps.map(text), treeParas);
  assert.ok(ps.map(text).includes("Første linje\nanden linje"), "a break is a <br>");
  const first = ps[0];
  assert.match(text(first), /^Formålet med Kontrakten \(herefter ”Kontrakten”\) er at sikre Ordregivers behov – se også pkt\. 2\.2\. Æ, ø og å: Ærø, Øresund, Århus\./);
  assert.equal(text(one(first, "strong")), "Fed tekst");
  assert.equal(text(one(first, "em")), "kursiv tekst");
  assert.deepEqual(all(one(main, "ul"), "li").map(text), ["Ydelser lever ikke op til kravspecifikationen", "Ydelser lever ikke op til god skik"]);
  const ol = all(main, "ol").filter((o) => !inside(o, "nav"));
  assert.equal(ol.length, 1);
  assert.deepEqual(all(ol[0], "li").map(text), ["Kontrakten", "Udbudsbetingelser (bilag U)"]);
  assert.equal(text(one(main, "blockquote")).trim(), "Priserne er eksklusive moms.");
  const breaks = all(main, "div").filter((d) => attr(d, "class") === "sideskift");
  assert.equal(breaks.length, 1);
  assert.equal(breaks[0].childNodes.length, 0);
});

test("embedded CSS only, with a print stylesheet; no scripts or external resources", () => {
  const { html, doc } = sample();
  assert.equal(all(doc, "script").length, 0);
  assert.equal(all(doc, "link").length, 0);
  assert.equal(all(doc).filter((e) => e.attrs.some((a) => a.name === "src")).length, 0);
  const css = text(one(doc, "style"));
  assert.doesNotMatch(css, /url\(|@import/, "no external resources from CSS");
  const print = css.slice(css.indexOf("@media print"));
  assert.ok(css.includes("@media print"));
  assert.match(print, /@page\s*\{[^}]*size:\s*A4/);
  assert.match(print, /margin:\s*\d+mm/);
  assert.match(print, /\.sideskift\s*\{[^}]*break-before:\s*page/);
  assert.match(print, /thead\s*\{\s*display:\s*table-header-group/);
  assert.match(print, /tr[^{]*\{[^}]*break-inside:\s*avoid/);
  assert.match(print, /h2[^{]*\{[^}]*break-after:\s*avoid/);
  assert.match(print, /a\[href\]::after\s*\{\s*content:\s*none/);
  assert.doesNotMatch(css, /attr\(href\)/, "links are printed without their URL");
  assert.doesNotMatch(html, /\d{4}-\d{2}-\d{2}T\d{2}:/, "no timestamps");
});

const hostile = `<script>alert(1)</script> &amp; "dobbelt" 'enkelt' </style>`;

function hostileTree(): DocumentTree {
  return {
    id: "ond",
    title: hostile,
    subtitle: [hostile],
    label: `</style><script>alert("label")</script>\\"`,
    lang: "da",
    date: `2024-01-01"><script>alert(2)</script>`,
    author: hostile,
    blocks: [
      { type: "toc", title: hostile },
      { type: "heading", level: 1, id: `x"><img src=x onerror=alert(1)>`, numbered: true, number: "1", content: [{ type: "text", text: hostile }] },
      { type: "heading", level: 1, id: "dup", numbered: true, number: "2", content: [{ type: "text", text: "To" }] },
      { type: "heading", level: 1, id: "dup", numbered: true, number: "3", content: [{ type: "text", text: "Tre" }] },
      { type: "heading", level: 2, numbered: true, number: "3.1", content: [{ type: "text", text: "dup" }] },
      {
        type: "paragraph",
        content: [
          { type: "text", text: hostile },
          { type: "link", href: "javascript:alert(1)", content: [{ type: "text", text: "js" }] },
          { type: "link", href: "  JaVaScRiPt:alert(1)", content: [{ type: "text", text: "js2" }] },
          { type: "link", href: "java\tscript:alert(1)", content: [{ type: "text", text: "js3" }] },
          { type: "link", href: "data:text/html,<script>alert(1)</script>", content: [{ type: "text", text: "data" }] },
          { type: "link", href: "vbscript:x", content: [{ type: "text", text: "vb" }] },
          { type: "link", href: `https://example.dk/?a=1&b="2"`, content: [{ type: "text", text: "ok" }] },
          { type: "link", href: "mailto:udbud@kk.dk", content: [{ type: "text", text: "mail" }] },
          { type: "link", href: "#dup", content: [{ type: "text", text: "intern" }] },
          { type: "ref", target: "findes-ikke", form: "ref", text: "[ukendt henvisning: findes-ikke]" },
        ],
      },
      {
        type: "table",
        header: [{ content: [{ type: "text", text: "<th>" }] }],
        rows: [[{ content: [{ type: "text", text: "</table><script>alert(3)</script>" }] }]],
      },
    ],
  };
}

test("hostile text, ids and links are escaped: no script, no event handlers, no javascript: URLs", () => {
  const tree = hostileTree();
  const html = writeHtml(tree);
  const { doc, errors } = parseStrict(html);
  assert.deepEqual(errors, []);
  assert.equal(all(doc, "script").length, 0, "no <script> element");
  assert.equal(all(doc, "img").length, 0, "no injected element");
  for (const el of all(doc)) {
    for (const a of el.attrs) assert.doesNotMatch(a.name, /^on/i, `no event handler on <${el.tagName}>`);
  }
  for (const a of all(doc, "a")) assert.match(attr(a, "href") ?? "", /^(https?:\/\/|mailto:|#)/, "only safe hrefs");
  assert.doesNotMatch(html, /href="[^"]*script:/i);
  assert.doesNotMatch(html, /href="data:/i);
  // The text comes back exactly as written.
  assert.equal(text(one(doc, "title")), hostile);
  assert.equal(text(one(doc, "h1")), hostile);
  assert.equal(all(one(doc, "header"), "p").map(text)[0], hostile);
  const p = all(one(doc, "main"), "p").find((x) => !inside(x, "nav"))!;
  assert.equal(text(p), inlineText(tree.blocks[5].type === "paragraph" ? tree.blocks[5].content : []));
  assert.ok(text(p).includes("&amp;"), "a literal &amp; stays literal");
  const texts = all(p, "a").map(text);
  assert.deepEqual(texts, ["ok", "mail", "intern"], "unsafe links are plain text");
  assert.equal(attr(all(p, "a")[0], "href"), `https://example.dk/?a=1&b="2"`);
  assert.equal(attr(one(doc, "th"), "scope"), "col");
  assert.equal(text(one(doc, "th")), "<th>");
  assert.equal(text(one(doc, "td")), "</table><script>alert(3)</script>");
  const style = text(one(doc, "style"));
  assert.ok(style.includes("@media print"), "the label cannot close <style>");
  assert.equal(all(doc, "meta").find((m) => attr(m, "name") === "date")?.attrs.find((a) => a.name === "content")?.value, tree.date);
  // Ids: sanitised, unique, and references/links go to the first clause with the id.
  const hs = all(doc).filter((e) => /^h[2-6]$/.test(e.tagName));
  const ids = hs.map((h) => attr(h, "id")!);
  for (const id of ids) assert.match(id, /^\p{L}[\p{L}\p{N}_.-]*$/u);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(ids[1], "dup");
  assert.notEqual(ids[2], "dup");
  assert.notEqual(ids[3], "dup", "a generated id never takes a clause id");
  assert.equal(attr(all(p, "a")[2], "href"), "#dup");
  const all_ids = new Set(all(doc).map((e) => attr(e, "id")));
  for (const a of all(doc, "a")) {
    const href = attr(a, "href")!;
    if (href.startsWith("#")) assert.ok(all_ids.has(href.slice(1)), `${href} resolves`);
  }
});

test("deterministic: the same tree gives the same bytes, and the tree is not changed", () => {
  const before = structuredClone(sampleTree);
  const a = writeHtml(sampleTree);
  const b = writeHtml(structuredClone(sampleTree));
  assert.equal(a, b);
  assert.deepEqual(sampleTree, before);
  assert.equal(writeHtml(hostileTree()), writeHtml(hostileTree()));
  const empty: DocumentTree = { id: "t", title: "Tom", subtitle: [], label: "", lang: "da", date: "", author: "", blocks: [] };
  const { errors } = parseStrict(writeHtml(empty));
  assert.deepEqual(errors, [], "an empty tree is still a valid page");
});
