/** The build stage: templates → document trees. Errors name the template file and line; user text stays literal. */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { headingText, inlineText, type Block, type DocumentTree } from "../src/doc/ast.js";
import { parseMarkdown } from "../src/doc/parse.js";
import { numberDocument } from "../src/doc/number.js";
import { escapeMarkdown } from "../src/compute/escape.js";
import { formatDate, formatDkk, formatKr, formatPercent } from "../src/format.js";
import { formatHours } from "../src/render/helpers.js";
import { readSpec } from "../src/read/index.js";
import { buildDocuments } from "../src/render/build.js";
import { minimalDir, mutated, repoRoot, tmpDir } from "./helpers.js";

function build(dir: string, opts: { templatesDir?: string; only?: string[] } = {}) {
  const r = readSpec(dir);
  assert.deepEqual(r.errors, [], "spec is valid");
  return buildDocuments(r.udbud!, r.sourceMap, opts);
}

function text(blocks: Block[]): string {
  return blocks
    .map((b) => {
      if (b.type === "heading" || b.type === "paragraph") return inlineText(b.content);
      if (b.type === "list") return b.items.map((i) => text(i)).join("\n");
      if (b.type === "table") return [b.header, ...b.rows].map((r) => r.map((c) => inlineText(c.content)).join(" | ")).join("\n");
      if (b.type === "blockquote") return text(b.content);
      return "";
    })
    .join("\n");
}

/** A copy of the real templates with one file replaced. */
function templatesWith(name: string, content: string): string {
  const dir = tmpDir("udbud-tpl-");
  fs.cpSync(path.join(repoRoot, "templates"), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

test("Danish formatting", () => {
  assert.equal(formatKr(1234567), "1.234.567 kr.");
  assert.equal(formatDkk(10_000_000), "DKK 10 mio.");
  assert.equal(formatDkk(500_000), "DKK 500.000");
  assert.equal(formatDkk(3000), "DKK 3.000");
  assert.equal(formatDate("2024-07-01"), "1. juli 2024");
  assert.equal(formatPercent(10), "10 %");
  assert.equal(formatPercent(12.5), "12,5 %");
  assert.equal(formatHours({ min: 2, max: 4 }), "2–4 timer");
  assert.equal(formatHours({ min: 0.5, max: 0.5 }), "30 minutter");
  assert.equal(formatHours({ min: 1, max: 1 }), "1 time");
  assert.equal(formatHours({ min: 1 }), "mindst 1 time");
});

test("user text is escaped: Markdown, HTML, Handlebars and our extensions stay literal", () => {
  const hostile = "*ikke fed* <b>ikke html</b> {{udbud.titel}} {ref:bod} # ikke overskrift\n\n1. juli er ikke en liste\n\n- ej heller dette | a | b";
  const blocks = parseMarkdown(escapeMarkdown(hostile));
  assert.equal(blocks.length, 3);
  assert.ok(blocks.every((b) => b.type === "paragraph"));
  assert.equal(text(blocks), "*ikke fed* <b>ikke html</b> {{udbud.titel}} {ref:bod} # ikke overskrift\n1. juli er ikke en liste\n- ej heller dette | a | b");
  const heading = parseMarkdown(`# Titel {#a}\n\n# ${escapeMarkdown("Bruger {#b}")}\n`);
  assert.equal((heading[1] as any).id, undefined);
  assert.equal(inlineText((heading[1] as any).content), "Bruger {#b}");
});

test("hostile text in the spec reaches the documents literally", () => {
  const { dir } = mutated((s) => {
    s.delkontrakter[0].indsatsspor[0].indsatser[0].beskrivelse = "**Fed?** <script>alert(1)</script> {{lot.id}} {ref:indledning} {sideskift}";
  });
  const b = build(dir, { only: ["bilag-a1"] });
  assert.deepEqual(b.errors, []);
  const all = text(b.trees[0].blocks);
  assert.ok(all.includes("**Fed?** <script>alert(1)</script> {{lot.id}} {ref:indledning} {sideskift}"), all);
  // "{sideskift}" in the spec's text is text, not a page break: as many page breaks as without it.
  const pagebreaks = (blocks: { type: string }[]) => blocks.filter((x) => x.type === "pagebreak").length;
  const plain = build(mutated(() => {}).dir, { only: ["bilag-a1"] });
  assert.equal(pagebreaks(b.trees[0].blocks), pagebreaks(plain.trees[0].blocks));
});

test("numbering and references: removing a clause renumbers and references follow", () => {
  const md = "# A {#a}\n\n# B {#b}\n\n## B1 {#b1}\n\nSe {ref:c} og {nr:b1}.\n\n# C {#c}\n\n## Uden nummer {#u .unnumbered}\n";
  const tree: DocumentTree = { id: "t", title: "T", subtitle: [], label: "T", lang: "da", date: "2024-01-01", author: "x", blocks: parseMarkdown(md) };
  assert.deepEqual(numberDocument(tree), []);
  assert.deepEqual(tree.blocks.filter((x) => x.type === "heading").map((h) => headingText(h as any)), ["1. A", "2. B", "2.1 B1", "3. C", "Uden nummer"]);
  assert.match(text(tree.blocks), /Se pkt\. 3 og 2\.1\./);
  const without: DocumentTree = { ...tree, blocks: parseMarkdown(md.replace("# A {#a}\n\n", "")) };
  numberDocument(without);
  assert.match(text(without.blocks), /Se pkt\. 2 og 1\.1\./);
  const broken: DocumentTree = { ...tree, blocks: parseMarkdown("# A {#a}\n\nSe {ref:nope}.\n\n# A igen {#a}\n") };
  assert.deepEqual(numberDocument(broken).map((p) => p.kind).sort(), ["duplicate-id", "unknown-ref"]);
});

test("template error: unknown helper names the template file, line and column", () => {
  const dir = templatesWith("betaling.md.hbs", "# Indledning {#indledning}\n\nLinje to.\n\n{{ukendt lot.id}}\n");
  const b = build(minimalDir, { templatesDir: dir, only: ["bilag-c1"] });
  assert.equal(b.errors.length, 1);
  assert.ok(b.errors[0].file.endsWith("betaling.md.hbs"), b.errors[0].file);
  assert.equal(b.errors[0].line, 5);
  assert.match(b.errors[0].message, /ukendt hjælpefunktion 'ukendt'/);
});

test("template error: a missing variable is an error, never blank text", () => {
  const dir = templatesWith("betaling.md.hbs", "# Indledning {#indledning}\n\nPris: {{lot.prismodel.valuta}}\n");
  const b = build(minimalDir, { templatesDir: dir, only: ["bilag-c1"] });
  assert.equal(b.errors.length, 1);
  assert.equal(b.errors[0].line, 3);
  assert.match(b.errors[0].message, /værdien 'valuta' findes ikke/);
});

test("template error: missing variable inside a partial names the partial", () => {
  const dir = templatesWith("partials/maal.md.hbs", "| a |\n|---|\n| {{findesikke}} |\n");
  const b = build(minimalDir, { templatesDir: dir, only: ["bilag-a1"] });
  const { dir: withGoals } = mutated((s) => (s.delkontrakter[0].indsatsspor[0].mål = [{ formål: "x" }]));
  const b2 = build(withGoals, { templatesDir: dir, only: ["bilag-a1"] });
  assert.deepEqual(b.errors, [], "partial not used without goals");
  assert.equal(b2.errors.length, 1);
  assert.ok(b2.errors[0].file.endsWith(path.join("partials", "maal.md.hbs")), b2.errors[0].file);
  assert.equal(b2.errors[0].line, 3);
});

test("template error: a broken clause reference names the template line", () => {
  const dir = templatesWith("betaling.md.hbs", "# Indledning {#indledning}\n\nSe {ref:findes-ikke}.\n");
  const b = build(minimalDir, { templatesDir: dir, only: ["bilag-c1"] });
  assert.equal(b.errors.length, 1);
  assert.ok(b.errors[0].file.endsWith("betaling.md.hbs"));
  assert.equal(b.errors[0].line, 3);
  assert.match(b.errors[0].message, /henvisning til ukendt klausul 'findes-ikke'/);
});

test("template syntax error", () => {
  const dir = templatesWith("betaling.md.hbs", "# A {#a}\n\n{{#if lot.id}}\nuafsluttet\n");
  const b = build(minimalDir, { templatesDir: dir, only: ["bilag-c1"] });
  assert.equal(b.errors.length, 1);
  assert.match(b.errors[0].message, /syntaksfejl i Handlebars/);
});

test("clause overrides: replace, omit and add after, with numbering following", () => {
  const { dir } = mutated((s) => {
    s.klausuler = [
      { dokument: "bilag-c1-mentor", id: "afregningsform", handling: "udelad" },
      { dokument: "bilag-c1-mentor", id: "priser", handling: "erstat", titel: "Priser og korridorer", tekst: "Ny tekst med *stjerner*.\n\nAndet afsnit." },
      { dokument: "bilag-c1-mentor", id: "fakturering", handling: "tilføj-efter", nyt_id: "revision", titel: "Revision", tekst: "Ordregiver kan lade sin revisor gennemgå fakturaerne." },
    ];
  });
  const b = build(dir, { only: ["bilag-c1"] });
  assert.deepEqual(b.errors, []);
  const heads = b.trees[0].blocks.filter((x) => x.type === "heading").map((h) => headingText(h as any));
  assert.deepEqual(heads, ["1. Indledning", "2. Priser og korridorer", "3. Afbestilling og afbrudte forløb", "4. Fakturering", "5. Revision", "6. Prisreduktion ved ændrede budgetforudsætninger"]);
  assert.match(text(b.trees[0].blocks), /Ny tekst med \*stjerner\*\.\nAndet afsnit\./);
});

test("clause overrides: an unknown clause id is an error located in the spec, with a suggestion", () => {
  const { dir, text: yaml } = mutated((s) => {
    s.klausuler = [{ dokument: "bilag-c1-mentor", id: "fakturring", handling: "udelad" }];
  });
  const b = build(dir, { only: ["bilag-c1"] });
  assert.equal(b.errors.length, 1);
  assert.match(b.errors[0].message, /Klausulen 'fakturring' findes ikke.*Mente du 'fakturering'\?/);
  assert.ok(b.errors[0].file.endsWith("udbud.yaml"));
  assert.equal(b.errors[0].line, yaml.split("\n").findIndex((l) => l.includes("fakturring")) + 1);
});

test("the 2024 example builds every document without errors", () => {
  const b = build(path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte"));
  assert.deepEqual(b.errors, []);
  const ids = b.trees.map((t) => t.id);
  for (const want of ["rammeaftale", "bilag-a1-udsatte", "bilag-b1-udsatte", "bilag-c1-udsatte", "tilbudsliste-1-udsatte"]) assert.ok(ids.includes(want), want);
  const a1 = b.trees.find((t) => t.id === "bilag-a1-udsatte")!;
  assert.match(text(a1.blocks), /op til 13 uger med mulighed for forlængelse/);
});
