/** Figures read back by pandoc (Markdown → HTML): the interoperability half of tests/figure.test.ts. */
import { test } from "vitest";
import { missing } from "./prereq.js";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { parse } from "parse5";
import { type Block, type DocumentTree, type FigureMap } from "../src/doc/ast.js";
import { parseMarkdown } from "../src/doc/parse.js";
import { writeMarkdown } from "../src/write/markdown.js";
import { all, attr, text } from "./html-dom.js";

/** A small hand-written chart: a bar and a label (the label proves text is drawn as text). */
const SVG =
  `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="240" viewBox="0 0 480 240">` +
  `<rect x="40" y="40" width="160" height="120" fill="#0072b2"/>` +
  `<text x="40" y="200" font-family="Arial, Helvetica, sans-serif" font-size="18">Søjlehøjde 1.234 kr.</text>` +
  `</svg>`;
const SVG_TEXT = "Søjlehøjde 1.234 kr.";

const figures: FigureMap = {
  pris: { svg: SVG, width: 480, height: 240, alt: "Søjlediagram over prisen" },
  andet: { svg: SVG.replace("#0072b2", "#e69f00"), width: 480, height: 240, alt: "Andet diagram" },
};

const MARKDOWN = [
  "## Prisen {#pris}",
  "",
  "Teksten før figuren.",
  "",
  "![Samlet pris *pr. år*](figur:pris)",
  "",
  "Et billede udefra: ![Logo fra nettet](http://example.com/logo.png) og et lokalt ![lokalt](/etc/passwd).",
  "",
  "![Den anden figur](figur:andet)",
  "",
].join("\n");

function tree(blocks: Block[] = parseMarkdown(MARKDOWN, undefined, figures)): DocumentTree {
  return { id: "figurer", title: "Rapport med figurer", subtitle: ["Kommunen"], label: "Rapport", lang: "da", date: "2024-05-01", author: "Kommunen", blocks };
}

const hasPandoc = spawnSync("pandoc", ["--version"]).status === 0;

test("Markdown: pandoc reads the figure as an image with its caption", { skip: missing(!hasPandoc, "pandoc not installed") }, () => {
  const md = writeMarkdown(tree());
  const r = spawnSync("pandoc", ["-f", "markdown", "-t", "html5"], { input: md, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const doc = parse(r.stdout);
  const imgs = all(doc, "img");
  assert.equal(imgs.length, 2);
  assert.ok(attr(imgs[0], "src")?.startsWith("data:image/svg+xml;base64,"));
  const captions = all(doc, "figcaption").map(text);
  assert.deepEqual(captions, ["Figur 1. Samlet pris pr. år", "Figur 2. Den anden figur"]);
});
