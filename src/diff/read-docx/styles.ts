/** Paragraph styles: headings, outline levels, lists, the table of contents and titles, through w:basedOn. */
import { Element, type XmlSink } from "./xml.js";

/* ------------------------------------------------------------------------------------------ */
/* Styles                                                                                      */

export interface StyleDef {
  id: string;
  name: string;
  basedOn?: string;
  outline?: number;
  numId?: string;
  ilvl?: number;
}

/** What the reader needs to know about a paragraph style, with `w:basedOn` inheritance applied. */
export interface ParaStyle {
  id: string | null;
  /** Heading level 1–9 from the outline level or a "heading N" name; null for body text. */
  heading: number | null;
  title: boolean;
  /** A table-of-contents entry or heading style. */
  toc: boolean;
  /** A "List …" style (List Paragraph, List Bullet, List Number 2, …). */
  list: boolean;
  numId?: string;
  ilvl?: number;
}

export const HEADING_NAME = /^heading ([1-9])$/;
export const TOC_NAME = /^(toc [1-9]|toc heading|contents [1-9]|contents heading)$/;
export const LIST_NAME = /^list( |$)/;

export class StylesSink implements XmlSink {
  readonly styles = new Map<string, StyleDef>();
  defaultId: string | null = null;
  private cur: StyleDef | null = null;
  private skip = 0;

  open(path: readonly string[], el: Element): void {
    const key = path[path.length - 1];
    if (this.skip) return;
    if (key === "pPrChange" || key === "rPrChange" || key === "docDefaults") {
      this.skip = path.length;
      return;
    }
    if (key === "style" && path.length === 2) {
      const type = el.attr("type") ?? "paragraph";
      const id = el.attr("styleId");
      // Numbering styles are kept too: list definitions can point through them (w:numStyleLink).
      this.cur = (type === "paragraph" || type === "numbering") && id !== undefined ? { id, name: "" } : null;
      if (this.cur && type === "paragraph" && el.attr("default") !== undefined && el.onOff("default")) this.defaultId = id!;
      return;
    }
    const s = this.cur;
    if (!s) return;
    const parent = path[path.length - 2];
    if (parent === "style") {
      if (key === "name") s.name = (el.attr("val") ?? "").trim().toLowerCase();
      else if (key === "basedOn") s.basedOn = el.attr("val");
    } else if (parent === "pPr" && path[path.length - 3] === "style") {
      if (key === "outlineLvl") s.outline = el.int();
    } else if (parent === "numPr" && path[path.length - 4] === "style") {
      if (key === "numId") s.numId = el.attr("val");
      else if (key === "ilvl") s.ilvl = el.int();
    }
  }

  close(path: readonly string[]): void {
    if (this.skip) {
      if (path.length === this.skip) this.skip = 0;
      return;
    }
    if (path.length === 2 && path[1] === "style" && this.cur) {
      if (!this.styles.has(this.cur.id)) this.styles.set(this.cur.id, this.cur);
      this.cur = null;
    }
  }

  text(): void {}
}

export class Styles {
  private readonly cache = new Map<string, ParaStyle>();
  constructor(
    private readonly defs: Map<string, StyleDef>,
    private readonly defaultId: string | null,
  ) {}

  /** The style of a paragraph (its `w:pStyle`, else the default paragraph style). */
  get(id: string | null): ParaStyle {
    const key = id ?? this.defaultId ?? "";
    let s = this.cache.get(key);
    if (!s) this.cache.set(key, (s = this.resolve(key)));
    return s;
  }

  private resolve(id: string): ParaStyle {
    const chain: StyleDef[] = [];
    for (let s = this.defs.get(id); s && chain.length < 32 && !chain.includes(s); s = s.basedOn ? this.defs.get(s.basedOn) : undefined) chain.push(s);
    // A style id no styles.xml defines (minimal generators): go by the id as if it were the name.
    if (!chain.length && id) chain.push({ id, name: id.toLowerCase().replace(/^(heading|toc|contents)(\d)$/, "$1 $2") });
    let heading: number | null = null;
    for (const s of chain) {
      if (s.outline !== undefined) {
        heading = s.outline >= 0 && s.outline <= 8 ? s.outline + 1 : null;
        break;
      }
      const m = HEADING_NAME.exec(s.name);
      if (m) {
        heading = Number(m[1]);
        break;
      }
    }
    const names = chain.map((s) => s.name);
    const numbered = chain.find((s) => s.numId !== undefined);
    const ilvl = chain.find((s) => s.ilvl !== undefined)?.ilvl;
    const title = heading === null && names.includes("title");
    return {
      id: id || null,
      heading: title ? null : heading,
      title,
      toc: names.some((n) => TOC_NAME.test(n)),
      list: names.some((n) => LIST_NAME.test(n)),
      ...(numbered ? { numId: numbered.numId } : {}),
      ...(ilvl !== undefined ? { ilvl } : {}),
    };
  }
}
