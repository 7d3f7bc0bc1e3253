/**
 * The diff's data model. Every input (a spec rendered to document trees, DOCX, Markdown, text,
 * HTML) becomes a `ComparableDoc`: clauses (a heading and the blocks under it) with stable ids
 * where known. `align.ts` pairs clauses and blocks and diffs words; writers (terminal, HTML, JSON,
 * redline DOCX, change summary) consume a `DocDiff` and nothing else.
 */

/** One block of text under a clause heading. Tables are one block per row; lists one per item. */
export interface Block {
  kind: "paragraph" | "list-item" | "table-row";
  /** The block's plain text; for a table row, the cells joined by " | ". */
  text: string;
  /** Table rows only: the cells. */
  cells?: string[];
  /** Table rows only: true for a header row. */
  header?: boolean;
  /** List items: the visible marker ("1.", "a)", "iii)"); absent for bullets. Not compared. */
  marker?: string;
  /** List items: nesting depth, 0 for a top-level item. */
  level?: number;
}

export interface Clause {
  /** Stable clause id when the source has one (our specs, our Markdown `{#id}`, our DOCX bookmarks). */
  id?: string;
  /** Visible number, e.g. "4.5" (null for unnumbered headings and the preamble). */
  ref: string | null;
  /** The number as typed in the heading when it differs from `ref` ("1." for ref "1"); the redline retypes it so. */
  label?: string;
  /** Heading text without the number ("" for the preamble before the first heading). */
  heading: string;
  /** Heading level (1 = top-level clause; 0 for the preamble). */
  level: number;
  blocks: Block[];
}

/**
 * How the headings' numbers are written: "word" — by Word's automatic numbering (numbering.xml
 * definitions linked to the Heading styles, as our DOCX writer does it and as a DOCX read back shows
 * it); absent — typed into the heading text (pandoc, Markdown, text, HTML).
 */
export type HeadingNumbers = "word";

export interface ComparableDoc {
  /** Document id (for specs: `rammeaftale`, `bilag-a1-…`; for files: the file name). */
  id: string;
  title: string;
  clauses: Clause[];
  headingNumbers?: HeadingNumbers;
}

export type Op = "equal" | "insert" | "delete";

/** A run of text in a word diff. Concatenating the non-insert runs gives the old text, the non-delete runs the new. */
export interface Run {
  op: Op;
  text: string;
}

export interface BlockDiff {
  /** equal: same text; modify: word diff in `runs`; insert/delete: whole block. */
  op: "equal" | "modify" | "insert" | "delete";
  old?: Block;
  new?: Block;
  /** Word-level runs (for modify; for insert/delete a single run; for equal a single equal run). */
  runs: Run[];
  /** Table rows: per-cell runs, aligned by cell index (for modify). */
  cellRuns?: Run[][];
  /** True when the only change is a cross-reference that follows renumbering ("pkt. 5.6" → "pkt. 5.7"). */
  refsOnly?: boolean;
  /**
   * Set when this deleted (or inserted) block reappears in another clause or far away in the same
   * one: the index into `DocDiff.moves`. The block is then not a modification of its clause.
   */
  move?: number;
}

/**
 * A block (paragraph, list item, table row) that left one clause and reappears, identical or
 * nearly (≥ 90 % of its words), in another clause or far away in the same clause.
 */
export interface BlockMove {
  from: { ref: string | null; heading: string; clauseIndex: number };
  to: { ref: string | null; heading: string; clauseIndex: number };
  old: Block;
  new: Block;
  /** Word changes inside the moved block. */
  runs: Run[];
  words: { added: number; removed: number };
}

/**
 * A cross-reference that did not follow a renumbering: the text still cites the old number of a
 * clause that now has another number (and the old number may now belong to another clause).
 */
export interface StaleRef {
  /** The reference as written, e.g. "afsnit 4.5.1". */
  text: string;
  /** The number cited (the target's old number). */
  cited: string;
  /** The target's number after the renumbering, or null when the target was deleted. */
  nowRef: string | null;
  /** The clause that now has the cited number, if any. */
  nowOther?: { ref: string; heading: string };
}

export type ChangeKind = "inserted" | "deleted" | "modified" | "moved" | "henvisning" | "renumbered";

export interface Side {
  ref: string | null;
  heading: string;
  text: string;
  id?: string;
}

/** One clause in the aligned sequence: unchanged, changed, inserted or deleted. */
export interface AlignedClause {
  /** Every kind that applies: e.g. ["moved", "modified"], ["renumbered"], [] for unchanged. */
  kinds: ChangeKind[];
  old: Clause | null;
  new: Clause | null;
  /** Word diff of the heading text (without numbers). */
  headingRuns: Run[];
  blocks: BlockDiff[];
  words: { added: number; removed: number };
  /** For a moved clause: the old ref it came from ("flyttet fra pkt. X"). */
  movedFrom?: string | null;
  /** Position of `old` in the old document's clause list (absent for inserted clauses). */
  oldIndex?: number;
  /** Position of `new` in the new document's clause list (absent for deleted clauses). */
  newIndex?: number;
  /** References in the new text that did not follow a renumbering (kind `henvisning`). */
  staleRefs?: StaleRef[];
  /** Set on the synthetic clause that stands for a moved block in the change lists (report). */
  blockMove?: BlockMove;
}

export interface DocDiff {
  id: string;
  title: string;
  /** All clauses in reading order of the new document; deleted clauses stand where they were. */
  clauses: AlignedClause[];
  /** Blocks moved between clauses (or far within one); each counts as one `moved` change. */
  moves?: BlockMove[];
  summary: { inserted: number; deleted: number; modified: number; moved: number; henvisning: number; renumbered: number };
  /** The new document's heading numbers are Word's automatic numbering (the redline keeps it). */
  headingNumbers?: HeadingNumbers;
}

/** The text of a clause body, blocks joined by newlines. */
export function clauseText(c: Clause): string {
  return c.blocks.map((b) => b.text).join("\n");
}

export function side(c: Clause | null): Side | null {
  if (!c) return null;
  return { ref: c.ref, heading: c.heading, text: clauseText(c), ...(c.id ? { id: c.id } : {}) };
}

/** Old and new text of a list of runs. */
export function runsText(runs: Run[], which: "old" | "new"): string {
  return runs.filter((r) => r.op === "equal" || (which === "old" ? r.op === "delete" : r.op === "insert")).map((r) => r.text).join("");
}

/** Joins adjacent runs of one op and drops empty ones (copies, never mutates the input). */
export function mergeRuns(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    if (!r.text) continue;
    const last = out[out.length - 1];
    if (last && last.op === r.op) last.text += r.text;
    else out.push({ op: r.op, text: r.text });
  }
  return out;
}
