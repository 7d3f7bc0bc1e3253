/**
 * Handlebars helpers available to templates (documented in docs/templates.md). They format
 * numbers, amounts, dates and periods the Danish way. A missing argument is an error, never
 * blank text.
 */
import { formatDate, formatDkk, formatKr, formatNumber, formatPercent } from "../format.js";

const WORDS = ["nul", "én", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv"];

export class HelperError extends Error {}

function num(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new HelperError(`'${name}' fik ${v === undefined ? "ingen værdi" : `'${String(v)}'`}, men skal have et tal`);
  return v;
}

function str(name: string, v: unknown): string {
  if (typeof v !== "string") throw new HelperError(`'${name}' fik ${v === undefined ? "ingen værdi" : `'${String(v)}'`}, men skal have en tekst`);
  return v;
}

function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** "2–4 timer", "30 minutter", "1 time", "mindst 1 time" */
export function formatHours(v: { min: number; max?: number }): string {
  const h = (x: number) => (x < 1 ? `${formatNumber(Math.round(x * 60))} minutter` : plural(x, "time", "timer"));
  if (v.max === undefined) return `mindst ${h(v.min)}`;
  if (v.min === v.max) return h(v.min);
  if (v.min < 1 || v.max < 1) return `${h(v.min)}–${h(v.max)}`;
  return `${formatNumber(v.min)}–${formatNumber(v.max)} timer`;
}

type Fn = (...args: unknown[]) => unknown;

/** Helpers by name. The last argument Handlebars passes is its options object; helpers ignore it. */
export const helpers: Record<string, Fn> = {
  kr: (n) => formatKr(num("kr", n)),
  dkk: (n) => formatDkk(num("dkk", n)),
  tal: (n) => formatNumber(num("tal", n)),
  pct: (n) => formatPercent(num("pct", n)),
  dato: (d) => formatDate(str("dato", d)),
  måneder: (n) => plural(num("måneder", n), "måned", "måneder"),
  uger: (n) => plural(num("uger", n), "uge", "uger"),
  dage: (n) => plural(num("dage", n), "Dag", "Dage"),
  arbejdsdage: (n) => plural(num("arbejdsdage", n), "Arbejdsdag", "Arbejdsdage"),
  timer: (v) => {
    if (!v || typeof v !== "object" || typeof (v as { min?: unknown }).min !== "number") throw new HelperError("'timer' skal have et interval med min og max");
    return formatHours(v as { min: number; max?: number });
  },
  /** 5 → "fem" (0–12), otherwise digits. */
  talord: (n) => {
    const x = num("talord", n);
    return Number.isInteger(x) && x >= 0 && x < WORDS.length ? WORDS[x] : formatNumber(x);
  },
  stort: (s) => {
    const t = str("stort", s);
    return t.charAt(0).toUpperCase() + t.slice(1);
  },
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  gt: (a, b) => num("gt", a) > num("gt", b),
  lt: (a, b) => num("lt", a) < num("lt", b),
  and: (...args) => args.slice(0, -1).every(Boolean),
  or: (...args) => args.slice(0, -1).some(Boolean),
  not: (a) => !a,
  plus: (a, b) => num("plus", a) + num("plus", b),
  gange: (a, b) => num("gange", a) * num("gange", b),
  join: (list, sep) => {
    if (!Array.isArray(list)) throw new HelperError("'join' skal have en liste");
    return list.join(typeof sep === "string" ? sep : ", ");
  },
  /** "a, b og c" */
  opremsning: (list) => {
    if (!Array.isArray(list)) throw new HelperError("'opremsning' skal have en liste");
    const xs = list.map(String);
    return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} og ${xs[xs.length - 1]}`;
  },
  længde: (list) => (Array.isArray(list) ? list.length : 0),
  /** 2 → "##": a heading marker for a computed level (nested sections). */
  niveau: (n) => "#".repeat(Math.min(6, Math.max(1, num("niveau", n)))),
  /** Text on one line (paragraph breaks become spaces): for list items and table cells. */
  enlinje: (s) => (s === null || s === undefined ? "" : String(s)).replace(/\s*\n+\s*/g, " "),
  /** A table cell: numbers formatted the Danish way, text on one line. */
  celle: (v) => (typeof v === "number" ? formatNumber(v) : String(v ?? "").replace(/\s*\n+\s*/g, " ")),
  /** ["a","b"] → "• a • b" (bullets inside a table cell). */
  punktliste: (list) => (Array.isArray(list) ? list.map((x) => `• ${String(x).replace(/\s*\n+\s*/g, " ")}`).join(" ") : ""),
};
