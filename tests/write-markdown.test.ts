/**
 * The Markdown writer, checked by reading its output back with markdown-it (CommonMark + GFM
 * tables): headings and numbers, ids, the toc, references, tables and alignment, and above all
 * that every text (including text that looks like Markdown) comes back exactly.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import { type Block, type DocumentTree, type Heading, type Inline, headingText, inlineText, tocEntries } from "../src/doc/ast.js";
import { parseMarkdown } from "../src/doc/parse.js";
import { writeMarkdown } from "../src/write/markdown.js";
import { sampleTree } from "./fixtures/sample-tree.js";

/** GitHub-like reading: CommonMark, GFM tables and strikethrough, raw HTML allowed. */
const md = new MarkdownIt("default", { html: true, linkify: false, typographer: false });

interface Read {
  kind: "heading" | "paragraph" | "cell";
  /** h1…h6 for headings, th/td for cells. */
  tag: string;
  text: string;
  /** Inline token types other than text and breaks (em_open, link_open, …). */
  markup: string[];
  inline: Token[];
  /** Enclosing block types: bullet_list, ordered_list, blockquote, table. */
  context: string[];
}

function plain(children: Token[]): string {
  return children
    .map((t) => {
      switch (t.type) {
        case "text":
        case "text_special":
          return t.content;
        case "softbreak":
          return " ";
        case "hardbreak":
          return "\n";
        case "html_inline":
          return t.content === "<br>" ? "\n" : `«html:${t.content}»`;
        case "code_inline":
          return `«code:${t.content}»`;
        case "image":
          return "«image»";
        default:
          return "";
      }
    })
    .join("");
}

function read(markdown: string): { items: Read[]; tokens: Token[] } {
  const tokens = md.parse(markdown, {});
  const items: Read[] = [];
  const context: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const m = /^(bullet_list|ordered_list|blockquote|table)_(open|close)$/.exec(t.type);
    if (m) {
      if (m[2] === "open") context.push(m[1]);
      else context.pop();
    }
    if (t.type !== "inline") continue;
    const open = tokens[i - 1];
    const kind = open.type === "heading_open" ? "heading" : open.type === "paragraph_open" ? "paragraph" : "cell";
    const children = t.children ?? [];
    const markup = children.map((c) => c.type).filter((x) => !/^(text|text_special|softbreak|hardbreak)$/.test(x));
    items.push({ kind, tag: open.tag, text: plain(children), markup, inline: children, context: [...context] });
  }
  return { items, tokens };
}

const HEADING = /^(.*) \{#([\p{L}\p{N}_.-]+)\}$/u;

function paragraphsOf(blocks: Block[]): Inline[][] {
  const out: Inline[][] = [];
  for (const b of blocks) {
    if (b.type === "paragraph") out.push(b.content);
    else if (b.type === "list") b.items.forEach((it) => out.push(...paragraphsOf(it)));
    else if (b.type === "blockquote") out.push(...paragraphsOf(b.content));
  }
  return out;
}

test("title, subtitle lines and clause headings with numbers and {#id}", () => {
  const out = writeMarkdown(sampleTree);
  const lines = out.split("\n");
  assert.equal(lines[0], `# ${sampleTree.title}`);
  assert.ok(out.includes("\n## 2. Misligholdelse {#misligholdelse}\n"));
  assert.ok(out.includes("\n### 2.2 Bod {#bod}\n"));
  assert.ok(out.includes("\n#### 2.1.1 Varsel om forsinkelse {#varsel}\n"));
  const { items } = read(out);
  const hs = items.filter((x) => x.kind === "heading");
  assert.equal(hs[0].tag, "h1");
  assert.equal(hs[0].text, sampleTree.title);
  assert.equal(hs.filter((h) => h.tag === "h1").length, 1, "the title is the only h1");
  assert.deepEqual(
    items.slice(1, 3).map((x) => x.text),
    sampleTree.subtitle,
  );
  const tree = sampleTree.blocks.filter((b): b is Heading => b.type === "heading");
  const rest = hs.slice(1);
  assert.equal(rest.length, tree.length);
  tree.forEach((h, i) => {
    assert.equal(rest[i].tag, `h${h.level + 1}`, headingText(h));
    const m = HEADING.exec(rest[i].text);
    assert.ok(m, `heading ends in {#id}: ${rest[i].text}`);
    assert.equal(m[1], headingText(h), "heading text with its number");
    if (h.id) assert.equal(m[2], h.id);
  });
  const ids = rest.map((h) => HEADING.exec(h.text)![2]);
  assert.equal(new Set(ids).size, ids.length, "ids are unique");
});

test("the toc is a nested list of links, and every #link resolves to a heading id", () => {
  const out = writeMarkdown(sampleTree);
  const { items } = read(out);
  const ids = new Set(items.filter((x) => x.kind === "heading").map((h) => HEADING.exec(h.text)?.[2]));
  const title = items.find((x) => x.text === "Indholdsfortegnelse")!;
  assert.deepEqual(title.markup, ["strong_open", "strong_close"], "a bold toc title");
  const entries = items.filter((x) => x.context.includes("bullet_list") && x.markup.includes("link_open"));
  const toc = tocEntries(sampleTree);
  assert.equal(entries.length, toc.length);
  toc.forEach((h, i) => {
    assert.equal(entries[i].text, headingText(h));
    assert.equal(entries[i].context.filter((c) => c === "bullet_list").length, h.level, "level 2 nests under level 1");
  });
  assert.ok(out.includes("- [2. Misligholdelse](#misligholdelse)\n  - [2.1 Leverandørens forsinkelse](#forsinkelse)\n"));
  let links = 0;
  for (const it of items) {
    for (const t of it.inline) {
      if (t.type !== "link_open") continue;
      const href = t.attrGet("href") ?? "";
      if (!href.startsWith("#")) continue;
      links++;
      assert.ok(ids.has(decodeURIComponent(href.slice(1))), `${href} resolves`);
    }
  }
  assert.ok(links > toc.length, "toc links and reference links");
});

test("references are links with their number text; lists, blockquote, breaks and page breaks", () => {
  const out = writeMarkdown(sampleTree);
  assert.ok(out.includes("se også [pkt. 2.2](#bod). Æ, ø og å: Ærø, Øresund, Århus. **Fed tekst** og *kursiv tekst*."));
  const { items, tokens } = read(out);
  const first = items.find((x) => x.text.startsWith("Formålet"))!;
  assert.deepEqual(first.markup, ["link_open", "link_close", "strong_open", "strong_close", "em_open", "em_close"]);
  assert.equal(first.inline[first.inline.findIndex((t) => t.type === "link_open") + 1].content, "pkt. 2.2");
  assert.ok(items.some((x) => x.text === "Første linje\nanden linje" && x.inline.some((t) => t.type === "hardbreak")));
  assert.ok(out.includes("Første linje\\\nanden linje"), "a hard break is a backslash at the end of the line");
  assert.deepEqual(
    items.filter((x) => x.context.at(-1) === "ordered_list").map((x) => x.text),
    ["Kontrakten", "Udbudsbetingelser (bilag U)"],
  );
  assert.deepEqual(items.filter((x) => x.context.includes("blockquote")).map((x) => x.text), ["Priserne er eksklusive moms."]);
  const html = tokens.filter((t) => t.type === "html_block");
  assert.deepEqual(
    html.map((t) => t.content),
    ["<!-- sideskift -->\n"],
    "the page break is an HTML comment block",
  );
});

test("GFM table with header, alignment row and exact cells", () => {
  const out = writeMarkdown(sampleTree);
  assert.ok(out.includes("| Indsats | Varighed | Pris pr. uge |\n| --- | --- | ---: |\n| 1A | 26 uger | 3.200 kr. |\n"));
  const { items, tokens } = read(out);
  const cells = items.filter((x) => x.kind === "cell");
  assert.deepEqual(
    cells.map((c) => c.text),
    ["Indsats", "Varighed", "Pris pr. uge", "1A", "26 uger", "3.200 kr.", "2A", "12 uger", "1.300 kr."],
  );
  assert.deepEqual(cells.slice(0, 3).map((c) => c.tag), ["th", "th", "th"]);
  const ths = tokens.filter((t) => t.type === "th_open");
  assert.deepEqual(
    ths.map((t) => t.attrGet("style")),
    [null, null, "text-align:right"],
  );
});

test("every paragraph, list item and quote of the sample comes back with the tree's text", () => {
  const out = writeMarkdown(sampleTree);
  const { items } = read(out);
  const got = items.filter((x) => x.kind === "paragraph").map((x) => x.text);
  const want = paragraphsOf(sampleTree.blocks).map(inlineText);
  // In order, after the subtitle lines and the toc.
  let i = 0;
  for (const w of want) {
    while (i < got.length && got[i] !== w) i++;
    assert.ok(i < got.length, `paragraph found in order: ${w.slice(0, 60)}`);
    i++;
  }
  for (const line of out.split("\n")) assert.doesNotMatch(line, /[ \t]$/, "no trailing whitespace");
  assert.ok(out.endsWith("\n") && !out.endsWith("\n\n"));
  const longest = Math.max(...out.split("\n").map((l) => l.length));
  assert.ok(longest > 500, "paragraphs are not wrapped");
});

/** Text a reader must get back verbatim, wherever it stands. */
const hostileTexts = [
  "*ikke fed*",
  "**ikke fed** og _ikke kursiv_ og __heller ikke__",
  "1. juli 2024 træder aftalen i kraft",
  "2) andet punkt",
  "a) første litra",
  "# ikke overskrift",
  "## Titel {#falsk-id}",
  "- ikke et punkt",
  "+ heller ikke",
  "> ikke et citat",
  "---",
  "===",
  "    fire mellemrum foran",
  "  to mellemrum foran og bagefter  ",
  "<b>ikke html</b> <!-- ikke kommentar -->",
  "&amp; og &copy; og &#65; og & alene",
  "[ikke et link](http://x.dk) og ![ikke et billede](x.png)",
  "`ikke kode` og ```heller ikke```",
  "a \\ b \\* c",
  "{ref:bod} {nr:bod} {sideskift} {indholdsfortegnelse}",
  "a | b | c",
  "~~ikke gennemstreget~~ og $ikke matematik$ og ^ikke hævet^",
  "http://x.dk og <http://x.dk>",
  "Formål: ”Kontrakten” – æøå ÆØÅ",
  "Husk!",
  "(1) parentes",
  ": ikke definition",
  "\tfaneblad",
];

function hostileTree(): DocumentTree {
  const t = (text: string): Inline => ({ type: "text", text });
  return {
    id: "ond",
    title: "# Titel med *stjerner* og {#id}",
    subtitle: ["1. juli 2024", "- Bilag"],
    label: "x",
    lang: "da",
    date: "2024-01-01",
    author: "x",
    blocks: [
      { type: "heading", level: 1, id: "bod", numbered: true, number: "1", content: [t("Bod # med *tegn* og {#ikke-id}")] },
      ...hostileTexts.map((s): Block => ({ type: "paragraph", content: [t(s)] })),
      { type: "paragraph", content: [t("Første linje"), { type: "break" }, t("1. juli"), { type: "break" }, t("=== og - "), { type: "break" }, t("# x")] },
      { type: "paragraph", content: [t("Husk!"), { type: "ref", target: "bod", form: "ref", text: "pkt. 1" }, t(" og !"), { type: "link", href: "https://x.dk", content: [t("link")] }] },
      {
        type: "paragraph",
        content: [
          t("ord"),
          { type: "strong", content: [t("”Kontrakten”")] },
          t("s og "),
          { type: "strong", content: [t(" Fed ")] },
          t("og"),
          { type: "emph", content: [t("(kursiv)")] },
          t("."),
        ],
      },
      {
        type: "paragraph",
        content: [
          { type: "link", href: "javascript:alert(1)", content: [t("js-link")] },
          t(" "),
          { type: "link", href: "https://x.dk/a b(c)", content: [t("[godt] link")] },
          t(" "),
          { type: "ref", target: "findes-ikke", form: "ref", text: "[ukendt henvisning: findes-ikke]" },
        ],
      },
      { type: "list", ordered: false, start: 1, items: hostileTexts.slice(0, 8).map((s) => [{ type: "paragraph", content: [t(s)] }]) },
      { type: "list", ordered: false, start: 1, items: [[{ type: "paragraph", content: [t("ny liste")] }]] },
      { type: "list", ordered: true, start: 3, items: [[{ type: "paragraph", content: [t("1. juli")] }], [{ type: "paragraph", content: [t("# x")] }]] },
      { type: "blockquote", content: hostileTexts.slice(0, 6).map((s): Block => ({ type: "paragraph", content: [t(s)] })) },
      {
        type: "table",
        header: [{ content: [t("a | b")] }, { content: [t("*x*")], align: "center" }, { content: [t("")], align: "left" }],
        rows: [
          [{ content: [t("| c |")] }, { content: [t("1. juli")], align: "center" }, { content: [t(" # x ")] }],
          [{ content: [t("a"), { type: "break" }, t("b")] }, { content: [t("<br>")] }],
        ],
      },
    ],
  };
}

test("hostile text reads back exactly: no accidental emphasis, lists, headings, HTML, links or code", () => {
  const tree = hostileTree();
  const out = writeMarkdown(tree);
  const { items, tokens } = read(out);
  // Block structure: exactly what the tree has.
  const blockTypes = tokens.map((t) => t.type).filter((x) => /_open$|^html_block$|^hr$|^code_block$|^fence$/.test(x));
  assert.equal(blockTypes.filter((x) => x === "heading_open").length, 2, "title and one heading, nothing else");
  assert.equal(blockTypes.filter((x) => x === "bullet_list_open").length, 2, "two separate bullet lists");
  assert.equal(blockTypes.filter((x) => x === "ordered_list_open").length, 1);
  assert.equal(blockTypes.filter((x) => x === "blockquote_open").length, 1);
  assert.equal(blockTypes.filter((x) => x === "table_open").length, 1);
  for (const x of ["hr", "code_block", "fence", "html_block"]) assert.ok(!blockTypes.includes(x), `no ${x}`);
  assert.equal(Number(tokens.find((t) => t.type === "ordered_list_open")?.attrGet("start")), 3);

  const heads = items.filter((x) => x.kind === "heading");
  assert.equal(heads[0].text, tree.title);
  assert.deepEqual(heads[0].markup, []);
  assert.equal(HEADING.exec(heads[1].text)?.[1], "1. Bod # med *tegn* og {#ikke-id}");
  assert.equal(HEADING.exec(heads[1].text)?.[2], "bod");

  const paras = items.filter((x) => x.kind === "paragraph" && x.context.length === 0);
  assert.deepEqual(paras.slice(0, 2).map((x) => x.text), tree.subtitle);
  const body = paras.slice(2);
  hostileTexts.forEach((s, i) => {
    assert.equal(body[i].text, s, `paragraph ${i} verbatim`);
    assert.deepEqual(body[i].markup, [], `no markup from ${JSON.stringify(s)}`);
  });
  const [breaks, bang, emphasis, links] = body.slice(hostileTexts.length);
  assert.equal(breaks.text, "Første linje\n1. juli\n=== og - \n# x");
  assert.deepEqual(breaks.markup, []);
  assert.equal(bang.text, "Husk!pkt. 1 og !link");
  assert.deepEqual(bang.markup, ["link_open", "link_close", "link_open", "link_close"], "'!' before a link is no image");
  assert.equal(emphasis.text, "ord”Kontrakten”s og  Fed og(kursiv).");
  assert.deepEqual(emphasis.markup, ["strong_open", "strong_close", "strong_open", "strong_close", "em_open", "em_close"], "emphasis survives edge punctuation and spaces");
  const strongText = (it: Read, n: number) => {
    const opens = it.inline.map((t, k) => (t.type === "strong_open" ? k : -1)).filter((k) => k >= 0);
    return plain(it.inline.slice(opens[n] + 1, it.inline.findIndex((t, k) => k > opens[n] && t.type === "strong_close")));
  };
  assert.match(strongText(emphasis, 0), /Kontrakten/);
  assert.equal(strongText(emphasis, 1), "Fed");
  assert.equal(links.text, "js-link [godt] link [ukendt henvisning: findes-ikke]");
  const hrefs = links.inline.filter((t) => t.type === "link_open").map((t) => t.attrGet("href"));
  assert.deepEqual(hrefs, ["https://x.dk/a%20b(c)"], "only the safe link is a link");
  assert.doesNotMatch(out, /javascript:/i);

  const listed = items.filter((x) => x.context.at(-1) === "bullet_list").map((x) => x.text);
  assert.deepEqual(listed, [...hostileTexts.slice(0, 8), "ny liste"]);
  assert.deepEqual(items.filter((x) => x.context.at(-1) === "ordered_list").map((x) => x.text), ["1. juli", "# x"]);
  assert.deepEqual(items.filter((x) => x.context.includes("blockquote")).map((x) => x.text), hostileTexts.slice(0, 6));

  const cells = items.filter((x) => x.kind === "cell");
  assert.deepEqual(cells.map((c) => c.text), ["a | b", "*x*", "", "| c |", "1. juli", " # x ", "a\nb", "<br>", ""]);
  for (const c of cells) assert.ok(c.markup.every((m) => m === "html_inline"), "no markup in cells but <br>");
  assert.ok(out.includes("\n| --- | :---: | :--- |\n"), "alignment row");
  const aligns = tokens.filter((t) => t.type === "th_open").map((t) => t.attrGet("style"));
  assert.deepEqual(aligns, [null, "text-align:center", "text-align:left"]);
});

test("the project's own template parser reads the ids back from {#id}", () => {
  const blocks = parseMarkdown(writeMarkdown(sampleTree));
  const ids = blocks.filter((b): b is Heading => b.type === "heading" && b.level > 1).map((h) => h.id);
  assert.deepEqual(
    ids,
    sampleTree.blocks.filter((b): b is Heading => b.type === "heading").map((h) => h.id),
  );
});

test("deterministic: the same tree gives the same text, and the tree is not changed", () => {
  const before = structuredClone(sampleTree);
  const a = writeMarkdown(sampleTree);
  assert.equal(writeMarkdown(structuredClone(sampleTree)), a);
  assert.deepEqual(sampleTree, before);
  const h = hostileTree();
  const hb = structuredClone(h);
  assert.equal(writeMarkdown(h), writeMarkdown(hostileTree()));
  assert.deepEqual(h, hb);
});
