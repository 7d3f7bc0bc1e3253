import { test } from "vitest";
import assert from "node:assert/strict";
import { SaxesParser } from "saxes";
import { barChart, lineChart, monthChart, rangeChart, tornadoChart, PALETTE, type Chart } from "../src/chart/index.js";
import { axisLabelExpr, formatValue } from "../src/chart/format.js";
import { normaliseIds, renderSpec } from "../src/chart/render.js";
import { textWidth, wrapText } from "../src/chart/text.js";

interface Parsed {
  root: Record<string, string>;
  /** Text content of every <text> element in document order (tspans joined by a space). */
  texts: string[];
  elements: Set<string>;
  /** Value of every attribute named `name`. */
  attr: (name: string) => string[];
  title: string;
}

/** Parses with saxes (namespace-aware); throws on any XML error. */
function parseSvg(svg: string): Parsed {
  const parser = new SaxesParser({ xmlns: true });
  const errors: Error[] = [];
  const texts: string[] = [];
  const elements = new Set<string>();
  const attrs: { name: string; value: string }[] = [];
  let root: Record<string, string> | undefined;
  let current: string[] | null = null;
  let inTitle = false;
  let title = "";
  parser.on("error", (e) => errors.push(e));
  parser.on("opentag", (tag) => {
    elements.add(tag.local);
    const a: Record<string, string> = {};
    for (const [name, at] of Object.entries(tag.attributes)) {
      const value = typeof at === "string" ? at : at.value;
      a[name] = value;
      attrs.push({ name, value });
    }
    if (!root) {
      assert.equal(tag.uri, "http://www.w3.org/2000/svg", "root element in the SVG namespace");
      root = a;
    }
    if (tag.local === "text") current = [];
    if (tag.local === "title") inTitle = true;
  });
  parser.on("text", (t) => {
    if (current) current.push(t);
    if (inTitle) title += t;
  });
  parser.on("closetag", (tag) => {
    if (tag.local === "text" && current) {
      texts.push(current.join(" "));
      current = null;
    }
    if (tag.local === "title") inTitle = false;
  });
  parser.write(svg).close();
  assert.deepEqual(errors.map((e) => e.message), [], "well-formed XML");
  assert.ok(root, "has a root element");
  return { root, texts, elements, title, attr: (name) => attrs.filter((a) => a.name === name).map((a) => a.value) };
}

/** Checks shared by every chart type; returns the parsed SVG. */
function checkSvg(chart: Chart, alt: string): Parsed {
  const p = parseSvg(chart.svg);
  assert.equal(p.root.xmlns, "http://www.w3.org/2000/svg");
  assert.equal(Number(p.root.width), chart.width, "width attribute = returned width");
  assert.equal(Number(p.root.height), chart.height, "height attribute = returned height");
  assert.equal(p.root.viewBox, `0 0 ${chart.width} ${chart.height}`);
  assert.ok(chart.width > 0 && chart.height > 0);
  assert.equal(chart.alt, alt);
  assert.equal(p.root["aria-label"], alt);
  assert.equal(p.title, alt, "<title> carries the alt text");
  for (const bad of ["script", "style", "image", "foreignObject"]) assert.ok(!p.elements.has(bad), `no <${bad}>`);
  assert.ok(!/https?:\/\/(?!www\.w3\.org\/)/.test(chart.svg), "no external references");
  assert.ok(!/\son\w+=/.test(chart.svg), "no event handler attributes");
  assert.match(chart.svg, /^<svg[^>]*><title>[^<]*<\/title><rect width="\d+(\.\d+)?" height="\d+(\.\d+)?" fill="white"\/>/, "white background first");
  const fonts = new Set(p.attr("font-family"));
  assert.deepEqual([...fonts], ["DejaVu Sans"], "only DejaVu Sans");
  // Every url(#id) reference resolves inside the document.
  const ids = new Set(p.attr("id"));
  for (const m of chart.svg.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids.has(m[1]), `reference #${m[1]} is defined`);
  return p;
}

function has(texts: string[], s: string): boolean {
  return texts.includes(s);
}

function assertTexts(texts: string[], expected: string[]): void {
  for (const s of expected) assert.ok(has(texts, s), `text "${s}" in ${JSON.stringify(texts)}`);
}

// ---------------------------------------------------------------- formatting

test("formatValue: Danish thousands/decimal separators, units and compact millions", () => {
  assert.equal(formatValue(1250, "kr"), "1.250 kr.");
  assert.equal(formatValue(990000, "kr"), "990.000 kr.");
  assert.equal(formatValue(1250000, "kr"), "1,25 mio. kr.");
  assert.equal(formatValue(1250000, "kr", false), "1.250.000 kr.");
  assert.equal(formatValue(1300000, "kr"), "1,3 mio. kr.");
  assert.equal(formatValue(2.5e9, "kr"), "2,5 mia. kr.");
  assert.equal(formatValue(12.5, "pct"), "12,5 %");
  assert.equal(formatValue(-1500, "antal"), "\u22121.500");
  assert.equal(formatValue(1000, undefined), "1.000");
  assert.equal(formatValue(0.25, undefined), "0,25");
});

test("axisLabelExpr picks one style per axis from the magnitude", () => {
  assert.match(axisLabelExpr("kr", 2_000_000), /datum\.value \/ 1000000.*' mio\. kr\.'/);
  assert.doesNotMatch(axisLabelExpr("kr", 900_000), /mio/);
  assert.match(axisLabelExpr("pct", 100), /' %'/);
  assert.match(axisLabelExpr(undefined, 5), /format\(datum\.value, ',\.2~f'\)/);
});

test("text metrics: DejaVu widths and word wrap", () => {
  // DejaVu Sans: "0" is 0.636 em; bold is wider.
  assert.equal(textWidth("00", 10), 12.72);
  assert.ok(textWidth("Belægning", 11, true) > textWidth("Belægning", 11));
  assert.deepEqual(wrapText("Andel med job efter forløbet", 90, 11), ["Andel med job", "efter forløbet"]);
  assert.deepEqual(wrapText("Kort", 90, 11), ["Kort"]);
});

// ---------------------------------------------------------------- bar chart

const barInput = () => ({
  title: "Samlet pris pr. prismodel",
  categories: ["Fast pris", "Resultatbaseret", "Helårsperson"],
  series: [
    { name: "Tilbud A", values: [1000, 2500, 1500] },
    { name: "Tilbud B", values: [1200, 500, 2000] },
  ],
  yTitle: "Antal forløb",
  unit: "antal" as const,
  alt: "Søjlediagram over antal forløb pr. prismodel",
});

test("barChart: valid SVG with categories, series, Danish numbers and stable colours", async () => {
  const chart = await barChart(barInput());
  assert.equal(chart.width, 640);
  assert.equal(chart.height, 320);
  const p = checkSvg(chart, barInput().alt);
  assertTexts(p.texts, ["Samlet pris pr. prismodel", "Fast pris", "Resultatbaseret", "Helårsperson", "Tilbud A", "Tilbud B", "Antal forløb"]);
  // Data labels and axis labels with "." as thousands separator.
  assertTexts(p.texts, ["1.000", "2.500", "1.200", "500", "2.000"]);
  assert.ok(!p.texts.some((t) => /\d,\d{3}\b/.test(t)), "no English thousands separator");
  // Series colours follow series order: first series → PALETTE[0], second → PALETTE[1].
  const fills = p.attr("fill");
  assert.ok(fills.includes(PALETTE[0]) && fills.includes(PALETTE[1]));
  assert.ok(!fills.includes(PALETTE[2]), "only two series colours");
  const swapped = await barChart({ ...barInput(), series: [...barInput().series].reverse() });
  const firstBar = (svg: string) => /<path d="M[^"]*" fill="(#[0-9A-Fa-f]{6})"/.exec(svg)?.[1];
  assert.equal(firstBar(chart.svg), PALETTE[0]);
  assert.equal(firstBar(swapped.svg), PALETTE[0], "colour by position in series list, not by name");
});

test("barChart: kr axis in compact millions and data labels", async () => {
  const chart = await barChart({
    categories: ["Model 1", "Model 2"],
    series: [{ name: "Samlet udgift", values: [1_250_000, 2_000_000] }],
    yTitle: "Kroner",
    unit: "kr",
    alt: "Udgift",
    width: 500,
    height: 300,
  });
  const p = checkSvg(chart, "Udgift");
  assert.equal(chart.width, 500);
  assert.equal(chart.height, 300);
  assertTexts(p.texts, ["1,25 mio. kr.", "2 mio. kr.", "0 kr.", "1 mio. kr.", "0,5 mio. kr."]);
  const small = checkSvg(
    await barChart({ categories: ["x"], series: [{ name: "s", values: [250_000] }], yTitle: "kr.", unit: "kr", alt: "a" }),
    "a",
  );
  assertTexts(small.texts, ["250.000 kr.", "100.000 kr."]);
});

test("barChart: input errors are reported", async () => {
  await assert.rejects(barChart({ ...barInput(), series: [{ name: "x", values: [1] }] }), /1 værdier, forventede 3/);
  await assert.rejects(
    barChart({ ...barInput(), series: [{ name: "x", values: [1, 2, 3] }, { name: "x", values: [1, 2, 3] }] }),
    /serie "x" forekommer mere end én gang/,
  );
});

// ---------------------------------------------------------------- range chart

const rangeInput = () => ({
  title: "Usikkerhed på årlig udgift",
  categories: ["Fast pris", "Resultatbaseret"],
  series: [
    {
      name: "Model A",
      values: [
        { p10: 900_000, p50: 1_000_000, p90: 1_150_000, middel: 1_020_000 },
        { p10: 800_000, p50: 1_050_000, p90: 1_400_000, middel: 1_080_000 },
      ],
    },
    {
      name: "Model B",
      values: [
        { p10: 950_000, p50: 1_010_000, p90: 1_100_000, middel: 1_015_000 },
        { p10: 850_000, p50: 990_000, p90: 1_300_000, middel: 1_010_000 },
      ],
    },
  ],
  xTitle: "Årlig udgift",
  unit: "kr" as const,
  alt: "Intervaller for årlig udgift",
});

test("rangeChart: valid SVG with bars, medians, means and Danish axis", async () => {
  const chart = await rangeChart(rangeInput());
  assert.equal(chart.width, 640);
  const p = checkSvg(chart, rangeInput().alt);
  assertTexts(p.texts, ["Usikkerhed på årlig udgift", "Fast pris", "Resultatbaseret", "Model A", "Model B", "Årlig udgift"]);
  assert.ok(p.texts.some((t) => t.includes("median") && t.includes("percentil")), "explains the marks");
  assertTexts(p.texts, ["1 mio. kr.", "1,2 mio. kr."]);
  // 4 intervals: bars (rect paths) in the two series colours, 4 diamonds with white fill.
  const svg = chart.svg;
  assert.equal((svg.match(new RegExp(`fill="${PALETTE[0]}"`, "g")) ?? []).length >= 2, true);
  assert.equal((svg.match(/fill="white" stroke="#1a1a1a"/g) ?? []).length, 4, "one mean marker per interval");
  // Taller with more categories (height follows the data).
  const more = await rangeChart({ ...rangeInput(), categories: ["a", "b", "c", "d"], series: [{ name: "s", values: Array(4).fill(rangeInput().series[0].values[0]) }] });
  checkSvg(more, rangeInput().alt);
  assert.ok(more.height > chart.height, `${more.height} > ${chart.height}`);
});

// ---------------------------------------------------------------- month chart

test("monthChart: Danish month abbreviations jan…dec and one line per series", async () => {
  const chart = await monthChart({
    title: "Forløb pr. måned",
    series: [
      { name: "Startede", values: [10, 12, 15, 20, 18, 9, 3, 8, 22, 25, 19, 11] },
      { name: "Afsluttede", values: [5, 8, 9, 12, 15, 14, 6, 4, 12, 18, 20, 1500] },
    ],
    yTitle: "Antal forløb",
    unit: "antal",
    alt: "Forløb pr. måned",
    width: 600,
    height: 280,
  });
  const p = checkSvg(chart, "Forløb pr. måned");
  assert.equal(chart.width, 600);
  assert.equal(chart.height, 280);
  const months = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
  assert.deepEqual(p.texts.filter((t) => months.includes(t)), months, "all 12 months in order");
  assertTexts(p.texts, ["Startede", "Afsluttede", "Antal forløb", "1.000"]);
  assert.equal((chart.svg.match(/<g class="mark-line role-mark/g) ?? []).length, 2, "one line group per series");
  assert.equal((chart.svg.match(/<path [^>]*stroke="#(0072B2|E69F00)" stroke-width="2.5"/g) ?? []).length, 2, "two lines");
  await assert.rejects(monthChart({ series: [{ name: "x", values: [1, 2] }], yTitle: "y", alt: "a" }), /forventede 12/);
});

// ---------------------------------------------------------------- tornado chart

test("tornadoChart: drivers sorted by swing, largest on top, with base line", async () => {
  const chart = await tornadoChart({
    title: "Følsomhed",
    base: 1_200_000,
    drivers: [
      { name: "Inflation", low: 1_190_000, high: 1_230_000 },
      { name: "Belægning", low: 1_000_000, high: 1_350_000, lowLabel: "80 %", highLabel: "100 %" },
      { name: "Pris pr. forløb", low: 1_150_000, high: 1_250_000 },
      { name: "Jobandel", low: 1_600_000, high: 900_000 },
    ],
    xTitle: "Årlig udgift",
    unit: "kr",
    alt: "Tornadodiagram",
  });
  const p = checkSvg(chart, "Tornadodiagram");
  const order = ["Jobandel", "Belægning", "Pris pr. forløb", "Inflation"];
  const axisNames = p.texts.filter((t) => order.includes(t));
  assert.deepEqual(axisNames, order, "sorted by |high − low|, descending");
  assertTexts(p.texts, ["Basis: 1,2 mio. kr.", "80 %: 1 mio. kr.", "100 %: 1,35 mio. kr.", "1,19 mio. kr.", "Antagelsen lavere", "Antagelsen højere", "Årlig udgift"]);
  // Ties keep the caller's order.
  const tie = await tornadoChart({
    base: 10,
    drivers: [
      { name: "B", low: 5, high: 15 },
      { name: "A", low: 15, high: 5 },
    ],
    xTitle: "x",
    alt: "t",
  });
  assert.deepEqual(parseSvg(tie.svg).texts.filter((t) => t === "A" || t === "B"), ["B", "A"]);
});

// ---------------------------------------------------------------- line chart

test("lineChart: numeric x in percent, Danish y axis and reference line", async () => {
  const chart = await lineChart({
    title: "Udgift ved belægning",
    x: [50, 60, 70, 80, 90, 100],
    xTitle: "Belægning",
    xUnit: "pct",
    series: [
      { name: "Fast pris", values: [600_000, 720_000, 840_000, 960_000, 1_080_000, 1_200_000] },
      { name: "Helårsperson", values: [1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000] },
    ],
    yTitle: "Udgift",
    unit: "kr",
    reference: { value: 950_000, label: "Budget" },
    alt: "Udgift som funktion af belægning",
  });
  const p = checkSvg(chart, "Udgift som funktion af belægning");
  assertTexts(p.texts, ["50 %", "100 %", "Belægning", "Udgift", "Fast pris", "Helårsperson", "1 mio. kr.", "0,2 mio. kr.", "0 kr."]);
  assert.equal(p.texts.filter((t) => t === "Budget").length, 2, "reference label (halo + text)");
  assert.match(chart.svg, /stroke-dasharray="6,4"/, "dashed reference line");
  const noRef = await lineChart({ x: [1, 2], xTitle: "x", series: [{ name: "s", values: [1500, 2500] }], yTitle: "y", alt: "a" });
  assert.doesNotMatch(noRef.svg, /stroke-dasharray/);
  assertTexts(checkSvg(noRef, "a").texts, ["2.500"]);
});

// ---------------------------------------------------------------- determinism, escaping, ids

test("determinism: same input → byte-identical SVG, also with other charts in between and concurrently", async () => {
  const a1 = await barChart(barInput());
  await rangeChart(rangeInput());
  await lineChart({ x: [1, 2, 3], xTitle: "x", series: [{ name: "s", values: [1, 2, 3] }], yTitle: "y", alt: "z" });
  const a2 = await barChart(barInput());
  assert.equal(a2.svg, a1.svg);
  const [r1, b1, r2] = await Promise.all([rangeChart(rangeInput()), barChart(barInput()), rangeChart(rangeInput())]);
  assert.equal(b1.svg, a1.svg);
  assert.equal(r1.svg, r2.svg);
  const other = await barChart({ ...barInput(), title: "Anden titel" });
  assert.notEqual(other.svg, a1.svg);
});

test("clip-path ids depend only on the chart (vega's global counter is normalised)", async () => {
  const clipped = (title: string) => ({
    title,
    width: 300,
    height: 200,
    data: { values: [{ a: 1, b: 5 }, { a: 2, b: 50 }] },
    mark: { type: "bar", clip: true },
    encoding: { x: { field: "a", type: "ordinal" }, y: { field: "b", type: "quantitative", scale: { domain: [0, 10] } } },
  });
  const first = await renderSpec(clipped("Et"), "alt");
  await renderSpec(clipped("To"), "alt");
  await barChart(barInput());
  const again = await renderSpec(clipped("Et"), "alt");
  assert.match(first.svg, /<clipPath id="c[0-9a-f]{8}-1">/, "vega emitted a clip path, renamed");
  assert.equal(again.svg, first.svg);
  const p = checkSvg(first, "alt");
  assert.ok(p.attr("clip-path").length > 0);
  const other = await renderSpec(clipped("To"), "alt");
  const id = (svg: string) => /<clipPath id="([^"]+)"/.exec(svg)?.[1];
  assert.notEqual(id(other.svg), id(first.svg), "different charts get different ids (safe to inline together)");
  // The helper itself: ids renamed in order of appearance, references follow.
  const out = normaliseIds('<svg><clipPath id="clip7"/><g clip-path="url(#clip7)"/><clipPath id="clip3"/><use href="#clip3"/></svg>');
  const m = /id="(c[0-9a-f]{8})-1".*url\(#\1-1\).*id="\1-2".*href="#\1-2"/.exec(out);
  assert.ok(m, out);
});

test("escaping: & < > and æøå in names, titles and alt text give valid XML", async () => {
  const nasty = "A & B <c> \"æøå\"";
  const charts = [
    await barChart({ title: nasty, categories: [nasty, "Ø"], series: [{ name: nasty, values: [1, 2] }, { name: "x'y", values: [2, 1] }], yTitle: nasty, alt: nasty }),
    await rangeChart({ ...rangeInput(), title: nasty, categories: [nasty, "b"], series: [{ ...rangeInput().series[0], name: nasty }], xTitle: nasty, alt: nasty }),
    await monthChart({ title: nasty, series: [{ name: nasty, values: Array(12).fill(1) }], yTitle: nasty, alt: nasty }),
    await tornadoChart({ title: nasty, base: 1, drivers: [{ name: nasty, low: 0, high: 2, lowLabel: nasty }], xTitle: nasty, alt: nasty }),
    await lineChart({ title: nasty, x: [1, 2], xTitle: nasty, series: [{ name: nasty, values: [1, 2] }], yTitle: nasty, reference: { value: 1.5, label: nasty }, alt: nasty }),
  ];
  for (const chart of charts) {
    const p = checkSvg(chart, nasty);
    assert.ok(p.texts.includes(nasty), `decoded text equals the input: ${JSON.stringify(p.texts)}`);
    assert.ok(chart.svg.includes("A &amp; B &lt;c&gt;"));
  }
});
