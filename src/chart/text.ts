/** Text measurement with DejaVu Sans metrics, and label wrapping. */
import * as vega from "vega";
import { AVERAGE, EXTRA, LATIN } from "./metrics.js";

function charWidth(code: number, bold: boolean): number {
  if (code >= 0x20 && code <= 0x7e) return (bold ? LATIN.bold : LATIN.regular)[code - 0x20];
  if (code >= 0xa0 && code <= 0xff) return (bold ? LATIN.bold : LATIN.regular)[code - 0xa0 + 0x5f];
  const extra = EXTRA[code];
  if (extra) return extra[bold ? 1 : 0];
  if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x200b) return 0;
  return bold ? AVERAGE.bold : AVERAGE.regular;
}

/** Width in px of `text` set in DejaVu Sans (Bold) at `fontSize` px. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0)!, bold);
  return (w * fontSize) / 1000;
}

/** Greedy word wrap into lines no wider than `maxWidth` (a single over-long word stays on its own line). */
export function wrapText(text: string, maxWidth: number, fontSize: number, bold = false): string[] {
  const words = text.split(/\s+/).filter((w) => w !== "");
  if (words.length === 0) return [text];
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const candidate = line === "" ? word : `${line} ${word}`;
    if (line !== "" && textWidth(candidate, fontSize, bold) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  lines.push(line);
  return lines;
}

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

function isBold(weight: string | number | undefined): boolean {
  if (weight === undefined) return false;
  if (typeof weight === "number") return weight >= 600;
  return weight === "bold" || weight === "bolder" || Number(weight) >= 600;
}

let installed = false;

/**
 * Make vega measure text with DejaVu Sans advance widths instead of its 0.8 em/char estimate.
 * vega-scenegraph explicitly supports a user-defined `textMetrics.width` (vl-convert does the same).
 * Process-wide, idempotent; only affects vega layout (label overlap, legend and axis sizes).
 */
export function installTextMetrics(): void {
  if (installed) return;
  const metrics = (vega as unknown as { textMetrics?: { width: (item: TextItem, text?: unknown) => number } }).textMetrics;
  if (!metrics) return;
  metrics.width = (item: TextItem, text?: unknown): number => {
    const size = item.fontSize ?? 11;
    const value = text ?? item.text;
    if (value === null || value === undefined || size <= 0) return 0;
    return textWidth(String(value), size, isBold(item.fontWeight));
  };
  installed = true;
}
