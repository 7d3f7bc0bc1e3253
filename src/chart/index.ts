/**
 * SVG charts for reports (price simulation), rendered server-side with vega-lite/vega
 * (renderer "none", no canvas). Danish number formatting, DejaVu Sans, Okabe–Ito colours,
 * deterministic output, self-contained SVG with width/height attributes.
 */
import { axisLabelExpr, formatValue, maxAbs, type Unit } from "./format.js";
import { FONT_SIZE, MUTED_COLOR, PADDING, TEXT_COLOR, colours, legendColumns, renderSpec, renderSpecSync, type Chart } from "./render.js";
import { textWidth, wrapText } from "./text.js";

export type { Chart } from "./render.js";
export { PALETTE } from "./render.js";

/** Danish month abbreviations used on the x axis of monthChart. */
export const MONTHS_SHORT = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

const DEFAULT_WIDTH = 640;
const DEFAULT_HEIGHT = 320;

type Row = Record<string, string | number | null>;

// ---------------------------------------------------------------- helpers

function num(v: number): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function unique(what: string, names: string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new Error(`Diagram: ${what} "${n}" forekommer mere end én gang`);
    seen.add(n);
  }
}

function checkLength(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`Diagram: ${what} har ${actual} værdier, forventede ${expected}`);
}

function labelWidth(s: string): number {
  return textWidth(s, FONT_SIZE.label);
}

/** Colour encoding with a fixed domain, so colours follow series order and never the data order. */
function colourEncoding(field: string, names: string[], width: number, symbol: "square" | "stroke", range = colours(names.length)) {
  const hide = names.length === 1 && names[0] === "";
  const legend = {
    columns: legendColumns(names, width, labelWidth),
    labelLimit: Math.max(60, width - 2 * PADDING - 24),
    symbolType: symbol,
    symbolOpacity: 1,
    ...(symbol === "stroke" ? { symbolStrokeWidth: 3, symbolSize: 200 } : {}),
  };
  return { field, type: "nominal", sort: names, scale: { domain: names, range }, legend: hide ? null : legend };
}

/** Vega signal (param) mapping a label to its wrapped lines, and the matching labelExpr. */
function wrappedLabels(name: string, labels: string[], maxWidth: number) {
  // fromEntries: a label such as "__proto__" becomes an own property, not the prototype.
  const lines: Record<string, string | string[]> = Object.fromEntries(
    labels.map((l) => {
      const w = wrapText(l, maxWidth, FONT_SIZE.label);
      return [l, w.length === 1 ? w[0] : w];
    }),
  );
  return {
    param: { name, value: lines },
    labelExpr: `isValid(${name}[datum.value]) ? ${name}[datum.value] : datum.label`,
    lineCount: Math.max(1, ...Object.values(lines).map((v) => (Array.isArray(v) ? v.length : 1))),
    width: Math.max(0, ...Object.values(lines).flatMap((v) => (Array.isArray(v) ? v : [v])).map(labelWidth)),
  };
}

function titleBlock(title: string | undefined, subtitle?: string) {
  if (title && subtitle) return { title: { text: title, subtitle } };
  // vega drops a title block with empty text, so a lone subtitle is set as the title in subtitle style.
  if (subtitle) return { title: { text: subtitle, fontSize: FONT_SIZE.subtitle, fontWeight: "normal", color: MUTED_COLOR } };
  return title ? { title: { text: title } } : {};
}

function sizeOf(o: { width?: number; height?: number }, defaultHeight = DEFAULT_HEIGHT) {
  const width = Math.round(o.width ?? DEFAULT_WIDTH);
  const height = Math.round(o.height ?? defaultHeight);
  if (!(width > 50) || !(height > 50)) throw new Error("Diagram: bredde og højde skal være over 50 px");
  return { width, height };
}

// ---------------------------------------------------------------- bar chart

export interface BarChartOptions {
  title?: string;
  categories: string[];
  series: { name: string; values: number[] }[];
  yTitle: string;
  unit?: "kr" | "pct" | "antal";
  alt: string;
  width?: number;
  height?: number;
}

/** Grouped bar chart: one group per category, one bar per series. */
export async function barChart(o: BarChartOptions): Promise<Chart> {
  return renderSpec(barSpec(o), o.alt);
}

/** The same bar chart, rendered synchronously (for documents built synchronously). */
export function barChartSync(o: BarChartOptions): Chart {
  return renderSpecSync(barSpec(o), o.alt);
}

function barSpec(o: BarChartOptions): Record<string, unknown> {
  const { width, height } = sizeOf(o);
  const names = o.series.map((s) => s.name);
  unique("kategori", o.categories);
  unique("serie", names);
  const rows: Row[] = [];
  for (const s of o.series) {
    checkLength(`serien "${s.name}"`, s.values.length, o.categories.length);
    s.values.forEach((v, i) => rows.push({ k: o.categories[i], s: s.name, v: num(v), lab: num(v) === null ? "" : formatValue(v, o.unit) }));
  }
  const max = maxAbs(rows.map((r) => r.v as number | null));
  const yAxisWidth = 60 + textWidth(axisSample(o.unit, max), FONT_SIZE.label);
  const band = (width - 2 * PADDING - yAxisWidth) / Math.max(1, o.categories.length);
  const cats = wrappedLabels("kategoriLinjer", o.categories, Math.max(40, band * 0.92));
  // Data labels only when every label fits over its bar.
  const bar = (band * 0.8) / Math.max(1, o.series.length);
  const showLabels = rows.length > 0 && rows.every((r) => textWidth(String(r.lab), FONT_SIZE.data) <= bar * 1.15 + 2);
  const text = (filter: string, baseline: string, dy: number) => ({
    transform: [{ filter }],
    mark: { type: "text", baseline, dy, fontSize: FONT_SIZE.data },
    encoding: { text: { field: "lab" }, color: { value: TEXT_COLOR } },
  });
  return {
    ...titleBlock(o.title),
    width,
    height,
    autosize: { type: "fit", contains: "padding" },
    params: [cats.param],
    data: { values: rows },
    encoding: {
      x: {
        field: "k",
        type: "nominal",
        sort: o.categories,
        title: null,
        scale: { paddingInner: 0.2 },
        axis: { labelAngle: 0, labelExpr: cats.labelExpr, labelLimit: Math.max(40, band), labelPadding: 4 },
      },
      xOffset: { field: "s", type: "nominal", sort: names, scale: { domain: names, paddingInner: 0.05 } },
      y: {
        field: "v",
        type: "quantitative",
        title: o.yTitle,
        // Room below the lowest bar for the label of a negative value.
        ...(showLabels && rows.some((r) => (r.v as number) < 0) ? { scale: { padding: 16 } } : {}),
        axis: { labelExpr: axisLabelExpr(o.unit, max), grid: true },
      },
      color: colourEncoding("s", names, width, "square"),
    },
    layer: [
      { mark: { type: "bar" } },
      ...(showLabels ? [text("isValid(datum.v) && datum.v >= 0", "bottom", -3), text("isValid(datum.v) && datum.v < 0", "top", 3)] : []),
    ],
  };
}

/** Widest plausible axis label, for layout estimates. */
function axisSample(unit: Unit | undefined, max: number): string {
  return formatValue(-max, unit, true);
}

// ---------------------------------------------------------------- range chart

/** Range chart (uncertainty): per category a bar from p10 to p90 with a tick at p50 and a point at the mean, one colour per series. */
export async function rangeChart(o: {
  title?: string;
  categories: string[];
  series: { name: string; values: { p10: number; p50: number; p90: number; middel: number }[] }[];
  xTitle: string;
  unit?: "kr";
  alt: string;
  width?: number;
}): Promise<Chart> {
  const { width } = sizeOf(o);
  const names = o.series.map((s) => s.name);
  unique("kategori", o.categories);
  unique("serie", names);
  const rows: Row[] = [];
  for (const s of o.series) {
    checkLength(`serien "${s.name}"`, s.values.length, o.categories.length);
    s.values.forEach((v, i) =>
      rows.push({ k: o.categories[i], s: s.name, p10: num(v.p10), p50: num(v.p50), p90: num(v.p90), m: num(v.middel) }),
    );
  }
  const max = maxAbs(rows.flatMap((r) => [r.p10, r.p50, r.p90, r.m] as (number | null)[]));
  const cats = wrappedLabels("kategoriLinjer", o.categories, Math.min(200, width * 0.3));
  const barHeight = 10;
  const rowStep = barHeight + 8;
  const groupHeight = Math.max(o.series.length * rowStep, cats.lineCount * 14) + 14;
  const height = Math.max(60, o.categories.length * groupHeight);
  const xField = (field: string) => ({ field, type: "quantitative" });
  return renderSpec(
    {
      ...titleBlock(o.title, "Bjælke: 10.–90. percentil · lodret streg: median · ◆ middelværdi"),
      width,
      height,
      autosize: { type: "fit-x", contains: "padding" },
      params: [cats.param],
      data: { values: rows },
      encoding: {
        y: {
          field: "k",
          type: "nominal",
          sort: o.categories,
          title: null,
          scale: { paddingInner: 0.15, paddingOuter: 0.05 },
          axis: { labelExpr: cats.labelExpr, labelLimit: Math.ceil(cats.width) + 4, ticks: false, domain: false, labelPadding: 6 },
        },
        yOffset: { field: "s", type: "nominal", sort: names, scale: { domain: names, paddingInner: 0.2 } },
        color: colourEncoding("s", names, width, "square"),
      },
      layer: [
        {
          mark: { type: "bar", height: barHeight },
          encoding: {
            x: { ...xField("p10"), title: o.xTitle, scale: { zero: false, nice: true }, axis: { labelExpr: axisLabelExpr(o.unit, max), grid: true, tickCount: Math.max(2, Math.floor(width / 100)) } },
            x2: { field: "p90" },
          },
        },
        {
          mark: { type: "tick", orient: "vertical", thickness: 2, size: barHeight + 6, opacity: 1 },
          encoding: { x: xField("p50"), color: { value: TEXT_COLOR } },
        },
        {
          mark: { type: "point", shape: "diamond", filled: true, size: 55, strokeWidth: 1.5, opacity: 1 },
          encoding: { x: xField("m"), color: { value: "white" }, stroke: { value: TEXT_COLOR } },
        },
      ],
    },
    o.alt,
  );
}

// ---------------------------------------------------------------- month chart

/** Lines over the 12 months (jan…dec on the x axis), one line per series. */
export async function monthChart(o: {
  title?: string;
  series: { name: string; values: number[] }[];
  yTitle: string;
  unit?: "kr" | "antal";
  alt: string;
  width?: number;
  height?: number;
}): Promise<Chart> {
  const { width, height } = sizeOf(o);
  const names = o.series.map((s) => s.name);
  unique("serie", names);
  const rows: Row[] = [];
  for (const s of o.series) {
    checkLength(`serien "${s.name}"`, s.values.length, 12);
    s.values.forEach((v, i) => rows.push({ m: MONTHS_SHORT[i], s: s.name, v: num(v) }));
  }
  const max = maxAbs(rows.map((r) => r.v as number | null));
  return renderSpec(
    {
      ...titleBlock(o.title),
      width,
      height,
      autosize: { type: "fit", contains: "padding" },
      data: { values: rows },
      encoding: {
        x: {
          field: "m",
          type: "ordinal",
          sort: MONTHS_SHORT,
          scale: { domain: MONTHS_SHORT },
          title: null,
          axis: { labelAngle: 0, labelLimit: 0, grid: false },
        },
        y: { field: "v", type: "quantitative", title: o.yTitle, axis: { labelExpr: axisLabelExpr(o.unit, max), grid: true } },
        color: colourEncoding("s", names, width, "stroke"),
      },
      layer: [
        { mark: { type: "line", strokeWidth: 2.5, interpolate: "linear" } },
        { mark: { type: "point", filled: true, size: 36, opacity: 1 } },
      ],
    },
    o.alt,
  );
}

// ---------------------------------------------------------------- tornado chart

const TORNADO_LOW = "Antagelsen lavere";
const TORNADO_HIGH = "Antagelsen højere";
const TORNADO_COLOURS = ["#0072B2", "#D55E00"];

/** Tornado: horizontal bars per driver from the low-case to the high-case value around a base line, sorted by swing (largest on top). */
export async function tornadoChart(o: {
  title?: string;
  base: number;
  drivers: { name: string; low: number; high: number; lowLabel?: string; highLabel?: string }[];
  xTitle: string;
  unit?: "kr";
  alt: string;
  width?: number;
}): Promise<Chart> {
  const { width } = sizeOf(o);
  if (!Number.isFinite(o.base)) throw new Error("Diagram: basisværdien skal være et tal");
  unique("driver", o.drivers.map((d) => d.name));
  const swing = (d: { low: number; high: number }) => {
    const s = Math.abs(d.high - d.low);
    return Number.isFinite(s) ? s : -1;
  };
  // Stable sort: ties keep the caller's order.
  const drivers = o.drivers.map((d, i) => ({ d, i })).sort((a, b) => swing(b.d) - swing(a.d) || a.i - b.i).map((x) => x.d);
  const order = drivers.map((d) => d.name);
  const rows: Row[] = [];
  for (const d of drivers) {
    const ends = [
      { side: TORNADO_LOW, to: num(d.low), label: d.lowLabel },
      { side: TORNADO_HIGH, to: num(d.high), label: d.highLabel },
    ];
    // Draw the longer bar first so a shorter one on the same side stays visible on top of it.
    ends.sort((a, b) => Math.abs((b.to ?? o.base) - o.base) - Math.abs((a.to ?? o.base) - o.base));
    for (const e of ends) {
      if (e.to === null) continue;
      const value = formatValue(e.to, o.unit);
      rows.push({ d: d.name, side: e.side, from: o.base, to: e.to, lab: e.label ? `${e.label}: ${value}` : value });
    }
  }
  const drv = wrappedLabels("driverLinjer", order, Math.min(220, width * 0.3));
  const max = maxAbs([o.base, ...rows.map((r) => r.to as number)]);
  // x domain with room for the end labels outside the bars.
  const values = [o.base, ...rows.map((r) => r.to as number)];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi === lo) {
    const pad = Math.abs(hi) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const leftLabel = Math.max(0, ...rows.filter((r) => (r.to as number) < o.base).map((r) => textWidth(String(r.lab), FONT_SIZE.data)));
  const rightLabel = Math.max(0, ...rows.filter((r) => (r.to as number) >= o.base).map((r) => textWidth(String(r.lab), FONT_SIZE.data)));
  const plot = width - 2 * PADDING - Math.ceil(drv.width) - 12;
  const room = leftLabel + rightLabel + 2 * 8;
  const perPx = (hi - lo) / Math.max(plot * 0.35, plot - room);
  const domain = [lo - (leftLabel ? leftLabel + 8 : 4) * perPx, hi + (rightLabel ? rightLabel + 8 : 4) * perPx];
  const rowHeight = Math.max(30, drv.lineCount * 14 + 12);
  const height = Math.max(60, order.length * rowHeight);
  const baseLabel = `Basis: ${formatValue(o.base, o.unit)}`;
  const xEnc = { field: "to", type: "quantitative" };
  const text = (filter: string, align: string, dx: number) => ({
    transform: [{ filter }],
    mark: { type: "text", align, dx, baseline: "middle", fontSize: FONT_SIZE.data, color: TEXT_COLOR },
    encoding: { x: xEnc, y: { field: "d", type: "nominal", sort: order }, text: { field: "lab" } },
  });
  return renderSpec(
    {
      ...titleBlock(o.title),
      width,
      height,
      autosize: { type: "fit-x", contains: "padding" },
      params: [drv.param],
      layer: [
        {
          data: { values: rows },
          layer: [
            {
              mark: { type: "bar", height: { band: 0.62 } },
              encoding: {
                y: {
                  field: "d",
                  type: "nominal",
                  sort: order,
                  title: null,
                  scale: { domain: order },
                  axis: { labelExpr: drv.labelExpr, labelLimit: Math.ceil(drv.width) + 4, ticks: false, domain: false, labelPadding: 8 },
                },
                x: {
                  ...xEnc,
                  title: o.xTitle,
                  scale: { domain, nice: false, zero: false },
                  axis: { labelExpr: axisLabelExpr(o.unit, max), grid: true, tickCount: Math.max(2, Math.min(6, Math.floor(width / 100))) },
                },
                x2: { field: "from" },
                color: colourEncoding("side", [TORNADO_LOW, TORNADO_HIGH], width, "square", TORNADO_COLOURS),
              },
            },
            text(`datum.to < ${o.base}`, "right", -4),
            text(`datum.to >= ${o.base}`, "left", 4),
          ],
        },
        {
          data: { values: [{ base: o.base, lab: baseLabel }] },
          layer: [
            { mark: { type: "rule", color: TEXT_COLOR, strokeWidth: 1.5 }, encoding: { x: { field: "base", type: "quantitative" } } },
            {
              mark: { type: "text", baseline: "bottom", align: "center", dy: -4, fontSize: FONT_SIZE.data, fontWeight: "bold", color: TEXT_COLOR },
              encoding: { x: { field: "base", type: "quantitative" }, y: { value: 0 }, text: { field: "lab" } },
            },
          ],
        },
      ],
    },
    o.alt,
  );
}

// ---------------------------------------------------------------- line chart

/** Line chart over a numeric x (e.g. occupancy 50–100 %), one line per series; optional horizontal reference line. */
export async function lineChart(o: {
  title?: string;
  x: number[];
  xTitle: string;
  xUnit?: "pct" | "antal";
  series: { name: string; values: number[] }[];
  yTitle: string;
  unit?: "kr";
  reference?: { value: number; label: string };
  alt: string;
  width?: number;
  height?: number;
}): Promise<Chart> {
  const { width, height } = sizeOf(o);
  const names = o.series.map((s) => s.name);
  unique("serie", names);
  if (!o.x.every((x) => Number.isFinite(x))) throw new Error("Diagram: x-værdierne skal være tal");
  const rows: Row[] = [];
  for (const s of o.series) {
    checkLength(`serien "${s.name}"`, s.values.length, o.x.length);
    s.values.forEach((v, i) => rows.push({ x: o.x[i], s: s.name, v: num(v) }));
  }
  const ref = o.reference && Number.isFinite(o.reference.value) ? o.reference : undefined;
  const max = maxAbs([...rows.map((r) => r.v as number | null), ref?.value]);
  const xMax = maxAbs(o.x);
  const layers: Record<string, unknown>[] = [
    {
      data: { values: rows },
      encoding: {
        x: {
          field: "x",
          type: "quantitative",
          title: o.xTitle,
          scale: { zero: false, nice: false },
          axis: { labelExpr: axisLabelExpr(o.xUnit, xMax), grid: false, labelFlush: true, tickCount: Math.max(2, Math.floor(width / 90)) },
        },
        y: { field: "v", type: "quantitative", title: o.yTitle, axis: { labelExpr: axisLabelExpr(o.unit, max), grid: true } },
        color: colourEncoding("s", names, width, "stroke"),
      },
      layer: [
        { mark: { type: "line", strokeWidth: 2.5 } },
        { mark: { type: "point", filled: true, size: 30, opacity: 1 } },
      ],
    },
  ];
  if (ref) {
    layers.push({
      data: { values: [{ y: ref.value, lab: ref.label }] },
      encoding: { y: { field: "y", type: "quantitative" } },
      layer: [
        { mark: { type: "rule", color: MUTED_COLOR, strokeWidth: 1.5, strokeDash: [6, 4] } },
        // Label with a white halo (a stroked copy underneath) so it stays readable over lines.
        ...[{ stroke: "white", strokeWidth: 4, strokeJoin: "round" }, {}].map((halo) => ({
          mark: { type: "text", align: "right", baseline: "bottom", dy: -3, fontSize: FONT_SIZE.data, color: TEXT_COLOR, ...halo },
          encoding: { x: { value: "width" }, text: { field: "lab" } },
        })),
      ],
    });
  }
  return renderSpec(
    { ...titleBlock(o.title), width, height, autosize: { type: "fit", contains: "padding" }, layer: layers },
    o.alt,
  );
}


