/**
 * The ændringsoversigt as a document tree (an annex for the DOCX, PDF, Markdown and HTML writers):
 * the counts, a table of the changes, and per change with text its old and new wording around each
 * change. Numbers and labels are shared with the reports in ./report.ts.
 */
import type { Block as TreeBlock, DocumentTree, TableCell } from "../doc/ast.js";
import type { AlignedClause, DocDiff, Run } from "./model.js";
import { KIND_LABEL, blockDiffsOf, collectChanges, countsText, describeChange, displayRuns, docSummary, hasChange, headingLabel, headingRunsOf, kindsOf, kindsText, refLabel, totalSummary } from "./report.js";

/** Words of context on each side of a change in the annex's excerpts. */
const EXCERPT_CONTEXT = 6;
/** Most words of a wholly inserted or deleted text shown in an excerpt. */
const EXCERPT_WHOLE = 30;
/** Most excerpt rows per change; the rest is one "… og N ændringer mere" row. */
const EXCERPT_ROWS = 6;

const wordsOf = (t: string) => t.replace(/\s+/g, " ").trim().split(" ").filter(Boolean);

function head(t: string, n: number): string {
  const w = wordsOf(t);
  return w.length > n ? `${w.slice(0, n).join(" ")} …` : w.join(" ");
}

/** The last `n` words of a text with the spacing before what follows ("… " when cut). */
function rawTail(t: string, n: number): string {
  const starts = [...t.matchAll(/\S+/g)].map((m) => m.index!);
  return starts.length > n ? `… ${t.slice(starts[starts.length - n])}` : t.replace(/^\s+/, "");
}

/** The first `n` words of a text with the spacing after what precedes (" …" when cut). */
function rawHead(t: string, n: number): string {
  const ms = [...t.matchAll(/\S+/g)];
  return ms.length > n ? `${t.slice(0, ms[n - 1].index! + ms[n - 1][0].length)} …` : t.replace(/\s+$/, "");
}

/** Old and new wording around each change hunk of a list of runs: [før, efter] per hunk. */
export function hunkExcerpts(runs: Run[], context = EXCERPT_CONTEXT): [string, string][] {
  const out: [string, string][] = [];
  const rs = runs.filter((r) => r.text !== "");
  for (let i = 0; i < rs.length; ) {
    if (rs[i].op === "equal") {
      i++;
      continue;
    }
    let del = "";
    let ins = "";
    const start = i;
    while (i < rs.length && rs[i].op !== "equal") {
      if (rs[i].op === "delete") del += rs[i].text;
      else ins += rs[i].text;
      i++;
    }
    const before = start > 0 ? rawTail(rs[start - 1].text, context) : "";
    const after = i < rs.length ? rawHead(rs[i].text, context) : "";
    const tidy = (x: string) => x.replace(/\s+/g, " ").trim();
    out.push([tidy(before + del + after), tidy(before + ins + after)]);
  }
  return out;
}

/** The annex's excerpt rows for one change: [før, efter] per changed passage. */
function excerptRows(a: AlignedClause): [string, string][] {
  const kinds = kindsOf(a);
  const rows: [string, string][] = [];
  if (a.blockMove) {
    const m = a.blockMove;
    const place = (x: typeof m.from) => (x.ref ? `pkt. ${x.ref}: ` : "");
    if (m.runs.some((r) => r.op !== "equal")) for (const [o, n] of hunkExcerpts(m.runs)) rows.push([`${place(m.from)}${o}`, `${place(m.to)}${n}`]);
    else rows.push([`${place(m.from)}${head(m.old.text, 12)}`, `${place(m.to)}${head(m.new.text, 12)}`]);
    return rows;
  }
  if (kinds.includes("inserted") && a.new) return [["", head([a.new.heading, ...a.new.blocks.map((b) => b.text)].join(" "), EXCERPT_WHOLE)]];
  if (kinds.includes("deleted") && a.old) return [[head([a.old.heading, ...a.old.blocks.map((b) => b.text)].join(" "), EXCERPT_WHOLE), ""]];
  if (!kinds.includes("modified")) return rows;
  const hr = headingRunsOf(a);
  if (a.old && a.new && hasChange(hr)) rows.push([`Overskrift: ${a.old.heading}`, `Overskrift: ${a.new.heading}`]);
  for (const b of blockDiffsOf(a)) {
    if (b.op === "equal" || b.refsOnly || b.move !== undefined) continue;
    if (b.op === "insert") rows.push(["", head(b.new?.text ?? "", EXCERPT_WHOLE)]);
    else if (b.op === "delete") rows.push([head(b.old?.text ?? "", EXCERPT_WHOLE), ""]);
    else rows.push(...hunkExcerpts(displayRuns(b)));
  }
  if (rows.length > EXCERPT_ROWS) {
    const more = rows.length - (EXCERPT_ROWS - 1);
    return [...rows.slice(0, EXCERPT_ROWS - 1), [`… og ${more} ændringer mere`, ""]];
  }
  return rows;
}

function cell(text: string, align?: TableCell["align"]): TableCell {
  return align ? { content: [{ type: "text", text }], align } : { content: [{ type: "text", text }] };
}

/**
 * The ændringsoversigt as a document tree, for writeDocx / writePdf / writeMarkdown / writeHtml
 * (e.g. as an annex to the new version). Title "Ændringsoversigt", subtitle lines with the two
 * versions; the totals; then per document an unnumbered level-1 heading (its title), its counts
 * and a table Nr. | Pkt. | Overskrift | Ændring | Beskrivelse (or "Ingen ændringer.").
 * Nr. is the change number shared with the HTML report and the JSON.
 */
export function changeSummaryTree(diffs: DocDiff[], opts: { oldLabel: string; newLabel: string; date: string; author: string }): DocumentTree {
  const changes = collectChanges(diffs);
  const para = (text: string): TreeBlock => ({ type: "paragraph", content: [{ type: "text", text }] });
  const blocks: TreeBlock[] = [para(`I alt: ${countsText(totalSummary(diffs))}.`)];
  diffs.forEach((d, i) => {
    blocks.push({ type: "heading", level: 1, numbered: false, content: [{ type: "text", text: d.title || d.id }] });
    const mine = changes.filter((c) => c.docIndex === i);
    blocks.push(para(`${countsText(docSummary(d))}.`));
    if (!mine.length) {
      blocks.push(para("Ingen ændringer."));
      return;
    }
    blocks.push({
      type: "table",
      header: [cell("Nr.", "right"), cell("Pkt."), cell("Overskrift"), cell("Ændring"), cell("Beskrivelse")],
      rows: mine.map((ch) => [
        cell(String(ch.nr), "right"),
        cell(refLabel(ch.a) || "–"),
        cell(headingLabel(ch.a)),
        cell(ch.kinds.map((k) => KIND_LABEL[k]).join(", ")),
        cell(describeChange(ch.a)),
      ]),
    });
    // What changed: per change with text, its old and new wording around each change.
    const withText = mine.map((ch) => ({ ch, rows: excerptRows(ch.a) })).filter((x) => x.rows.length);
    if (withText.length) {
      blocks.push({ type: "heading", level: 2, numbered: false, content: [{ type: "text", text: `Ændringer i teksten – ${d.title || d.id}` }] });
      for (const { ch, rows } of withText) {
        const ref = refLabel(ch.a);
        blocks.push({ type: "paragraph", content: [{ type: "strong", content: [{ type: "text", text: `Nr. ${ch.nr}: ${ref ? `pkt. ${ref} ` : ""}${headingLabel(ch.a)}` }] }, { type: "text", text: ` (${kindsText(ch)})` }] });
        // Document text may hold control characters no output format can carry: they become U+FFFD.
        const safe = (t: string) => t.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, "\ufffd") || "–";
        blocks.push({ type: "table", header: [cell("Før"), cell("Efter")], rows: rows.map(([a, b]) => [cell(safe(a)), cell(safe(b))]) });
      }
    }
  });
  return {
    id: "aendringsoversigt",
    title: "Ændringsoversigt",
    subtitle: [`Gammel version: ${opts.oldLabel}`, `Ny version: ${opts.newLabel}`],
    label: "Ændringsoversigt",
    lang: "da",
    date: opts.date,
    author: opts.author,
    blocks,
  };
}
