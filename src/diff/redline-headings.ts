/**
 * Heading numbers in the redline. When the new document numbers its headings with Word's automatic
 * numbering (our DOCX writer does, and a DOCX read back shows it: `ComparableDoc.headingNumbers`),
 * the redline does too: one multilevel list — "1.", "1.1", "1.1.1" …, legal style, a tab after the
 * number, as src/write/docx.ts defines it — linked to the Heading 1–6 styles, and the heading
 * paragraphs carry no typed number. An inserted or deleted heading then renumbers the headings
 * after it by itself on Accept All / Reject All, as in Word, and after acceptance the numbers are
 * still Word's (a heading the lawyer adds is numbered too).
 *
 * That is only exact when the numbers Word computes are the numbers of both versions: the numbered
 * headings of each side, in that side's order, must count 1, 1.1, 1.2, 2, … with no level skipped
 * and none deeper than 6. Otherwise (typed numbers, gaps, letters, a hand-numbered outline) the
 * numbers stay typed in the heading text, the changed ones as deletion + insertion.
 *
 * Several documents in one redline: the first one numbered this way uses the styles' list; each
 * further one its own list instance (restarting at 1), given on its headings' w:numPr.
 */
import type { Clause, DocDiff } from "./model.js";

/** Deepest heading level in the list (Heading 1–6, as our DOCX writer has them). */
export const HEADING_MAX_LEVEL = 6;
/** The heading list's abstractNumId (the list types of redline-lists.ts use 0–15). */
const HEADING_ABSTRACT_ID = 50;
/** Hanging indent of a numbered heading: room for "10.10.10" (src/write/docx.ts). */
export const HEADING_INDENT = 851;

/** How one document's headings are numbered in the redline. */
export interface DocHeadings {
  /** Word's automatic numbering (else typed numbers). */
  word: boolean;
  /** The list instance (w:num) of this document's headings, when `word`. */
  numId: number;
  /** The number is given on each heading (not only through the Heading style). */
  explicit: boolean;
  /** The Heading styles are in a list (some document of the redline uses it): typed headings opt out. */
  stylesNumbered: boolean;
}

/** Do the numbered clauses count as Word's heading list would count them? */
export function countsLikeWord(clauses: Clause[]): boolean {
  const counts: number[] = [];
  for (const c of clauses) {
    if (c.ref === null) continue; // the preamble, an unnumbered heading: not in the list
    if (c.level < 1 || c.level > HEADING_MAX_LEVEL) return false;
    const k = c.level - 1;
    for (let i = 0; i < k; i++) if (counts[i] === undefined) return false;
    counts[k] = (counts[k] ?? 0) + 1;
    counts.length = k + 1;
    if (c.ref !== counts.join(".")) return false;
  }
  return true;
}

/** Whether a compared document's redline can number its headings with Word's numbering. */
export function wordHeadings(d: DocDiff): boolean {
  if (d.headingNumbers !== "word") return false;
  const olds = d.clauses.filter((c) => c.old);
  if (olds.some((c) => c.oldIndex === undefined)) return false;
  const oldSide = [...olds].sort((a, b) => a.oldIndex! - b.oldIndex!).map((c) => c.old!);
  const newSide = d.clauses.filter((c) => c.new).map((c) => c.new!);
  return countsLikeWord(oldSide) && countsLikeWord(newSide);
}

/** Per document: its heading numbering; list instances from `firstNumId` on. */
export function planHeadings(diffs: DocDiff[], firstNumId: number): DocHeadings[] {
  let n = 0;
  const word = diffs.map(wordHeadings);
  const stylesNumbered = word.some(Boolean);
  return word.map((w) => {
    const h: DocHeadings = { word: w, numId: w ? firstNumId + n : 0, explicit: w && n > 0, stylesNumbered };
    if (w) n++;
    return h;
  });
}

/** The number of heading list instances the plan uses. */
export function headingLists(plan: DocHeadings[]): number {
  return plan.filter((h) => h.word).length;
}

/** A heading taken out of the numbered Heading styles (typed number or unnumbered). */
export const NUMBERING_OFF = `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr><w:ind w:left="0" w:hanging="0"/>`;

/** The Heading N style's list membership (styles.xml), when some document uses the list. */
export function styleNumPr(plan: DocHeadings[], level: number): string {
  const first = plan.find((h) => h.word && !h.explicit);
  return first ? `<w:numPr><w:ilvl w:val="${level - 1}"/><w:numId w:val="${first.numId}"/></w:numPr>` : "";
}

/** numbering.xml parts: the heading list's definition and one w:num per document using it. */
export function headingNumberingXml(plan: DocHeadings[]): { abstracts: string; nums: string } {
  const used = plan.filter((h) => h.word);
  if (!used.length) return { abstracts: "", nums: "" };
  const levels = Array.from({ length: 9 }, (_, i) => {
    const text = i === 0 ? "%1." : Array.from({ length: i + 1 }, (_, k) => `%${k + 1}`).join(".");
    const style = i < HEADING_MAX_LEVEL ? `<w:pStyle w:val="Heading${i + 1}"/>` : "";
    return `<w:lvl w:ilvl="${i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>${style}<w:isLgl/><w:suff w:val="tab"/><w:lvlText w:val="${text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="${HEADING_INDENT}" w:hanging="${HEADING_INDENT}"/></w:pPr></w:lvl>`;
  }).join("");
  const restart = Array.from({ length: 9 }, (_, i) => `<w:lvlOverride w:ilvl="${i}"><w:startOverride w:val="1"/></w:lvlOverride>`).join("");
  return {
    abstracts: `<w:abstractNum w:abstractNumId="${HEADING_ABSTRACT_ID}"><w:multiLevelType w:val="multilevel"/>${levels}</w:abstractNum>`,
    nums: used.map((h) => `<w:num w:numId="${h.numId}"><w:abstractNumId w:val="${HEADING_ABSTRACT_ID}"/>${h.explicit ? restart : ""}</w:num>`).join(""),
  };
}
