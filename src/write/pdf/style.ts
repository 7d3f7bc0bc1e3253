/** Page geometry and the type scheme of the PDF (one with the DOCX: Carlito, 2,5 cm margins). */
import { Family } from "./fonts.js";
import { Align } from "./text.js";

// ---------------------------------------------------------------- page geometry and typography

export const PAGE_W = 595.28; // A4 in points
export const PAGE_H = 841.89;
// 2,5 cm on every side, as the DOCX: the two formats set the same text block.
export const MARGIN = { top: 70.87, bottom: 70.87, left: 70.87, right: 70.87 };
export const TOP = MARGIN.top;
export const BOTTOM = PAGE_H - MARGIN.bottom;
export const BODY_H = BOTTOM - TOP;
export const TEXT_W = PAGE_W - MARGIN.left - MARGIN.right;
export const EPS = 0.01;

export const COLOR = {
  text: "#1a1a1a",
  heading: "#1f3864",
  accent: "#1f3864",
  muted: "#5f6670",
  quote: "#333333",
  link: "#1a4f8b",
  rule: "#c4c9d0",
  border: "#8a9099",
  headerFill: "#e9edf2",
  leader: "#7a7f87",
};

// One type scheme with the DOCX: Carlito (Calibri's metrics) 11 pt, Word's line spacing 1,1 of
// Calibri's single line (2500/2048 em), 6 pt after a paragraph; tables 10 pt, single spaced.
export const BODY_SIZE = 11;
export const BODY_LH = (1.1 * 2500) / 2048; // line height as a multiple of the font size
/**
 * Body text is set ragged right: without Danish hyphenation, justified lines with long compounds
 * ("kravspecifikationen", "Aftaleperioden") open wide gaps. Set to "justify" to justify (pdfkit then
 * positions words instead of emitting space glyphs).
 */
export const BODY_ALIGN: Align = "left";
export const PARA_GAP = 6; // space between paragraphs
export const ITEM_GAP = 3; // space between list items
export const TABLE_SIZE = 10;
export const TABLE_LH = 2500 / 2048;
export const CELL_PAD_X = 5;
export const CELL_PAD_Y = 3.5;
export const QUOTE_INDENT = 18;
export const TOC_INDENT = 20;
export const CAPTION_SIZE = 9;
export const CAPTION_LH = 1.35;
export const CAPTION_GAP = 6; // between a figure and its caption
export const FIGURE_GAP = 10; // above a figure and below its caption
export const PX = 0.75; // points per CSS px

export interface HeadingStyle {
  family: Family;
  bold: boolean;
  italic: boolean;
  size: number;
  lh: number;
  before: number;
  after: number;
  color: string;
}

export const HEADING_STYLES: HeadingStyle[] = [
  // As the DOCX's Heading 1–4 styles: 14, 12, 11 and 11 pt bold (3 and 4 italic), before/after as there.
  { family: "body", bold: true, italic: false, size: 14, lh: BODY_LH, before: 18, after: 6, color: COLOR.heading },
  { family: "body", bold: true, italic: false, size: 12, lh: BODY_LH, before: 12, after: 4, color: COLOR.heading },
  { family: "body", bold: true, italic: true, size: BODY_SIZE, lh: BODY_LH, before: 10, after: 3, color: COLOR.heading },
  { family: "body", bold: true, italic: true, size: BODY_SIZE, lh: BODY_LH, before: 8, after: 2, color: COLOR.heading },
];
export const headingStyle = (level: number): HeadingStyle => HEADING_STYLES[Math.min(Math.max(level, 1), HEADING_STYLES.length) - 1];
