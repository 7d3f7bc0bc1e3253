/**
 * What the writers share for figures (charts as SVG): a defensive clean-up of the SVG, the SVG as
 * inline HTML, the SVG as a data: URI, a PNG rendering (resvg, DejaVu fonts, no system fonts) and
 * fitting a figure into the room it has.
 *
 * The SVG is trusted (our chart module makes it), but every writer still takes it through
 * `safeSvg`: no scripts, no event handlers, no embedded HTML, and nothing that points outside the
 * document (links and references other than "#fragment", images other than embedded raster
 * data), so no writer and no reader of the output fetches or reads anything because of a figure.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import type { Resvg as ResvgClass } from "@resvg/resvg-js";

/**
 * Elements removed with their content: they run code, embed HTML or load other documents (and
 * <style>, when it could load something).
 */
const ANY_OPEN = /<(script|foreignObject|iframe|object|embed|audio|video|handler|listener|style)\b/gi;
/** The rest of a start tag (quoted values may hold ">"), sticky. */
const TAG_REST = /(?:"[^"]*"|'[^']*'|[^'">])*>/y;
const STRAY_CLOSE = /<\/(script|foreignObject|iframe|object|embed|audio|video|handler|listener)\b/gi;

/** A <style> element may stay if it loads nothing (no @import, no url()). */
const harmlessCss = (css: string): boolean => !/@import|url\s*\(|expression\s*\(|javascript:/i.test(css);

/**
 * Removes those elements with their content (a <style> only if it could load something); an
 * element that is never closed takes the rest of the text with it. One pass, linear in the text.
 */
function dropElements(svg: string): string {
  const lower = svg.toLowerCase();
  let out = "";
  let last = 0;
  ANY_OPEN.lastIndex = 0;
  for (let m = ANY_OPEN.exec(svg); m; m = ANY_OPEN.exec(svg)) {
    const name = m[1].toLowerCase();
    const start = m.index;
    TAG_REST.lastIndex = ANY_OPEN.lastIndex;
    if (!TAG_REST.exec(svg)) {
      out += svg.slice(last, start);
      last = svg.length;
      break;
    }
    const tagEnd = TAG_REST.lastIndex;
    let end: number;
    if (svg[tagEnd - 2] === "/") end = tagEnd;
    else {
      const close = lower.indexOf(`</${name}`, tagEnd);
      const gt = close < 0 ? -1 : svg.indexOf(">", close);
      end = gt < 0 ? svg.length : gt + 1;
      if (name === "style" && close >= 0 && harmlessCss(svg.slice(tagEnd, close))) {
        ANY_OPEN.lastIndex = end;
        continue; // kept as it is
      }
    }
    out += svg.slice(last, start);
    last = end;
    ANY_OPEN.lastIndex = end;
    if (end >= svg.length) break;
  }
  out += svg.slice(last);
  // What is left of those names is a closing tag without its element: made harmless text.
  return out.replace(STRAY_CLOSE, "&lt;/$1");
}

/** A start tag (or empty-element tag) with its attributes; quoted values may hold ">". */
const START_TAG = /<([A-Za-z][\w:.-]*)((?:\s+[^\s=>/"'<]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)*)\s*(\/?)>/g;
const ATTR = /\s+([^\s=>/"'<]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'<>]+))?/g;

const unquote = (v: string | undefined): string => (v === undefined ? "" : /^["']/.test(v) ? v.slice(1, -1) : v);

/** Whether an attribute may stay: no event handlers, references only within the SVG. */
function keepAttribute(name: string, value: string): boolean {
  const n = name.toLowerCase();
  if (n.startsWith("on")) return false;
  const v = value.replace(/&#0*58;|&colon;/gi, ":").replace(/[\u0000-\u0020]/g, "");
  if (n === "href" || n === "xlink:href" || n === "src") return v.startsWith("#") || /^data:image\/(png|jpeg|gif|webp);/i.test(v);
  if (n === "style" || n === "fill" || n === "stroke" || n === "filter" || n === "clip-path" || n === "mask" || /^marker/.test(n)) {
    // url(…) only to something in the same SVG.
    for (const m of v.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) if (!m[2].startsWith("#")) return false;
    if (/expression\s*\(|javascript:|@import/i.test(v)) return false;
  }
  return true;
}

/**
 * The SVG without what could run code or reach outside the document (see the module comment).
 * A clean SVG comes back unchanged.
 */
export function safeSvg(svg: string): string {
  let s = dropElements(svg);
  s = s.replace(START_TAG, (tag, name: string, attrs: string, close: string) => {
    let changed = false;
    const kept = attrs.replace(ATTR, (a, an: string, av: string | undefined) => {
      if (keepAttribute(an, unquote(av))) return a;
      changed = true;
      return "";
    });
    return changed ? `<${name}${kept}${close ? " /" : ""}>` : tag;
  });
  return s;
}

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeAttr = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]);
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The outer <svg> start tag. */
const ROOT = /<svg((?:\s+[^\s=>/"'<]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)*)\s*(\/?)>/i;

/** Rewrites the outer <svg> start tag's attributes: `edit` gets them and their lower-case names. */
function editRoot(svg: string, edit: (attrs: string, names: Set<string>) => string): string {
  return svg.replace(ROOT, (_m, attrs: string, close: string) => {
    const names = new Set<string>();
    for (const m of attrs.matchAll(ATTR)) names.add(m[1].toLowerCase());
    return `<svg${edit(attrs, names)}${close ? " /" : ""}>`;
  });
}

/** The attributes a root without a size or viewBox lacks, for an intrinsic size of `width` × `height` px. */
function sizeAttributes(names: Set<string>, width: number, height: number): string {
  let add = "";
  if (!names.has("viewbox")) add += ` viewBox="0 0 ${num(width)} ${num(height)}"`;
  if (!names.has("width")) add += ` width="${num(width)}"`;
  if (!names.has("height")) add += ` height="${num(height)}"`;
  return add;
}

/**
 * `safeSvg`, and the outer element given the figure's size and a viewBox where it has none, so
 * every renderer (resvg, svg-to-pdfkit, Word, browsers) sizes and scales it alike.
 */
export function sizedSvg(svg: string, width: number, height: number): string {
  return editRoot(safeSvg(svg), (attrs, names) => attrs + sizeAttributes(names, width, height));
}

/**
 * The SVG as an element to put inside an HTML page: cleaned (`safeSvg`), without XML prolog,
 * doctype and comments, its ids prefixed with `idPrefix` (two charts on one page would otherwise
 * share ids such as "clip1", and their url(#…) references would find each other's), labelled for
 * screen readers (role="img", aria-label), and with a viewBox, so that CSS can scale it.
 */
export function htmlSvg(svg: string, idPrefix: string, alt: string, width: number, height: number): string {
  let s = safeSvg(svg)
    .replace(/<\?[\s\S]*?\?>/g, "")
    .replace(/<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>/gi, "")
    .replace(/<!--[\s\S]*?-->/g, "");
  const start = s.search(/<svg[\s>/]/i);
  const end = s.toLowerCase().lastIndexOf("</svg>");
  if (start < 0) return "";
  s = end > start ? s.slice(start, end + "</svg>".length) : s.slice(start);

  // Ids, and the references to them, prefixed.
  const ids = new Set<string>();
  for (const m of s.matchAll(/\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) ids.add(m[1] ?? m[2]);
  if (ids.size) {
    const alternatives = [...ids].sort((a, b) => b.length - a.length).map(escapeRe).join("|");
    s = s
      .replace(new RegExp(`(\\sid\\s*=\\s*["'])(${alternatives})(["'])`, "g"), `$1${idPrefix}$2$3`)
      .replace(new RegExp(`(url\\(\\s*['"]?#)(${alternatives})(['"]?\\s*\\))`, "g"), `$1${idPrefix}$2$3`)
      .replace(new RegExp(`((?:xlink:)?href\\s*=\\s*["']#)(${alternatives})(["'])`, "g"), `$1${idPrefix}$2$3`);
  }

  // The root element: our own role and label; a viewBox and a size where it has none.
  return editRoot(s, (attrs, names) => {
    const own = new Set(["role", "aria-label", "aria-labelledby", "aria-hidden", "focusable"]);
    const kept = attrs.replace(ATTR, (a, an: string) => (own.has(an.toLowerCase()) ? "" : a));
    const ns = names.has("xmlns") ? "" : ` xmlns="http://www.w3.org/2000/svg"`;
    return `${kept}${sizeAttributes(names, width, height)}${ns} role="img" aria-label="${escapeAttr(alt)}"`;
  });
}

const num = (n: number): string => String(Math.round(n * 1000) / 1000);

/** The SVG as a self-contained data: URI (base64 of its UTF-8 bytes). */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}

/** A size scaled down (never up), keeping its proportions, to fit `maxWidth` × `maxHeight`. */
export function fitSize(width: number, height: number, maxWidth: number, maxHeight = Infinity): { width: number; height: number } {
  const w = Number.isFinite(width) && width > 0 ? width : maxWidth;
  const h = Number.isFinite(height) && height > 0 ? height : w * 0.5;
  const scale = Math.min(1, maxWidth / w, maxHeight / h);
  return { width: w * scale, height: h * scale };
}

let fontFiles: string[] | undefined;

/** DejaVu Sans (regular and bold) from the `dejavu-fonts-ttf` package, as the PDF writer finds it. */
function dejavuFiles(): string[] {
  if (!fontFiles) {
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
    fontFiles = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"]
      .map((f) => path.join(dir, f))
      .filter((f) => fs.existsSync(f));
  }
  return fontFiles;
}

let resvg: typeof ResvgClass | undefined;

/** PNGs already made, by SVG (a document's figures are rendered once even if it is written twice). */
const pngCache = new Map<string, Buffer>();
const PNG_CACHE_LIMIT = 32;

/**
 * The SVG rendered as a PNG at twice its size (crisp at print resolution), with DejaVu Sans for
 * every font and no system fonts, so the same SVG gives the same bytes on every machine.
 */
export function svgToPng(svg: string): Buffer {
  const clean = safeSvg(svg);
  const known = pngCache.get(clean);
  if (known) return known;
  // Loaded on the first figure: resvg's native binding costs ~0,1 s to load, and most documents have no figure.
  resvg ??= (createRequire(import.meta.url)("@resvg/resvg-js") as { Resvg: typeof ResvgClass }).Resvg;
  const png = new resvg(clean, {
    fitTo: { mode: "zoom", value: 2 },
    font: {
      loadSystemFonts: false,
      fontFiles: dejavuFiles(),
      defaultFontFamily: "DejaVu Sans",
      sansSerifFamily: "DejaVu Sans",
      serifFamily: "DejaVu Sans",
      monospaceFamily: "DejaVu Sans",
    },
    logLevel: "off",
  })
    .render()
    .asPng();
  if (pngCache.size >= PNG_CACHE_LIMIT) pngCache.delete(pngCache.keys().next().value!);
  pngCache.set(clean, png);
  return png;
}
