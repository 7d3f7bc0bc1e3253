/**
 * Fidelity of a rendered tender against a seed text (a PDF turned into text): how many of the seed's
 * numbered headings come out with the same number and title, and how many of its sentences appear
 * verbatim. Both sides are normalised for quotes, hyphenation (a PDF's "mu- ligt"), dashes, case and
 * whitespace; nothing else is forgiven.
 */
export interface Heading {
  nummer: string;
  titel: string;
}

/**
 * Seed headings: "4.1. Målgruppe", "3 Titel" … on a line of their own, short, not a sentence. Not
 * the items of a numbered list: a line "1. …" right after a line ending in ":" starts a list, and
 * "2. …", "3. …" … on the following lines continue it (the seed's "1. Kontrakten" in the order of
 * precedence is a list item, not a chapter).
 */
export function seedHeadings(text: string): Heading[] {
  const out: Heading[] = [];
  let prev = "";
  let listNext = 0; // the number the next item of a numbered list would have; 0: not in a list
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const item = /^(\d{1,2})\.\s/.exec(line);
    const n = item ? Number(item[1]) : 0;
    const inList = item !== null && (n === 1 ? /:$/.test(prev) : n === listNext);
    listNext = inList ? n + 1 : 0;
    if (line) prev = line;
    if (inList) continue;
    const m = /^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\S.*)$/.exec(line);
    if (!m || line.length > 110) continue;
    const titel = m[2].replace(/\s+\d{1,3}$/, ""); // a table of contents' page number
    if (/[.:;,]$/.test(titel) || !/^[A-ZÆØÅ"”]/.test(titel)) continue;
    out.push({ nummer: m[1], titel });
  }
  return out;
}

/**
 * Rendered Markdown headings: "## 4.1 Målgruppe {#id}"; also a numbered point whose whole text is
 * bold ("1. **Neurofaglig udredning …**"), how an outline item numbered within its section prints.
 */
export function renderedHeadings(md: string): Heading[] {
  const out: Heading[] = [];
  for (const line of md.split("\n")) {
    const m = /^#{1,6}\s+(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(.*?)\s*(\{#[^}]*\})?\s*$/.exec(line) ?? /^(\d{1,2})\.\s+\*\*(.+)\*\*\s*$/.exec(line);
    if (m) out.push({ nummer: m[1], titel: m[2] });
  }
  return out;
}

/** Markdown's internal links (a resolved reference "[4.4](#id)") as their text. */
export function stripLinks(s: string): string {
  return s.replace(/\[([^\]]*)\]\(#[^)]*\)/g, "$1");
}

/** Normalise for comparison: quotes, dashes and hyphenation, Markdown escapes and emphasis, case, whitespace. */
export function norm(s: string): string {
  return stripLinks(s)
    .replace(/\\\n/g, "\n") // a Markdown hard line break ("…\\" at the end of a line)
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~=<])/g, "$1")
    .replace(/\*\*|__/g, "")
    .replace(/[”“"„«»]/g, '"')
    .replace(/[’‘`´']/g, "'")
    .replace(/[‐‑‒–—―-]/g, "-")
    .replace(/(\p{L})- (\p{Ll})/gu, "$1$2") // a PDF's line-end hyphenation: "mu- ligt"
    .replace(/[\s\-|•·]+/g, "")
    .toLowerCase();
}

/**
 * Lines of a PDF's text that are not running text: table rows ("a | b |"), chart data (mostly
 * numbers and percentages), source lines ("Kilde: …", "Note: …") and redacted text ("Xxxxx"; the
 * seed is anonymised there, so no rendering can match it).
 */
/** The seed's anonymised words: "Xxxxx", "XXXX", "xxxxxxxxxx.xx". */
const ANONYMISED = /\b[Xx]x{3,}\b|\bX{4,}\b/;

/** A table's or chart's caption: "Tabel 2: …", "Figur 1: …". */
const CAPTION = /^(Tabel|Figur)\s+\d+:/;

/** A source line under a table or chart: "Kilde: …", or the anonymised source "Xxxxxxxxxx.xx". */
function isSource(line: string): boolean {
  return /^(Kilde|Note)\s*:/.test(line) || /^X{1}x{3,}(\.xx)?$/.test(line);
}

export function isNoise(line: string): boolean {
  if (line.includes("|")) return true;
  if (/^(Kilde|Note)\s*:/.test(line)) return true;
  if (ANONYMISED.test(line)) return true;
  const tokens = line.split(/\s+/);
  const numeric = tokens.filter((t) => /^[\d.,%<>½–-]+$/.test(t)).length;
  return (tokens.length >= 4 && numeric / tokens.length > 0.4) || numeric === tokens.length;
}

/**
 * The seed's sentences: running-text lines (not headings, not noise) joined where a PDF wrapped
 * them (the next line starts in lower case, or a long line stops mid-sentence), split at sentence
 * ends; fragments under four words are left out. A noise line between two lines ends the paragraph
 * (the text before and after an anonymised list item are not one sentence).
 */
export function seedSentences(text: string): string[] {
  const headings = new Set(seedHeadings(text).map((h) => `${h.nummer} ${h.titel}`));
  const paras: string[] = [];
  // `open`: the last paragraph may take the next line (no table row, chart or caption in between).
  let open = false;
  let inChart = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    // A chart's labels and numbers, from its caption to its source line (short lines only: a
    // long line is running text again, as after seed A1's "Figur 1", which has no data).
    if (inChart && (isSource(line) || line.length >= 90)) inChart = false;
    if (/^Figur\s+\d+:/.test(line)) inChart = false; // a new chart (its caption may be anonymised: "Figur 8: Xxxxx …")
    if (inChart || headings.has(line.replace(/^(\S+?)\.?\s+/, "$1 ").replace(/\s+\d{1,3}$/, "")) || isNoise(line)) {
      open = false;
      if (/^Figur\s+\d+:/.test(line)) inChart = true;
      continue;
    }
    const prev = paras[paras.length - 1];
    if (open && prev !== undefined && (/^\p{Ll}/u.test(line) || (prev.length > 95 && !/[.!?:;”")]$/.test(prev)))) paras[paras.length - 1] = `${prev} ${line}`;
    else paras.push(line);
    open = true;
    // A caption ("Tabel 2: …", "Figur 1: …") is a paragraph of its own.
    if (CAPTION.test(line)) {
      open = false;
      inChart = /^Figur\b/.test(line);
    }
  }
  return paras
    .flatMap((p) => p.split(/(?<=[.!?:])\s+(?=[A-ZÆØÅ•"”])/))
    .map((s) => s.replace(/^•\s*/, "").trim())
    .filter((s) => s.split(/\s+/).length >= 4 && !isNoise(s));
}

export interface Fidelity {
  overskrifter: number;
  overskrifter_fundet: number;
  sætninger: number;
  sætninger_fundet: number;
  manglende_overskrifter: Heading[];
  manglende_sætninger: string[];
}

/**
 * Same number and title; an anonymised word of the seed's title ("1.2 Xxxxx og fordeling …")
 * stands for any one word, since no rendering can print what the seed hides.
 */
export function sameHeading(seed: Heading, rendered: Heading): boolean {
  if (seed.nummer !== rendered.nummer) return false;
  if (!ANONYMISED.test(seed.titel)) return norm(seed.titel) === norm(rendered.titel);
  const a = seed.titel.trim().split(/\s+/);
  const b = rendered.titel.trim().split(/\s+/);
  return a.length === b.length && a.every((w, i) => ANONYMISED.test(w) || norm(w) === norm(b[i]));
}

export function fidelity(seed: string, rendered: string): Fidelity {
  const want = seedHeadings(seed);
  const have = renderedHeadings(rendered);
  const missingH = want.filter((h) => !have.some((r) => sameHeading(h, r)));
  const body = norm(rendered.replace(/\{#[^}]*\}/g, ""));
  const sentences = seedSentences(seed);
  const missingS = sentences.filter((s) => !body.includes(norm(s)));
  return {
    overskrifter: want.length,
    overskrifter_fundet: want.length - missingH.length,
    sætninger: sentences.length,
    sætninger_fundet: sentences.length - missingS.length,
    manglende_overskrifter: missingH,
    manglende_sætninger: missingS,
  };
}

/** The parts of seed 003: line ranges (1-based, inclusive start) by the "Bilag X" title lines. */
export function seedParts(text: string): Record<string, string> {
  const lines = text.split("\n");
  const at = (name: string) => lines.findIndex((l) => l.trim() === name);
  const marks: [string, number][] = [
    ["rammeaftale", 0],
    ["A1", at("Bilag A1")],
    ["A2", at("Bilag A2")],
    ["A3", at("Bilag A3")],
    ["A4", at("Bilag A4")],
    ["B1", at("Bilag B1")],
    ["B2", at("Bilag B2")],
  ];
  const out: Record<string, string> = {};
  marks.forEach(([name, start], i) => {
    const end = i + 1 < marks.length ? marks[i + 1][1] : lines.length;
    out[name] = lines.slice(start, end).join("\n");
  });
  return out;
}
