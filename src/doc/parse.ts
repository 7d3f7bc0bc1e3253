/**
 * Markdown (as produced by the templates) → document tree, with markdown-it.
 *
 * Extensions (documented in docs/templates.md):
 *   ## Titel {#id}            heading with a stable clause id
 *   ## Titel {#id .unnumbered} or {.unnumbered}   heading outside the numbering
 *   {ref:id}                  reference, rendered "pkt. 6.4"
 *   {nr:id}                   reference, rendered "6.4"
 *   {sideskift}               page break (a paragraph on its own)
 *   {indholdsfortegnelse}     table of contents (a paragraph on its own)
 *   {underskrifter: For Ordregiver = København | For Leverandøren}
 *                             signature block (a paragraph on its own): a box per party with
 *                             ruled lines for "Sted og dato", signature, "Navn" and "Titel"
 *   ![Billedtekst](figur:id)  figure (a paragraph that is only this image): the chart `id` of the
 *                             FigureMap given to parseMarkdown, with the alt text as its caption;
 *                             an id the map lacks is an error
 * Any other image is never fetched or read: it is its alt text. Links and images may point at
 * `data:image/svg+xml` (our Markdown writer embeds figures so); such a link is its text only.
 * Raw HTML is never interpreted (markdown-it's html option is off); user text reaches the
 * Markdown escaped (compute/escape.ts), so it cannot produce any of the above.
 */
import { MarkdownIt } from "./markdown-it.js";
import type Token from "markdown-it/lib/token.mjs";
import type StateInline from "markdown-it/lib/rules_inline/state_inline.mjs";
import type StateCore from "markdown-it/lib/rules_core/state_core.mjs";
import type { Block, FigureMap, Inline, TableCell } from "./ast.js";
import { listLabel } from "./ast.js";

const ATTRS = /(^|[^\\])\{((?:\s*(?:#[\p{L}\p{N}_.-]+|\.unnumbered))+)\s*\}\s*$/u;

function headingAttributes(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length - 1; i++) {
    if (tokens[i].type !== "heading_open" || tokens[i + 1].type !== "inline") continue;
    const inline = tokens[i + 1];
    const m = ATTRS.exec(inline.content);
    if (!m) continue;
    inline.content = inline.content.slice(0, m.index + m[1].length).trimEnd();
    for (const part of m[2].trim().split(/\s+/)) {
      if (part.startsWith("#")) tokens[i].attrSet("id", part.slice(1));
      else if (part === ".unnumbered") tokens[i].attrSet("data-unnumbered", "1");
    }
  }
}

function refRule(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x7b /* { */) return false;
  const m = /^\{(ref|nr):([\p{L}\p{N}_.-]+)\}/u.exec(state.src.slice(state.pos));
  if (!m) return false;
  if (!silent) {
    const t = state.push("udbud_ref", "", 0);
    t.meta = { form: m[1], target: m[2] };
  }
  state.pos += m[0].length;
  return true;
}

/** `==text==`: an example value (one line, not empty). The content is parsed as inline Markdown. */
function exampleRule(state: StateInline, silent: boolean): boolean {
  const start = state.pos;
  if (state.src.charCodeAt(start) !== 0x3d || state.src.charCodeAt(start + 1) !== 0x3d) return false;
  let end = -1;
  for (let i = start + 2; i < state.posMax - 1; i++) {
    const c = state.src.charCodeAt(i);
    if (c === 0x5c /* \ */) {
      i++;
      continue;
    }
    if (c === 0x0a) return false;
    if (c === 0x3d && state.src.charCodeAt(i + 1) === 0x3d) {
      end = i;
      break;
    }
  }
  if (end <= start + 2) return false;
  if (!silent) {
    state.push("udbud_example_open", "", 1);
    const max = state.posMax;
    state.pos = start + 2;
    state.posMax = end;
    state.md.inline.tokenize(state);
    state.posMax = max;
    state.push("udbud_example_close", "", -1);
  }
  state.pos = end + 2;
  return true;
}

export function markdownParser(): MarkdownIt {
  const md = new MarkdownIt("default", { html: false, linkify: false, typographer: false, breaks: false });
  md.core.ruler.after("block", "udbud_heading_attrs", headingAttributes);
  md.inline.ruler.after("escape", "udbud_ref", refRule);
  md.inline.ruler.after("udbud_ref", "udbud_example", exampleRule);
  md.disable(["code", "fence", "html_block", "html_inline", "autolink"]);
  // Our own Markdown embeds figures as data:image/svg+xml; markdown-it refuses every data: URL
  // but raster images. Images only ever become text here, and such links only their text.
  const validate = md.validateLink.bind(md);
  md.validateLink = (url: string) => validate(url) || SVG_DATA.test(url.trim());
  return md;
}

const SVG_DATA = /^data:image\/svg\+xml[;,]/i;
const FIGURE_SRC = /^figur:/i;

function pushText(out: Inline[], text: string): void {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.type === "text") last.text += text;
  else out.push({ type: "text", text });
}

function inlines(children: Token[]): Inline[] {
  const root: Inline[] = [];
  const stack: Inline[][] = [root];
  const nodes: Inline[] = [];
  const top = () => stack[stack.length - 1];
  for (const t of children) {
    switch (t.type) {
      case "text":
      case "code_inline":
        pushText(top(), t.content);
        break;
      case "softbreak":
        pushText(top(), " ");
        break;
      case "hardbreak":
        top().push({ type: "break" });
        break;
      case "udbud_example_open": {
        const node: Inline = { type: "example", content: [] };
        top().push(node);
        nodes.push(node);
        stack.push(node.content);
        break;
      }
      case "udbud_example_close":
        stack.pop();
        nodes.pop();
        break;
      case "strong_open":
      case "em_open":
      case "link_open": {
        if (t.type === "link_open" && SVG_DATA.test((t.attrGet("href") ?? "").trim())) {
          // Not a link we keep: its content goes where the link would have been.
          stack.push(top());
          nodes.push({ type: "text", text: "" });
          break;
        }
        const node: Inline =
          t.type === "strong_open"
            ? { type: "strong", content: [] }
            : t.type === "em_open"
              ? { type: "emph", content: [] }
              : { type: "link", href: t.attrGet("href") ?? "", content: [] };
        top().push(node);
        nodes.push(node);
        stack.push((node as { content: Inline[] }).content);
        break;
      }
      case "strong_close":
      case "em_close":
      case "link_close":
        stack.pop();
        nodes.pop();
        break;
      case "image":
        // Never fetched, never read: an image is its alt text.
        pushText(top(), imageAlt(t));
        break;
      case "udbud_ref":
        top().push({ type: "ref", target: t.meta.target, form: t.meta.form, text: "" });
        break;
      default:
        // s_open/s_close (strikethrough) and anything else: keep the text, drop the markup.
        if (t.content) pushText(top(), t.content);
    }
  }
  return root;
}

/** An image's alt text, as plain text (markdown-it's own rendering of alt text). */
function imageAlt(t: Token): string {
  const text = (xs: Inline[]): string =>
    xs.map((x) => (x.type === "text" ? x.text : x.type === "break" ? " " : x.type === "ref" ? "" : text(x.content))).join("");
  return text(inlines(t.children ?? []));
}

/** The figure id of an image token whose src is `figur:ID`, else undefined. */
function figureId(t: Token): string | undefined {
  const src = (t.attrGet("src") ?? "").trim();
  if (!FIGURE_SRC.test(src)) return undefined;
  const raw = src.slice("figur:".length);
  try {
    return decodeURIComponent(raw); // markdown-it percent-encodes the URL (å → %C3%A5)
  } catch {
    return raw;
  }
}

type ListBlock = Extract<Block, { type: "list" }>;

/**
 * A bullet list whose items all begin with a typed label in sequence ("a) …", "b) …" or "i) …",
 * "ii) …" or "1) …", "2) …") is a list of sub-clauses: an ordered list with that marker, the
 * typed labels removed, so every writer shows real list levels ("a)" with a hanging indent).
 */
function subClauses(list: ListBlock): ListBlock {
  if (list.ordered || list.items.length === 0) return list;
  const firstText = (item: Block[]): { text: Extract<Inline, { type: "text" }> } | undefined => {
    const p = item[0];
    return p && p.type === "paragraph" && p.content[0]?.type === "text" ? { text: p.content[0] } : undefined;
  };
  const labels = list.items.map((item) => /^([a-z]{1,3}|\d{1,3})\) /.exec(firstText(item)?.text.text ?? "")?.[1]);
  if (labels.some((l) => l === undefined)) return list;
  for (const marker of ["a)", "i)", "1)"] as const) {
    const first = [...Array(52).keys()].map((k) => k + 1).find((n) => listLabel(n, marker) === `${labels[0]})`);
    if (first === undefined) continue;
    if (!labels.every((l, i) => listLabel(first + i, marker) === `${l})`)) continue;
    for (const item of list.items) {
      const t = firstText(item)!.text;
      t.text = t.text.replace(/^\S+\) /, "");
    }
    return { type: "list", ordered: true, start: first, marker, items: list.items };
  }
  return list;
}

const SIGNATURE = /^\{underskrifter:([^]*)\}$/;

/**
 * `{underskrifter: For Ordregiver = København | For Leverandøren}`: a signature block, one box per
 * party ("|" between parties, "= sted" for the place printed on its "Sted og dato" line). Backslash
 * escapes (user text reaches the Markdown escaped) are undone.
 */
function signature(raw: string): Block {
  const body = SIGNATURE.exec(raw)![1];
  const parts: string[] = [""];
  for (let k = 0; k < body.length; k++) {
    const c = body[k];
    if (c === "\\" && k + 1 < body.length) parts[parts.length - 1] += body[++k];
    else if (c === "|") parts.push("");
    else parts[parts.length - 1] += c === "=" ? "\u0000" : c;
  }
  const parties = parts
    .map((p) => p.split("\u0000").map((x) => x.replace(/\s+/g, " ").trim()))
    .filter(([label]) => label)
    .map(([label, place]) => ({ label, ...(place ? { place } : {}) }));
  return { type: "signature", parties };
}

/** Converts a token range into blocks; returns the blocks and the index after the range. */
function blocks(tokens: Token[], start: number, figures: FigureMap, endType?: string): { out: Block[]; next: number } {
  const out: Block[] = [];
  let i = start;
  while (i < tokens.length) {
    const t = tokens[i];
    if (endType && t.type === endType) return { out, next: i + 1 };
    switch (t.type) {
      case "heading_open": {
        const content = inlines(tokens[i + 1].children ?? []);
        const id = t.attrGet("id") ?? undefined;
        out.push({ type: "heading", level: Number(t.tag.slice(1)), id, numbered: t.attrGet("data-unnumbered") === null, content });
        i += 3;
        break;
      }
      case "paragraph_open": {
        const inline = tokens[i + 1];
        const raw = inline.content.trim();
        if (raw === "{sideskift}") out.push({ type: "pagebreak" });
        else if (raw === "{indholdsfortegnelse}") out.push({ type: "toc", title: "Indholdsfortegnelse" });
        else if (SIGNATURE.test(raw)) out.push(signature(raw));
        else if (inline.children?.length === 1 && inline.children[0].type === "image" && figureId(inline.children[0]) !== undefined) {
          const image = inline.children[0];
          const id = figureId(image)!;
          const source = Object.prototype.hasOwnProperty.call(figures, id) ? figures[id] : undefined;
          if (!source) throw new Error(`Ukendt figur '${id}'.`);
          if (!(source.width > 0 && source.height > 0 && Number.isFinite(source.width) && Number.isFinite(source.height)) || typeof source.svg !== "string") {
            throw new Error(`Figuren '${id}' har ingen gyldig SVG-tegning med bredde og højde.`);
          }
          out.push({
            type: "figure",
            id,
            caption: inlines(image.children ?? []),
            alt: source.alt,
            svg: source.svg,
            width: source.width,
            height: source.height,
          });
        } else out.push({ type: "paragraph", content: inlines(inline.children ?? []) });
        i += 3;
        break;
      }
      case "bullet_list_open":
      case "ordered_list_open": {
        const ordered = t.type === "ordered_list_open";
        const closeType = ordered ? "ordered_list_close" : "bullet_list_close";
        const items: Block[][] = [];
        i++;
        while (tokens[i].type !== closeType) {
          // list_item_open
          const r = blocks(tokens, i + 1, figures, "list_item_close");
          items.push(r.out);
          i = r.next;
        }
        out.push(subClauses({ type: "list", ordered, start: Number(t.attrGet("start") ?? 1), items }));
        i++;
        break;
      }
      case "blockquote_open": {
        const r = blocks(tokens, i + 1, figures, "blockquote_close");
        out.push({ type: "blockquote", content: r.out });
        i = r.next;
        break;
      }
      case "table_open": {
        const header: TableCell[] = [];
        const rows: TableCell[][] = [];
        let row: TableCell[] = [];
        let inHead = false;
        i++;
        while (tokens[i].type !== "table_close") {
          const c = tokens[i];
          if (c.type === "thead_open") inHead = true;
          else if (c.type === "thead_close") inHead = false;
          else if (c.type === "tr_open") row = [];
          else if (c.type === "tr_close") {
            if (inHead) header.push(...row);
            else rows.push(row);
          } else if (c.type === "th_open" || c.type === "td_open") {
            const align = /text-align:(left|center|right)/.exec(c.attrGet("style") ?? "")?.[1] as TableCell["align"];
            row.push({ content: inlines(tokens[i + 1].children ?? []), ...(align ? { align } : {}) });
            i += 2;
          }
          i++;
        }
        out.push({ type: "table", header, rows });
        i++;
        break;
      }
      default:
        i++;
    }
  }
  return { out, next: i };
}

/**
 * Parses template output into blocks. `figures` holds the pictures of the `figur:ID` images;
 * an image of an id it does not have is an error ("Ukendt figur 'ID'.").
 */
export function parseMarkdown(markdown: string, md: MarkdownIt = markdownParser(), figures: FigureMap = {}): Block[] {
  return blocks(md.parse(markdown, {}), 0, figures).out;
}
