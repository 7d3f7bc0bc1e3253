/** Compile a vega-lite spec to a self-contained, deterministic SVG string. */
import { createHash } from "node:crypto";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { LOCALE } from "./format.js";
import { installTextMetrics } from "./text.js";

export interface Chart {
  svg: string;
  width: number;
  height: number;
  alt: string;
}

export const FONT = "DejaVu Sans";
export const TEXT_COLOR = "#1a1a1a";
export const MUTED_COLOR = "#444444";

/**
 * Okabe–Ito palette (colour-blind safe), ordered by contrast against white so the first series get
 * the most legible colours; yellow last. More than 8 series wrap around.
 */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"];

export function colours(n: number): string[] {
  return Array.from({ length: n }, (_, i) => PALETTE[i % PALETTE.length]);
}

export const FONT_SIZE = { label: 11, title: 11, chartTitle: 14, subtitle: 11, data: 10 };
export const PADDING = 8;

export const CONFIG = {
  font: FONT,
  background: "white",
  padding: PADDING,
  locale: LOCALE,
  aria: false,
  view: { stroke: null },
  title: {
    anchor: "start",
    fontSize: FONT_SIZE.chartTitle,
    fontWeight: "bold",
    color: TEXT_COLOR,
    subtitleFontSize: FONT_SIZE.subtitle,
    subtitleColor: MUTED_COLOR,
    subtitlePadding: 4,
    offset: 12,
  },
  axis: {
    labelFontSize: FONT_SIZE.label,
    labelColor: "#333333",
    titleFontSize: FONT_SIZE.title,
    titleFontWeight: "bold",
    titleColor: TEXT_COLOR,
    domainColor: "#666666",
    tickColor: "#666666",
    gridColor: "#e2e2e2",
  },
  legend: {
    orient: "bottom",
    title: null,
    labelFontSize: FONT_SIZE.label,
    labelColor: "#333333",
    symbolSize: 120,
    columnPadding: 16,
    rowPadding: 6,
    offset: 14,
  },
} as const;

/** Legend columns that fit `width` for entries with the given labels (bottom legend). */
export function legendColumns(labels: string[], width: number, measure: (s: string) => number): number {
  const entry = Math.max(...labels.map(measure), 0) + 16 /* symbol */ + 4 + CONFIG.legend.columnPadding;
  return Math.max(1, Math.min(labels.length, Math.floor((width - 2 * PADDING) / entry)));
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/**
 * Vega numbers clip paths and gradients with process-global counters. Rename every id in order of
 * appearance, with a prefix derived from the chart content: the same chart always gets the same
 * ids, and different charts inlined in one HTML page do not clash.
 */
export function normaliseIds(svg: string): string {
  const ids: string[] = [];
  svg.replace(/\sid="([^"]+)"/g, (_m, id: string) => {
    if (!ids.includes(id)) ids.push(id);
    return "";
  });
  if (ids.length === 0) return svg;
  const rename = (prefix: string) => {
    const map = new Map(ids.map((id, i) => [id, `${prefix}${i + 1}`]));
    return svg
      .replace(/(\sid=")([^"]+)(")/g, (m, a: string, id: string, b: string) => (map.has(id) ? a + map.get(id) + b : m))
      .replace(/url\(#([^)]+)\)/g, (m, id: string) => (map.has(id) ? `url(#${map.get(id)})` : m))
      .replace(/(href=")#([^"]+)(")/g, (m, a: string, id: string, b: string) => (map.has(id) ? `${a}#${map.get(id)}${b}` : m));
  };
  const hash = createHash("sha256").update(rename("id")).digest("hex").slice(0, 8);
  return rename(`c${hash}-`);
}

function finish(svg: string, alt: string): Chart {
  const open = /^<svg\b[^>]*>/.exec(svg);
  if (!open) throw new Error("vega returned no <svg> element");
  const width = Number(/\swidth="([\d.]+)"/.exec(open[0])?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(open[0])?.[1]);
  if (!Number.isFinite(width) || !Number.isFinite(height)) throw new Error("SVG without width/height");
  // Accessible name: role="img" with aria-label and a <title> first child.
  const head = open[0].replace(/\sclass="marks"/, "").replace(/>$/, ` role="img" aria-label="${escapeXml(alt)}">`);
  const out = `${head}<title>${escapeXml(alt)}</title>${svg.slice(open[0].length)}`;
  return { svg: normaliseIds(out), width, height, alt };
}

function viewFor(spec: Record<string, unknown>, alt: string): vega.View {
  installTextMetrics();
  const full = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", ...spec, config: CONFIG, description: alt };
  // Only errors reach the console: warnings from unusual data must not clutter CLI output.
  const logger = vega.logger(vega.Error);
  const vgSpec = compile(full as unknown as TopLevelSpec, { logger: logger as never }).spec;
  return new vega.View(vega.parse(vgSpec), { renderer: "none", logLevel: vega.Error });
}

/**
 * Render a vega-lite spec synchronously (inline data only, no images to load): the dataflow runs
 * at once and vega's SVG string renderer draws the scene graph, as `toSVG` does after its awaits
 * (the same SVG, byte for byte). Used where documents are built synchronously (a spec's figures).
 */
export function renderSpecSync(spec: Record<string, unknown>, alt: string): Chart {
  const view = viewFor(spec, alt);
  try {
    view.run();
    type Headless = { initialize(el: null, w: number, h: number, origin: [number, number]): Headless; background(c: unknown): Headless; render(scene: unknown): Headless; svg(): string };
    const Renderer = (vega as unknown as { SVGStringRenderer: new (loader: unknown) => Headless }).SVGStringRenderer;
    // As vega-view's initializeRenderer: the size and offset include the padding.
    const v = view as unknown as { _viewWidth: number; _viewHeight: number; _origin: [number, number] };
    const pad = view.padding() as { left: number; right: number; top: number; bottom: number };
    const r = new Renderer(view.loader())
      .initialize(null, Math.max(0, v._viewWidth + pad.left + pad.right), Math.max(0, v._viewHeight + pad.top + pad.bottom), [pad.left + v._origin[0], pad.top + v._origin[1]])
      .background(view.background());
    r.render((view.scenegraph() as unknown as { root: unknown }).root);
    return finish(r.svg(), alt);
  } finally {
    view.finalize();
  }
}

/** Render a vega-lite spec (theme config is merged in) to a Chart. */
export async function renderSpec(spec: Record<string, unknown>, alt: string): Promise<Chart> {
  const view = viewFor(spec, alt);
  try {
    const svg = await view.toSVG();
    return finish(svg, alt);
  } finally {
    view.finalize();
  }
}
