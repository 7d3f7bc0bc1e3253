/**
 * User text → Markdown that reads back as exactly that text. Every string from the spec passes
 * through here before templates see it, so user text can never become Markdown syntax, HTML
 * or one of our extensions ({ref:…}, {#id}, {sideskift}). Paragraph breaks (blank lines) are kept.
 */
import { Example } from "./example.js";

const INLINE = /[\\`*_{}[\]()<>#+!|~&]/g;

function escapeLine(line: string): string {
  let s = line.trim().replace(INLINE, (c) => `\\${c}`).replace(/=(?==)/g, "\\="); // "==" opens an example mark
  // Block syntax at the start of a line: list markers, ordered-list numbers, thematic breaks, setext underlines.
  s = s.replace(/^([-=])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2");
  return s;
}

/** Escaped texts already seen (a pure function: a warm re-render escapes the same texts again). Bounded. */
const memo = new Map<string, string>();
const MEMO_MAX = 50_000;

/**
 * A text that escaping leaves as it is: one line, nothing to escape, no block syntax at its start
 * (conservatively: no leading '-' or digit) and no space to trim. Most of a spec's texts are.
 */
const MAY_CHANGE = /[\\`*_{}[\]()<>#+!|~&=\r\n]|^[-\d]/;

/** Escapes a (possibly multi-paragraph) text. Single line breaks inside a paragraph become spaces. */
export function escapeMarkdown(text: string): string {
  if (!MAY_CHANGE.test(text) && text.trim() === text) return text;
  let out = memo.get(text);
  if (out === undefined) {
    out = escapeText(text);
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(text, out);
  }
  return out;
}

function escapeText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n+/)
    .map((para) => para.split("\n").map(escapeLine).filter((l) => l !== "").join(" "))
    .filter((p) => p !== "")
    .join("\n\n");
}

/** Ids and references are restricted by the schema to letters, digits, '.', '_' and '-': kept as they are. */
const RAW_KEYS = new Set(["id", "delkontrakt", "indsats", "element", "indsatsspor", "kan_kombineres_med", "elementer", "type", "regime", "kriterium", "model", "lov", "støttebehov", "resultat", "hyppighed", "afbrudte_forløb", "til_udløbet_af", "ordretildeling"]);

/** Deeply escapes every string in a value (numbers, booleans and null are kept; ids and enum values too). */
export function escapeDeep<T>(value: T, key?: string): T {
  if (value instanceof Example) return new Example(escapeDeep(value.value, key)) as T;
  if (typeof value === "string") return (key !== undefined && RAW_KEYS.has(key) ? value : escapeMarkdown(value)) as T;
  if (Array.isArray(value)) return value.map((v) => escapeDeep(v, key)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = escapeDeep(v, k);
    return out as T;
  }
  return value;
}
