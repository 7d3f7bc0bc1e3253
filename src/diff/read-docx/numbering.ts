/** numbering.xml: list definitions and the numbers Word would show (labels), and typed heading numbers. */
import { type StyleDef } from "./styles.js";
import { Element, type XmlSink } from "./xml.js";

/* ------------------------------------------------------------------------------------------ */
/* Numbering                                                                                   */

export interface LevelDef {
  start?: number;
  fmt?: string;
  text?: string;
  pStyle?: string;
  isLgl?: boolean;
}

export interface AbstractNum {
  id: string;
  levels: Map<number, LevelDef>;
  numStyleLink?: string;
}

export interface NumDef {
  abstractId?: string;
  overrides: Map<number, { start?: number; level?: LevelDef }>;
}

export class NumberingSink implements XmlSink {
  readonly abstracts = new Map<string, AbstractNum>();
  readonly nums = new Map<string, NumDef>();
  private abs: AbstractNum | null = null;
  private num: NumDef | null = null;
  private override: { start?: number; level?: LevelDef } | null = null;
  private level: LevelDef | null = null;

  open(path: readonly string[], el: Element): void {
    const key = path[path.length - 1];
    const parent = path[path.length - 2];
    if (path.length === 2) {
      if (key === "abstractNum") {
        const id = el.attr("abstractNumId");
        this.abs = id !== undefined ? { id, levels: new Map() } : null;
      } else if (key === "num") {
        const id = el.attr("numId");
        this.num = id !== undefined ? { overrides: new Map() } : null;
        if (this.num) this.nums.set(id!, this.num);
      }
      return;
    }
    if (key === "lvl") {
      const ilvl = el.int("ilvl") ?? 0;
      this.level = {};
      if (parent === "abstractNum" && this.abs && !this.abs.levels.has(ilvl)) this.abs.levels.set(ilvl, this.level);
      else if (parent === "lvlOverride" && this.override) this.override.level = this.level;
      return;
    }
    if (this.level && path.includes("lvl")) {
      if (key === "start") this.level.start = el.int();
      else if (key === "numFmt") {
        // Word writes w14's custom formats in an mc:Choice with a standard format as fallback.
        const v = el.attr("val");
        if (v && v !== "custom") this.level.fmt = v;
      } else if (key === "lvlText") this.level.text = el.attr("val") ?? "";
      else if (key === "pStyle") this.level.pStyle = el.attr("val");
      else if (key === "isLgl") this.level.isLgl = el.onOff();
      return;
    }
    if (parent === "abstractNum" && key === "numStyleLink" && this.abs) this.abs.numStyleLink = el.attr("val");
    else if (parent === "num" && this.num) {
      if (key === "abstractNumId") this.num.abstractId = el.attr("val");
      else if (key === "lvlOverride") {
        this.override = {};
        this.num.overrides.set(el.int("ilvl") ?? 0, this.override);
      }
    } else if (parent === "lvlOverride" && key === "startOverride" && this.override) this.override.start = el.int();
  }

  close(path: readonly string[]): void {
    const key = path[path.length - 1];
    if (key === "lvl") this.level = null;
    else if (key === "lvlOverride") this.override = null;
    else if (path.length === 2) {
      if (key === "abstractNum" && this.abs) {
        if (!this.abstracts.has(this.abs.id)) this.abstracts.set(this.abs.id, this.abs);
        this.abs = null;
      } else if (key === "num") this.num = null;
    }
  }

  text(): void {}
}

/** The result of numbering a paragraph: its list label ("2.1", "a)") or null for a bullet. */
export interface NumberLabel {
  label: string | null;
}

/**
 * Word's list counters: one set per abstract numbering (lists sharing a definition continue each
 * other, as in Word), restarted at a list instance's `w:startOverride` the first time it is used;
 * a level restarts whenever a higher level advances.
 */
export class Numbering {
  private readonly counters = new Map<string, (number | undefined)[]>();
  private readonly started = new Set<string>();

  constructor(
    private readonly defs: NumberingSink,
    private readonly styleDefs: Map<string, StyleDef>,
  ) {}

  /** Advances the counters for a numbered paragraph; null when the numbering doesn't exist. */
  next(numId: string, ilvl: number | undefined, styleId: string | null): (NumberLabel & { ilvl: number }) | null {
    const num = this.defs.nums.get(numId);
    if (!num) return null;
    const abs = this.abstractOf(num);
    if (!abs) return null;
    if (ilvl === undefined) {
      // A numbered style without a level: the level linked to that style, else the first.
      ilvl = 0;
      if (styleId) for (const [k, l] of abs.levels) if (l.pStyle === styleId) ilvl = k;
    }
    ilvl = Math.min(Math.max(ilvl, 0), 8);
    const level = (k: number): LevelDef => num.overrides.get(k)?.level ?? abs.levels.get(k) ?? {};
    const start = (k: number): number => num.overrides.get(k)?.start ?? level(k).start ?? 1;

    let counts = this.counters.get(abs.id);
    if (!counts) this.counters.set(abs.id, (counts = []));
    if (!this.started.has(numId)) {
      this.started.add(numId);
      for (const [k, o] of num.overrides) if (o.start !== undefined) counts[k] = undefined;
    }
    const c = counts[ilvl];
    counts[ilvl] = c === undefined ? start(ilvl) : c + 1;
    for (let k = ilvl + 1; k < 9; k++) counts[k] = undefined;

    const def = level(ilvl);
    if (def.fmt === "bullet") return { label: null, ilvl };
    const text = def.text ?? `%${ilvl + 1}.`;
    const label = text.replace(/%([1-9])/g, (_m, d: string) => {
      const k = Number(d) - 1;
      if (k > ilvl) return "";
      return formatNumber(counts![k] ?? start(k), def.isLgl ? "decimal" : (level(k).fmt ?? "decimal"));
    });
    return { label, ilvl };
  }

  private abstractOf(num: NumDef): AbstractNum | undefined {
    let abs = num.abstractId !== undefined ? this.defs.abstracts.get(num.abstractId) : undefined;
    // A list style's definition points through the style to the list that holds the levels.
    for (let hops = 0; abs?.numStyleLink && hops < 4; hops++) {
      const linkNum = this.styleDefs.get(abs.numStyleLink)?.numId;
      const target = linkNum !== undefined ? this.defs.nums.get(linkNum) : undefined;
      const next = target?.abstractId !== undefined ? this.defs.abstracts.get(target.abstractId) : undefined;
      if (!next || next === abs) break;
      abs = next;
    }
    return abs;
  }
}

export function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case "none":
      return "";
    case "lowerLetter":
      return letters(n).toLowerCase();
    case "upperLetter":
      return letters(n);
    case "lowerRoman":
      return roman(n).toLowerCase();
    case "upperRoman":
      return roman(n);
    case "decimalZero":
      return n < 10 && n >= 0 ? `0${n}` : String(n);
    default:
      return String(n);
  }
}

/** Word's letter numbering: A … Z, AA … ZZ, AAA … */
export function letters(n: number): string {
  if (n < 1) return String(n);
  const letter = String.fromCharCode(65 + ((n - 1) % 26));
  return letter.repeat(Math.min(Math.floor((n - 1) / 26) + 1, 10));
}

export function roman(n: number): string {
  if (n < 1 || n > 3999) return String(n);
  const table: [number, string][] = [[1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"], [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]];
  let out = "";
  for (const [v, s] of table) for (; n >= v; n -= v) out += s;
  return out;
}

/** A list label as a clause ref: "2.1." → "2.1", "a)" → "a", "(a)" stays. */
export function labelRef(label: string | null): string | null {
  if (label === null) return null;
  let s = label.trim().replace(/[.:\s]+$/, "");
  if (s.endsWith(")") && !s.includes("(")) s = s.slice(0, -1);
  return s || null;
}

/** A number typed in the heading text: "6.4 Bod", "6. Misligholdelse", "2.1.1\tVarsel". */
export const TEXT_NUMBER = /^(\d{1,3}(?:\.\d{1,3})*)\.?(?:[\s\u00a0]+|$)/;
