/** Danish number formatting for charts: vega locale, axis label expressions and data labels. */
import * as vega from "vega";

export type Unit = "kr" | "pct" | "antal";

/** d3-format locale for Danish: 1.250.000,5 and currency suffix " kr.". */
export const NUMBER_LOCALE = {
  decimal: ",",
  thousands: ".",
  grouping: [3],
  currency: ["", " kr."] as [string, string],
  minus: "\u2212",
};

/** d3-time-format locale for Danish (used by any date axis; month charts use fixed labels). */
export const TIME_LOCALE = {
  dateTime: "%A den %d. %B %Y %X",
  date: "%d.%m.%Y",
  time: "%H:%M:%S",
  periods: ["", ""] as [string, string],
  days: ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
  shortDays: ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
  months: ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"],
  shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
};

/** Locale block for the vega-lite config (vega applies it to the view, incl. `format()` in expressions). */
export const LOCALE = { number: NUMBER_LOCALE, time: TIME_LOCALE };

interface Formatters {
  format: (spec: string) => (n: number) => string;
}

let formatters: Formatters | undefined;
function fmt(spec: string): (n: number) => string {
  // vega.locale(number, time) builds formatters without touching the global default locale.
  formatters ??= (vega as unknown as { locale: (n: object, t: object) => Formatters }).locale(NUMBER_LOCALE, TIME_LOCALE);
  return formatters.format(spec);
}

/** Scale for a magnitude: "mia." from 1e9, "mio." from 1e6 (only for kr). */
function scaleFor(maxAbs: number): { div: number; word: string } {
  if (maxAbs >= 1e9) return { div: 1e9, word: " mia." };
  if (maxAbs >= 1e6) return { div: 1e6, word: " mio." };
  return { div: 1, word: "" };
}

/** Decimals that keep small values readable. */
function decimalsFor(maxAbs: number): number {
  if (maxAbs === 0 || maxAbs >= 100) return 0;
  if (maxAbs >= 10) return 1;
  return 2;
}

function suffix(unit: Unit | undefined): string {
  return unit === "kr" ? " kr." : unit === "pct" ? " %" : "";
}

/**
 * Vega expression for axis labels (`labelExpr`), chosen from the magnitude of the data so all
 * ticks of one axis use the same style: 250.000 kr. · 1,25 mio. kr. · 12,5 % · 1.200
 */
export function axisLabelExpr(unit: Unit | undefined, maxAbs: number): string {
  const { div, word } = unit === "kr" ? scaleFor(maxAbs) : { div: 1, word: "" };
  const value = div > 1 ? `datum.value / ${div}` : "datum.value";
  // Two decimals at most, trailing zeros trimmed: ticks are "nice" numbers, so this is exact.
  // Zero reads "0 kr.", not "0 mio. kr.".
  return `datum.value == 0 ? '0${suffix(unit)}' : format(${value}, ',.2~f') + '${word}${suffix(unit)}'`;
}

/** Data label: full precision below 1 mio. ("990.000 kr."), compact above ("1,25 mio. kr."). */
export function formatValue(n: number, unit: Unit | undefined, compact = true): string {
  const abs = Math.abs(n);
  if (unit === "kr" && compact && abs >= 1e6) {
    const { div, word } = scaleFor(abs);
    // Three significant digits: 1,25 mio. · 12,5 mio. · 125 mio.
    return `${fmt(",.3~r")(n / div)}${word} kr.`;
  }
  const decimals = decimalsFor(abs);
  return `${fmt(decimals === 0 ? ",.0f" : `,.${decimals}~f`)(n)}${suffix(unit)}`;
}

/** Largest absolute finite value (0 for none). */
export function maxAbs(values: Iterable<number | null | undefined>): number {
  let m = 0;
  for (const v of values) if (typeof v === "number" && Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}
