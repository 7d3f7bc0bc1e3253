/**
 * Document tree → one standalone HTML5 file (screen and print).
 *
 * The page is self-contained: embedded CSS only, no scripts, no external resources (a
 * Content-Security-Policy meta tag says so to the browser as well). Structure:
 *
 *   <header class="forside">  h1 = doc.title (the page's only <h1>), subtitle lines
 *   <main>                    the blocks; clause headings level 1 → <h2>, 2 → <h3>, 3 → <h4>, …
 *     <h2 id="misligholdelse"><span class="nr">6.</span> Misligholdelse</h2>
 *     <nav class="indhold">   the toc block: nested <ol> of level-1/2 headings linking to their ids
 *
 * Ids: a heading's id is its clause id, sanitised to letters, digits, "_", "." and "-" and
 * starting with a letter; headings without a clause id get one from their text. Ids are unique
 * (clause ids are claimed first, in document order; later duplicates get "-2", "-3", …).
 * References and "#fragment" links to a clause id point at the heading's actual id.
 *
 * Figures: <figure id="fig-ID"><div class="chart"><svg …></div><figcaption>Figur N. …</figcaption>
 * </figure>, numbered in document order; the SVG is inlined (cleaned, its ids prefixed per figure,
 * scaled to the text width by CSS). Figure ids are unique like heading ids.
 *
 * Links: only http(s):, mailto: and #fragment hrefs become <a>; anything else (javascript:,
 * data:, relative paths, …) is rendered as its text. Every text and attribute value is escaped
 * (& < > " '). The output is deterministic: no timestamps; doc.date goes into <meta name="date">.
 */
import type { Block, DocumentTree, Figure, Heading, Inline, Signature, TableCell } from "../doc/ast.js";
import { SIGNATURE_FIELDS, figureNumbers, headingText, inlineText, tocEntries } from "../doc/ast.js";
import { htmlSvg } from "./figure.js";

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for element content and quoted attribute values alike. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]);
}

/** The href a link may carry, or undefined if it must be rendered as text. */
export function safeHref(href: string): string | undefined {
  // Browsers ignore leading/trailing C0 controls and spaces, and tabs/newlines anywhere in a URL.
  const h = href.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  const probe = h.replace(/[\t\n\r]/g, "");
  if (/^(https?:\/\/|mailto:)/i.test(probe) || probe.startsWith("#")) return h;
  return undefined;
}

/** A clause id or heading text → an id: letters, digits, "_", ".", "-"; starts with a letter. */
export function sanitiseId(raw: string): string {
  let s = raw
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}_.-]+/gu, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  if (!/^\p{L}/u.test(s)) s = s ? `id-${s}` : "afsnit";
  return s;
}

function* allHeadings(blocks: Block[]): Generator<Heading> {
  for (const b of blocks) {
    if (b.type === "heading") yield b;
    else if (b.type === "list") for (const item of b.items) yield* allHeadings(item);
    else if (b.type === "blockquote") yield* allHeadings(b.content);
  }
}

interface Ids {
  /** Each heading's element id. */
  heading: Map<Heading, string>;
  /** Clause id (as in the tree) → element id of the first heading carrying it. */
  clause: Map<string, string>;
}

/**
 * Unique ids for every heading. Clause ids are claimed first so that a generated id never takes
 * the id a clause (and the references to it) should have.
 */
export function assignIds(blocks: Block[]): Ids {
  const used = new Set<string>();
  const heading = new Map<Heading, string>();
  const clause = new Map<string, string>();
  const claim = (base: string): string => {
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  };
  const hs = [...allHeadings(blocks)];
  for (const h of hs) {
    if (!h.id) continue;
    const id = claim(sanitiseId(h.id));
    heading.set(h, id);
    if (!clause.has(h.id)) clause.set(h.id, id);
  }
  for (const h of hs) {
    if (heading.has(h)) continue;
    heading.set(h, claim(sanitiseId(inlineText(h.content).toLowerCase())));
  }
  return { heading, clause };
}

/** Element ids for the figures ("fig-" + the figure id), unique among themselves and the headings' ids. */
function figureIds(ids: Ids, numbers: Map<Figure, number>): Map<Figure, string> {
  const used = new Set(ids.heading.values());
  const out = new Map<Figure, string>();
  for (const f of numbers.keys()) {
    const base = sanitiseId(`fig-${f.id}`);
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    out.set(f, id);
  }
  return out;
}

class HtmlWriter {
  private readonly figures: Map<Figure, number>;
  private readonly figureIds: Map<Figure, string>;

  constructor(private readonly ids: Ids, private readonly doc: DocumentTree) {
    this.figures = figureNumbers(doc.blocks);
    this.figureIds = figureIds(ids, this.figures);
  }

  figure(f: Figure): string {
    const n = this.figures.get(f) ?? 0;
    const id = this.figureIds.get(f) ?? sanitiseId(`fig-${f.id}`);
    const caption = this.inlines(f.caption);
    const svg = htmlSvg(f.svg, `${id}-`, f.alt, f.width, f.height);
    return (
      `<figure id="${escapeHtml(id)}">\n` +
      `<div class="chart">${svg}</div>\n` +
      `<figcaption>Figur ${n}.${caption ? ` ${caption}` : ""}</figcaption>\n` +
      `</figure>`
    );
  }

  /** `inLink`: inside an <a>, where another link or reference may only leave its text. */
  inlines(content: Inline[], inLink = false): string {
    return content.map((i) => this.inline(i, inLink)).join("");
  }

  inline(i: Inline, inLink: boolean): string {
    switch (i.type) {
      case "text":
        return escapeHtml(i.text);
      case "break":
        return "<br>";
      case "strong":
        return `<strong>${this.inlines(i.content, inLink)}</strong>`;
      case "emph":
        return `<em>${this.inlines(i.content, inLink)}</em>`;
      case "example":
        return `<mark class="eksempel" title="Eksempelværdi">${this.inlines(i.content, inLink)}</mark>`;
      case "ref": {
        const id = this.ids.clause.get(i.target);
        return id && !inLink ? `<a class="ref" href="#${escapeHtml(id)}">${escapeHtml(i.text)}</a>` : `<span class="ref">${escapeHtml(i.text)}</span>`;
      }
      case "link": {
        let href = inLink ? undefined : safeHref(i.href);
        if (href?.startsWith("#")) href = `#${this.ids.clause.get(href.slice(1)) ?? href.slice(1)}`;
        const inner = this.inlines(i.content, inLink || href !== undefined);
        return href === undefined ? inner : `<a href="${escapeHtml(href)}">${inner}</a>`;
      }
    }
  }

  heading(h: Heading): string {
    const tag = `h${Math.min(Math.max(h.level, 1) + 1, 6)}`;
    const id = this.ids.heading.get(h)!;
    const nr = h.number ? `<span class="nr">${escapeHtml(h.level === 1 ? `${h.number}.` : h.number)}</span> ` : "";
    const cls = h.number ? "" : ` class="unummereret"`;
    return `<${tag} id="${escapeHtml(id)}"${cls}>${nr}${this.inlines(h.content)}</${tag}>`;
  }

  cell(tag: "th" | "td", c: TableCell): string {
    const scope = tag === "th" ? ` scope="col"` : "";
    const cls = c.align ? ` class="align-${c.align}"` : "";
    return `<${tag}${scope}${cls}>${this.inlines(c.content)}</${tag}>`;
  }

  toc(title: string): string {
    // Level-1 headings at the top, level-2 headings nested under the level-1 heading before them.
    const top: { h: Heading; children: Heading[] }[] = [];
    for (const h of tocEntries(this.doc)) {
      const last = top[top.length - 1];
      if (h.level >= 2 && last && last.h.level < h.level) last.children.push(h);
      else top.push({ h, children: [] });
    }
    const entry = (h: Heading): string => {
      const nr = h.number ? `<span class="nr">${escapeHtml(h.level === 1 ? `${h.number}.` : h.number)}</span> ` : "";
      return `<a href="#${escapeHtml(this.ids.heading.get(h)!)}">${nr}${escapeHtml(inlineText(h.content))}</a>`;
    };
    const items = top.map(({ h, children }) => {
      const sub = children.length ? `\n<ol>\n${children.map((c) => `<li>${entry(c)}</li>`).join("\n")}\n</ol>\n` : "";
      return `<li>${entry(h)}${sub}</li>`;
    });
    return [
      `<nav class="indhold" aria-label="${escapeHtml(title)}">`,
      `<p class="indhold-titel">${escapeHtml(title)}</p>`,
      items.length ? `<ol>\n${items.join("\n")}\n</ol>` : "",
      `</nav>`,
    ]
      .filter((l) => l !== "")
      .join("\n");
  }

  blocks(blocks: Block[]): string {
    return blocks.map((b) => this.block(b)).join("\n");
  }

  block(b: Block): string {
    switch (b.type) {
      case "heading":
        return this.heading(b);
      case "paragraph":
        return `<p>${this.inlines(b.content)}</p>`;
      case "list": {
        const tag = b.ordered ? "ol" : "ul";
        const start = b.ordered && Number.isFinite(b.start) && b.start !== 1 ? ` start="${Math.trunc(b.start)}"` : "";
        // Sub-clauses: lettered or roman, shown "a)" / "i)" by the stylesheet.
        const type = b.ordered && b.marker ? ` type="${b.marker === "a)" ? "a" : b.marker === "i)" ? "i" : "1"}" class="paren"` : "";
        const items = b.items.map((item) =>
          // A single paragraph is written inline in the <li> (a tight list).
          item.length === 1 && item[0].type === "paragraph" ? `<li>${this.inlines(item[0].content)}</li>` : `<li>\n${this.blocks(item)}\n</li>`,
        );
        return `<${tag}${start}${type}>\n${items.join("\n")}\n</${tag}>`;
      }
      case "blockquote":
        return `<blockquote>\n${this.blocks(b.content)}\n</blockquote>`;
      case "table": {
        const head = b.header.length ? `<thead>\n<tr>${b.header.map((c) => this.cell("th", c)).join("")}</tr>\n</thead>\n` : "";
        const body = b.rows.length ? `<tbody>\n${b.rows.map((r) => `<tr>${r.map((c) => this.cell("td", c)).join("")}</tr>`).join("\n")}\n</tbody>\n` : "";
        return `<div class="tabel">\n<table>\n${head}${body}</table>\n</div>`;
      }
      case "pagebreak":
        return `<div class="sideskift"></div>`;
      case "toc":
        return this.toc(b.title);
      case "figure":
        return this.figure(b);
      case "signature":
        return this.signature(b);
    }
  }

  /** The signature block: a box per party, each line to write on a ruled (bottom-bordered) cell. */
  signature(b: Signature): string {
    const box = (p: Signature["parties"][number]): string =>
      [
        `<div class="underskrift">`,
        `<p class="underskrift-part"><strong>${escapeHtml(p.label)}</strong></p>`,
        ...SIGNATURE_FIELDS.map(
          (f, k) =>
            `<div class="underskrift-linje${k === 1 ? " underskrift-navnetraek" : ""}">${k === 0 && p.place ? escapeHtml(p.place) : ""}</div><p class="underskrift-felt">${escapeHtml(f)}</p>`,
        ),
        `</div>`,
      ].join("\n");
    return `<div class="underskrifter">\n${b.parties.map(box).join("\n")}\n</div>`;
  }
}

/** A CSS string literal that cannot end the <style> element or the string early. */
function cssString(s: string): string {
  return `"${s.replace(/[^\p{L}\p{N} .,:;!?()–—-]/gu, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;
}

function css(doc: DocumentTree): string {
  return `
:root { color-scheme: light; }
html { background: #f4f4f2; }
body {
  margin: 0; color: #1b1b1b; background: #fff;
  font-family: Calibri, Carlito, "Segoe UI", "Helvetica Neue", Arial, sans-serif;
  font-size: 11pt; line-height: 1.5;
  max-width: 48rem; margin: 2rem auto; padding: 3rem 4rem;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.12);
  hyphens: auto; overflow-wrap: break-word;
}
header.forside { border-bottom: 2px solid #1f3a5f; padding-bottom: 1.5rem; margin-bottom: 2rem; }
header.forside h1 { font-size: 1.9em; line-height: 1.25; color: #1f3a5f; margin: 0 0 0.75rem; hyphens: manual; }
header.forside p { margin: 0.15rem 0; font-size: 1.1em; color: #444; }
h2, h3, h4, h5, h6 { color: #1f3a5f; line-height: 1.3; margin: 1.6em 0 0.5em; hyphens: manual; }
h2 { font-size: 1.35em; border-bottom: 1px solid #d5dbe3; padding-bottom: 0.2em; }
h3 { font-size: 1.15em; }
h4 { font-size: 1em; }
h5, h6 { font-size: 1em; font-style: italic; }
.nr { display: inline-block; min-width: 2.6em; font-variant-numeric: tabular-nums; }
h3 .nr, h4 .nr { min-width: 3.2em; }
p { margin: 0 0 0.75em; text-align: left; }
a { color: #1f4f8f; }
a.ref { text-decoration: none; border-bottom: 1px dotted currentColor; }
ul, ol { margin: 0 0 0.75em; padding-left: 1.8em; }
li { margin: 0.2em 0; }
li > p:last-child { margin-bottom: 0; }
blockquote { margin: 1em 0; padding: 0.5em 1em; border-left: 3px solid #c3ccd8; background: #f6f8fa; color: #333; }
blockquote > :last-child { margin-bottom: 0; }
.tabel { overflow-x: auto; margin: 1em 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
th, td { border: 1px solid #c9d1db; padding: 0.35em 0.6em; vertical-align: top; text-align: left; }
thead th { background: #e9eef4; font-weight: bold; }
tbody tr:nth-child(even) td { background: #fafbfc; }
.align-left { text-align: left; }
.align-center { text-align: center; }
.align-right { text-align: right; font-variant-numeric: tabular-nums; }
nav.indhold { margin: 1.5em 0 2em; }
.indhold-titel { font-size: 1.35em; font-weight: bold; color: #1f3a5f; margin-bottom: 0.5em; }
nav.indhold ol { list-style: none; padding-left: 0; margin: 0; }
nav.indhold ol ol { padding-left: 2.6em; }
nav.indhold li { margin: 0.15em 0; }
nav.indhold a { color: inherit; text-decoration: none; }
nav.indhold a:hover { text-decoration: underline; }
.sideskift { border-top: 1px dashed #c9d1db; margin: 2.5em 0; }
ol.paren[type="a"] { list-style-type: lower-alpha-paren; }
ol.paren[type="i"] { list-style-type: lower-roman-paren; }
ol.paren[type="1"] { list-style-type: decimal-paren; }
@counter-style lower-alpha-paren { system: extends lower-alpha; suffix: ") "; }
@counter-style lower-roman-paren { system: extends lower-roman; suffix: ") "; }
@counter-style decimal-paren { system: extends decimal; suffix: ") "; }
.underskrifter { display: flex; gap: 2.5em; margin: 1.5em 0; break-inside: avoid; page-break-inside: avoid; }
.underskrift { flex: 1; }
.underskrift-part { margin: 0 0 0.5em; }
.underskrift-linje { border-bottom: 1px solid #404040; min-height: 2em; display: flex; align-items: flex-end; }
.underskrift-navnetraek { min-height: 3.5em; }
.underskrift-felt { margin: 0.15em 0 0.6em; font-size: 0.85em; color: #555; }
figure { margin: 1.5em 0; }
.chart svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { font-size: 0.9em; color: #333; margin-top: 0.5em; }
@media (max-width: 40rem) {
  body { margin: 0; padding: 1.25rem; box-shadow: none; }
}
@media print {
  @page {
    size: A4; margin: 25mm 20mm 22mm 25mm;
    @top-right { content: ${cssString(doc.label)}; font-size: 9pt; color: #555; }
    @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; color: #555; }
  }
  @page :first { @top-right { content: none; } @bottom-right { content: none; } }
  html, body { background: #fff; }
  body { max-width: none; margin: 0; padding: 0; box-shadow: none; font-size: 11pt; color: #000; }
  header.forside { border: none; padding-top: 60mm; margin: 0; break-after: page; page-break-after: always; }
  .sideskift { border: none; margin: 0; height: 0; break-before: page; page-break-before: always; }
  h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; break-inside: avoid; page-break-inside: avoid; }
  p, li { orphans: 3; widows: 3; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  tr, th, td { break-inside: avoid; page-break-inside: avoid; }
  .tabel { overflow: visible; }
  tbody tr:nth-child(even) td { background: none; }
  thead th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a, a:visited { color: inherit; text-decoration: none; border: none; }
  a[href]::after { content: none !important; }
  blockquote { background: none; break-inside: avoid; page-break-inside: avoid; }
  figure { break-inside: avoid; page-break-inside: avoid; }
}
`.trimStart();
}

/** Renders the document tree as a standalone HTML5 document. */
export function writeHtml(doc: DocumentTree): string {
  const ids = assignIds(doc.blocks);
  const w = new HtmlWriter(ids, doc);
  const meta = (name: string, content: string) => (content ? `<meta name="${name}" content="${escapeHtml(content)}">\n` : "");
  return (
    `<!DOCTYPE html>\n` +
    `<html lang="${escapeHtml(doc.lang || "da")}">\n` +
    `<head>\n` +
    `<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${escapeHtml(doc.title)}</title>\n` +
    meta("author", doc.author) +
    meta("date", doc.date) +
    meta("generator", "udbud") +
    `<style>\n${css(doc)}</style>\n` +
    `</head>\n` +
    `<body>\n` +
    `<header class="forside">\n` +
    `<h1>${escapeHtml(doc.title)}</h1>\n` +
    doc.subtitle.map((s) => `<p class="undertitel">${escapeHtml(s)}</p>\n`).join("") +
    `</header>\n` +
    `<main>\n` +
    (doc.blocks.length ? `${w.blocks(doc.blocks)}\n` : "") +
    `</main>\n` +
    `</body>\n` +
    `</html>\n`
  );
}
