/**
 * DocDiff[] → a Word document (.docx) with real tracked changes: a lawyer opens it in Word or
 * LibreOffice, reviews every change and accepts or rejects it. The WordprocessingML is written
 * by hand (no docx library: the `docx` package cannot express paragraph-mark or table-row
 * revisions) and zipped with jszip.
 *
 * Package (entries in this order, fixed zip dates, DEFLATE):
 *
 *   [Content_Types].xml
 *   _rels/.rels                      → word/document.xml, docProps/core.xml
 *   docProps/core.xml                title, creator, lastModifiedBy, created/modified = opts, da-DK
 *   word/document.xml                the redline (A4, 2.5 cm margins)
 *   word/styles.xml                  Normal, Title, Heading 1–6, List Bullet/Number, Table Grid,
 *                                    comment styles (redline-package.ts, with the other fixed parts)
 *   word/settings.xml                <w:trackRevisions/>: further edits are tracked too
 *   word/numbering.xml               bullets (numId 1), the heading list when the headings are
 *                                    Word-numbered (redline-headings.ts), the numbered list types
 *                                    (redline-lists.ts)
 *   word/comments.xml                only when there are moves: "Flyttet fra/til pkt. X"
 *   word/_rels/document.xml.rels
 *
 * Content: per DocDiff a Title paragraph (page break before every title but the first), then each
 * clause: a heading paragraph in Heading N — numbered by Word's heading list when the new document
 * numbers its headings that way and both versions count like it (redline-headings.ts), else
 * "<number> <heading>" typed, the number as the document typed it (levels deeper than 3 then use
 * Heading 3 with their own outline level) — then its blocks: paragraphs, list items (bullet
 * paragraphs) and table rows (consecutive rows form one table, with a grid as wide as the widest
 * row). Every revision (w:ins, w:del, paragraph-mark and table-row revisions, w:pPrChange) and
 * every comment gets its own w:id, numbered in document order, and carries opts.author/opts.date.
 *
 *   equal block        plain runs
 *   modify             word runs: equal plain, insert in <w:ins>, delete in <w:del>/<w:delText>
 *   insert / delete    all runs in <w:ins>/<w:del> and the paragraph mark revised too
 *                      (<w:pPr><w:rPr><w:ins|del/></w:rPr></w:pPr>), so the paragraph itself
 *                      appears/disappears on accept/reject
 *   heading            typed numbers: old number deleted + new number inserted when the ref
 *                      changed (Word-numbered: nothing, the list renumbers by itself), heading
 *                      words per headingRuns; a changed level is a <w:pPrChange> (formatting only)
 *   table rows         inserted/deleted rows: <w:trPr><w:ins|del/></w:trPr> and the cell text in
 *                      <w:ins>/<w:del>; modified rows: per-cell word runs. A row whose cell count
 *                      changed is a deleted row followed by an inserted row
 *   whole clauses      inserted/deleted clauses: heading and all blocks as whole insert/delete
 *
 * Moves: a DocDiff lists a moved clause once, at its new place. The redline shows it where the
 * lawyer expects both sides: the NEW content as a wholly inserted clause at the new place, with a
 * comment "Flyttet fra pkt. X" on its heading, and the OLD content as a wholly deleted clause at its
 * old place (right after the clause that preceded it in the old document, found through
 * AlignedClause.oldIndex), with a comment "Flyttet til pkt. Y". Comments never change the text.
 * (Word's own w:moveFrom/w:moveTo are not used: pandoc and several converters do not understand
 * them, while w:ins/w:del are universal.) Paired clauses that stand out of old order without being
 * flagged "moved" are treated the same way, so the old-visible sequence is always in old order.
 * Without oldIndex the old place of a moved clause is estimated from its ref.
 *
 * Exactness is the contract: accepting every change gives exactly the new document's paragraphs,
 * rejecting every change exactly the old ones. The writer does not trust its input for that: word
 * runs (heading, block, cell) are used only if they reproduce the old and the new text exactly
 * (the aligner may join whitespace or case differences into "equal" runs); otherwise the writer
 * computes its own exact word diff. A clause whose block diffs do not reproduce its old and new
 * block lists is written as all old blocks deleted, then all new blocks inserted.
 *
 * Paragraph marks next to tables: a paragraph whose mark is revised must not stand right before a
 * table (LibreOffice cannot join a paragraph into a table and leaves an empty one), so the mark
 * revisions of such a run rotate one paragraph back (see shiftMarksBeforeTables). LibreOffice also
 * fuses two insertions that meet across an unrevised paragraph mark (and then drops the mark on
 * reject), so such a meeting is broken up with the same texts (see separateInsertions). If the
 * body would end on a table or on a paragraph whose mark is revised, an empty unrevised paragraph
 * is appended (Word cannot revise the final paragraph mark and needs a paragraph after a table).
 *
 * Checked (tests/diff-redline.test.ts): our own accept/reject over the XML, pandoc
 * --track-changes=accept|reject, and LibreOffice's Accept All / Reject All (text and paragraph
 * styles). Known gaps, all without text: LibreOffice leaves one empty paragraph where wholly
 * deleted (on accept) or inserted (on reject) paragraphs stand between two tables with no other
 * paragraph before them; pandoc keeps the emptied shell of a revised list item or heading and of a
 * table row revised in w:trPr (its docx reader reads neither).
 *
 * Text: characters XML 1.0 cannot carry are dropped (the only text this writer cannot carry); a tab
 * becomes <w:tab/>, a line break <w:br/>.
 */
import JSZip from "jszip";
import type { AlignedClause, Block, BlockDiff, BlockMove, Clause, DocDiff, Run } from "./model.js";
import { mergeRuns, runsText } from "./model.js";
import { wordRuns } from "./align.js";
import { tokenize } from "./tokenize.js";
import { orderItems } from "./redline-order.js";
import { assignLists, type ListInstance, type ListSlot, type ListStyle, numberingXml, parseMarker } from "./redline-lists.js";
import { type DocHeadings, HEADING_MAX_LEVEL, NUMBERING_OFF, headingLists, headingNumberingXml, planHeadings } from "./redline-headings.js";
import { FONT, LIST_NUM_ID, NS_R, NS_W, XML_DECL, clean, contentTypesXml, coreXml, documentRelsXml, esc, isoDate, rootRelsXml, settingsXml, stylesXml } from "./redline-package.js";

export interface RedlineOptions {
  /** Author of every revision and comment (e.g. "udbud"). */
  author: string;
  /** ISO date-time of every revision, e.g. "2024-01-01T00:00:00Z". */
  date: string;
  /** Document title (docProps/core.xml). */
  title: string;
  /**
   * How moves are marked: "kommentar" (default) — deletion at the old place, insertion at the new,
   * each with a comment naming the other place (every reader understands w:ins/w:del, pandoc
   * included); "word" — Word's own move markup (w:moveFrom/w:moveTo in named move ranges), which
   * Word and LibreOffice show as a move.
   */
  moves?: "kommentar" | "word";
}

/* ------------------------------------------------------------------------------------------ */
/* Constants                                                                                   */

const A4 = { width: 11906, height: 16838 };
const MARGIN = 1417;
const TEXT_WIDTH = A4.width - 2 * MARGIN;

/* ------------------------------------------------------------------------------------------ */
/* Text and XML helpers                                                                        */


/** The text as run content: w:t (or w:delText) pieces, <w:tab/> and <w:br/>. */
function textXml(text: string, deleted: boolean): string {
  const tag = deleted ? "w:delText" : "w:t";
  return clean(text)
    .split(/(\t|\n)/)
    .map((part) => (part === "\t" ? "<w:tab/>" : part === "\n" ? "<w:br/>" : part ? `<${tag} xml:space="preserve">${esc(part)}</${tag}>` : ""))
    .join("");
}

/** An exact word diff (no whitespace or case folding): the fallback when given runs are not exact. */
function exactRuns(oldText: string, newText: string): Run[] {
  if (oldText === newText) return oldText ? [{ op: "equal", text: oldText }] : [];
  return mergeRuns(wordRuns(oldText, newText, { ignoreCase: false, ignoreWhitespace: false }));
}

/** The given runs if they reproduce both texts exactly, else an exact word diff. */
function exactOr(runs: Run[] | undefined, oldText: string, newText: string): Run[] {
  if (runs && runsText(runs, "old") === oldText && runsText(runs, "new") === newText) return mergeRuns(runs);
  return exactRuns(oldText, newText);
}

/** "6.4 Bod", "6.4", "Bod" or "" for the preamble; with Word's numbering only the heading text. */
function headingLine(c: Clause, h: DocHeadings): string {
  if (h.word) return c.heading;
  return [c.label ?? c.ref ?? "", c.heading].filter((s) => s !== "").join(" ");
}

/** Whether the clause has a heading paragraph (with Word's numbering, a numbered clause always has one). */
function hasHeading(c: Clause, h: DocHeadings): boolean {
  return headingLine(c, h) !== "" || (h.word && c.ref !== null);
}

function cellsOf(b: Block): string[] {
  return b.cells && b.cells.length > 0 ? b.cells : [b.text];
}


/* ------------------------------------------------------------------------------------------ */
/* Revision context                                                                            */

type Mark = "ins" | "del" | null;

class Ctx {
  private next = 1;
  readonly comments: { id: number; text: string }[] = [];
  /** The numbered lists of the body (set once the body is assembled). */
  lists: ListInstance[] = [];
  /** Per document: how its headings are numbered (set when the body is assembled). */
  headings: DocHeadings[] = [];
  /** Word move markup instead of deletion + insertion with comments. */
  wordMoves = false;
  /** Open move ranges: direction + name → range id. */
  readonly ranges = new Map<string, number>();
  readonly initials: string;
  constructor(
    readonly author: string,
    readonly date: string,
  ) {
    this.initials =
      author
        .split(/\s+/)
        .filter(Boolean)
        .map((w) => [...w][0])
        .join("")
        .toUpperCase()
        .slice(0, 4) || "U";
  }
  id(): number {
    return this.next++;
  }
  /** Attributes of a revision element, with a fresh id. */
  rev(): string {
    return `w:id="${this.id()}" w:author="${esc(this.author)}" w:date="${this.date}"`;
  }
  comment(text: string): number {
    const id = this.id();
    this.comments.push({ id, text });
    return id;
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Paragraphs and tables                                                                       */

type ParaKind =
  | { style: "Title"; pageBreak: boolean }
  /** A heading; `num`: Word's heading numbering (see redline-headings.ts), absent for a typed number. */
  | { style: "Heading"; level: number; num?: HeadingNum }
  | { style: "Normal" }
  | { style: "ListBullet"; level?: number }
  /** A numbered list item; `numId` is assigned when the body is complete (see redline-lists.ts). */
  | { style: "ListNumber"; list: ListStyle; level?: number; numId?: number };

/** A heading's place in Word's heading list: in it (numbered) or not; typed numbers opt out ("off") when the styles are numbered. */
type HeadingNum = { mode: "off" } | { mode: "word"; numbered: boolean; numId: number; explicit: boolean };

function pPrBase(k: ParaKind): string {
  switch (k.style) {
    case "Title":
      return `<w:pStyle w:val="Title"/>${k.pageBreak ? "<w:pageBreakBefore/>" : ""}`;
    case "Heading": {
      const lvl = Math.max(1, k.level);
      const n = k.num;
      if (n?.mode === "word") {
        const style = `<w:pStyle w:val="Heading${Math.min(HEADING_MAX_LEVEL, lvl)}"/>`;
        if (!n.numbered) return `${style}${NUMBERING_OFF}`;
        return n.explicit ? `${style}<w:numPr><w:ilvl w:val="${lvl - 1}"/><w:numId w:val="${n.numId}"/></w:numPr>` : style;
      }
      return `<w:pStyle w:val="Heading${Math.min(3, lvl)}"/>${n ? NUMBERING_OFF : ""}${lvl > 3 ? `<w:outlineLvl w:val="${Math.min(8, lvl - 1)}"/>` : ""}`;
    }
    case "ListBullet":
      return `<w:pStyle w:val="ListBullet"/><w:numPr><w:ilvl w:val="${k.level ?? 0}"/><w:numId w:val="${LIST_NUM_ID}"/></w:numPr>`;
    case "ListNumber":
      return `<w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl w:val="${k.level ?? 0}"/><w:numId w:val="${k.numId ?? 0}"/></w:numPr>`;
    case "Normal":
      return "";
  }
}

function sameKind(a: ParaKind, b: ParaKind): boolean {
  if (a.style === "ListNumber" && b.style === "ListNumber") return a.list.fmt === b.list.fmt && a.list.suffix === b.list.suffix && a.list.prefix === b.list.prefix && (a.level ?? 0) === (b.level ?? 0) && (a.numId === undefined || b.numId === undefined || a.numId === b.numId);
  return pPrBase(a) === pPrBase(b);
}

/** One side of a move (Word markup): paragraphs with the same name and direction form one move range. */
interface MoveMark {
  name: string;
  dir: "from" | "to";
  first?: boolean;
  last?: boolean;
}

interface ParaSpec {
  kind: ParaKind;
  runs: Run[];
  /** Part of a move (only with `moves: "word"`). */
  move?: MoveMark;
  mark?: Mark;
  /** Old paragraph properties when they changed (a w:pPrChange). */
  oldKind?: ParaKind;
  /** Comment text on the whole paragraph. */
  comment?: string;
  /** Run properties for every run (e.g. bold in a header row). */
  rPr?: string;
}

function runsXml(ctx: Ctx, runs: Run[], rPr = "", move = false): string {
  const rp = rPr ? `<w:rPr>${rPr}</w:rPr>` : "";
  const [ins, del] = move ? ["w:moveTo", "w:moveFrom"] : ["w:ins", "w:del"];
  return mergeRuns(runs)
    .map((r) => {
      if (r.op === "equal") return `<w:r>${rp}${textXml(r.text, false)}</w:r>`;
      if (r.op === "insert") return `<${ins} ${ctx.rev()}><w:r>${rp}${textXml(r.text, false)}</w:r></${ins}>`;
      return `<${del} ${ctx.rev()}><w:r>${rp}${textXml(r.text, true)}</w:r></${del}>`;
    })
    .join("");
}

/** A paragraph that can carry Word's move markup: wholly inserted (to) or deleted (from), mark included. */
function movable(p: ParaSpec): p is ParaSpec & { move: MoveMark } {
  if (!p.move || p.oldKind) return false;
  const [mark, op] = p.move.dir === "to" ? ["ins", "insert"] : ["del", "delete"];
  return p.mark === mark && p.runs.every((r) => r.op === op);
}

function paragraphXml(ctx: Ctx, p: ParaSpec): string {
  const base = pPrBase(p.kind);
  const mv = movable(p) ? p.move : undefined;
  const markName = mv ? (mv.dir === "to" ? "moveTo" : "moveFrom") : p.mark;
  const markXml = markName ? `<w:rPr><w:${markName} ${ctx.rev()}/></w:rPr>` : "";
  const change = p.oldKind && !sameKind(p.oldKind, p.kind) ? `<w:pPrChange ${ctx.rev()}><w:pPr>${pPrBase(p.oldKind)}</w:pPr></w:pPrChange>` : "";
  const pPr = base || markXml || change ? `<w:pPr>${base}${markXml}${change}</w:pPr>` : "";
  let body = runsXml(ctx, p.runs, p.rPr, !!mv);
  if (p.comment !== undefined) {
    const id = ctx.comment(p.comment);
    const ref = `<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="${id}"/></w:r>`;
    const wrapEl = mv ? markName : p.mark === "ins" ? "ins" : p.mark === "del" ? "del" : null;
    const wrapped = wrapEl ? `<w:${wrapEl} ${ctx.rev()}>${ref}</w:${wrapEl}>` : ref;
    body = `<w:commentRangeStart w:id="${id}"/>${body}<w:commentRangeEnd w:id="${id}"/>${wrapped}`;
  }
  if (mv) {
    const el = mv.dir === "to" ? "moveTo" : "moveFrom";
    const key = `${mv.dir}\u0000${mv.name}`;
    if (mv.first) ctx.ranges.set(key, ctx.id());
    const rid = ctx.ranges.get(key);
    if (mv.first) body = `<w:${el}RangeStart w:id="${rid}" w:author="${esc(ctx.author)}" w:date="${ctx.date}" w:name="${mv.name}"/>${body}`;
    if (mv.last && rid !== undefined) body = `${body}<w:${el}RangeEnd w:id="${rid}"/>`;
  }
  return `<w:p>${pPr}${body}</w:p>`;
}

interface RowSpec {
  op: "equal" | "modify" | "insert" | "delete";
  /** Per cell: the runs. */
  cells: Run[][];
  header: boolean;
}

function tableXml(ctx: Ctx, rows: RowSpec[]): string {
  const cols = Math.max(1, ...rows.map((r) => r.cells.length));
  const w = Math.floor(TEXT_WIDTH / cols);
  const grid = Array.from({ length: cols }, () => `<w:gridCol w:w="${w}"/>`).join("");
  const trs = rows.map((r) => {
    const after = cols - r.cells.length;
    const mark = r.op === "insert" ? `<w:ins ${ctx.rev()}/>` : r.op === "delete" ? `<w:del ${ctx.rev()}/>` : "";
    const trPrInner = `${after > 0 ? `<w:gridAfter w:val="${after}"/>` : ""}${r.header ? "<w:tblHeader/>" : ""}${mark}`;
    const trPr = trPrInner ? `<w:trPr>${trPrInner}</w:trPr>` : "";
    const tcs = r.cells
      .map((runs) => `<w:tc><w:tcPr><w:tcW w:w="${w}" w:type="dxa"/></w:tcPr>${paragraphXml(ctx, { kind: { style: "Normal" }, runs, rPr: r.header ? "<w:b/>" : "" })}</w:tc>`)
      .join("");
    return `<w:tr>${trPr}${tcs}</w:tr>`;
  });
  return (
    `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="${w * cols}" w:type="dxa"/>` +
    `<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>` +
    `<w:tblGrid>${grid}</w:tblGrid>${trs.join("")}</w:tbl>`
  );
}

/* ------------------------------------------------------------------------------------------ */
/* Body assembly                                                                               */

type BodyEl = { t: "p"; spec: ParaSpec } | { t: "row"; row: RowSpec };

function blockKind(b: Block): ParaKind {
  if (b.kind !== "list-item") return { style: "Normal" };
  const list = parseMarker(b.marker);
  const level = b.level ? { level: Math.min(8, b.level) } : {};
  return list ? { style: "ListNumber", list, ...level } : { style: "ListBullet", ...level };
}

function wholeBlock(b: Block, op: "insert" | "delete"): BodyEl {
  if (b.kind === "table-row") return { t: "row", row: { op, cells: cellsOf(b).map((c) => (c ? [{ op, text: c }] : [])), header: !!b.header } };
  return { t: "p", spec: { kind: blockKind(b), runs: b.text ? [{ op, text: b.text }] : [], mark: op === "insert" ? "ins" : "del" } };
}

function headingKind(c: Clause, h: DocHeadings): ParaKind {
  const level = Math.max(1, c.level);
  if (h.word) return { style: "Heading", level, num: { mode: "word", numbered: c.ref !== null, numId: h.numId, explicit: h.explicit } };
  return { style: "Heading", level, ...(h.stylesNumbered ? { num: { mode: "off" as const } } : {}) };
}

/** A clause wholly inserted or deleted (inserted/deleted clauses, both copies of a move). */
function wholeClause(c: Clause, h: DocHeadings, op: "insert" | "delete", comment?: string, move?: string): BodyEl[] {
  const out: BodyEl[] = [];
  const line = headingLine(c, h);
  if (hasHeading(c, h)) {
    out.push({ t: "p", spec: { kind: headingKind(c, h), runs: line ? [{ op, text: line }] : [], mark: op === "insert" ? "ins" : "del", ...(comment !== undefined ? { comment } : {}) } });
  }
  for (const b of c.blocks) out.push(wholeBlock(b, op));
  if (move !== undefined) for (const el of out) if (el.t === "p") el.spec.move = { name: move, dir: op === "insert" ? "to" : "from" };
  return out;
}

/** Heading runs: number change as delete+insert, then the separator, then the heading words (only the words with Word's numbering). */
function headingRuns(ac: AlignedClause, o: Clause, n: Clause, h: DocHeadings): Run[] {
  if (h.word) return exactOr(ac.headingRuns, o.heading, n.heading);
  const runs: Run[] = [];
  const oRef = o.label ?? o.ref ?? "";
  const nRef = n.label ?? n.ref ?? "";
  if (oRef === nRef) runs.push({ op: "equal", text: nRef });
  else runs.push({ op: "delete", text: oRef }, { op: "insert", text: nRef });
  const oSep = oRef !== "" && o.heading !== "";
  const nSep = nRef !== "" && n.heading !== "";
  if (oSep && nSep) runs.push({ op: "equal", text: " " });
  else if (oSep) runs.push({ op: "delete", text: " " });
  else if (nSep) runs.push({ op: "insert", text: " " });
  runs.push(...exactOr(ac.headingRuns, o.heading, n.heading));
  return mergeRuns(runs);
}

function sameBlock(a: Block | undefined, b: Block): boolean {
  return !!a && a.kind === b.kind && a.text === b.text && JSON.stringify(cellsOf(a)) === JSON.stringify(cellsOf(b));
}

/** Do the block diffs reproduce the clause's old and new block lists? */
function blocksConsistent(ac: AlignedClause, o: Clause, n: Clause): boolean {
  const olds: Block[] = [];
  const news: Block[] = [];
  for (const b of ac.blocks) {
    if (b.op !== "insert") {
      if (!b.old) return false;
      olds.push(b.old);
    }
    if (b.op !== "delete") {
      if (!b.new) return false;
      news.push(b.new);
    }
  }
  return olds.length === o.blocks.length && news.length === n.blocks.length && olds.every((b, i) => sameBlock(b, o.blocks[i])) && news.every((b, i) => sameBlock(b, n.blocks[i]));
}

function pairedBlock(b: BlockDiff, o: Block, n: Block): BodyEl[] {
  const oRow = o.kind === "table-row";
  const nRow = n.kind === "table-row";
  if (oRow !== nRow) return [wholeBlock(o, "delete"), wholeBlock(n, "insert")];
  if (oRow) {
    const oc = cellsOf(o);
    const nc = cellsOf(n);
    if (oc.length !== nc.length) return [wholeBlock(o, "delete"), wholeBlock(n, "insert")];
    const cells = nc.map((c, i) => exactOr(b.cellRuns?.[i], oc[i], c));
    const changed = cells.some((rs) => rs.some((r) => r.op !== "equal"));
    return [{ t: "row", row: { op: changed ? "modify" : "equal", cells, header: !!(n.header ?? o.header) } }];
  }
  const spec: ParaSpec = { kind: blockKind(n), runs: exactOr(b.runs, o.text, n.text) };
  if (!sameKind(blockKind(o), blockKind(n))) spec.oldKind = blockKind(o);
  return [{ t: "p", spec }];
}

/** A paired clause (same place in both versions): heading and blocks with their inner changes. */
function alignedClause(ac: AlignedClause, o: Clause, n: Clause, h: DocHeadings, moves: BlockMove[] = []): BodyEl[] {
  const out: BodyEl[] = [];
  const whole = (c: Clause, op: "insert" | "delete"): Run[] => (headingLine(c, h) ? [{ op, text: headingLine(c, h) }] : []);
  if (hasHeading(o, h) && hasHeading(n, h)) {
    const spec: ParaSpec = { kind: headingKind(n, h), runs: headingRuns(ac, o, n, h) };
    if (!sameKind(headingKind(o, h), headingKind(n, h))) spec.oldKind = headingKind(o, h);
    out.push({ t: "p", spec });
  } else if (hasHeading(o, h)) {
    out.push({ t: "p", spec: { kind: headingKind(o, h), runs: whole(o, "delete"), mark: "del" } });
  } else if (hasHeading(n, h)) {
    out.push({ t: "p", spec: { kind: headingKind(n, h), runs: whole(n, "insert"), mark: "ins" } });
  }
  if (!blocksConsistent(ac, o, n)) {
    for (const b of o.blocks) out.push(wholeBlock(b, "delete"));
    for (const b of n.blocks) out.push(wholeBlock(b, "insert"));
    return out;
  }
  for (const b of ac.blocks) {
    if (b.op === "insert") out.push(movedComment(wholeBlock(b.new!, "insert"), b, moves));
    else if (b.op === "delete") out.push(movedComment(wholeBlock(b.old!, "delete"), b, moves));
    else out.push(...pairedBlock(b, b.old!, b.new!));
  }
  return out;
}

/** A moved block's two copies (deletion at the old place, insertion at the new) say where the other one is. */
function movedComment(el: BodyEl, b: BlockDiff, moves: BlockMove[]): BodyEl {
  const m = b.move !== undefined ? moves[b.move] : undefined;
  if (!m || el.t !== "p") return el;
  const where = (x: BlockMove["from"]) => (x.ref ? `pkt. ${x.ref}` : x.heading ? `»${x.heading}«` : "et andet sted");
  const changed = m.runs.some((r) => r.op !== "equal");
  const comment = b.op === "insert" ? `Flyttet fra ${where(m.from)}${changed ? " (og ændret)" : ""}` : `Flyttet til ${where(m.to)}`;
  return { t: "p", spec: { ...el.spec, comment, move: { name: `udbudFlytA${b.move}`, dir: b.op === "insert" ? "to" : "from" } } };
}

/* ------------------------------------------------------------------------------------------ */
/* Parts                                                                                       */

/**
 * A paragraph whose mark is revised must not stand right before a table: on accept (deleted mark)
 * or reject (inserted mark) it would have to join the table, which LibreOffice does not do (it
 * leaves an empty paragraph behind). So for a run of wholly inserted/deleted paragraphs R1…Rk
 * right before a table, preceded by a paragraph Q whose mark is not revised, the mark revisions
 * rotate one paragraph back — the way Word records such an edit: Q's mark takes R1's revision,
 * Ri's takes R(i+1)'s, and Rk's mark is not revised. Each view (accept / reject) still breaks
 * between the same visible texts; each mark then ends a different paragraph of that view, so it
 * gets that paragraph's properties (for a mark that ends a paragraph in both views: the accepted
 * one's, and the rejected one's in a w:pPrChange).
 */
function shiftMarksBeforeTables(els: BodyEl[]): void {
  for (let k = 0; k < els.length; k++) {
    const rk = els[k];
    const next = els[k + 1];
    if (rk.t !== "p" || !rk.spec.mark || !next || next.t !== "row") continue;
    let s = k;
    while (s > 0) {
      const prev = els[s - 1];
      if (prev.t !== "p" || !prev.spec.mark) break;
      s--;
    }
    const q = els[s - 1];
    if (!q || q.t !== "p") continue; // right after a table: no paragraph to move the revision to
    const run = els.slice(s - 1, k + 1).map((e) => (e as { t: "p"; spec: ParaSpec }).spec);
    // The paragraphs of each view, with that view's properties.
    const accepted: ParaKind[] = [q.spec.kind];
    const rejected: ParaKind[] = [q.spec.oldKind ?? q.spec.kind];
    for (const r of run.slice(1)) {
      if (r.mark === "ins") accepted.push(r.kind);
      else rejected.push(r.oldKind ?? r.kind);
    }
    const marks: Mark[] = [...run.slice(1).map((r) => r.mark ?? null), null];
    let a = 0;
    let j = 0;
    run.forEach((spec, i) => {
      const mark = marks[i];
      spec.mark = mark;
      delete spec.oldKind;
      if (mark === "ins") spec.kind = accepted[a++];
      else if (mark === "del") spec.kind = rejected[j++];
      else {
        spec.kind = accepted[a++];
        spec.oldKind = rejected[j++];
      }
    });
  }
}

/** Index of the first equal run from the start (or runs.length) and from the end (or -1). */
function leadingHunk(runs: Run[]): number {
  const i = runs.findIndex((r) => r.op === "equal");
  return i < 0 ? runs.length : i;
}
function trailingHunk(runs: Run[]): number {
  for (let i = runs.length - 1; i >= 0; i--) if (runs[i].op === "equal") return i;
  return -1;
}
const hunkText = (rs: Run[], op: "insert" | "delete") => rs.filter((r) => r.op === op).map((r) => r.text).join("");

/** Rewrites a paragraph's runs so they no longer end with an insertion; false if it cannot. */
function endWithoutInsert(spec: ParaSpec): boolean {
  const runs = mergeRuns(spec.runs);
  const e = trailingHunk(runs);
  const hunk = runs.slice(e + 1);
  const del = hunkText(hunk, "delete");
  const ins = hunkText(hunk, "insert");
  if (del) {
    // A replacement: insertion first, then the deletion.
    spec.runs = [...runs.slice(0, e + 1), { op: "insert", text: ins }, { op: "delete", text: del }];
    return true;
  }
  if (e < 0) return false;
  // A pure insertion after equal text: the last word of that text joins the change.
  const tokens = tokenize(runs[e].text);
  const t = tokens[tokens.length - 1];
  const keep = runs[e].text.slice(0, runs[e].text.length - t.length);
  spec.runs = mergeRuns([...runs.slice(0, e), { op: "equal", text: keep }, { op: "insert", text: t + ins }, { op: "delete", text: t }]);
  return true;
}

/** Rewrites a paragraph's runs so they no longer start with an insertion; false if it cannot. */
function startWithoutInsert(spec: ParaSpec): boolean {
  const runs = mergeRuns(spec.runs);
  const s = leadingHunk(runs);
  const hunk = runs.slice(0, s);
  const del = hunkText(hunk, "delete");
  const ins = hunkText(hunk, "insert");
  if (del) {
    spec.runs = [{ op: "delete", text: del }, { op: "insert", text: ins }, ...runs.slice(s)];
    return true;
  }
  if (s >= runs.length) return false;
  const t = tokenize(runs[s].text)[0];
  spec.runs = mergeRuns([{ op: "delete", text: t }, { op: "insert", text: ins + t }, { op: "equal", text: runs[s].text.slice(t.length) }, ...runs.slice(s + 1)]);
  return true;
}

/**
 * LibreOffice joins two insertions of one author and time that meet across a paragraph mark into
 * one, taking the (unrevised) mark with them: rejecting all would then join the two paragraphs.
 * So where a paragraph with an unrevised mark ends with inserted text and the next starts with
 * inserted text (or is an empty inserted paragraph), one side is rewritten with the same old and
 * new text: the next paragraph then starts with a deletion, or this one ends with a deletion (a
 * replacement is put insertion-first; a pure insertion takes in the neighbouring word, "A" →
 * "A B" becomes +"A B" −"A"). Deletions that meet this way are harmless in LibreOffice.
 */
function separateInsertions(els: BodyEl[]): void {
  const firstIns = (p: ParaSpec) => {
    const runs = mergeRuns(p.runs);
    return runs.length ? runs[0].op === "insert" : p.mark === "ins";
  };
  for (let pass = 0; pass < 3; pass++) {
    let changed = false;
    for (let i = 0; i + 1 < els.length; i++) {
      const a = els[i];
      const b = els[i + 1];
      if (a.t !== "p" || b.t !== "p" || a.spec.mark) continue;
      const runs = mergeRuns(a.spec.runs);
      const prev = els[i - 1];
      const lastIns = runs.length ? runs[runs.length - 1].op === "insert" : !!prev && prev.t === "p" && prev.spec.mark === "ins";
      if (!lastIns || !firstIns(b.spec)) continue;
      if ((!b.spec.mark && startWithoutInsert(b.spec)) || (runs.length > 0 && endWithoutInsert(a.spec))) changed = true;
    }
    if (!changed) break;
  }
}

function bodyXml(ctx: Ctx, diffs: DocDiff[]): string {
  const els: BodyEl[] = [];
  // Numbering instances: bullets, then one per document with Word-numbered headings, then the lists.
  ctx.headings = planHeadings(diffs, LIST_NUM_ID + 1);
  diffs.forEach((diff, d) => {
    const h = ctx.headings[d];
    els.push({ t: "p", spec: { kind: { style: "Title", pageBreak: d > 0 }, runs: diff.title ? [{ op: "equal", text: diff.title }] : [] } });
    for (const it of orderItems(diff)) {
      if (it.t === "paired") els.push(...alignedClause(it.ac, it.o, it.n, h, diff.moves));
      else if (it.t === "new") els.push(...wholeClause(it.n, h, "insert", it.comment, it.move));
      else els.push(...wholeClause(it.o, h, "delete", it.comment, it.move));
    }
  });
  const last = els[els.length - 1];
  if (!last || last.t === "row" || last.spec.mark) els.push({ t: "p", spec: { kind: { style: "Normal" }, runs: [] } });
  shiftMarksBeforeTables(els);
  separateInsertions(els);
  ctx.lists = numberLists(els, LIST_NUM_ID + 1 + headingLists(ctx.headings));
  markMoveRanges(els, ctx.wordMoves);

  // Serialise in document order (ids follow document order), grouping rows into tables.
  const parts: string[] = [];
  for (let i = 0; i < els.length; ) {
    const el = els[i];
    if (el.t === "p") {
      parts.push(paragraphXml(ctx, el.spec));
      i++;
      continue;
    }
    const rows: RowSpec[] = [];
    while (i < els.length && els[i].t === "row") rows.push((els[i++] as { t: "row"; row: RowSpec }).row);
    parts.push(tableXml(ctx, rows));
  }
  const sect = `<w:sectPr><w:pgSz w:w="${A4.width}" w:h="${A4.height}"/><w:pgMar w:top="${MARGIN}" w:right="${MARGIN}" w:bottom="${MARGIN}" w:left="${MARGIN}" w:header="708" w:footer="708" w:gutter="0"/><w:cols w:space="708"/></w:sectPr>`;
  return `${XML_DECL}<w:document xmlns:w="${NS_W}" xmlns:r="${NS_R}"><w:body>${parts.join("")}${sect}</w:body></w:document>`;
}

/**
 * Word lists for the numbered list paragraphs: a run of consecutive list paragraphs is one list per
 * type, in the new kinds; an old kind (w:pPrChange) of another type gets a list of its own.
 */
function numberLists(els: BodyEl[], first: number): ListInstance[] {
  const slots: ListSlot[] = [];
  const olds: ListSlot[] = [];
  for (const el of els) {
    const k = el.t === "p" ? el.spec.kind : null;
    if (!k || (k.style !== "ListNumber" && k.style !== "ListBullet")) {
      slots.push(null);
      continue;
    }
    if (k.style === "ListNumber") {
      const kind = k;
      slots.push({ style: kind.list, setNumId: (n) => (kind.numId = n) });
    }
    const o = el.t === "p" ? el.spec.oldKind : undefined;
    if (o?.style === "ListNumber" && !(k.style === "ListNumber" && sameKind({ ...k, numId: undefined }, { ...o, numId: undefined }))) {
      olds.push({ style: o.list, setNumId: (n) => (o.numId = n) }, null);
    }
  }
  const lists = assignLists(slots, first);
  return [...lists, ...assignLists(olds, first + lists.length)];
}

/**
 * Word moves: the paragraphs of one move side that can carry the markup form one named range,
 * opened in the first and closed in the last. Without `word`, or where a side has no such
 * paragraph, the move stays deletion + insertion (with its comments).
 */
function markMoveRanges(els: BodyEl[], word: boolean): void {
  const groups = new Map<string, ParaSpec[]>();
  for (const el of els) {
    if (el.t !== "p" || !el.spec.move) continue;
    if (!word || !movable(el.spec)) {
      delete el.spec.move;
      continue;
    }
    const key = `${el.spec.move.dir}\u0000${el.spec.move.name}`;
    groups.set(key, [...(groups.get(key) ?? []), el.spec]);
  }
  for (const [key, specs] of groups) {
    // A move needs both sides.
    const other = key.startsWith("from") ? key.replace(/^from/, "to") : key.replace(/^to/, "from");
    if (!groups.has(other)) {
      for (const sp of specs) delete sp.move;
      continue;
    }
    specs[0].move = { ...specs[0].move!, first: true };
    specs[specs.length - 1].move = { ...specs[specs.length - 1].move!, last: true };
  }
}

function commentsXml(ctx: Ctx): string {
  const cs = ctx.comments
    .map(
      (c) =>
        `<w:comment w:id="${c.id}" w:author="${esc(ctx.author)}" w:date="${ctx.date}" w:initials="${esc(ctx.initials)}">` +
        `<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>` +
        `<w:r>${textXml(c.text, false)}</w:r></w:p></w:comment>`,
    )
    .join("");
  return `${XML_DECL}<w:comments xmlns:w="${NS_W}">${cs}</w:comments>`;
}


/* ------------------------------------------------------------------------------------------ */
/* Entry point                                                                                 */

/**
 * Writes a redline DOCX for one or more compared documents (one DocDiff each): tracked insertions
 * and deletions that turn the old version into the new one, moves as a deleted old copy plus an
 * inserted new copy with comments. Same input → same bytes.
 */
export async function writeRedlineDocx(diffs: DocDiff[], opts: RedlineOptions): Promise<Buffer> {
  const date = isoDate(opts.date);
  const ctx = new Ctx(clean(opts.author), date);
  ctx.wordMoves = opts.moves === "word";
  const document = bodyXml(ctx, diffs);
  const withComments = ctx.comments.length > 0;
  const files: [string, string][] = [
    ["[Content_Types].xml", contentTypesXml(withComments)],
    ["_rels/.rels", rootRelsXml()],
    ["docProps/core.xml", coreXml(opts, date)],
    ["word/document.xml", document],
    ["word/styles.xml", stylesXml(ctx.headings)],
    ["word/settings.xml", settingsXml()],
    ["word/numbering.xml", numberingXml(XML_DECL, NS_W, FONT, LIST_NUM_ID, ctx.lists, headingNumberingXml(ctx.headings))],
    ...(withComments ? ([["word/comments.xml", commentsXml(ctx)]] as [string, string][]) : []),
    ["word/_rels/document.xml.rels", documentRelsXml(withComments)],
  ];
  const zip = new JSZip();
  // Zip entry dates: the revision date (DOS dates start in 1980).
  const stamp = new Date(Math.max(Date.parse(date), Date.UTC(1980, 0, 1)));
  for (const [name, text] of files) zip.file(name, text, { date: stamp, createFolders: false });
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 6 }, platform: "DOS" });
}
