/**
 * Lists in the redline keep the new document's list types: "1." lists stay decimal with a period,
 * "a)" lists lowercase letters with a parenthesis, "i)" roman numerals, bullets bullets. Each run
 * of consecutive list paragraphs of one type is one Word list (its own w:num, restarted at the
 * first item's number), so Accept All gives the new document's markers and Reject All the old's.
 */

export type ListFormat = "decimal" | "lowerLetter" | "upperLetter" | "lowerRoman" | "upperRoman";

export interface ListStyle {
  fmt: ListFormat;
  suffix: "." | ")";
  /** "(" for markers like "(i)". */
  prefix?: "(";
  /** The number of the item the marker was read from. */
  start: number;
}

const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };

function romanValue(s: string): number | null {
  if (!/^[ivxlcdm]+$/.test(s)) return null;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const v = ROMAN[s[i]];
    const next = ROMAN[s[i + 1]] ?? 0;
    n += v < next ? -v : v;
  }
  return n > 0 ? n : null;
}

/** "1." → decimal, "a)" → lowerLetter, "iii)" → lowerRoman, "2.1" → decimal; null for bullets or unknown markers. */
export function parseMarker(marker: string | undefined): ListStyle | null {
  const m = marker?.trim();
  if (!m) return null;
  const x = /^\(?([0-9]+|[a-zA-Z]+)([.)])$/.exec(m);
  if (!x) {
    const d = /^(?:\d+\.)+(\d+)\.?$/.exec(m);
    return d ? { fmt: "decimal", suffix: ".", start: Number(d[1]) } : null;
  }
  const v = x[1];
  const suffix = x[2] as "." | ")";
  if (m.startsWith("(") && suffix === ")") {
    const inner = parseMarker(m.slice(1));
    return inner ? { ...inner, prefix: "(" } : null;
  }
  if (/^\d+$/.test(v)) return { fmt: "decimal", suffix, start: Number(v) };
  const lower = v.toLowerCase();
  const upper = v !== lower;
  // A lone "i" starts a roman list; other lone letters are letters ("v" is the 22nd).
  const roman = v.length > 1 || lower === "i" ? romanValue(lower) : null;
  if (roman !== null) return { fmt: upper ? "upperRoman" : "lowerRoman", suffix, start: roman };
  if (v.length === 1) return { fmt: upper ? "upperLetter" : "lowerLetter", suffix, start: lower.charCodeAt(0) - 96 };
  return null;
}

/** A Word list instance of the redline. */
export interface ListInstance {
  numId: number;
  style: ListStyle;
}

/** Numbered list paragraphs of the redline, in document order; `null` ends a run (any other element). */
export type ListSlot = { style: ListStyle; setNumId: (n: number) => void } | null;

/**
 * Groups list paragraphs into Word lists: within a run of consecutive list paragraphs, one
 * instance per list type; an "i)" after letters is the ninth letter. numIds start at `first`.
 */
export function assignLists(slots: ListSlot[], first: number): ListInstance[] {
  const out: ListInstance[] = [];
  let run = new Map<string, ListInstance>();
  for (const slot of slots) {
    if (!slot) {
      run = new Map();
      continue;
    }
    let s = slot.style;
    const letters = `lowerLetter${s.suffix}`;
    if (s.fmt === "lowerRoman" && s.start === 1 && run.has(letters)) s = { fmt: "lowerLetter", suffix: s.suffix, start: 9 };
    const key = `${s.prefix ?? ""}${s.fmt}${s.suffix}`;
    let inst = run.get(key);
    if (!inst) {
      inst = { numId: first + out.length, style: s };
      out.push(inst);
      run.set(key, inst);
    }
    slot.setNumId(inst.numId);
  }
  return out;
}

const FORMATS: ListFormat[] = ["decimal", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman"];

/** numbering.xml: the bullet list (abstract 0, numId `bulletNumId`) and one abstract per numbered type, one w:num per list instance. */
export function numberingXml(xmlDecl: string, ns: string, font: string, bulletNumId: number, lists: ListInstance[], extra = { abstracts: "", nums: "" }): string {
  const indent = (k: number) => `<w:pPr><w:ind w:left="${567 * (k + 1)}" w:hanging="${k ? 340 : 283}"/></w:pPr>`;
  const bulletLevels = Array.from({ length: 9 }, (_, k) => `<w:lvl w:ilvl="${k}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>${k === 0 ? '<w:pStyle w:val="ListBullet"/>' : ""}<w:lvlText w:val="${k % 2 ? "–" : "•"}"/><w:lvlJc w:val="left"/>${indent(k)}<w:rPr><w:rFonts w:ascii="${font}" w:hAnsi="${font}"/></w:rPr></w:lvl>`).join("");
  const abstractId = (s: ListStyle) => 1 + FORMATS.indexOf(s.fmt) * 3 + (s.prefix ? 2 : s.suffix === ")" ? 1 : 0);
  const used = [...new Map(lists.map((l) => [abstractId(l.style), l.style])).entries()].sort((a, b) => a[0] - b[0]);
  const abstracts = used.map(([id, s]) => {
    const levels = Array.from({ length: 9 }, (_, k) => `<w:lvl w:ilvl="${k}"><w:start w:val="1"/><w:numFmt w:val="${s.fmt}"/><w:lvlText w:val="${s.prefix ?? ""}%${k + 1}${s.suffix}"/><w:lvlJc w:val="left"/>${indent(k)}</w:lvl>`).join("");
    return `<w:abstractNum w:abstractNumId="${id}"><w:multiLevelType w:val="hybridMultilevel"/>${levels}</w:abstractNum>`;
  });
  const nums = lists.map((l) => `<w:num w:numId="${l.numId}"><w:abstractNumId w:val="${abstractId(l.style)}"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="${l.style.start}"/></w:lvlOverride></w:num>`);
  return (
    `${xmlDecl}<w:numbering xmlns:w="${ns}">` +
    `<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>${bulletLevels}</w:abstractNum>` +
    abstracts.join("") +
    extra.abstracts +
    `<w:num w:numId="${bulletNumId}"><w:abstractNumId w:val="0"/></w:num>${extra.nums}${nums.join("")}</w:numbering>`
  );
}
