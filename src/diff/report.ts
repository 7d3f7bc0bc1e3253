/**
 * Diff writers: a `DocDiff[]` (see ./model.ts) → JSON, terminal text, a standalone HTML report and
 * the ændringsoversigt as a document tree (for the DOCX/PDF/Markdown/HTML writers, as an annex).
 * They read the diff and nothing else; every output is deterministic (no dates, no clocks, no
 * iteration over unordered data).
 *
 * Shared rules:
 *  - A change is an aligned clause with at least one kind; unchanged clauses are never listed.
 *  - Its kinds are reported in priority order — inserted > deleted > moved > modified >
 *    renumbered — and the first is the *primary* kind (`primaryKind`).
 *  - Changes are numbered 1, 2, 3, … across all documents, in document order and then in the
 *    reading order of `DocDiff.clauses`. "Nr." in the HTML report and in the annex is that number,
 *    and it is the position (+1) in the JSON `changes` array, so "ændring nr. 7" means the same
 *    thing everywhere.
 *  - Counts are the producer's `DocDiff.summary` (totals are their sum). align.ts counts each
 *    changed clause once, under its primary kind, so the counts add up to the number of changes.
 *  - A block with `refsOnly` (its only change is a cross-reference following renumbering) is a
 *    consequence of renumbering, not an amendment: the HTML shows its marks (muted), the terminal
 *    leaves it out like the renumbering itself.
 */
import { escapeHtml } from "../write/html.js";
import type { AlignedClause, Block, BlockDiff, BlockMove, ChangeKind, Clause, DocDiff, Run, Side, StaleRef } from "./model.js";
import { side } from "./model.js";
import { visible } from "../terminal.js";

/* ------------------------------------------------------------------------------------------ */
/* Shared helpers                                                                              */
/* ------------------------------------------------------------------------------------------ */

type Summary = DocDiff["summary"];

/** Kinds in priority order: the first kind of a clause in this order is its primary kind. */
const KIND_PRIORITY: readonly ChangeKind[] = ["inserted", "deleted", "moved", "modified", "henvisning", "renumbered"];

/** Danish label of a kind, as used in change lines and tables. */
export const KIND_LABEL: Record<ChangeKind, string> = {
  inserted: "indsat",
  deleted: "slettet",
  moved: "flyttet",
  modified: "ændret",
  henvisning: "henvisning ikke fulgt med",
  renumbered: "omnummereret",
};

/** Order and Danish singular/plural of the counts line: "3 ændrede, 1 indsat, 0 slettede, …". */
const COUNT_WORDS: readonly [keyof Summary, string, string][] = [
  ["modified", "ændret", "ændrede"],
  ["inserted", "indsat", "indsatte"],
  ["deleted", "slettet", "slettede"],
  ["moved", "flyttet", "flyttede"],
  ["henvisning", "henvisning ikke fulgt med", "henvisninger ikke fulgt med"],
  ["renumbered", "omnummereret", "omnummererede"],
];

/** The clause's kinds, deduplicated, in priority order. */
export function kindsOf(a: AlignedClause): ChangeKind[] {
  return KIND_PRIORITY.filter((k) => a.kinds.includes(k));
}

function emptySummary(): Summary {
  return { inserted: 0, deleted: 0, moved: 0, modified: 0, henvisning: 0, renumbered: 0 };
}

export function docSummary(d: DocDiff): Summary {
  const s = d.summary ?? emptySummary();
  return { inserted: s.inserted, deleted: s.deleted, modified: s.modified, moved: s.moved, henvisning: s.henvisning ?? 0, renumbered: s.renumbered };
}

export function totalSummary(diffs: DocDiff[]): Summary {
  const t = emptySummary();
  for (const d of diffs) {
    const s = docSummary(d);
    for (const k of KIND_PRIORITY) t[k] += s[k];
  }
  return { inserted: t.inserted, deleted: t.deleted, modified: t.modified, moved: t.moved, henvisning: t.henvisning, renumbered: t.renumbered };
}

/** "3 ændrede, 1 indsat, 0 slettede, 1 flyttet, 12 omnummererede" (henvisninger only when there are any). */
export function countsText(s: Summary): string {
  return COUNT_WORDS.filter(([k]) => k !== "henvisning" || (s[k] ?? 0) > 0)
    .map(([k, one, many]) => `${s[k] ?? 0} ${s[k] === 1 ? one : many}`)
    .join(", ");
}

/**
 * A moved block as a change of its own: a clause-like entry with the block's old place (pkt. and
 * heading of the clause it left) and its new place, and the word changes inside it.
 */
function moveClause(m: BlockMove): AlignedClause {
  const oldC: Clause = { ref: m.from.ref, heading: m.from.heading, level: 1, blocks: [m.old] };
  const newC: Clause = { ref: m.to.ref, heading: m.to.heading, level: 1, blocks: [m.new] };
  const changed = m.runs.some((r) => r.op !== "equal");
  const block: BlockDiff = changed ? { op: "modify", old: m.old, new: m.new, runs: m.runs } : { op: "equal", old: m.old, new: m.new, runs: [{ op: "equal", text: m.new.text }] };
  return { kinds: ["moved"], old: oldC, new: newC, headingRuns: [{ op: "equal", text: m.to.heading }], blocks: [block], words: m.words, movedFrom: m.from.ref, blockMove: m };
}

/** "afsnit 4.5.1, som efter omnummereringen hedder 4.6.1 (nu er 4.5.1 et andet afsnit: »Ophør«)". */
export function staleRefText(r: StaleRef): string {
  const now = r.nowRef ? `som efter omnummereringen hedder ${r.nowRef}` : "som er slettet";
  const other = r.nowOther ? ` (nu er ${r.nowOther.ref} et andet afsnit: »${r.nowOther.heading}«)` : "";
  return `${r.text}, ${now}${other}`;
}

/** "pkt. 4.3 henviser til afsnit 4.5.1, som …" — one sentence per stale reference of the clause. */
export function staleRefSentences(a: AlignedClause): string[] {
  const ref = a.new?.ref ? `pkt. ${a.new.ref}` : headingLabel(a) || "Teksten";
  return (a.staleRefs ?? []).map((r) => `${ref} henviser til ${staleRefText(r)}.`);
}

export interface Change {
  /** 1-based, across all documents. */
  nr: number;
  doc: DocDiff;
  docIndex: number;
  a: AlignedClause;
  kinds: ChangeKind[];
  primary: ChangeKind;
}

/** Every change, numbered, in document order and then reading order. */
export function collectChanges(diffs: DocDiff[]): Change[] {
  const out: Change[] = [];
  diffs.forEach((doc, docIndex) => {
    const moves = doc.moves ?? [];
    doc.clauses.forEach((a, ci) => {
      const kinds = kindsOf(a);
      if (kinds.length) out.push({ nr: out.length + 1, doc, docIndex, a, kinds, primary: kinds[0] });
      // A moved block is listed right after the clause it entered.
      for (const m of moves) if (m.to.clauseIndex === ci) out.push({ nr: out.length + 1, doc, docIndex, a: moveClause(m), kinds: ["moved"], primary: "moved" });
    });
  });
  return out;
}

/** "4 ord tilføjet, 2 fjernet", "4 ord tilføjet", "2 ord fjernet" or "" (no word changed). */
export function wordsText(w: { added: number; removed: number }): string {
  if (w.added && w.removed) return `${w.added} ord tilføjet, ${w.removed} fjernet`;
  if (w.added) return `${w.added} ord tilføjet`;
  if (w.removed) return `${w.removed} ord fjernet`;
  return "";
}

/** The clause number(s): "4.5 → 4.6" when it changed, "4.5" when not, "" when there is none. */
export function refLabel(a: AlignedClause): string {
  if (a.old && a.new) {
    const o = a.old.ref ?? "–";
    const n = a.new.ref ?? "–";
    if (a.old.ref === a.new.ref) return a.old.ref ?? "";
    return `${o} → ${n}`;
  }
  return (a.new ?? a.old)?.ref ?? "";
}

/**
 * Heading text for display: the new heading (the old one for deleted clauses). A clause without a
 * heading (the preamble; each paragraph of a document without headings) is named by the start
 * of its text: »Mellem Københavns Kommune og …«.
 */
export function headingLabel(a: AlignedClause): string {
  const c = (a.new ?? a.old) as Clause | null;
  if (!c) return "";
  if (c.heading) return c.heading;
  const t = c.blocks.map((b) => b.text).join(" ").replace(/\s+/g, " ").trim();
  if (!t) return "(uden overskrift)";
  if (t.length <= EXCERPT_MAX) return `»${t}«`;
  const cut = t.slice(0, EXCERPT_MAX);
  const space = cut.lastIndexOf(" ");
  return `»${(space > EXCERPT_MAX / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/u, "")} …«`;
}

/** Longest text excerpt used as the name of a clause without a heading. */
const EXCERPT_MAX = 50;

function movedFromRef(a: AlignedClause): string | null {
  return a.movedFrom ?? a.old?.ref ?? null;
}

function movedText(a: AlignedClause): string {
  const from = movedFromRef(a);
  if (a.blockMove) {
    const what = a.blockMove.new.kind === "table-row" ? "række" : a.blockMove.new.kind === "list-item" ? "listepunkt" : "afsnit";
    const w = wordsText(a.blockMove.words);
    const place = a.blockMove.from.clauseIndex === a.blockMove.to.clauseIndex ? "flyttet inden for punktet" : from ? `flyttet fra pkt. ${from}` : "flyttet";
    return `${what} ${place}${w ? ` (${w})` : ""}`;
  }
  return from ? `flyttet fra pkt. ${from}` : "flyttet";
}

/** "flyttet fra pkt. 3.2, ændret" — the kinds in priority order, moved with its origin. */
export function kindsText(ch: Change): string {
  return ch.kinds.map((k) => (k === "moved" ? movedText(ch.a) : KIND_LABEL[k])).join(", ");
}

/** Whether a list of runs changes anything. */
export function hasChange(runs: Run[]): boolean {
  return runs.some((r) => r.op !== "equal");
}

/**
 * The short description used in the annex ("Beskrivelse"): "4 ord tilføjet, 2 fjernet",
 * "flyttet fra pkt. 3.2", "nyt punkt", "punktet er udgået", "uændret tekst".
 */
export function describeChange(a: AlignedClause): string {
  const kinds = kindsOf(a);
  const parts: string[] = [];
  if (kinds.includes("inserted")) parts.push("nyt punkt");
  if (kinds.includes("deleted")) parts.push("punktet er udgået");
  if (kinds.includes("moved")) parts.push(movedText(a));
  if (kinds.includes("modified")) {
    const mod: string[] = [];
    if (hasChange(headingRunsOf(a))) mod.push("overskrift ændret");
    const w = wordsText(a.words);
    if (w) mod.push(w);
    parts.push(mod.length ? mod.join(", ") : "ændret tegnsætning eller formatering");
  }
  if (kinds.includes("henvisning")) parts.push(...(a.staleRefs ?? []).map((r) => `henviser til ${staleRefText(r)}`));
  if (kinds.length === 1 && kinds[0] === "renumbered") parts.push("uændret tekst");
  return parts.join("; ");
}

/** The heading's word diff; synthesised from the clauses if the producer left it empty. */
export function headingRunsOf(a: AlignedClause): Run[] {
  if (a.headingRuns?.length) return a.headingRuns;
  if (a.old && a.new) {
    return a.old.heading === a.new.heading
      ? [{ op: "equal", text: a.new.heading }]
      : [
          { op: "delete", text: a.old.heading },
          { op: "insert", text: a.new.heading },
        ];
  }
  if (a.new) return [{ op: kindsOf(a).includes("inserted") ? "insert" : "equal", text: a.new.heading }];
  if (a.old) return [{ op: kindsOf(a).includes("deleted") ? "delete" : "equal", text: a.old.heading }];
  return [];
}

/** The clause's block diffs; synthesised from the clauses if the producer left them empty. */
export function blockDiffsOf(a: AlignedClause): BlockDiff[] {
  if (a.blocks?.length) return a.blocks;
  const kinds = kindsOf(a);
  if (!a.old && a.new) return a.new.blocks.map((b) => ({ op: "insert", new: b, runs: [{ op: "insert", text: b.text }] }));
  if (a.old && !a.new) return a.old.blocks.map((b) => ({ op: "delete", old: b, runs: [{ op: "delete", text: b.text }] }));
  if (kinds.includes("inserted") && a.new) return a.new.blocks.map((b) => ({ op: "insert", new: b, runs: [{ op: "insert", text: b.text }] }));
  if (kinds.includes("deleted") && a.old) return a.old.blocks.map((b) => ({ op: "delete", old: b, runs: [{ op: "delete", text: b.text }] }));
  const c = a.new ?? a.old;
  return c ? c.blocks.map((b) => ({ op: "equal", old: b, new: b, runs: [{ op: "equal", text: b.text }] })) : [];
}

/** A block diff's runs as one line of text: table rows with per-cell runs get " | " between cells. */
export function displayRuns(b: BlockDiff): Run[] {
  if (b.cellRuns?.length) {
    const out: Run[] = [];
    b.cellRuns.forEach((cell, i) => {
      if (i) out.push({ op: "equal", text: " | " });
      out.push(...cell);
    });
    return out;
  }
  if (b.runs?.length) return b.runs;
  const op = b.op === "insert" ? "insert" : b.op === "delete" ? "delete" : "equal";
  return [{ op, text: (b.new ?? b.old)?.text ?? "" }];
}

/** The block the diff is about (the new one unless the block was deleted). */
function blockOf(b: BlockDiff): Block | undefined {
  return b.new ?? b.old;
}

/* ------------------------------------------------------------------------------------------ */
/* JSON                                                                                        */
/* ------------------------------------------------------------------------------------------ */

/**
 * The JSON report (`udbud diff --json`). Shape, with keys in this order:
 *
 *   {
 *     "summary":   { "inserted": n, "deleted": n, "modified": n, "moved": n, "henvisning": n, "renumbered": n },
 *     "documents": [ { "id": "rammeaftale", "title": "…", "summary": { …same keys… } } ],
 *     "changes": [
 *       {
 *         "document": "rammeaftale",                  // the DocDiff id
 *         "kind": "moved",                            // primary kind: inserted > deleted > moved > modified > renumbered
 *         "kinds": ["moved", "modified"],             // every kind, in that priority order
 *         "old": { "ref": "3.2", "heading": "…", "text": "…", "id"?: "…" } | null,   // side(old)
 *         "new": { "ref": "5.1", "heading": "…", "text": "…", "id"?: "…" } | null,   // side(new)
 *         "words": { "added": n, "removed": n },
 *         "staleRefs"?: [ { "text": "afsnit 4.5.1", "cited": "4.5.1", "nowRef": "4.6.1" | null,
 *                           "nowOther"?: { "ref", "heading" }, "sentence": "pkt. 4.3 henviser til …" } ],
 *         "block"?: "paragraph" | "list-item" | "table-row"   // a moved block, not a whole clause
 *       }
 *     ],
 *     "semantic": [ "…" ]                             // [] when not given
 *   }
 *
 * `summary` is the sum of the documents' summaries; `changes` lists only changed clauses, in
 * document order and then reading order (change nr. N is `changes[N-1]`). `ref` is null for
 * unnumbered headings and the preamble; `id` is present only when the clause has a stable id.
 */
export interface DiffJson {
  summary: Summary;
  documents: { id: string; title: string; summary: Summary }[];
  changes: {
    document: string;
    kind: ChangeKind;
    kinds: ChangeKind[];
    old: Side | null;
    new: Side | null;
    words: { added: number; removed: number };
    /** References that did not follow a renumbering (kind "henvisning"), with a Danish sentence each. */
    staleRefs?: (StaleRef & { sentence: string })[];
    /** For a moved block (not a whole clause): "paragraph", "list-item" or "table-row". */
    block?: Block["kind"];
  }[];
  semantic: string[];
}

export function diffJson(diffs: DocDiff[], semantic?: string[]): DiffJson {
  return {
    summary: totalSummary(diffs),
    documents: diffs.map((d) => ({ id: d.id, title: d.title, summary: docSummary(d) })),
    changes: collectChanges(diffs).map((ch) => ({
      document: ch.doc.id,
      kind: ch.primary,
      kinds: ch.kinds,
      old: side(ch.a.old),
      new: side(ch.a.new),
      words: { added: ch.a.words?.added ?? 0, removed: ch.a.words?.removed ?? 0 },
      ...(ch.a.staleRefs?.length ? { staleRefs: ch.a.staleRefs.map((r, k) => ({ ...r, sentence: staleRefSentences(ch.a)[k] })) } : {}),
      ...(ch.a.blockMove ? { block: ch.a.blockMove.new.kind } : {}),
    })),
    semantic: [...(semantic ?? [])],
  };
}

/* ------------------------------------------------------------------------------------------ */
/* Terminal                                                                                    */
/* ------------------------------------------------------------------------------------------ */

const ESC = "\u001b[";
const SGR = {
  reset: `${ESC}0m`,
  bold: `${ESC}1m`,
  dim: `${ESC}2m`,
  del: `${ESC}31;9m`, // red, crossed out
  ins: `${ESC}32m`, // green
  red: `${ESC}31m`,
  green: `${ESC}32m`,
  yellow: `${ESC}33m`,
  cyan: `${ESC}36m`,
};

const MARKER: Record<ChangeKind, string> = { inserted: "+", deleted: "-", moved: "↷", modified: "~", henvisning: "!", renumbered: "#" };
const MARKER_COLOR: Record<ChangeKind, string> = { inserted: SGR.green, deleted: SGR.red, moved: SGR.cyan, modified: SGR.yellow, henvisning: SGR.red, renumbered: SGR.dim };

/** Above this many renumbered-only clauses in a document, they are one summary line. */
const RENUMBERED_LIST_MAX = 10;

/**
 * Text from a document is never allowed to drive the terminal: control characters (ESC
 * included), bidirectional overrides and isolates, line/paragraph separators and zero-width
 * characters are shown as `\uXXXX` (see src/terminal.ts), as everywhere else in the CLI.
 * Newlines and tabs are kept (`keepNewlines`) or turned into spaces; a carriage return goes.
 */
function termText(s: string, keepNewlines = false): string {
  const flat = s.replace(/\r\n?/g, "\n");
  const text = keepNewlines ? flat : flat.replace(/[\n\t]/g, " ");
  return text.split("\n").map(visible).join("\n");
}

function paint(s: string, sgr: string, color: boolean): string {
  return color && s ? `${sgr}${s}${SGR.reset}` : s;
}

/**
 * Runs as one piece of text: with color, deletions red and crossed out, insertions green;
 * without, wdiff style `[-slettet-]{+indsat+}`. A newline in the text continues on a new line
 * indented by `indent` (color codes are closed before each line break so pagers stay sane).
 */
function termRuns(runs: Run[], color: boolean, indent: string): string {
  return runs
    .filter((r) => r.text !== "")
    .map((r) => {
      const lines = termText(r.text, true).split("\n");
      const wrap = (t: string): string => {
        if (r.op === "equal") return t;
        if (color) return paint(t, r.op === "delete" ? SGR.del : SGR.ins, true);
        return r.op === "delete" ? `[-${t}-]` : `{+${t}+}`;
      };
      if (r.op === "equal" || color) return lines.map(wrap).join(`\n${indent}`);
      return wrap(lines.join(`\n${indent}`));
    })
    .join("");
}

/** "pkt. 6.4 → 6.5 Bod" (the heading with its word diff when both versions have one). */
function termTitle(ch: Change, color: boolean): string {
  const ref = refLabel(ch.a);
  const a = ch.a;
  const hr = headingRunsOf(a);
  const heading = a.old && a.new && hasChange(hr) ? termRuns(hr, color, "") : termText(headingLabel(a));
  return ref ? `pkt. ${termText(ref)} ${heading}` : heading;
}

/**
 * "~ pkt. 6.4 → 6.5 Bod (ændret, 4 ord tilføjet, 2 fjernet)". A secondary "omnummereret" is left
 * out: the arrow already shows it, and after an insertion nearly every clause is renumbered.
 */
function termChangeLine(ch: Change, color: boolean): string {
  const labels = ch.kinds.filter((k, i) => i === 0 || k !== "renumbered").map((k) => (k === "moved" && ch.a.blockMove ? movedText(ch.a) : KIND_LABEL[k]));
  if (ch.kinds.includes("modified")) {
    const w = wordsText(ch.a.words);
    if (w) labels.push(w);
  }
  return `  ${paint(MARKER[ch.primary], MARKER_COLOR[ch.primary], color)} ${termTitle(ch, color)} (${labels.join(", ")})`;
}

/** The changed blocks of a modified clause, each on its own line(s) with the inline word diff. */
function termBlocks(ch: Change, color: boolean): string[] {
  const indent = "      ";
  return blockDiffsOf(ch.a)
    .filter((b) => b.op !== "equal" && !b.refsOnly && b.move === undefined)
    .map((b) => indent + termRuns(displayRuns(b), color, indent));
}

/**
 * The diff for a terminal. Layout:
 *
 *   3 ændrede, 1 indsat, 0 slettede, 1 flyttet, 12 omnummererede
 *
 *   Indholdsmæssige ændringer:            (only when `semantic` is given and not empty)
 *     • Bod hævet fra 1.000 kr. til 2.000 kr.
 *
 *   Rammeaftale (rammeaftale): 2 ændrede, …
 *     ~ pkt. 6.4 → 6.5 Bod (ændret, 4 ord tilføjet, 2 fjernet)
 *         Leverandøren betaler en bod på [-1.000-]{+2.000+} kr.
 *     + pkt. 6.4 Ny klausul (indsat)
 *     ↷ pkt. 3.2 → 5.1 Underleverandører (flyttet)
 *     # pkt. 4.5 → 4.6 Ophør (omnummereret)
 *
 * Changes are in reading order; clauses that are only renumbered come last in their document,
 * one line each, or one summary line when there are more than 10. `color` is the caller's
 * decision (NO_COLOR, TTY); without it the output has no escape codes at all.
 */
export function diffTerminal(diffs: DocDiff[], opts: { color: boolean; semantic?: string[] }): string {
  const color = opts.color;
  const changes = collectChanges(diffs);
  const out: string[] = [countsText(totalSummary(diffs))];

  if (opts.semantic?.length) {
    out.push("", paint("Indholdsmæssige ændringer:", SGR.bold, color));
    for (const s of opts.semantic) out.push(`  • ${termText(s)}`);
  }

  diffs.forEach((d, i) => {
    const title = d.title && d.title !== d.id ? `${termText(d.title)} (${termText(d.id)})` : termText(d.id || d.title);
    out.push("", `${paint(title, SGR.bold, color)}: ${countsText(docSummary(d))}`);
    const mine = changes.filter((c) => c.docIndex === i);
    if (!mine.length) {
      out.push("  Ingen ændringer.");
      return;
    }
    const renumberedOnly = mine.filter((c) => c.kinds.length === 1 && c.kinds[0] === "renumbered");
    for (const ch of mine) {
      if (renumberedOnly.includes(ch)) continue;
      out.push(termChangeLine(ch, color));
      if (ch.kinds.includes("modified") || (ch.a.blockMove && ch.a.words.added + ch.a.words.removed > 0)) out.push(...termBlocks(ch, color));
      for (const s of staleRefSentences(ch.a)) out.push(`      ${termText(s)}`);
    }
    if (renumberedOnly.length > RENUMBERED_LIST_MAX) {
      const first = refLabel(renumberedOnly[0].a);
      const last = refLabel(renumberedOnly[renumberedOnly.length - 1].a);
      out.push(
        `  ${paint(MARKER.renumbered, MARKER_COLOR.renumbered, color)} ${renumberedOnly.length} punkter er kun omnummereret (pkt. ${termText(first)} … pkt. ${termText(last)})`,
      );
    } else {
      for (const ch of renumberedOnly) out.push(termChangeLine(ch, color));
    }
  });
  return `${out.join("\n")}\n`;
}

/* ------------------------------------------------------------------------------------------ */
/* HTML                                                                                        */
/* ------------------------------------------------------------------------------------------ */

/** Unchanged clauses in a row, from this many on, are folded into a <details> in the redline. */
const COLLAPSE_MIN = 3;

/** Escaped text; control characters (which HTML forbids) become U+FFFD, newlines <br>. */
function h(s: string): string {
  return escapeHtml(s.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, "\ufffd"));
}

function hText(s: string): string {
  return h(s).replace(/\n/g, "<br>");
}

/**
 * Runs as HTML: `which` = "both" marks deletions with <del> and insertions with <ins> (redline);
 * "old" leaves out insertions and "new" deletions (the two columns of the side-by-side view).
 */
function runsHtml(runs: Run[], which: "both" | "old" | "new"): string {
  return runs
    .filter((r) => r.text !== "")
    .map((r) => {
      if (r.op === "equal") return hText(r.text);
      if (r.op === "delete") return which === "new" ? "" : `<del>${hText(r.text)}</del>`;
      return which === "old" ? "" : `<ins>${hText(r.text)}</ins>`;
    })
    .join("");
}

function refHtml(a: AlignedClause): string {
  const ref = refLabel(a);
  if (!ref) return "";
  const cls = a.old && a.new && a.old.ref !== a.new.ref ? "nr omnummereret" : "nr";
  return `<span class="${cls}">${h(ref)}</span> `;
}

function headingTag(level: number): string {
  return `h${Math.min(Math.max(level, 1) + 3, 6)}`;
}

/** A clause heading in the redline: number(s) and the heading text with its word diff. */
function redlineHeading(a: AlignedClause): string {
  const c = (a.new ?? a.old)!;
  if (c.level === 0 && !c.heading && !refLabel(a)) return "";
  const tag = headingTag(c.level);
  const text = c.heading || a.old?.heading ? runsHtml(headingRunsOf(a), "both") : h(headingLabel(a));
  return `<${tag} class="pkt">${refHtml(a)}${text}</${tag}>`;
}

/**
 * The class of a changed block: indsat, slettet, aendret, or henvisning (only a cross-reference
 * followed renumbering; styled muted). Returned as ` class="…"`, or "" for an equal block.
 */
function blockClass(b: BlockDiff): string {
  if (b.op === "equal") return "";
  const c = b.move !== undefined ? (b.op === "insert" ? "flyttet-til" : "flyttet-fra") : b.op === "insert" ? "indsat" : b.op === "delete" ? "slettet" : b.refsOnly ? "henvisning" : "aendret";
  return ` class="${c}"`;
}

/** One table row of the redline table, from a table-row block diff. */
function tableRowHtml(b: BlockDiff): string {
  const blk = blockOf(b);
  const tag = blk?.header ? "th" : "td";
  const scope = tag === "th" ? ` scope="col"` : "";
  const cls = blockClass(b);
  let cells: string[];
  if (b.op === "modify" && b.cellRuns?.length) cells = b.cellRuns.map((r) => runsHtml(r, "both"));
  else if (b.op === "modify") cells = [runsHtml(displayRuns(b), "both")];
  else {
    const texts = blk?.cells?.length ? blk.cells : [blk?.text ?? ""];
    cells = texts.map((t) => (b.op === "insert" ? `<ins>${hText(t)}</ins>` : b.op === "delete" ? `<del>${hText(t)}</del>` : hText(t)));
  }
  return `<tr${cls}>${cells.map((c) => `<${tag}${scope}>${c}</${tag}>`).join("")}</tr>`;
}

/** Block diffs as redline HTML: paragraphs, consecutive list items as a list, table rows as a table. */
function blocksHtml(blocks: BlockDiff[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < blocks.length) {
    const kind = blockOf(blocks[i])?.kind ?? "paragraph";
    if (kind === "table-row") {
      const rows: string[] = [];
      while (i < blocks.length && blockOf(blocks[i])?.kind === "table-row") rows.push(tableRowHtml(blocks[i++]));
      out.push(`<div class="tabel">\n<table>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>\n</div>`);
    } else if (kind === "list-item") {
      const items: string[] = [];
      while (i < blocks.length && blockOf(blocks[i])?.kind === "list-item") {
        const b = blocks[i++];
        items.push(`<li${blockClass(b)}>${runsHtml(displayRuns(b), "both")}</li>`);
      }
      out.push(`<ul>\n${items.join("\n")}\n</ul>`);
    } else {
      const b = blocks[i++];
      out.push(`<p${blockClass(b)}>${runsHtml(displayRuns(b), "both")}</p>`);
    }
  }
  return out.join("\n");
}

function unchangedClauseHtml(a: AlignedClause): string {
  return [`<div class="klausul">`, redlineHeading(a), blocksHtml(blockDiffsOf(a)), `</div>`].filter((s) => s !== "").join("\n");
}

function hasSideBySide(ch: Change): boolean {
  return !(ch.kinds.length === 1 && ch.kinds[0] === "renumbered");
}

function changedClauseHtml(ch: Change): string {
  const a = ch.a;
  const w = ch.kinds.includes("modified") ? wordsText(a.words) : "";
  const what = h(kindsText(ch)) + (w ? ` (${h(w)})` : "");
  const sbs = hasSideBySide(ch) ? ` · <a class="kun-skaerm" href="#side-${ch.nr}">side om side</a>` : "";
  return [
    `<div class="klausul aendring ${ch.primary}" id="aendring-${ch.nr}">`,
    `<p class="markering"><a href="#oversigt-${ch.nr}">Ændring nr. ${ch.nr}</a>: ${what}${sbs}</p>`,
    ...staleRefSentences(a).map((t) => `<p class="markering henvisning-ikke-fulgt">${h(t)}</p>`),
    redlineHeading(a),
    blocksHtml(blockDiffsOf(a)),
    `</div>`,
  ]
    .filter((s) => s !== "")
    .join("\n");
}

/** "3 uændrede punkter (pkt. 1 – 2.3)". */
function foldSummary(run: AlignedClause[]): string {
  const refs = run.map((a) => refLabel(a)).filter((r) => r);
  const range = refs.length ? ` (pkt. ${refs[0]}${refs.length > 1 ? ` – ${refs[refs.length - 1]}` : ""})` : "";
  return `${run.length} uændrede punkter${range}`;
}

function redlineDoc(d: DocDiff, i: number, changes: Change[]): string {
  const byClause = new Map(changes.map((c) => [c.a, c]));
  const out: string[] = [`<section class="dokument" id="redline-dok-${i + 1}">`, `<h3>${h(d.title || d.id)}</h3>`];
  if (!changes.length) out.push(`<p class="ingen">Ingen ændringer.</p>`);
  let run: AlignedClause[] = [];
  const flush = (): void => {
    if (!run.length) return;
    const body = run.map(unchangedClauseHtml).join("\n");
    out.push(run.length >= COLLAPSE_MIN ? `<details class="uaendret">\n<summary>${h(foldSummary(run))}</summary>\n${body}\n</details>` : body);
    run = [];
  };
  for (const a of d.clauses) {
    const ch = byClause.get(a);
    if (!ch) {
      run.push(a);
      continue;
    }
    flush();
    out.push(changedClauseHtml(ch));
  }
  flush();
  out.push(`</section>`);
  return out.join("\n");
}

/** One clause side by side: a two-column table, one row per heading and per block, aligned. */
function sideBySideClause(ch: Change, oldLabel: string, newLabel: string): string {
  const a = ch.a;
  const oldRef = a.old?.ref ? `<span class="nr">${h(a.old.ref)}</span> ` : "";
  const newRef = a.new?.ref ? `<span class="nr">${h(a.new.ref)}</span> ` : "";
  const hr = headingRunsOf(a);
  const cell = (cls: string, html: string | null): string =>
    html === null ? `<td class="${cls} tom"><span class="tom-tekst">(findes ikke)</span></td>` : `<td class="${cls}">${html}</td>`;
  const rows: string[] = [
    `<tr class="overskrift">${cell("gammel", a.old ? `${oldRef}${runsHtml(hr, "old")}` : null)}${cell("ny", a.new ? `${newRef}${runsHtml(hr, "new")}` : null)}</tr>`,
  ];
  for (const b of blockDiffsOf(a)) {
    const runs = displayRuns(b);
    const cls = blockClass(b);
    const left = b.op === "insert" ? `<td class="gammel tom"></td>` : cell("gammel", runsHtml(runs, "old"));
    const right = b.op === "delete" ? `<td class="ny tom"></td>` : cell("ny", runsHtml(runs, "new"));
    rows.push(`<tr${cls}>${left}${right}</tr>`);
  }
  const w = ch.kinds.includes("modified") ? wordsText(a.words) : "";
  const ref = refLabel(a);
  return [
    `<section class="side-klausul ${ch.primary}" id="side-${ch.nr}">`,
    `<h4><a href="#aendring-${ch.nr}">Ændring nr. ${ch.nr}</a>: ${ref ? `pkt. ${h(ref)} ` : ""}${h(headingLabel(a))}</h4>`,
    `<p class="markering">${h(kindsText(ch))}${w ? ` (${h(w)})` : ""}</p>`,
    ...staleRefSentences(a).map((t) => `<p class="markering henvisning-ikke-fulgt">${h(t)}</p>`),
    `<table class="side-om-side">`,
    `<colgroup><col class="gammel"><col class="ny"></colgroup>`,
    `<thead>\n<tr><th scope="col" class="gammel">${h(oldLabel)}</th><th scope="col" class="ny">${h(newLabel)}</th></tr>\n</thead>`,
    `<tbody>\n${rows.join("\n")}\n</tbody>`,
    `</table>`,
    `</section>`,
  ].join("\n");
}

function sideBySideDoc(d: DocDiff, i: number, changes: Change[], oldLabel: string, newLabel: string): string {
  const shown = changes.filter(hasSideBySide);
  const out = [`<section class="dokument" id="side-dok-${i + 1}">`, `<h3>${h(d.title || d.id)}</h3>`];
  if (!changes.length) out.push(`<p class="ingen">Ingen ændringer.</p>`);
  else if (!shown.length) out.push(`<p class="ingen">Ingen tekstændringer (kun omnummerering).</p>`);
  for (const ch of shown) out.push(sideBySideClause(ch, oldLabel, newLabel));
  out.push(`</section>`);
  return out.join("\n");
}

function wordsCell(ch: Change): string {
  const w = ch.a.words ?? { added: 0, removed: 0 };
  if (!w.added && !w.removed) return "–";
  return `+${w.added} / −${w.removed}`;
}

function summaryTable(d: DocDiff, i: number, changes: Change[]): string {
  const out = [`<section class="dokument" id="oversigt-dok-${i + 1}">`, `<h3>${h(d.title || d.id)}</h3>`, `<p class="antal">${h(countsText(docSummary(d)))}</p>`];
  if (!changes.length) out.push(`<p class="ingen">Ingen ændringer.</p>`);
  else {
    const rows = changes.map(
      (ch) =>
        `<tr id="oversigt-${ch.nr}" class="${ch.primary}">` +
        `<td class="tal"><a href="#aendring-${ch.nr}">${ch.nr}</a></td>` +
        `<td class="pkt">${h(refLabel(ch.a) || "–")}</td>` +
        `<td>${h(headingLabel(ch.a))}</td>` +
        `<td>${h(kindsText(ch))}</td>` +
        `<td class="tal">${h(wordsCell(ch))}</td>` +
        `</tr>`,
    );
    out.push(
      `<div class="tabel">`,
      `<table class="oversigt">`,
      `<thead>\n<tr><th scope="col">Nr.</th><th scope="col">Pkt. (gammel → ny)</th><th scope="col">Overskrift</th><th scope="col">Ændring</th><th scope="col">Ord +/−</th></tr>\n</thead>`,
      `<tbody>\n${rows.join("\n")}\n</tbody>`,
      `</table>`,
      `</div>`,
    );
  }
  out.push(`</section>`);
  return out.join("\n");
}

const REPORT_CSS = `
:root { color-scheme: light; }
html { background: #f4f4f2; }
body {
  margin: 2rem auto; padding: 2.5rem 3rem; max-width: 70rem;
  color: #1b1b1b; background: #fff;
  font-family: Calibri, Carlito, "Segoe UI", "Helvetica Neue", Arial, sans-serif;
  font-size: 11pt; line-height: 1.5;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.12);
  overflow-wrap: break-word;
}
header.forside { border-bottom: 2px solid #1f3a5f; padding-bottom: 1.25rem; margin-bottom: 1.5rem; }
header.forside h1 { font-size: 1.9em; line-height: 1.25; color: #1f3a5f; margin: 0 0 0.6rem; }
header.forside p { margin: 0.15rem 0; font-size: 1.05em; color: #333; }
.forklaring { font-size: 0.95em; color: #444; }
nav.visninger ul { list-style: none; padding: 0; margin: 0 0 1.5rem; display: flex; flex-wrap: wrap; gap: 0.4rem 1.5rem; }
nav.visninger a { color: #1f4f8f; }
h2, h3, h4, h5, h6 { color: #1f3a5f; line-height: 1.3; margin: 1.4em 0 0.5em; }
h2 { font-size: 1.45em; border-bottom: 1px solid #d5dbe3; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.2em; }
h4, h5, h6 { font-size: 1em; }
p { margin: 0 0 0.6em; }
a { color: #1f4f8f; }
ul { margin: 0 0 0.6em; padding-left: 1.6em; }
.nr { display: inline-block; min-width: 2.4em; font-variant-numeric: tabular-nums; }
.nr.omnummereret { color: #7a4b00; }
ins { background: #dff3e4; color: #0b5d1e; text-decoration: underline; text-decoration-thickness: 1px; }
del { background: #fbe3e3; color: #9b1c1c; text-decoration: line-through; }
.henvisning ins, .henvisning del { background: none; color: inherit; text-decoration-style: dotted; }
.eks-ins { background: #dff3e4; color: #0b5d1e; text-decoration: underline; }
.eks-del { background: #fbe3e3; color: #9b1c1c; text-decoration: line-through; }
.tabel { overflow-x: auto; margin: 0.75em 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
th, td { border: 1px solid #c9d1db; padding: 0.3em 0.55em; vertical-align: top; text-align: left; }
thead th { background: #e9eef4; }
td.tal { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.pkt { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.oversigt tr.renumbered td { color: #555; }
table.oversigt tr:target td { background: #fff6d6; }
.klausul { margin: 0 0 0.9em; }
.aendring { border-left: 4px solid #c9d1db; padding: 0.2em 0 0.2em 0.9em; margin-left: -1.1em; }
.aendring.inserted { border-left-color: #2e8b47; }
.aendring.deleted { border-left-color: #c0392b; }
.aendring.moved { border-left-color: #1f77b4; }
.aendring.modified { border-left-color: #d4a017; }
.aendring.renumbered { border-left-color: #b0b7c0; }
.aendring.henvisning { border-left-color: #c0392b; border-left-style: dashed; }
.henvisning-ikke-fulgt { color: #9b1c1c; }
.flyttet-fra del, .flyttet-til ins { background: #e3eefb; color: #1f4e79; }
.aendring:target, .side-klausul:target { background: #fffbea; }
.markering { font-size: 0.85em; color: #555; margin: 0 0 0.2em; }
.pkt { margin: 0.6em 0 0.3em; }
details.uaendret { margin: 0 0 0.9em; border: 1px dashed #c9d1db; border-radius: 4px; padding: 0.3em 0.8em; }
details.uaendret > summary { cursor: pointer; color: #555; font-size: 0.9em; }
details.uaendret[open] > summary { margin-bottom: 0.5em; }
table.side-om-side { table-layout: fixed; }
table.side-om-side col.gammel, table.side-om-side col.ny { width: 50%; }
table.side-om-side tr.overskrift td { font-weight: bold; background: #f6f8fa; }
table.side-om-side td.tom { background: #f4f4f4; }
.tom-tekst { color: #777; font-style: italic; font-weight: normal; }
.side-klausul { margin: 0 0 1.5em; }
.ingen { color: #555; font-style: italic; }
@media (max-width: 40rem) {
  body { margin: 0; padding: 1.25rem; box-shadow: none; }
}
@media print {
  @page {
    size: A4 landscape; margin: 15mm 15mm 18mm 15mm;
    @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; color: #555; }
  }
  html, body { background: #fff; }
  body { max-width: none; margin: 0; padding: 0; box-shadow: none; font-size: 10pt; color: #000; }
  nav.visninger, .kun-skaerm { display: none; }
  section.visning { break-before: page; page-break-before: always; }
  h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
  ins, del, .eks-ins, .eks-del, thead th, td.tom, tr.overskrift td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  thead { display: table-header-group; }
  tr, th, td, .markering { break-inside: avoid; page-break-inside: avoid; }
  .tabel { overflow: visible; }
  a, a:visited { color: inherit; text-decoration: none; }
  .aendring:target, .side-klausul:target, table.oversigt tr:target td { background: none; }
}
`.trimStart();

/**
 * The diff as one standalone HTML5 page (lang="da"; embedded CSS, no scripts, no external
 * resources, CSP meta as in write/html.ts). Sections, in order:
 *
 *   <header class="forside">    h1 = opts.title, the two versions, the counts, a legend
 *   <nav class="visninger">     links to the sections below (screen only)
 *   #oversigt                   Ændringsoversigt: per document a table Nr. | Pkt. (gammel → ny) |
 *                               Overskrift | Ændring | Ord +/−; row #oversigt-N, Nr. links to #aendring-N
 *   #indholdsmaessige           Indholdsmæssige ændringer (only when `semantic` is given)
 *   #redline                    Ændringsmarkeret tekst: per document the whole new version in reading
 *                               order, deleted clauses where they stood; change N is #aendring-N with
 *                               <ins>/<del>; 3+ unchanged clauses in a row fold into a <details>
 *   #side-om-side               Side om side: per changed clause (#side-N) a two-column table
 *                               (old | new), one row per heading and block, each side with its marks;
 *                               clauses that are only renumbered are left out here
 *
 * Every piece of text is escaped; the output is deterministic.
 */
export function diffHtml(diffs: DocDiff[], opts: { title: string; oldLabel: string; newLabel: string; semantic?: string[] }): string {
  const changes = collectChanges(diffs);
  const perDoc = diffs.map((_, i) => changes.filter((c) => c.docIndex === i));
  const total = totalSummary(diffs);

  const sections: string[] = [];
  sections.push(
    [
      `<section class="oversigt" id="oversigt">`,
      `<h2>Ændringsoversigt</h2>`,
      ...diffs.map((d, i) => summaryTable(d, i, perDoc[i])),
      `</section>`,
    ].join("\n"),
  );
  if (opts.semantic) {
    const items = opts.semantic.length
      ? `<ul>\n${opts.semantic.map((s) => `<li>${hText(s)}</li>`).join("\n")}\n</ul>`
      : `<p class="ingen">Ingen indholdsmæssige ændringer fundet.</p>`;
    sections.push([`<section class="semantik" id="indholdsmaessige">`, `<h2>Indholdsmæssige ændringer</h2>`, items, `</section>`].join("\n"));
  }
  sections.push(
    [
      `<section class="visning" id="redline">`,
      `<h2>Ændringsmarkeret tekst</h2>`,
      `<p class="forklaring">Den nye version i sin helhed. Slettede punkter står, hvor de stod i den gamle version.</p>`,
      ...diffs.map((d, i) => redlineDoc(d, i, perDoc[i])),
      `</section>`,
    ].join("\n"),
  );
  sections.push(
    [
      `<section class="visning" id="side-om-side">`,
      `<h2>Side om side</h2>`,
      `<p class="forklaring">Hvert ændret punkt med ${h(opts.oldLabel)} til venstre og ${h(opts.newLabel)} til højre.</p>`,
      ...diffs.map((d, i) => sideBySideDoc(d, i, perDoc[i], opts.oldLabel, opts.newLabel)),
      `</section>`,
    ].join("\n"),
  );

  const nav = [
    `<a href="#oversigt">Ændringsoversigt</a>`,
    ...(opts.semantic ? [`<a href="#indholdsmaessige">Indholdsmæssige ændringer</a>`] : []),
    `<a href="#redline">Ændringsmarkeret tekst</a>`,
    `<a href="#side-om-side">Side om side</a>`,
  ];

  return (
    `<!DOCTYPE html>\n` +
    `<html lang="da">\n` +
    `<head>\n` +
    `<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${h(opts.title)}</title>\n` +
    `<meta name="generator" content="udbud">\n` +
    `<style>\n${REPORT_CSS}</style>\n` +
    `</head>\n` +
    `<body>\n` +
    `<header class="forside">\n` +
    `<h1>${h(opts.title)}</h1>\n` +
    `<p class="versioner">Gammel version: <strong>${h(opts.oldLabel)}</strong> · Ny version: <strong>${h(opts.newLabel)}</strong></p>\n` +
    `<p class="antal">${h(countsText(total))}</p>\n` +
    `<p class="forklaring">Tilføjet tekst: <span class="eks-ins">understreget</span> · slettet tekst: <span class="eks-del">overstreget</span></p>\n` +
    `</header>\n` +
    `<nav class="visninger" aria-label="Visninger">\n<ul>\n${nav.map((a) => `<li>${a}</li>`).join("\n")}\n</ul>\n</nav>\n` +
    `<main>\n${sections.join("\n")}\n</main>\n` +
    `</body>\n` +
    `</html>\n`
  );
}
