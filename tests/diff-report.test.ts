/**
 * The diff writers (src/diff/report.ts) on hand-built DocDiffs covering every kind of change:
 * the JSON shape and counts, the terminal text with and without color, the HTML report (checked
 * with parse5: structure, links, marks, escaping, side by side) and the change summary tree.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import { parse, type DefaultTreeAdapterTypes as T, type ParserError } from "parse5";
import { all, attr, children, isElement, text, type El } from "./html-dom.js";
import type { AlignedClause, Block, BlockDiff, ChangeKind, Clause, DocDiff, Run } from "../src/diff/model.js";
import { diffHtml, diffJson, diffTerminal } from "../src/diff/report.js";
import { changeSummaryTree } from "../src/diff/summary.js";
import { inlineText } from "../src/doc/ast.js";
import { writeMarkdown } from "../src/write/markdown.js";
import { writeHtml } from "../src/write/html.js";
import { writeDocx } from "../src/write/docx.js";
import { diffDocuments } from "../src/diff/align.js";
import { readMarkdownDoc } from "../src/diff/inputs.js";

/* ---------------------------------------------------------------- fixtures */

const HOSTILE_HEADING = `<script>alert("x")</script>`;
const HOSTILE_TEXT = `Prisen er 5 &amp; 6 kr. "citat" 'enkelt' </p><img src=x onerror=alert(1)> \u001b[31mRØD`;

const para = (text: string): Block => ({ kind: "paragraph", text });
const clause = (ref: string | null, heading: string, texts: string[], level = ref ? ref.split(".").length : 0, id?: string): Clause => ({
  ...(id ? { id } : {}),
  ref,
  heading,
  level,
  blocks: texts.map(para),
});
const eq = (b: Block): BlockDiff => ({ op: "equal", old: b, new: b, runs: [{ op: "equal", text: b.text }] });

function unchanged(c: Clause): AlignedClause {
  return { kinds: [], old: c, new: c, headingRuns: [{ op: "equal", text: c.heading }], blocks: c.blocks.map(eq), words: { added: 0, removed: 0 } };
}

/** A clause whose text changed: old/new text derived from the runs. */
function modifiedBlock(runs: Run[]): BlockDiff {
  const old = runs.filter((r) => r.op !== "insert").map((r) => r.text).join("");
  const nw = runs.filter((r) => r.op !== "delete").map((r) => r.text).join("");
  return { op: "modify", old: para(old), new: para(nw), runs };
}

const preamble = clause(null, "", ["Mellem Københavns Kommune og Leverandøren er indgået følgende aftale."], 0);
const c1 = clause("1", "Formål", ["Aftalen sikrer indsats for borgerne."]);
const c2 = clause("2", "Definitioner", ["Ordene har den betydning, der fremgår af bilag 1."]);
const c3 = clause("3", "Aftalegrundlag", ["Aftalegrundlaget består af rammeaftalen og bilagene."]);

// 6.4 → 6.5 Bod: renumbered and modified (kinds given out of priority order on purpose).
const bodOld = clause("6.4", "Bod", ["Leverandøren betaler en bod på 1.000 kr. pr. dag.", "Boden forfalder straks."], 2, "bod");
const bodNew = clause("6.5", "Bod", ["Leverandøren betaler en bod på 2.000 kr. pr. dag.", "Boden forfalder straks.", "Bod udelukker ikke erstatning."], 2, "bod");
const bod: AlignedClause = {
  kinds: ["renumbered", "modified"],
  old: bodOld,
  new: bodNew,
  headingRuns: [{ op: "equal", text: "Bod" }],
  blocks: [
    modifiedBlock([
      { op: "equal", text: "Leverandøren betaler en bod på " },
      { op: "delete", text: "1.000" },
      { op: "insert", text: "2.000" },
      { op: "equal", text: " kr. pr. dag." },
    ]),
    eq(bodOld.blocks[1]),
    { op: "insert", new: bodNew.blocks[2], runs: [{ op: "insert", text: "Bod udelukker ikke erstatning." }] },
  ],
  words: { added: 5, removed: 1 },
};

const nyNew = clause("6.4", "Ny klausul", ["Leverandøren skal dokumentere indsatsen."]);
const inserted: AlignedClause = {
  kinds: ["inserted"],
  old: null,
  new: nyNew,
  headingRuns: [{ op: "insert", text: "Ny klausul" }],
  blocks: [{ op: "insert", new: nyNew.blocks[0], runs: [{ op: "insert", text: nyNew.blocks[0].text }] }],
  words: { added: 4, removed: 0 },
};

const gammelOld = clause("7.2", "Gammel klausul", ["Denne bestemmelse udgår."]);
const deleted: AlignedClause = {
  kinds: ["deleted"],
  old: gammelOld,
  new: null,
  headingRuns: [{ op: "delete", text: "Gammel klausul" }],
  blocks: [{ op: "delete", old: gammelOld.blocks[0], runs: [{ op: "delete", text: gammelOld.blocks[0].text }] }],
  words: { added: 0, removed: 3 },
};

// 3.2 → 5.1 Underleverandører: moved and modified (kinds out of order); primary kind is "moved".
const ulOld = clause("3.2", "Underleverandører", ["Leverandøren må bruge underleverandører."], 2, "underleverandoerer");
const ulNew = clause("5.1", "Underleverandører", ["Leverandøren må kun bruge godkendte underleverandører."], 2, "underleverandoerer");
const moved: AlignedClause = {
  kinds: ["modified", "moved"],
  old: ulOld,
  new: ulNew,
  headingRuns: [{ op: "equal", text: "Underleverandører" }],
  blocks: [
    modifiedBlock([
      { op: "equal", text: "Leverandøren må " },
      { op: "insert", text: "kun " },
      { op: "equal", text: "bruge " },
      { op: "insert", text: "godkendte " },
      { op: "equal", text: "underleverandører." },
    ]),
  ],
  words: { added: 2, removed: 0 },
  movedFrom: "3.2",
};

// 4.5 → 4.6 Ophør: only renumbered; its cross-reference followed the renumbering (refsOnly).
const renOld = clause("4.5", "Ophør", ["Aftalen ophører uden varsel.", "Se også pkt. 6.4."]);
const renNew = clause("4.6", "Ophør", ["Aftalen ophører uden varsel.", "Se også pkt. 6.5."]);
const renumbered: AlignedClause = {
  ...unchanged(renOld),
  kinds: ["renumbered"],
  new: renNew,
  blocks: [
    eq(renOld.blocks[0]),
    {
      ...modifiedBlock([
        { op: "equal", text: "Se også pkt. " },
        { op: "delete", text: "6.4" },
        { op: "insert", text: "6.5" },
        { op: "equal", text: "." },
      ]),
      refsOnly: true,
    },
  ],
};

// Hostile text everywhere: heading and body, old and new.
const hostOld = clause("8", HOSTILE_HEADING, [HOSTILE_TEXT]);
const hostNew = clause("8", HOSTILE_HEADING, [`${HOSTILE_TEXT} & <b>mere</b>`]);
const hostile: AlignedClause = {
  kinds: ["modified"],
  old: hostOld,
  new: hostNew,
  headingRuns: [{ op: "equal", text: HOSTILE_HEADING }],
  blocks: [
    modifiedBlock([
      { op: "equal", text: HOSTILE_TEXT },
      { op: "insert", text: " & <b>mere</b>" },
    ]),
  ],
  words: { added: 1, removed: 0 },
};

const c9 = clause("9", "Tvister", ["Tvister afgøres ved de danske domstole."]);

const rammeaftale: DocDiff = {
  id: "rammeaftale",
  title: "Rammeaftale",
  clauses: [unchanged(preamble), unchanged(c1), unchanged(c2), unchanged(c3), renumbered, moved, inserted, bod, deleted, hostile, unchanged(c9)],
  // As align.ts counts: each changed clause once, under its primary kind.
  summary: { inserted: 1, deleted: 1, modified: 2, moved: 1, henvisning: 0, renumbered: 1 },
};

// 12 clauses that are only renumbered (1.1 → 1.2, …, 1.12 → 1.13).
const bilagClauses: AlignedClause[] = [];
for (let i = 1; i <= 12; i++) {
  const o = clause(`1.${i}`, `Krav ${i}`, [`Leverandøren opfylder krav ${i}.`]);
  bilagClauses.push({ ...unchanged(o), kinds: ["renumbered"], new: { ...o, ref: `1.${i + 1}` } });
}
const bilag: DocDiff = { id: "bilag-a1-udsatte", title: "Bilag A1 – Kravspecifikation", clauses: bilagClauses, summary: { inserted: 0, deleted: 0, modified: 0, moved: 0, henvisning: 0, renumbered: 12 } };

const uaendret: DocDiff = { id: "bilag-b1", title: "Bilag B1", clauses: [unchanged(c1)], summary: { inserted: 0, deleted: 0, modified: 0, moved: 0, henvisning: 0, renumbered: 0 } };

const diffs: DocDiff[] = [rammeaftale, bilag, uaendret];
const semantic = ["Boden er hævet fra 1.000 kr. til 2.000 kr. pr. dag (pkt. 6.5).", `Hostile: ${HOSTILE_HEADING}`];
const htmlOpts = { title: "Sammenligning af rammeaftalen", oldLabel: "Udkast 1 (marts)", newLabel: "Udkast 2 <april>", semantic };

/* ---------------------------------------------------------------- JSON */

test("JSON: exactly the documented shape, totals, per-document summaries", () => {
  const j = JSON.parse(JSON.stringify(diffJson(diffs, semantic)));
  assert.deepEqual(Object.keys(j), ["summary", "documents", "changes", "semantic"]);
  assert.deepEqual(j.summary, { inserted: 1, deleted: 1, modified: 2, moved: 1, henvisning: 0, renumbered: 13 });
  assert.deepEqual(Object.keys(j.summary), ["inserted", "deleted", "modified", "moved", "henvisning", "renumbered"]);
  assert.deepEqual(
    j.documents,
    diffs.map((d) => ({ id: d.id, title: d.title, summary: d.summary })),
  );
  for (const d of j.documents) assert.deepEqual(Object.keys(d), ["id", "title", "summary"]);
  assert.deepEqual(j.semantic, semantic);
  for (const c of j.changes) {
    assert.deepEqual(Object.keys(c), ["document", "kind", "kinds", "old", "new", "words"]);
    assert.deepEqual(Object.keys(c.words), ["added", "removed"]);
    for (const s of [c.old, c.new]) if (s) for (const k of ["ref", "heading", "text"]) assert.ok(k in s, k);
  }
  assert.deepEqual(diffJson([]), { summary: { inserted: 0, deleted: 0, modified: 0, moved: 0, henvisning: 0, renumbered: 0 }, documents: [], changes: [], semantic: [] });
});

test("JSON: only changed clauses, in reading order, with primary kind by priority", () => {
  const j = diffJson(diffs) as ReturnType<typeof diffJson>;
  assert.equal(j.changes.length, 6 + 12, "unchanged clauses (preamble, 1, 2, 3, 9, bilag B1) are not listed");
  const ram = j.changes.filter((c) => c.document === "rammeaftale");
  assert.deepEqual(
    ram.map((c) => [c.kind, c.kinds]),
    [
      ["renumbered", ["renumbered"]],
      ["moved", ["moved", "modified"]],
      ["inserted", ["inserted"]],
      ["modified", ["modified", "renumbered"]],
      ["deleted", ["deleted"]],
      ["modified", ["modified"]],
    ] satisfies [ChangeKind, ChangeKind[]][],
  );
  const ins = ram[2];
  assert.equal(ins.old, null);
  assert.deepEqual(ins.new, { ref: "6.4", heading: "Ny klausul", text: "Leverandøren skal dokumentere indsatsen." });
  const del = ram[4];
  assert.equal(del.new, null);
  assert.equal(del.old?.ref, "7.2");
  const b = ram[3];
  assert.deepEqual(b.old, { ref: "6.4", heading: "Bod", text: "Leverandøren betaler en bod på 1.000 kr. pr. dag.\nBoden forfalder straks.", id: "bod" });
  assert.equal(b.new?.ref, "6.5");
  assert.deepEqual(b.words, { added: 5, removed: 1 });
  assert.ok(j.changes.slice(6).every((c) => c.document === "bilag-a1-udsatte" && c.kind === "renumbered"));
  assert.deepEqual(j.semantic, []);
});

/* ---------------------------------------------------------------- terminal */

test("terminal without color: counts first, wdiff marks, one line per change, no escape codes", () => {
  const out = diffTerminal(diffs, { color: false, semantic });
  const lines = out.split("\n");
  assert.equal(lines[0], "2 ændrede, 1 indsat, 1 slettet, 1 flyttet, 13 omnummererede");
  assert.doesNotMatch(out, /\u001b/, "no ANSI codes (hostile ESC in the text is made visible)");
  assert.ok(out.includes("\\u001B[31mRØD"), "ESC shown as \\u001B, as elsewhere in the CLI");
  assert.ok(lines.includes("  ~ pkt. 6.4 → 6.5 Bod (ændret, 5 ord tilføjet, 1 fjernet)"), out);
  assert.ok(lines.includes("      Leverandøren betaler en bod på [-1.000-]{+2.000+} kr. pr. dag."), out);
  assert.ok(lines.includes("      {+Bod udelukker ikke erstatning.+}"), "an inserted block inside a modified clause");
  assert.ok(!lines.includes("      Boden forfalder straks."), "unchanged blocks are not printed");
  assert.ok(lines.includes("  + pkt. 6.4 Ny klausul (indsat)"));
  assert.ok(lines.includes("  - pkt. 7.2 Gammel klausul (slettet)"));
  assert.ok(lines.includes("  ↷ pkt. 3.2 → 5.1 Underleverandører (flyttet, ændret, 2 ord tilføjet)"));
  assert.ok(lines.includes("      Leverandøren må {+kun +}bruge {+godkendte +}underleverandører."));
  assert.ok(lines.includes("  # pkt. 4.5 → 4.6 Ophør (omnummereret)"));
  assert.ok(!out.includes("Se også"), "a reference that only followed renumbering is not listed");
  assert.ok(lines.includes(`  ~ pkt. 8 ${HOSTILE_HEADING} (ændret, 1 ord tilføjet)`));
  // Renumbered-only clauses come after the substantive changes of their document.
  assert.ok(lines.indexOf("  # pkt. 4.5 → 4.6 Ophør (omnummereret)") > lines.findIndex((l) => l.startsWith("  ~ pkt. 8 ")));
  // More than 10 renumbered-only clauses: one summary line.
  assert.ok(lines.includes("  # 12 punkter er kun omnummereret (pkt. 1.1 → 1.2 … pkt. 1.12 → 1.13)"), out);
  assert.ok(!out.includes("Krav 3"));
  assert.ok(lines.includes("Bilag A1 – Kravspecifikation (bilag-a1-udsatte): 0 ændrede, 0 indsatte, 0 slettede, 0 flyttede, 12 omnummererede"));
  assert.deepEqual(lines.slice(lines.indexOf("Bilag B1 (bilag-b1): 0 ændrede, 0 indsatte, 0 slettede, 0 flyttede, 0 omnummererede") + 1), ["  Ingen ændringer.", ""]);
  // Semantic changes right after the counts.
  assert.deepEqual(lines.slice(1, 5), ["", "Indholdsmæssige ændringer:", `  • ${semantic[0]}`, `  • ${semantic[1]}`]);
  assert.equal(diffTerminal(diffs, { color: false, semantic }), out, "deterministic");
});

test("terminal: bidi overrides, zero-width and line separators in document text are shown escaped", () => {
  const evil = "Betaling til konto \u202Egnp.exe\u202C og \u200Bskjult\u2028linje \u2066isoleret\u2069 \u009b31m";
  const old = clause("1", "Formål \u202Elov", ["Leverandøren betaler."]);
  const nw = clause("1", "Formål \u202Elov", [`Leverandøren betaler. ${evil}`]);
  const d = diffDocuments({ id: "r", title: "R\u202E", clauses: [old] }, { id: "r", title: "R\u202E", clauses: [nw] });
  for (const color of [false, true]) {
    const out = diffTerminal([d], { color });
    assert.doesNotMatch(out, /[\u202A-\u202E\u2066-\u2069\u200B\u2028\u009b]/u, "no raw bidi, zero-width, separator or C1 characters");
    for (const esc of ["\\u202E", "\\u202C", "\\u200B", "\\u2028", "\\u2066", "\\u2069", "\\u009B"]) assert.ok(out.includes(esc), `${esc} shown escaped:\n${out}`);
    assert.ok(out.includes("Formål \\u202Elov"), "the heading too");
    assert.ok(out.includes("R\\u202E"), "the document title too");
  }
});

test("terminal with color: ANSI red+crossed-out deletions, green insertions, no wdiff marks", () => {
  const out = diffTerminal(diffs, { color: true });
  assert.ok(out.includes("\u001b[31;9m1.000\u001b[0m"), "deletion: red (31) and crossed out (9)");
  assert.ok(out.includes("\u001b[32m2.000\u001b[0m"), "insertion: green (32)");
  assert.ok(!out.includes("[-") && !out.includes("{+"));
  assert.ok(out.startsWith("2 ændrede, 1 indsat, 1 slettet, 1 flyttet, 13 omnummererede\n"), "counts first, uncoloured");
  assert.doesNotMatch(out, /\u001b\[31mRØD/, "the document's own ESC is still neutralised");
  assert.ok(!out.includes("Indholdsmæssige"), "no semantic section when none is given");
});

test("terminal: up to 10 renumbered-only clauses are listed one per line", () => {
  const few: DocDiff = { ...bilag, clauses: bilagClauses.slice(0, 10), summary: { ...bilag.summary, renumbered: 10 } };
  const out = diffTerminal([few], { color: false });
  for (let i = 1; i <= 10; i++) assert.ok(out.includes(`  # pkt. 1.${i} → 1.${i + 1} Krav ${i} (omnummereret)\n`), `Krav ${i}`);
  assert.ok(!out.includes("punkter er kun omnummereret"));
});

/* ---------------------------------------------------------------- HTML */


function hasClass(el: El, cls: string): boolean {
  return (attr(el, "class") ?? "").split(/\s+/).includes(cls);
}
function byId(root: T.Node, id: string): El | undefined {
  return all(root).find((e) => attr(e, "id") === id);
}

function parseHtml(html: string): T.Document {
  const errors: ParserError[] = [];
  const doc = parse(html, { onParseError: (e) => errors.push(e) });
  assert.deepEqual(errors, [], "valid HTML5");
  return doc;
}

const html = diffHtml(diffs, htmlOpts);
const page = parseHtml(html);

test("HTML: standalone, lang=da, CSP, no scripts or external resources, print stylesheet", () => {
  assert.ok(html.startsWith("<!DOCTYPE html>\n"));
  assert.equal(page.mode, "no-quirks");
  assert.equal(attr(all(page, "html")[0], "lang"), "da");
  const csp = all(page, "meta").find((m) => attr(m, "http-equiv") === "Content-Security-Policy");
  assert.equal(attr(csp!, "content"), "default-src 'none'; style-src 'unsafe-inline'");
  for (const tag of ["script", "link", "img", "iframe", "object", "embed"]) assert.equal(all(page, tag).length, 0, `no <${tag}>`);
  assert.ok(all(page).every((e) => !e.attrs.some((a) => a.name === "src" || a.name.startsWith("on"))), "no src or event-handler attributes");
  const hrefs = all(page, "a").map((a) => attr(a, "href") ?? "");
  assert.ok(hrefs.every((h) => h.startsWith("#")), "only in-page links");
  const style = text(all(page, "style")[0]);
  assert.match(style, /@media print/);
  assert.equal(text(all(page, "title")[0]), htmlOpts.title);
  assert.equal(all(page, "h1").length, 1);
  assert.match(text(all(page, "header")[0]), /Udkast 2 <april>/);
  assert.match(text(all(page, "header")[0]), /2 ændrede, 1 indsat, 1 slettet, 1 flyttet, 13 omnummererede/);
  assert.equal(diffHtml(diffs, htmlOpts), html, "deterministic");
});

test("HTML: ids are unique and the summary table rows link to each change", () => {
  const ids = all(page).map((e) => attr(e, "id")).filter((x): x is string => !!x);
  assert.equal(new Set(ids).size, ids.length, "unique ids");
  for (const a of all(page, "a")) {
    const href = attr(a, "href")!;
    assert.ok(byId(page, href.slice(1)), `link target exists: ${href}`);
  }
  const tables = all(page, "table").filter((t) => hasClass(t, "oversigt"));
  assert.equal(tables.length, 2, "a summary table per document with changes");
  const heads = all(tables[0], "th").map(text);
  assert.deepEqual(heads, ["Nr.", "Pkt. (gammel → ny)", "Overskrift", "Ændring", "Ord +/−"]);
  const rows = tables.flatMap((t) => all(all(t, "tbody")[0], "tr"));
  assert.equal(rows.length, 18);
  rows.forEach((tr, i) => {
    const link = all(tr, "a")[0];
    assert.equal(attr(link, "href"), `#aendring-${i + 1}`);
    assert.equal(text(link), String(i + 1));
  });
  const cells = (i: number) => all(rows[i], "td").map(text);
  assert.deepEqual(cells(0), ["1", "4.5 → 4.6", "Ophør", "omnummereret", "–"]);
  assert.deepEqual(cells(1), ["2", "3.2 → 5.1", "Underleverandører", "flyttet fra pkt. 3.2, ændret", "+2 / −0"]);
  assert.deepEqual(cells(2), ["3", "6.4", "Ny klausul", "indsat", "+4 / −0"]);
  assert.deepEqual(cells(3), ["4", "6.4 → 6.5", "Bod", "ændret, omnummereret", "+5 / −1"]);
  assert.deepEqual(cells(4), ["5", "7.2", "Gammel klausul", "slettet", "+0 / −3"]);
  assert.deepEqual(cells(5), ["6", "8", HOSTILE_HEADING, "ændret", "+1 / −0"]);
});

test("HTML: the redline holds the whole new document with <ins>/<del>, moves and renumbering marked", () => {
  const redline = byId(page, "redline")!;
  const bodEl = byId(redline, "aendring-4")!;
  assert.deepEqual(all(bodEl, "del").map(text), ["1.000"]);
  assert.deepEqual(all(bodEl, "ins").map(text), ["2.000", "Bod udelukker ikke erstatning."]);
  assert.ok(all(bodEl, "p").some((p) => text(p) === "Boden forfalder straks."), "unchanged blocks of a changed clause are shown");
  assert.equal(text(all(bodEl, "span").find((s) => hasClass(s, "nr"))!), "6.4 → 6.5");

  const movedEl = byId(redline, "aendring-2")!;
  assert.match(text(movedEl), /flyttet fra pkt\. 3\.2/);
  assert.deepEqual(all(movedEl, "ins").map(text), ["kun ", "godkendte "]);

  const renEl = byId(redline, "aendring-1")!;
  assert.equal(text(all(renEl, "span").find((s) => hasClass(s, "nr"))!), "4.5 → 4.6");
  const refP = all(renEl, "p").find((p) => text(p).startsWith("Se også"))!;
  assert.ok(hasClass(refP, "henvisning"), "a reference that followed renumbering is marked, muted");
  assert.deepEqual([all(refP, "del").map(text), all(refP, "ins").map(text)], [["6.4"], ["6.5"]]);
  assert.deepEqual(all(byId(redline, "aendring-3")!, "ins").map(text), ["Ny klausul", "Leverandøren skal dokumentere indsatsen."]);
  assert.deepEqual(all(byId(redline, "aendring-5")!, "del").map(text), ["Gammel klausul", "Denne bestemmelse udgår."]);

  // Unchanged clauses are there, in reading order; a run of 4 is folded into <details>.
  const details = all(redline, "details");
  assert.equal(details.length, 1, "only the run of 4 before the first change (clause 9 and bilag B1 are single clauses)");
  assert.match(text(all(details[0], "summary")[0]), /^4 uændrede punkter \(pkt\. 1 – 3\)$/);
  assert.ok(text(details[0]).includes("Mellem Københavns Kommune"));
  const order = ["Aftalegrundlaget består", "Aftalen ophører", "godkendte", "dokumentere indsatsen", "1.000", "Denne bestemmelse udgår", "Tvister afgøres"];
  const t = text(redline);
  const pos = order.map((s) => t.indexOf(s));
  assert.ok(pos.every((p, i) => p >= 0 && (i === 0 || p > pos[i - 1])), `reading order: ${pos}`);
});

test("HTML: hostile text is escaped and comes back as text", () => {
  assert.ok(!html.includes("<script"), "no script tag anywhere in the source");
  assert.ok(!html.includes("<img"));
  assert.ok(!html.includes("\u001b"));
  const host = byId(page, "aendring-6")!;
  assert.ok(all(host, "h4").some((e) => text(e).endsWith(HOSTILE_HEADING)), "the heading reads as the literal text");
  const expected = HOSTILE_TEXT.replace("\u001b", "\ufffd");
  assert.ok(all(host, "p").some((p) => text(p) === `${expected} & <b>mere</b>`), "the body text survives exactly (&amp; stays literal)");
  assert.deepEqual(all(host, "ins").map(text), [" & <b>mere</b>"]);
  assert.equal(all(host, "b").length, 0);
  const li = all(byId(page, "indholdsmaessige")!, "li").map(text);
  assert.deepEqual(li, semantic);
});

test("HTML: side by side has two aligned columns per changed clause, each with its own marks", () => {
  const sbs = byId(page, "side-om-side")!;
  const sections = all(sbs, "section").filter((s) => hasClass(s, "side-klausul"));
  assert.deepEqual(
    sections.map((s) => attr(s, "id")),
    ["side-2", "side-3", "side-4", "side-5", "side-6"],
    "every changed clause except the renumbered-only ones",
  );
  for (const s of sections) {
    const table = all(s, "table")[0];
    assert.deepEqual(all(all(table, "thead")[0], "th").map(text), ["Udkast 1 (marts)", "Udkast 2 <april>"]);
    for (const tr of all(all(table, "tbody")[0], "tr")) {
      const tds = all(tr, "td");
      assert.equal(tds.length, 2, "old | new");
      assert.ok(hasClass(tds[0], "gammel") && hasClass(tds[1], "ny"));
      assert.equal(all(tds[0], "ins").length, 0, "no insertions in the old column");
      assert.equal(all(tds[1], "del").length, 0, "no deletions in the new column");
    }
  }
  const bodRows = all(all(byId(sbs, "side-4")!, "tbody")[0], "tr").map((tr) => all(tr, "td").map(text));
  assert.deepEqual(bodRows, [
    ["6.4 Bod", "6.5 Bod"],
    ["Leverandøren betaler en bod på 1.000 kr. pr. dag.", "Leverandøren betaler en bod på 2.000 kr. pr. dag."],
    ["Boden forfalder straks.", "Boden forfalder straks."],
    ["", "Bod udelukker ikke erstatning."],
  ]);
  const bodTds = all(byId(sbs, "side-4")!, "td");
  assert.deepEqual(bodTds.flatMap((td) => all(td, "del")).map(text), ["1.000"]);
  assert.deepEqual(bodTds.flatMap((td) => all(td, "ins")).map(text), ["2.000", "Bod udelukker ikke erstatning."]);
  assert.match(text(byId(sbs, "side-2")!), /flyttet fra pkt\. 3\.2/);
  const insRows = all(all(byId(sbs, "side-3")!, "tbody")[0], "tr").map((tr) => all(tr, "td").map(text));
  assert.deepEqual(insRows[0], ["(findes ikke)", "6.4 Ny klausul"]);
});

test("HTML: the semantic section only when semantic changes are given", () => {
  const plain = parseHtml(diffHtml(diffs, { ...htmlOpts, semantic: undefined }));
  assert.equal(byId(plain, "indholdsmaessige"), undefined);
  assert.ok(!all(plain, "h2").some((e) => text(e) === "Indholdsmæssige ændringer"));
  assert.ok(all(page, "h2").some((e) => text(e) === "Indholdsmæssige ændringer"));
  const empty = parseHtml(diffHtml(diffs, { ...htmlOpts, semantic: [] }));
  assert.match(text(byId(empty, "indholdsmaessige")!), /Ingen indholdsmæssige ændringer/);
});

/* ---------------------------------------------------------------- change summary tree */

const treeOpts = { oldLabel: "Udkast 1 (marts)", newLabel: "Udkast 2 (april)", date: "2024-04-02", author: "Københavns Kommune" };

test("changeSummaryTree: a document tree the writers turn into the ændringsoversigt", async () => {
  const tree = changeSummaryTree(diffs, treeOpts);
  assert.equal(tree.title, "Ændringsoversigt");
  assert.deepEqual(tree.subtitle, ["Gammel version: Udkast 1 (marts)", "Ny version: Udkast 2 (april)"]);
  assert.equal(tree.lang, "da");
  assert.equal(tree.date, "2024-04-02");
  // An index table per document with changes (then a Før/Efter table per change with text).
  const tables = tree.blocks.filter((b) => b.type === "table" && inlineText(b.header[0].content) === "Nr.");
  assert.equal(tables.length, 2, "a table per document with changes");

  const md = writeMarkdown(tree);
  assert.ok(md.startsWith("# Ændringsoversigt\n"), md);
  assert.ok(md.includes("Gammel version: Udkast 1 (marts)"));
  assert.ok(md.includes("| Nr. | Pkt. | Overskrift | Ændring | Beskrivelse |"), md);
  for (const row of [
    "| 1 | 4.5 → 4.6 | Ophør | omnummereret | uændret tekst |",
    "| 2 | 3.2 → 5.1 | Underleverandører | flyttet, ændret | flyttet fra pkt. 3.2; 2 ord tilføjet |",
    "| 3 | 6.4 | Ny klausul | indsat | nyt punkt |",
    "| 4 | 6.4 → 6.5 | Bod | ændret, omnummereret | 5 ord tilføjet, 1 fjernet |",
    "| 5 | 7.2 | Gammel klausul | slettet | punktet er udgået |",
    "| 7 | 1.1 → 1.2 | Krav 1 | omnummereret | uændret tekst |",
    "| 18 | 1.12 → 1.13 | Krav 12 | omnummereret | uændret tekst |",
  ])
    assert.ok(md.includes(`${row}\n`), row);
  assert.ok(md.includes("Ingen ændringer."), "bilag B1");
  assert.ok(md.includes("I alt: 2 ændrede, 1 indsat, 1 slettet, 1 flyttet, 13 omnummererede."));
  assert.ok(md.includes("| 6 | 8 | \\<script>alert(\"x\")\\</script> | ændret | 1 ord tilføjet |\n"), "markdown escapes the hostile heading");
  assert.doesNotMatch(md, /(^|[^\\])<script/m);
  assert.equal(writeMarkdown(changeSummaryTree(diffs, treeOpts)), md, "deterministic");

  // The other writers take the tree as it is.
  parseHtml(writeHtml(tree));
  const docx = await writeDocx(tree, { pageNumbers: false });
  assert.equal(docx.subarray(0, 2).toString("latin1"), "PK");
});

/* ---------------------------------------------------------------- with the real producer */

test("end to end: align.ts output of two Markdown versions goes through every writer", () => {
  const v1 = [
    "# Rammeaftale",
    "Mellem Københavns Kommune og Leverandøren.",
    "## 1. Formål",
    "Aftalen sikrer indsats for borgerne.",
    "## 2. Bod",
    "Leverandøren betaler en bod på 1.000 kr. pr. dag.",
    "## 3. Ophør",
    "Aftalen ophører uden varsel.",
    "## 4. Tvister",
    "Tvister afgøres ved domstolene.",
  ].join("\n\n");
  const v2 = [
    "# Rammeaftale",
    "Mellem Københavns Kommune og Leverandøren.",
    "## 1. Formål",
    "Aftalen sikrer indsats for borgerne.",
    "## 2. Dokumentation",
    "Leverandøren dokumenterer indsatsen månedligt over for Ordregiver.",
    "## 3. Bod",
    "Leverandøren betaler en bod på 2.000 kr. pr. dag.",
    "## 4. Ophør",
    "Aftalen ophører uden varsel.",
  ].join("\n\n");
  const d = diffDocuments(readMarkdownDoc(v1, "rammeaftale"), readMarkdownDoc(v2, "rammeaftale"));
  const j = diffJson([d]);
  assert.deepEqual(
    j.changes.map((c) => [c.kind, c.old?.ref ?? null, c.new?.ref ?? null]),
    [
      ["inserted", null, "2"],
      ["modified", "2", "3"],
      ["renumbered", "3", "4"],
      ["deleted", "4", null],
    ],
  );
  const n = j.changes.length;
  assert.equal(Object.values(j.summary).reduce((x, y) => x + y, 0), n, "summary counts each change once");
  const out = diffTerminal([d], { color: false });
  assert.ok(out.startsWith("1 ændret, 1 indsat, 1 slettet, 0 flyttede, 1 omnummereret\n"), out);
  assert.ok(out.includes("  ~ pkt. 2 → 3 Bod (ændret, 1 ord tilføjet, 1 fjernet)\n      Leverandøren betaler en bod på [-1.000-]{+2.000+} kr. pr. dag.\n"), out);
  const doc = parseHtml(diffHtml([d], { title: "T", oldLabel: "v1", newLabel: "v2" }));
  assert.deepEqual(all(byId(doc, "aendring-2")!, "del").map(text), ["1.000"]);
  assert.deepEqual(all(byId(doc, "aendring-2")!, "ins").map(text), ["2.000"]);
  assert.match(writeMarkdown(changeSummaryTree([d], treeOpts)), /\| 4 \| 4 \| Tvister \| slettet \| punktet er udgået \|/);
});

test("a clause without heading is named by the start of its text", () => {
  const o = clause(null, "", ["Denne tekst har ingen overskrift og er ret lang, så den skal forkortes i oversigten."], 0);
  const nw = clause(null, "", ["Denne tekst har ingen overskrift og er ret lang, så den skal forkortes i oversigten nu."], 0);
  const a: AlignedClause = {
    kinds: ["modified"],
    old: o,
    new: nw,
    headingRuns: [],
    blocks: [modifiedBlock([{ op: "equal", text: o.blocks[0].text.slice(0, -1) }, { op: "insert", text: " nu" }, { op: "equal", text: "." }])],
    words: { added: 1, removed: 0 },
  };
  const d: DocDiff = { id: "x.txt", title: "x.txt", clauses: [a], summary: { inserted: 0, deleted: 0, modified: 1, moved: 0, henvisning: 0, renumbered: 0 } };
  const out = diffTerminal([d], { color: false });
  assert.ok(out.includes("  ~ »Denne tekst har ingen overskrift og er ret lang …« (ændret, 1 ord tilføjet)\n"), out);
  assert.ok(out.includes("x.txt: 1 ændret,"), "a document whose title is its id is named once");
});
