/**
 * Document tree → Markdown (CommonMark + GFM tables), for people to read and for diffs.
 *
 * Layout: `# Title`, one paragraph per subtitle line, then the blocks separated by blank lines.
 * Nothing is wrapped: a paragraph is one line (a hard break is a backslash at the end of a line),
 * so a changed sentence is a changed line and the output is deterministic.
 *
 * Decisions:
 *  - Clause headings carry their number and their id: `## 6. Misligholdelse {#misligholdelse}`,
 *    `### 6.4 Bod {#bod}` (level 1 → `##`, 2 → `###`, 3 → `####`; the title is the only `#`).
 *    The `{#id}` attribute is kept on purpose: it is short, it is the clause's stable identity
 *    (a diff of a renumbered clause shows `## 7. Bod {#bod}` against `## 6. Bod {#bod}`), and
 *    it is what makes the links below resolve in pandoc, in markdown-it-attrs and in our own
 *    template dialect (doc/parse.ts). Engines without attribute support (GitHub, plain
 *    markdown-it) show it as literal text at the end of the heading; we accept that.
 *    Ids are the HTML writer's (`assignIds` in ./html.ts), so `#bod` means the same in both.
 *  - References are links: `[pkt. 2.2](#bod)`; an unresolved reference is plain text.
 *  - The table of contents is a bold title line and a nested list of links to the headings.
 *  - A page break is an HTML comment, `<!-- sideskift -->`: invisible wherever raw HTML is
 *    allowed (CommonMark, GFM, pandoc) and harmless text elsewhere; pandoc's `\newpage` is not
 *    used because it is LaTeX-only and shows up as text everywhere else.
 *  - GFM tables are not padded to aligned columns (padding makes one wide cell rewrite every
 *    line of the table in a diff). A hard break inside a cell is `<br>`.
 *  - Links: only http(s):, mailto: and #fragment hrefs become links; other hrefs leave their text.
 *  - A figure is an image on its own line, `![Figur 3. Caption](data:image/svg+xml;base64,…)`:
 *    self-contained (pandoc makes it a figure with that caption), numbered in document order.
 *
 * Escaping: every piece of tree text is escaped so that a CommonMark/GFM parser (and pandoc's
 * markdown) gives the same text back: inline syntax characters anywhere (\ ` * _ [ ] < { } # |
 * ~ $ ^, and & before something that looks like an entity), block syntax at the start of a line
 * ("1. juli", "- ", "+ ", "> ", "=", ":", "a) ", "("), and leading/trailing whitespace, which
 * Markdown would strip, as character references (&#32;). Straight quotes, "--" and "..." are
 * left alone; pandoc's `smart` extension would turn them into typographic ones (read with
 * `-f markdown-smart` for byte-exact text).
 *
 * Emphasis is normalised before it is written so that the delimiters work under CommonMark's
 * flanking rules: whitespace and breaks at the edges move outside (`**Fed **` → `**Fed** `),
 * nested emphasis of the same kind is flattened, adjacent runs are merged, and where
 * punctuation inside meets a letter outside (`ord**”citat”**ord`, which CommonMark would not
 * treat as emphasis) the edge punctuation character moves outside the delimiters. As a safety
 * net for the rare shapes this cannot express (deeply nested emphasis meeting punctuation and
 * links), each paragraph, heading and cell is read back with markdown-it; if it does not give
 * the same text and formatting, nested emphasis and then all emphasis are left out. The text
 * is never changed, only (in those rare cases) its formatting.
 */
import { MarkdownIt } from "../doc/markdown-it.js";
import type { Block, DocumentTree, Figure, Heading, Inline } from "../doc/ast.js";
import { SIGNATURE_FIELDS, figureCaption, figureNumbers, headingText, listLabel, tocEntries } from "../doc/ast.js";
import { safeSvg, svgDataUri } from "./figure.js";
import { assignIds, safeHref } from "./html.js";

type Ids = ReturnType<typeof assignIds>;

/** Hard break placeholder while a paragraph is assembled (NUL never survives escaping). */
const BR = "\u0000";

const PUNCT = /[\p{P}\p{S}]/u;
const SPACE = /\s/u;

/** Escapes inline Markdown syntax in a piece of text. */
function escapeInline(s: string): string {
  return s
    .replace(/\r\n?|\n/g, " ")
    .replace(/\u0000/g, "\uFFFD")
    .replace(/[\\`*_[\]<{}#|~$^]/g, "\\$&")
    .replace(/=(?==)/g, "\\=") // "==" would open an example mark
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, "\\&");
}

/** Escapes what would start a block (list, quote, setext underline, pandoc list/div) at a line start. */
function escapeLineStart(s: string): string {
  return s
    .replace(/^([-+=>:])/, "\\$1")
    .replace(/^(\d+)([.)])/, "$1\\$2")
    .replace(/^([A-Za-z]|[ivxlcdm]+|[IVXLCDM]+)([.)])(?=\s|$)/, "$1\\$2")
    .replace(/^\(/, "\\(");
}

/** Leading and trailing spaces/tabs of a line as character references, so they are not stripped. */
function keepEdgeSpace(line: string): string {
  const ref = (ws: string) => [...ws].map((c) => (c === "\t" ? "&#9;" : "&#32;")).join("");
  return line.replace(/^[ \t]+/, ref).replace(/[ \t]+$/, ref);
}

type Emph = Extract<Inline, { type: "strong" | "emph" }>;

/** The toc's own links, which already point at element ids (not at clause ids). */
const tocLinks = new WeakSet<Inline>();

interface NormCtx {
  ids: Ids;
  inLink: boolean;
  strong: boolean;
  emph: boolean;
}

const isWord = (c: string | undefined) => c !== undefined && c !== "" && !SPACE.test(c) && !PUNCT.test(c);

/**
 * The character a delimiter at this edge of `x` sees, as CommonMark's flanking rules see it:
 * nested emphasis is looked through (its delimiters merge with ours into one run); links,
 * references and breaks show punctuation (`[`, `)`, `\`).
 */
function edgeChar(x: Inline | undefined, end: "first" | "last"): string | undefined {
  if (!x) return undefined;
  if (x.type === "text") {
    const cs = [...x.text];
    return end === "first" ? cs[0] : cs[cs.length - 1];
  }
  if (x.type === "strong" || x.type === "emph") return edgeChar(end === "first" ? x.content[0] : x.content[x.content.length - 1], end);
  return end === "first" ? "[" : ")";
}

/** Removes and returns the edge character of an emphasis (looking through nested emphasis), if it is text. */
function takeEdge(x: Emph, end: "first" | "last"): string | undefined {
  const i = end === "first" ? 0 : x.content.length - 1;
  const c = x.content[i];
  let taken: string | undefined;
  if (c?.type === "text") {
    const cs = [...c.text];
    taken = end === "first" ? cs.shift() : cs.pop();
    c.text = cs.join("");
    if (!c.text) x.content.splice(i, 1);
  } else if (c?.type === "strong" || c?.type === "emph") {
    taken = takeEdge(c, end);
    if (c.content.length === 0) x.content.splice(i, 1);
  }
  return taken;
}

function clone(x: Inline): Inline {
  if (x.type === "text") return { ...x };
  if (x.type === "strong" || x.type === "emph" || x.type === "link" || x.type === "example") return { ...x, content: x.content.map(clone) };
  return x;
}

class Builder {
  readonly out: Inline[] = [];

  push(i: Inline): void {
    const last = this.out[this.out.length - 1];
    if (i.type === "text") {
      if (!i.text) return;
      if (last?.type === "text") last.text += i.text;
      else this.out.push({ type: "text", text: i.text });
    } else if ((i.type === "strong" || i.type === "emph") && last?.type === i.type) {
      const merged = new Builder();
      for (const x of [...last.content, ...i.content]) merged.push(x);
      last.content = merged.out;
    } else {
      this.out.push(i);
    }
  }
}

/** Splits breaks (and, for emphasis, whitespace) off the edges of `inner` (which it shortens). */
function edges(inner: Inline[], space: boolean): { lead: Inline[]; trail: Inline[] } {
  const lead: Inline[] = [];
  const trail: Inline[] = [];
  for (;;) {
    const f = inner[0];
    if (f?.type === "break") lead.push(inner.shift()!);
    else if (space && f?.type === "text" && SPACE.test(f.text.slice(0, 1))) {
      const ws = /^\s+/u.exec(f.text)![0];
      lead.push({ type: "text", text: ws });
      f.text = f.text.slice(ws.length);
      if (!f.text) inner.shift();
    } else break;
  }
  for (;;) {
    const l = inner[inner.length - 1];
    if (l?.type === "break") trail.unshift(inner.pop()!);
    else if (space && l?.type === "text" && SPACE.test(l.text.slice(-1))) {
      const ws = /\s+$/u.exec(l.text)![0];
      trail.unshift({ type: "text", text: ws });
      l.text = l.text.slice(0, -ws.length);
      if (!l.text) inner.pop();
    } else break;
  }
  return { lead, trail };
}

/**
 * Normalises inlines for Markdown: resolves what cannot be a link into text, flattens nested
 * links and same-kind emphasis, merges texts and adjacent emphasis, and makes every emphasis
 * delimiter flanking (see the module comment).
 */
function normalise(content: Inline[], ctx: NormCtx): Inline[] {
  const b = new Builder();
  for (const i of content) {
    switch (i.type) {
      case "text":
        b.push({ type: "text", text: i.text.replace(/\r\n?|\n/g, " ").replace(/\u0000/g, "\uFFFD") });
        break;
      case "break":
        b.push(i);
        break;
      case "example": {
        // An example value: `==…==` (the "mark" extension of markdown-it, pandoc and Obsidian).
        const inner = normalise(i.content, ctx);
        if (inner.length) b.push({ type: "example", content: inner });
        break;
      }
      case "ref":
        // Points at the heading's actual id (clause ids are sanitised); unresolved → text.
        if (!ctx.inLink && ctx.ids.clause.has(i.target)) b.push({ ...i, target: ctx.ids.clause.get(i.target)! });
        else b.push({ type: "text", text: i.text });
        break;
      case "link": {
        let href = ctx.inLink ? undefined : safeHref(i.href);
        if (href?.startsWith("#") && !tocLinks.has(i)) href = `#${ctx.ids.clause.get(href.slice(1)) ?? href.slice(1)}`;
        const inner = normalise(i.content, { ...ctx, inLink: ctx.inLink || href !== undefined });
        if (href === undefined) {
          inner.forEach((x) => b.push(x));
          break;
        }
        const { lead, trail } = edges(inner, false);
        lead.forEach((x) => b.push(x));
        if (inner.length) b.push({ type: "link", href, content: inner });
        trail.forEach((x) => b.push(x));
        break;
      }
      case "strong":
      case "emph": {
        const key = i.type === "strong" ? "strong" : "emph";
        const inner = normalise(i.content, { ...ctx, [key]: true });
        if (ctx[key]) {
          inner.forEach((x) => b.push(x));
          break;
        }
        const { lead, trail } = edges(inner, true);
        lead.forEach((x) => b.push(x));
        if (inner.length) b.push({ type: i.type, content: inner });
        trail.forEach((x) => b.push(x));
        break;
      }
    }
  }
  return flank(b.out);
}

/**
 * Removes an edge character of an emphasis and any whitespace that would then be at its edge
 * (a delimiter next to whitespace does not work). Undefined if the edge is not text.
 */
function peel(x: Emph, end: "first" | "last"): string | undefined {
  let s = takeEdge(x, end);
  if (s === undefined) return undefined;
  while (x.content.length && SPACE.test(edgeChar(x, end) ?? "")) {
    const t = takeEdge(x, end);
    if (t === undefined) break;
    s = end === "first" ? s + t : t + s;
  }
  return s;
}

const isEmph = (x: Inline | undefined): x is Emph => x?.type === "strong" || x?.type === "emph";

/**
 * Makes every emphasis delimiter work. CommonMark only lets a delimiter run open when it is
 * left-flanking and close when it is right-flanking, which fails where punctuation inside meets
 * a letter outside (`ord**”citat”**ord`) and where two emphases meet with a letter on one side
 * and punctuation on the other (`*ord***(fed)**`). There the edge character moves outside the
 * delimiters (text unchanged, one character less emphasised); where the edge is a link, the
 * emphasis is dropped and its text kept.
 */
function flank(input: Inline[]): Inline[] {
  const xs = input.map(clone);
  const b = new Builder();
  const unwrap = (k: number, x: Emph) => xs.splice(k, 1, ...x.content);
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k];
    if (!isEmph(x)) {
      b.push(x);
      continue;
    }
    if (!x.content.length) continue;
    const prev = b.out[b.out.length - 1];
    const first = edgeChar(x, "first") ?? "";
    if (prev?.type === "text" && isWord(edgeChar(prev, "last")) && PUNCT.test(first)) {
      const t = peel(x, "first");
      if (t === undefined) {
        unwrap(k--, x);
        continue;
      }
      b.push({ type: "text", text: t });
    } else if (isEmph(prev) && isWord(edgeChar(prev, "last")) !== isWord(first)) {
      // Two emphases meet: the run between them must see a letter, or punctuation, on both sides.
      if (PUNCT.test(first)) {
        const t = peel(x, "first");
        if (t === undefined) {
          unwrap(k--, x);
          continue;
        }
        b.push({ type: "text", text: t });
      } else {
        b.out.pop();
        const t = peel(prev, "last");
        if (t === undefined) {
          // Re-examine the previous emphasis's content, then this one.
          xs.splice(k, 0, ...prev.content);
          k--;
          continue;
        }
        if (prev.content.length) b.out.push(prev);
        xs.splice(k, 0, { type: "text", text: t });
        k--;
        continue;
      }
    }
    if (!x.content.length) continue;
    const next = xs[k + 1];
    let after: string | undefined;
    if (next?.type === "text" && isWord(edgeChar(next, "first")) && PUNCT.test(edgeChar(x, "last") ?? "")) {
      after = peel(x, "last");
      if (after === undefined) {
        unwrap(k--, x);
        continue;
      }
    }
    if (x.content.length) b.push(x);
    if (after) b.push({ type: "text", text: after });
  }
  return b.out;
}

interface EmitState {
  lineStart: boolean;
  /** Where a hard break goes: a line break (paragraphs), a space (headings) or `<br>` (cells). */
  breakAs: "line" | "space" | "br";
}

function emit(xs: Inline[], st: EmitState): string {
  let s = "";
  for (const [k, x] of xs.entries()) {
    switch (x.type) {
      case "text": {
        let t = escapeInline(x.text);
        // "!" right before a link would make it an image.
        if (xs[k + 1]?.type === "link" || xs[k + 1]?.type === "ref") t = t.replace(/!$/, "\\!");
        s += st.lineStart ? escapeLineStart(t) : t;
        st.lineStart = false;
        break;
      }
      case "break":
        if (st.breakAs === "line") {
          s += BR;
          st.lineStart = true;
        } else s += st.breakAs === "br" ? "<br>" : " ";
        break;
      case "strong":
      case "emph": {
        const d = x.type === "strong" ? "**" : "*";
        st.lineStart = false;
        s += d + emit(x.content, st) + d;
        st.lineStart = false;
        break;
      }
      case "example":
        st.lineStart = false;
        s += `==${emit(x.content, st)}==`;
        st.lineStart = false;
        break;
      case "ref":
        st.lineStart = false;
        s += `[${escapeInline(x.text)}](${destination(`#${x.target}`)})`;
        break;
      case "link": {
        st.lineStart = false;
        const text = emit(x.content, st);
        st.lineStart = false;
        s += `[${text}](${destination(x.href)})`;
        break;
      }
    }
  }
  return s;
}

/** A link destination: backslash-escaped brackets, percent-encoded spaces and controls. */
function destination(href: string): string {
  return href
    .replace(/[\\()<>]/g, "\\$&")
    .replace(/[\u0000-\u0020\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** Removes emphasis nested deeper than `keep` levels (0: all emphasis), keeping its content. */
function stripEmphasis(xs: Inline[], keep: number): Inline[] {
  const b = new Builder();
  for (const x of xs) {
    if (isEmph(x)) {
      if (keep > 0) b.push({ type: x.type, content: stripEmphasis(x.content, keep - 1) });
      else stripEmphasis(x.content, 0).forEach((y) => b.push(y));
    } else if (x.type === "link") b.push({ ...x, content: stripEmphasis(x.content, keep) });
    else b.push(clone(x));
  }
  return flank(b.out);
}

/**
 * Each character with its formatting (strong, emphasis, link) as a string, from the tree or
 * from markdown-it's tokens; equal strings mean the Markdown reads back as the tree.
 */
function markedText(xs: Inline[], breakAs: EmitState["breakAs"], m = 0): string {
  const mark = (t: string) => [...t].map((c) => c + String.fromCharCode(0xe000 + m)).join("");
  return xs
    .map((x) => {
      switch (x.type) {
        case "text":
          return mark(x.text);
        case "break":
          return mark(breakAs === "space" ? " " : "\n");
        case "ref":
          return markedText([{ type: "text", text: x.text }], breakAs, m | 4);
        case "link":
          return markedText(x.content, breakAs, m | 4);
        default:
          return markedText(x.content, breakAs, m | (x.type === "strong" ? 1 : 2));
      }
    })
    .join("");
}

let checker: MarkdownIt | undefined;

function roundTrips(markdown: string, xs: Inline[], breakAs: EmitState["breakAs"]): boolean {
  checker ??= new MarkdownIt("default", { html: true, linkify: false, typographer: false });
  let m = 0;
  let out = "";
  const mark = (t: string) => [...t].map((c) => c + String.fromCharCode(0xe000 + m)).join("");
  const bits: Record<string, number> = { strong: 1, em: 2, link: 4 };
  for (const t of checker.parseInline(markdown, {})[0]?.children ?? []) {
    const kind = /^(strong|em|link)_(open|close)$/.exec(t.type);
    if (kind) m = kind[2] === "open" ? m | bits[kind[1]] : m & ~bits[kind[1]];
    else if (t.type === "text" || t.type === "text_special") out += mark(t.content);
    else if (t.type === "hardbreak") out += mark("\n");
    else if (t.type === "softbreak") out += mark(" ");
    else if (t.type === "html_inline" && t.content === "<br>" && breakAs === "br") out += mark("\n");
    else return false;
  }
  return out === markedText(xs, breakAs);
}

class MarkdownWriter {
  private readonly figures: Map<Figure, number>;

  constructor(private readonly ids: Ids, private readonly doc: DocumentTree) {
    this.figures = figureNumbers(doc.blocks);
  }

  /** `![Figur N. Caption](data:image/svg+xml;base64,…)`; the caption is plain text. */
  figure(f: Figure): string {
    const caption = figureCaption(this.figures.get(f) ?? 0, f.caption);
    return `![${escapeInline(caption)}](${svgDataUri(safeSvg(f.svg))})`;
  }

  /** Inline content as Markdown lines (joined by hard breaks where breakAs is "line"). */
  inlines(content: Inline[], lineStart: boolean, breakAs: EmitState["breakAs"]): string {
    const xs = normalise(content, { ids: this.ids, inLink: false, strong: false, emph: false });
    // A hard break cannot begin or end a paragraph in Markdown (and shows nothing there).
    if (breakAs === "line") {
      while (xs[0]?.type === "break") xs.shift();
      while (xs[xs.length - 1]?.type === "break") xs.pop();
    }
    const render = (ys: Inline[]) => emit(ys, { lineStart, breakAs }).split(BR).map(keepEdgeSpace).join("\\\n");
    // Safety net for emphasis the normalisation cannot express (see the module comment):
    // nested emphasis goes first, then all emphasis; the text itself is never changed.
    let s = render(xs);
    if (!roundTrips(s, xs, breakAs)) {
      s = render(stripEmphasis(xs, 1));
      if (!roundTrips(s, stripEmphasis(xs, 1), breakAs)) s = render(stripEmphasis(xs, 0));
    }
    return s;
  }

  heading(h: Heading): string {
    const marks = "#".repeat(Math.min(Math.max(h.level, 1) + 1, 6));
    const nr = h.number ? `${escapeInline(h.level === 1 ? `${h.number}.` : h.number)} ` : "";
    const text = this.inlines(h.content, false, "space");
    return [marks, `${nr}${text}`, `{#${this.ids.heading.get(h)!}}`].filter((p) => p !== "").join(" ");
  }

  list(b: Extract<Block, { type: "list" }>, alternate: boolean): string {
    const tightItem = (item: Block[]) =>
      item.length === 0 ||
      (item[0].type === "paragraph" &&
        (item.length === 1 || (item.length === 2 && item[1].type === "list" && (!item[1].ordered || item[1].start === 1))));
    const tight = b.items.every(tightItem);
    const start = Math.min(Math.max(Math.trunc(b.start) || 0, 0), 999_999_999);
    if (b.ordered && b.marker && b.marker !== "1)") return this.subClauses(b, start);
    const items = b.items.map((item, n) => {
      const marker = b.ordered ? `${start + n}${alternate || b.marker === "1)" ? ")" : "."}` : alternate ? "*" : "-";
      const body = this.blocks(item, tight ? "\n" : "\n\n");
      if (!body) return marker;
      const pad = " ".repeat(marker.length + 1);
      return body
        .split("\n")
        .map((line, i) => (i === 0 ? `${marker} ${line}` : line ? pad + line : ""))
        .join("\n");
    });
    return items.join(tight ? "\n" : "\n\n");
  }

  /**
   * Lettered or roman sub-clauses: "a) …", "b) …", one paragraph each (blank lines between), as
   * pandoc reads a fancy list and as a CommonMark reader shows separate lines; continuation
   * blocks are indented under their item.
   */
  subClauses(b: Extract<Block, { type: "list" }>, start: number): string {
    return b.items
      .map((item, n) => {
        const label = listLabel(start + n, b.marker);
        const body = this.blocks(item, "\n\n");
        const pad = " ".repeat(label.length + 1);
        return body
          .split("\n")
          .map((line, i) => (i === 0 ? `${label} ${line}` : line ? pad + line : ""))
          .join("\n");
      })
      .join("\n\n");
  }

  table(b: Extract<Block, { type: "table" }>): string {
    const cols = Math.max(b.header.length, ...b.rows.map((r) => r.length));
    if (cols === 0) return "";
    const cell = (c: { content: Inline[] } | undefined) => (c ? this.inlines(c.content, false, "br") : "");
    const row = (cells: ({ content: Inline[] } | undefined)[]) =>
      `| ${Array.from({ length: cols }, (_, i) => cell(cells[i])).join(" | ")} |`;
    const delim = Array.from({ length: cols }, (_, i) => {
      const align = b.header[i]?.align ?? b.rows.find((r) => r[i]?.align)?.[i].align;
      return align === "left" ? ":---" : align === "center" ? ":---:" : align === "right" ? "---:" : "---";
    });
    return [row(b.header), `| ${delim.join(" | ")} |`, ...b.rows.map(row)].join("\n");
  }

  /** The toc as blocks: a bold title and a nested list of links to level-1/2 headings. */
  toc(title: string): Block[] {
    const entry = (h: Heading): Block => {
      const link: Inline = { type: "link", href: `#${this.ids.heading.get(h)!}`, content: [{ type: "text", text: headingText(h) }] };
      tocLinks.add(link);
      return { type: "paragraph", content: [link] };
    };
    const items: Block[][] = [];
    let parent: { level: number; children: Block[][] } | undefined;
    for (const h of tocEntries(this.doc)) {
      if (h.level >= 2 && parent && parent.level < h.level) {
        parent.children.push([entry(h)]);
        continue;
      }
      const children: Block[][] = [];
      items.push([entry(h), { type: "list", ordered: false, start: 1, items: children }]);
      parent = { level: h.level, children };
    }
    for (const item of items) {
      const sub = item[1];
      if (sub.type === "list" && sub.items.length === 0) item.pop();
    }
    const out: Block[] = [{ type: "paragraph", content: [{ type: "strong", content: [{ type: "text", text: title }] }] }];
    if (items.length) out.push({ type: "list", ordered: false, start: 1, items });
    return out;
  }

  blocks(blocks: Block[], sep = "\n\n"): string {
    const expanded = blocks.flatMap((b) => (b.type === "toc" ? this.toc(b.title) : [b]));
    const out: string[] = [];
    let prev: Block | undefined;
    let prevAlternate = false;
    for (const b of expanded) {
      // Two lists of the same kind in a row would merge into one: alternate the marker.
      const alternate: boolean = b.type === "list" && prev?.type === "list" && prev.ordered === b.ordered && !prevAlternate;
      const s = b.type === "list" ? this.list(b, alternate) : this.block(b);
      if (s !== "") out.push(s);
      prev = b;
      prevAlternate = alternate;
    }
    return out.join(sep);
  }

  block(b: Block): string {
    switch (b.type) {
      case "heading":
        return this.heading(b);
      case "paragraph":
        return this.inlines(b.content, true, "line");
      case "list":
        return this.list(b, false);
      case "blockquote":
        return this.blocks(b.content)
          .split("\n")
          .map((l) => (l ? `> ${l}` : ">"))
          .join("\n");
      case "table":
        return this.table(b);
      case "pagebreak":
        return "<!-- sideskift -->";
      case "toc":
        return this.blocks(this.toc(b.title));
      case "figure":
        return this.figure(b);
      case "signature":
        // A table a Markdown reader shows: a column per party, a row per line to fill in.
        return this.table({
          type: "table",
          header: b.parties.map((p) => ({ content: [{ type: "strong", content: [{ type: "text", text: p.label }] }] })),
          rows: SIGNATURE_FIELDS.map((f, k) => b.parties.map((p) => ({ content: [{ type: "text", text: `${f}:${k === 0 && p.place ? ` ${p.place}` : ""}` }] }))),
        });
    }
  }
}

/** Renders the document tree as Markdown (CommonMark + GFM tables). */
export function writeMarkdown(doc: DocumentTree): string {
  const ids = assignIds(doc.blocks);
  const w = new MarkdownWriter(ids, doc);
  const parts = [
    ["#", w.inlines([{ type: "text", text: doc.title }], false, "space")].filter((p) => p !== "").join(" "),
    ...doc.subtitle.map((s) => w.inlines([{ type: "text", text: s }], true, "line")).filter((s) => s !== ""),
    w.blocks(doc.blocks),
  ].filter((s) => s !== "");
  return `${parts.join("\n\n")}\n`;
}
