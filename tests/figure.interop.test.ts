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
import { figures, MARKDOWN, SVG, SVG_TEXT, tree } from "./figure-fixture.js";


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
