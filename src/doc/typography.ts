import { type Block, type Inline, type TableCell, inlineText } from "./ast.js";

/**
 * Danish typesetting: where a line may not break. A non-breaking space (U+00A0) goes after "pkt.",
 * "DKK", "§", "bilag", "nr." and "stk.", and between a number and the unit after it ("kr.", "%",
 * "uger", "timer", "dage", "mio.", "mia."), so lines never end in "pkt." or start with "%".
 * Used by the writers that break lines (PDF, DOCX); the fonts of both have U+00A0.
 */
const AFTER_WORD = /(^|[^\p{L}\p{N}])(pkt\.|Pkt\.|DKK|§§?|[Bb]ilag|nr\.|Nr\.|stk\.|Stk\.) (?=[\p{L}\p{N}[(])/gu;
const BEFORE_UNIT = /(\d) (?=(?:kr\.|%|uger?\b|timer?\b|dage?\b|mio\.|mia\.|måneder\b|arbejdsdage\b))/gu;

export function danishSpaces(text: string): string {
  if (!text.includes(" ")) return text;
  return text.replace(AFTER_WORD, "$1$2\u00a0").replace(BEFORE_UNIT, "$1\u00a0");
}

/** The document date as the cover shows it: "12. maj 2020" ("" for a date that is not ISO). */
export function coverDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return "";
  const months = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"];
  const month = months[Number(m[2]) - 1];
  return month ? `${Number(m[3])}. ${month} ${m[1]}` : "";
}

/**
 * Paragraphs that belong with what follows them: a lead-in ("… skal indeholde en beskrivelse af:")
 * and a pseudo-heading (a paragraph that is all bold, such as "Varighed og intensitet").
 */
export function keepsWithNext(content: Inline[]): boolean {
  const text = inlineText(content).trim();
  if (!text) return false;
  if (text.endsWith(":")) return true;
  const visible = content.filter((i) => !(i.type === "text" && !i.text.trim()));
  return visible.length === 1 && visible[0].type === "strong" && text.length <= 120;
}

/** Whether a cell's text is a number or an amount ("5.623", "1.234.567 kr.", "10 %", "-"). */
export function isNumeric(text: string): boolean {
  const t = text.replace(/[\s\u00a0\u202f]+/g, " ").trim();
  return /^(?:[-–+]?\d[\d.]*(?:,\d+)?(?: ?(?:kr\.|%|DKK|uger|timer))?|[-–])$/.test(t) && /\d/.test(t);
}

/** Right alignment for a column whose body cells are all numbers (the header follows the column). */
export function columnAligns(b: Extract<Block, { type: "table" }>, cols: number): TableCell["align"][] {
  return Array.from({ length: cols }, (_, k) => {
    const cells = b.rows.map((r) => inlineText(r[k]?.content ?? []).trim()).filter((t) => t && t !== "-" && t !== "–");
    return cells.length && cells.every(isNumeric) ? "right" : b.header[k]?.align;
  });
}
