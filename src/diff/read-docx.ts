/**
 * DOCX → ComparableDoc: reads any Word document (Word, LibreOffice, pandoc, our own writer) into
 * the diff's model — clauses (a heading and the blocks under it) with the visible clause numbers.
 *
 * The package (a ZIP) is opened with jszip and the parts are parsed with saxes, a strict XML
 * parser; nothing about the structure is read with regular expressions. Every part needed is
 * inflated first — counting the bytes as they come out of the inflater, so a zip bomb is stopped
 * at the limit whatever its header claims — and only then parsed, with no DOCTYPE allowed and the
 * depth and element count capped. The input is untrusted: see `DOCX_LIMITS` and `DocxReadError`.
 *
 * Parts read: the main document (found through _rels/.rels, normally word/document.xml), its
 * styles and numbering (through the document's relationships), and docProps/core.xml for the
 * title. Headers, footers, footnotes, endnotes and comments are not read.
 *
 * Mapping (word/document.xml's body, in order):
 *
 *   text          the `w:t` of the runs (a no-break space read as a space); `w:tab`/`w:ptab` → "\t", `w:br`/`w:cr` → "\n" (page and
 *                 column breaks → nothing), `w:noBreakHyphen` → "-"; `w:sym`, `w:softHyphen`,
 *                 drawings' alternative text and field instructions (`w:instrText`) are skipped,
 *                 field results are kept
 *   revisions     read as if every tracked change were accepted: inserted and moved-to content is
 *                 kept, deleted and moved-from content (`w:del`, `w:moveFrom`) and the old
 *                 properties in `w:*PrChange` are dropped, a deleted paragraph mark joins the
 *                 paragraph to the next one, a deleted table row is dropped
 *   headings      a paragraph whose outline level (its own `w:outlineLvl`, else its style's, else
 *                 a "heading N" style name, through `w:basedOn`) is 0–8 starts a clause of level
 *                 1–9; "6.4 Bod" / "6. Bod" → ref "6.4" / "6", heading "Bod"; otherwise a numbered
 *                 heading (`w:numPr` on the paragraph or its style) gets its computed number
 *                 (numbering.xml's `w:lvlText`, `w:numFmt`, `w:start`); empty headings are skipped;
 *                 headings inside tables and text boxes are plain text
 *   clause ids    the first bookmark in (or right before) the heading paragraph whose name does not
 *                 start with "_" (Word's hidden _Toc…, _GoBack, _Ref… bookmarks)
 *   blocks        numbered paragraphs and paragraphs in "List …" styles → list-item (without the
 *                 bullet or number), other non-empty paragraphs → paragraph, each table row →
 *                 table-row (cells' paragraphs joined by "\n"; header when the row repeats as a
 *                 header row, `w:tblHeader`, or is the table's first row); a table nested in a cell
 *                 becomes lines of that cell; paragraphs of text boxes follow their anchor paragraph
 *   skipped       the table of contents: a TOC field's result, a "Table of Contents" content
 *                 control, paragraphs in TOC 1–9 / TOC Heading styles; the fallback branch of
 *                 `mc:AlternateContent` (the chosen branch is read); ruby annotations
 *   preamble      blocks before the first heading → a clause { ref: null, heading: "", level: 0 }
 *   title         docProps/core.xml dc:title, else the first Title-style paragraph, else `name`
 *                 (the Title paragraph itself stays a preamble paragraph)
 */
import { SaxesParser } from "saxes";
import { SafeZip, ZIP_LIMITS, ZipReadError, type ZipLimits } from "../read/zip.js";
import type { Block, Clause, ComparableDoc } from "./model.js";

/* ------------------------------------------------------------------------------------------ */
/* Limits and errors                                                                           */

/** The DOCX reader's limits are the shared package limits of `read/zip.ts` (one set for DOCX and XLSX). */
export type DocxLimits = ZipLimits;

/** Default limits: generous for real contracts (a 100-page contract is ~1–3 MB of XML, ~100k elements). */
export const DOCX_LIMITS: Readonly<DocxLimits> = ZIP_LIMITS;

/** The file can't be read as a DOCX: not a ZIP, damaged, over a limit, or hostile. Message in Danish. */
export class DocxReadError extends Error {
  override name = "DocxReadError";
}

const invalid = (detail: string): DocxReadError => new DocxReadError(`Filen er ikke en gyldig DOCX (${detail})`);

/* ------------------------------------------------------------------------------------------ */
/* Namespaces and elements                                                                     */

const W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math";
const M_STRICT_NS = "http://purl.oclc.org/ooxml/officeDocument/math";
const DC_NS = "http://purl.org/dc/elements/1.1/";

/**
 * The namespace declarations in force at an element. saxes runs without its own namespace
 * processing (which costs a third of the parse time on Word's attribute-heavy markup); elements
 * are resolved here, through a cache per scope, and attributes only when asked for.
 */
class Scope {
  /** Prefixes bound to WordprocessingML ("w" in practice; "" when it is the default namespace). */
  readonly wPrefixes: string[] = [];
  /** Whether "w" is bound to WordprocessingML: the fast path for "w:…" names. */
  private readonly wIsW: boolean;
  private readonly keys = new Map<string, string>();

  constructor(readonly uris: ReadonlyMap<string, string>) {
    for (const [prefix, uri] of uris) if (uri === W_NS || uri === W_STRICT_NS) this.wPrefixes.push(prefix);
    this.wIsW = this.wPrefixes.includes("w");
  }

  /** A scope with the `xmlns` / `xmlns:p` attributes of an element added. */
  extend(attributes: Record<string, string>): Scope {
    const uris = new Map(this.uris);
    for (const name in attributes) {
      if (name === "xmlns") uris.set("", attributes[name]);
      else if (name.startsWith("xmlns:")) uris.set(name.slice(6), attributes[name]);
    }
    return new Scope(uris);
  }

  /**
   * The key an element is known by: the local name for WordprocessingML (transitional or strict),
   * "mc:"/"m:"/"dc:" + local name for markup compatibility, math and Dublin Core, "*:" + local
   * name for anything else (drawings, VML, Word 2010+ extensions), which is walked through.
   */
  key(qname: string): string {
    if (this.wIsW && qname.charCodeAt(1) === 58 /* : */ && qname.charCodeAt(0) === 119 /* w */) return qname.slice(2);
    let key = this.keys.get(qname);
    if (key === undefined) {
      const colon = qname.indexOf(":");
      const local = qname.slice(colon + 1);
      const uri = this.uris.get(colon < 0 ? "" : qname.slice(0, colon));
      if (uri === W_NS || uri === W_STRICT_NS) key = local;
      else if (uri === MC_NS) key = `mc:${local}`;
      else if (uri === M_NS || uri === M_STRICT_NS) key = `m:${local}`;
      else if (uri === DC_NS) key = `dc:${local}`;
      else key = `*:${local}`;
      this.keys.set(qname, key);
    }
    return key;
  }
}

/**
 * The open element as the sinks see it: one instance per parse, updated for each element, so a
 * sink reads what it needs in `open` and keeps nothing.
 */
class Element {
  attributes: Record<string, string> = {};
  scope!: Scope;

  /** An attribute by local name: unqualified, or in the WordprocessingML namespace. */
  attr(local: string): string | undefined {
    const a = this.attributes;
    const plain = a[local];
    if (plain !== undefined) return plain;
    for (const p of this.scope.wPrefixes) {
      const v = p ? a[`${p}:${local}`] : undefined;
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** An on/off property (`<w:b/>`, `<w:tblHeader w:val="false"/>`). */
  onOff(local = "val"): boolean {
    const v = this.attr(local);
    return v === undefined || !/^(false|0|off)$/i.test(v);
  }

  int(local = "val"): number | undefined {
    const v = this.attr(local);
    if (v === undefined) return undefined;
    const n = Number.parseInt(v, 10);
    return Number.isFinite(n) ? n : undefined;
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Reading parts out of the ZIP                                                                */

/** Receives a part's elements; `path` holds the keys of the open elements, the current one last. */
interface XmlSink {
  open(path: readonly string[], el: Element): void;
  close(path: readonly string[]): void;
  text(text: string): void;
}

/**
 * The package, opened within the limits by read/zip.ts (shared with the XLSX reader: end-record
 * entry count, bytes counted while inflating, so a zip bomb stops at the limit whatever its
 * header claims). OPC part names are case-insensitive.
 */
class Package {
  private readonly byLowerName = new Map<string, string>();

  private constructor(private readonly zip: SafeZip) {
    for (const n of zip.names()) this.byLowerName.set(n.toLowerCase(), n);
  }

  static async open(data: Uint8Array, limits: DocxLimits): Promise<Package> {
    return new Package(await SafeZip.open(data, limits, "DOCX", "det er en ældre Word-fil (.doc) eller en adgangskodebeskyttet fil"));
  }

  /** A part's name as stored, looked up case-insensitively. */
  entry(name: string): string | undefined {
    const f = this.zip.zip.files[name];
    return f && !f.dir ? name : this.byLowerName.get(name.toLowerCase());
  }

  /** Inflates a part within the limits; null when the part doesn't exist. */
  async inflate(name: string): Promise<Part | null> {
    const part = this.entry(name);
    if (!part) return null;
    const chunks = await this.zip.inflateChunks(part);
    return chunks ? { name: part, chunks } : null;
  }
}

/** A part's uncompressed bytes. */
interface Part {
  name: string;
  chunks: Uint8Array[];
}

/** Parses a part (when there is one) into a sink, within the XML limits. */
function parseXml(part: Part | null, sink: XmlSink, limits: DocxLimits): void {
  if (!part) return;
  const xml = new XmlStream(part.name, sink, limits);
  for (const chunk of part.chunks) xml.write(chunk);
  xml.end();
}

/**
 * Bytes → text → saxes → sink, with the XML limits: no DOCTYPE at all (so no entity can be
 * declared, let alone expanded: XXE and "billion laughs" are refused outright), bounded depth and
 * element count. Any parse error becomes a DocxReadError naming the part.
 */
class XmlStream {
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private decoder: TextDecoder | null = null;
  private head: Uint8Array | null = null;
  /** Keys of the open elements, and the namespace scope inside each (the root scope first). */
  private readonly path: string[] = [];
  private readonly scopes: Scope[] = [new Scope(new Map([["xml", "http://www.w3.org/XML/1998/namespace"]]))];
  private elements = 0;

  constructor(
    private readonly part: string,
    sink: XmlSink,
    limits: DocxLimits,
  ) {
    const p = this.parser;
    const el = new Element();
    // Namespace declarations are noticed as saxes reads the attributes (cheaper than looking
    // through every element's attributes afterwards); they are rare after the root element.
    let declares = false;
    p.on("attribute", (a) => {
      if (a.name.charCodeAt(0) === 120 /* x */ && (a.name === "xmlns" || a.name.startsWith("xmlns:"))) declares = true;
    });
    p.on("doctype", () => {
      throw invalid(`${part} indeholder en DOCTYPE-erklæring, som ikke er tilladt i en DOCX`);
    });
    p.on("opentag", (tag) => {
      if (++this.elements > limits.xmlElements) throw invalid(`${part} har over ${limits.xmlElements.toLocaleString("da-DK")} elementer`);
      if (this.path.length >= limits.xmlDepth) throw invalid(`${part} er indlejret mere end ${limits.xmlDepth} niveauer dybt`);
      let scope = this.scopes[this.scopes.length - 1];
      if (declares) {
        scope = scope.extend(tag.attributes);
        declares = false;
      }
      this.scopes.push(scope);
      this.path.push(scope.key(tag.name));
      el.attributes = tag.attributes;
      el.scope = scope;
      sink.open(this.path, el);
    });
    p.on("closetag", () => {
      sink.close(this.path);
      this.path.pop();
      this.scopes.pop();
    });
    p.on("text", (t) => sink.text(t));
    p.on("cdata", (t) => sink.text(t));
  }

  write(chunk: Uint8Array): void {
    if (!this.decoder) {
      // The encoding from the byte order mark (OPC allows UTF-8 and UTF-16); wait for 2 bytes.
      const bytes = this.head ? concat(this.head, chunk) : chunk;
      if (bytes.length < 2) {
        this.head = bytes;
        return;
      }
      this.head = null;
      const label = bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : "utf-8";
      this.decoder = new TextDecoder(label);
      chunk = bytes;
    }
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  end(): void {
    if (!this.decoder) this.decoder = new TextDecoder("utf-8");
    this.feed(this.decoder.decode(this.head ?? new Uint8Array(0)));
    try {
      this.parser.close();
    } catch (e) {
      throw this.wrap(e);
    }
  }

  private feed(text: string): void {
    if (!text) return;
    try {
      this.parser.write(text);
    } catch (e) {
      throw this.wrap(e);
    }
  }

  private wrap(e: unknown): DocxReadError {
    return e instanceof DocxReadError ? e : invalid(`${this.part} er ikke gyldig XML: ${(e as Error)?.message ?? e}`);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Relationships and core properties                                                           */

interface Relationship {
  type: string;
  target: string;
}

class RelsSink implements XmlSink {
  readonly rels: Relationship[] = [];
  open(path: readonly string[], el: Element): void {
    if (path[path.length - 1] !== "*:Relationship") return;
    const type = el.attr("Type");
    const target = el.attr("Target");
    if (type && target && el.attr("TargetMode") !== "External") this.rels.push({ type, target });
  }
  close(): void {}
  text(): void {}
}

/** The part a relationship points to, as a ZIP entry name. */
function resolveTarget(source: string, target: string): string {
  let t = target;
  try {
    t = decodeURIComponent(target);
  } catch {
    // not percent-encoded after all
  }
  const base = t.startsWith("/") ? [] : source.split("/").slice(0, -1);
  for (const seg of t.split("/")) {
    if (seg === "..") base.pop();
    else if (seg && seg !== ".") base.push(seg);
  }
  return base.join("/");
}

/** Targets of the relationships of `source` (e.g. "" for the package), by type suffix ("styles"). */
async function relationships(pkg: Package, source: string, limits: DocxLimits): Promise<Map<string, string>> {
  const slash = source.lastIndexOf("/");
  const sink = new RelsSink();
  parseXml(await pkg.inflate(`${source.slice(0, slash + 1)}_rels/${source.slice(slash + 1)}.rels`), sink, limits);
  const out = new Map<string, string>();
  for (const r of sink.rels) {
    const kind = r.type.slice(r.type.lastIndexOf("/") + 1);
    if (!out.has(kind)) out.set(kind, resolveTarget(source, r.target));
  }
  return out;
}

class CoreSink implements XmlSink {
  title = "";
  private inTitle = false;
  open(path: readonly string[]): void {
    this.inTitle = path.length === 2 && path[1] === "dc:title";
  }
  close(): void {
    this.inTitle = false;
  }
  text(t: string): void {
    if (this.inTitle) this.title += t;
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Styles                                                                                      */

interface StyleDef {
  id: string;
  name: string;
  basedOn?: string;
  outline?: number;
  numId?: string;
  ilvl?: number;
}

/** What the reader needs to know about a paragraph style, with `w:basedOn` inheritance applied. */
interface ParaStyle {
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

const HEADING_NAME = /^heading ([1-9])$/;
const TOC_NAME = /^(toc [1-9]|toc heading|contents [1-9]|contents heading)$/;
const LIST_NAME = /^list( |$)/;

class StylesSink implements XmlSink {
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

class Styles {
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

/* ------------------------------------------------------------------------------------------ */
/* Numbering                                                                                   */

interface LevelDef {
  start?: number;
  fmt?: string;
  text?: string;
  pStyle?: string;
  isLgl?: boolean;
}

interface AbstractNum {
  id: string;
  levels: Map<number, LevelDef>;
  numStyleLink?: string;
}

interface NumDef {
  abstractId?: string;
  overrides: Map<number, { start?: number; level?: LevelDef }>;
}

class NumberingSink implements XmlSink {
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
interface NumberLabel {
  label: string | null;
}

/**
 * Word's list counters: one set per abstract numbering (lists sharing a definition continue each
 * other, as in Word), restarted at a list instance's `w:startOverride` the first time it is used;
 * a level restarts whenever a higher level advances.
 */
class Numbering {
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

function formatNumber(n: number, fmt: string): string {
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
function letters(n: number): string {
  if (n < 1) return String(n);
  const letter = String.fromCharCode(65 + ((n - 1) % 26));
  return letter.repeat(Math.min(Math.floor((n - 1) / 26) + 1, 10));
}

function roman(n: number): string {
  if (n < 1 || n > 3999) return String(n);
  const table: [number, string][] = [[1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"], [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]];
  let out = "";
  for (const [v, s] of table) for (; n >= v; n -= v) out += s;
  return out;
}

/** A list label as a clause ref: "2.1." → "2.1", "a)" → "a", "(a)" stays. */
function labelRef(label: string | null): string | null {
  if (label === null) return null;
  let s = label.trim().replace(/[.:\s]+$/, "");
  if (s.endsWith(")") && !s.includes("(")) s = s.slice(0, -1);
  return s || null;
}

/** A number typed in the heading text: "6.4 Bod", "6. Misligholdelse", "2.1.1\tVarsel". */
const TEXT_NUMBER = /^(\d{1,3}(?:\.\d{1,3})*)\.?(?:[\s\u00a0]+|$)/;

/* ------------------------------------------------------------------------------------------ */
/* The body                                                                                    */

/** An open paragraph. */
interface Para {
  styleId: string | null;
  numId?: string;
  ilvl?: number;
  /** The paragraph's own `w:outlineLvl`. */
  outline?: number;
  /** The paragraph mark is a tracked deletion: accepted, the paragraph joins the next one. */
  markDeleted: boolean;
  parts: string[];
  bookmarks: string[];
  /** Text of text boxes anchored in the paragraph, one entry per paragraph. */
  extra: string[];
}

/** Where finished paragraphs go: the body, a table cell, or a text box. */
interface Container {
  kind: "body" | "cell" | "textbox";
  lines: string[];
  /** Text of paragraphs whose mark was deleted, waiting for the paragraph they join. */
  carry: string;
}

interface Row {
  cells: string[];
  header: boolean;
  deleted: boolean;
}

interface TableFrame {
  rows: Row[];
  row: Row | null;
}

/** Elements whose whole content is ignored. */
const SKIP = new Set([
  "pPrChange", "rPrChange", "tblPrChange", "trPrChange", "tcPrChange", "sectPrChange", "tblGridChange", "numberingChange",
  "delText", "delInstrText", "sym", "rt", "mc:Fallback", "footnotePr", "endnotePr",
]);

class BodySink implements XmlSink {
  readonly clauses: Clause[] = [];
  /** The first Title-style paragraph. */
  titleText: string | null = null;
  /** Numbered headings whose number came from numbering.xml, and those with a typed number. */
  wordNumbers = 0;
  typedNumbers = 0;

  private clause: Clause | null = null;
  private readonly paras: Para[] = [];
  private readonly containers: Container[] = [];
  private readonly tables: TableFrame[] = [];
  /** Bookmarks that start between paragraphs, for the next paragraph. */
  private pendingBookmarks: string[] = [];
  /** Depth of the element whose content is being skipped (0: none). */
  private skip = 0;
  /** Where character data goes: run text, a field instruction, or nowhere. */
  private collect: "text" | "instr" | null = null;
  /** Open complex fields (w:fldChar begin … separate … end). */
  private readonly fields: { instr: string; separated: boolean; toc: boolean }[] = [];
  /** Fields still in their instruction part, and TOC fields: their text is not content. */
  private inInstr = 0;
  private inToc = 0;
  /** Open content controls; true for a "Table of Contents" one. */
  private readonly sdts: boolean[] = [];

  constructor(
    private readonly styles: Styles,
    private readonly numbering: Numbering,
  ) {}

  private get para(): Para | undefined {
    return this.paras[this.paras.length - 1];
  }

  private get container(): Container | undefined {
    return this.containers[this.containers.length - 1];
  }

  private get suppressed(): boolean {
    return this.inInstr > 0 || this.inToc > 0;
  }

  private append(s: string): void {
    const p = this.para;
    if (p && !this.suppressed) p.parts.push(s);
  }

  open(path: readonly string[], el: Element): void {
    if (this.skip) return;
    const depth = path.length;
    const key = path[depth - 1];
    const parent = path[depth - 2];
    if (SKIP.has(key)) {
      this.skip = depth;
      return;
    }
    switch (key) {
      case "body":
        this.containers.push({ kind: "body", lines: [], carry: "" });
        return;
      case "p": {
        const p: Para = { styleId: null, markDeleted: false, parts: [], bookmarks: [], extra: [] };
        if (!this.paras.length && this.container?.kind === "body") {
          p.bookmarks = this.pendingBookmarks;
          this.pendingBookmarks = [];
        }
        this.paras.push(p);
        return;
      }
      case "pStyle":
        if (parent === "pPr" && path[depth - 3] === "p" && this.para) this.para.styleId = el.attr("val") ?? null;
        return;
      case "numId":
      case "ilvl":
        if (parent === "numPr" && path[depth - 3] === "pPr" && path[depth - 4] === "p" && this.para) {
          if (key === "numId") this.para.numId = el.attr("val");
          else this.para.ilvl = el.int();
        }
        return;
      case "outlineLvl":
        if (parent === "pPr" && path[depth - 3] === "p" && this.para) this.para.outline = el.int();
        return;
      case "del":
      case "moveFrom":
        // In a paragraph mark's or a row's properties a marker; elsewhere deleted content.
        if (parent === "rPr" && path[depth - 3] === "pPr") {
          if (this.para) this.para.markDeleted = true;
        } else if (parent === "trPr") {
          const t = this.tables[this.tables.length - 1];
          if (t?.row) t.row.deleted = true;
        } else if (parent !== "rPr") this.skip = depth;
        return;
      case "sdt":
        this.sdts.push(false);
        return;
      case "docPartGallery":
        if (/table of contents/i.test(el.attr("val") ?? "") && this.sdts.length) this.sdts[this.sdts.length - 1] = true;
        return;
      case "sdtContent":
        if (this.sdts[this.sdts.length - 1]) this.skip = depth;
        return;
      case "fldSimple":
        if (/^\s*TOC\b/i.test(el.attr("instr") ?? "")) this.skip = depth;
        return;
      case "fldChar":
        this.fieldChar(el.attr("fldCharType"));
        return;
      case "t":
      case "m:t":
        this.collect = "text";
        return;
      case "instrText":
        this.collect = "instr";
        return;
      case "tab":
      case "ptab":
        if (parent === "r") this.append("\t");
        return;
      case "br": {
        const type = el.attr("type");
        if (parent === "r" && type !== "page" && type !== "column") this.append("\n");
        return;
      }
      case "cr":
        if (parent === "r") this.append("\n");
        return;
      case "noBreakHyphen":
        if (parent === "r") this.append("-");
        return;
      case "bookmarkStart": {
        const name = el.attr("name");
        if (!name || name.startsWith("_")) return; // _Toc…, _GoBack, _Ref…: Word's hidden bookmarks
        if (this.para) this.para.bookmarks.push(name);
        else if (this.container?.kind === "body" && !this.tables.length) this.pendingBookmarks.push(name);
        return;
      }
      case "tbl":
        if (!this.paras.length && this.container?.kind === "body") this.pendingBookmarks = [];
        this.tables.push({ rows: [], row: null });
        return;
      case "tr": {
        const t = this.tables[this.tables.length - 1];
        if (t) t.row = { cells: [], header: false, deleted: false };
        return;
      }
      case "tblHeader": {
        const t = this.tables[this.tables.length - 1];
        if (parent === "trPr" && t?.row) t.row.header = el.onOff();
        return;
      }
      case "tc":
        this.containers.push({ kind: "cell", lines: [], carry: "" });
        return;
      case "txbxContent":
        this.containers.push({ kind: "textbox", lines: [], carry: "" });
        return;
    }
  }

  close(path: readonly string[]): void {
    const depth = path.length;
    if (this.skip) {
      if (depth === this.skip) this.skip = 0;
      return;
    }
    switch (path[depth - 1]) {
      case "t":
      case "m:t":
      case "instrText":
        this.collect = null;
        return;
      case "p":
        this.endParagraph();
        return;
      case "tc": {
        const c = this.popContainer();
        const t = this.tables[this.tables.length - 1];
        if (c && t?.row) t.row.cells.push(c.lines.join("\n"));
        return;
      }
      case "tr": {
        const t = this.tables[this.tables.length - 1];
        if (t?.row && !t.row.deleted) t.rows.push(t.row);
        if (t) t.row = null;
        return;
      }
      case "tbl": {
        const t = this.tables.pop();
        if (t) this.endTable(t);
        return;
      }
      case "txbxContent": {
        const c = this.popContainer();
        if (!c) return;
        const host = this.para;
        for (const line of c.lines) {
          if (host) host.extra.push(line);
          else this.addLine(line);
        }
        return;
      }
      case "sdt":
        this.sdts.pop();
        return;
      case "body":
        this.popContainer();
        return;
    }
  }

  text(t: string): void {
    if (this.skip || !this.collect) return;
    // A non-breaking space (our writers keep "pkt. 5.3" and "3.200 kr." together) compares as a space.
    if (this.collect === "text") this.append(t.replace(/\u00a0/g, " "));
    else {
      const f = this.fields[this.fields.length - 1];
      if (f && !f.separated) f.instr += t;
    }
  }

  /** Complex fields: the instruction is skipped; the result is kept, except a TOC's. */
  private fieldChar(type: string | undefined): void {
    if (type === "begin") {
      this.fields.push({ instr: "", separated: false, toc: false });
      this.inInstr++;
    } else if (type === "separate") {
      const f = this.fields[this.fields.length - 1];
      if (!f || f.separated) return;
      f.separated = true;
      this.inInstr--;
      if (/^\s*TOC\b/i.test(f.instr)) {
        f.toc = true;
        this.inToc++;
      }
    } else if (type === "end") {
      const f = this.fields.pop();
      if (!f) return;
      if (!f.separated) this.inInstr--;
      if (f.toc) this.inToc--;
    }
  }

  /** Ends a container; text still waiting for a joined paragraph becomes a line of its own. */
  private popContainer(): Container | undefined {
    const c = this.containers.pop();
    if (c?.carry.trim()) {
      if (c.kind === "body") this.emitBody({ styleId: null, markDeleted: false, parts: [], bookmarks: [], extra: [] }, c.carry.trim(), null);
      else c.lines.push(c.carry.trim());
    }
    return c;
  }

  private endParagraph(): void {
    const p = this.paras.pop();
    const c = this.container;
    if (!p || !c) return;
    const style = this.styles.get(p.styleId);

    // Numbering advances for every numbered paragraph that survives, wherever it stands.
    const numId = p.numId ?? style.numId;
    let number: NumberLabel | null = null;
    if (!p.markDeleted && numId !== undefined && numId !== "0") {
      number = this.numbering.next(numId, p.ilvl ?? (p.numId === undefined ? style.ilvl : undefined), p.numId === undefined ? style.id : null);
    }

    const text = c.carry + p.parts.join("");
    c.carry = "";
    if (p.markDeleted) {
      c.carry = text;
    } else if (!style.toc) {
      if (c.kind === "body") this.emitBody(p, text.trim(), number, style);
      else if (text.trim()) c.lines.push(text.trim());
    }
    for (const line of p.extra) this.addLine(line);
  }

  /** A line of text from a text box or nested table into the current container. */
  private addLine(line: string): void {
    const c = this.container;
    if (!c || !line.trim()) return;
    if (c.kind === "body") this.block({ kind: "paragraph", text: line.trim() });
    else c.lines.push(line.trim());
  }

  private emitBody(p: Para, text: string, number: NumberLabel | null, style: ParaStyle = this.styles.get(null)): void {
    if (!text) return;
    const outline = p.outline;
    const level = outline !== undefined ? (outline >= 0 && outline <= 8 && !style.title ? outline + 1 : null) : style.heading;
    if (level !== null) {
      const m = TEXT_NUMBER.exec(text);
      const ref = m ? m[1] : labelRef(number?.label ?? null);
      if (m) this.typedNumbers++;
      else if (ref !== null) this.wordNumbers++;
      const heading = m ? text.slice(m[0].length).trim() : text;
      const id = p.bookmarks[0];
      this.clause = { ...(id ? { id } : {}), ref, heading, level, blocks: [] };
      this.clauses.push(this.clause);
      return;
    }
    if (style.title && this.titleText === null) this.titleText = text;
    if (!number && !style.list) return this.block({ kind: "paragraph", text });
    const n = number as (NumberLabel & { ilvl?: number }) | null;
    this.block({ kind: "list-item", text, ...(n?.label ? { marker: n.label } : {}), ...(n?.ilvl ? { level: n.ilvl } : {}) });
  }

  private endTable(t: TableFrame): void {
    const c = this.container;
    if (!c) return;
    t.rows.forEach((row, i) => {
      if (c.kind === "body") {
        this.block({ kind: "table-row", text: row.cells.join(" | "), cells: row.cells, ...(row.header || i === 0 ? { header: true } : {}) });
      } else {
        const line = row.cells.join(" | ");
        if (line.replace(/[\s|]/g, "")) c.lines.push(line);
      }
    });
  }

  private block(b: Block): void {
    if (!this.clause) {
      this.clause = { ref: null, heading: "", level: 0, blocks: [] };
      this.clauses.push(this.clause);
    }
    this.clause.blocks.push(b);
  }
}

/* ------------------------------------------------------------------------------------------ */

/**
 * Reads a DOCX file into the diff model. `name` (the file name) is the document's id and the
 * fallback title. Throws DocxReadError, with a Danish message, for anything that isn't a readable
 * DOCX within `limits` (defaults: DOCX_LIMITS).
 */
export async function readDocx(data: Buffer, name: string, limits: Partial<DocxLimits> = {}): Promise<ComparableDoc> {
  try {
    return await read(data, name, { ...DOCX_LIMITS, ...limits });
  } catch (e) {
    if (e instanceof DocxReadError) throw e;
    if (e instanceof ZipReadError) throw new DocxReadError(e.message, { cause: e });
    // Whatever else a hostile or broken file provokes in the libraries is still a bad file.
    throw new DocxReadError(`Filen kunne ikke læses som DOCX (${(e as Error)?.message ?? e})`, { cause: e });
  }
}

async function read(data: Buffer, name: string, lim: DocxLimits): Promise<ComparableDoc> {
  const pkg = await Package.open(data, lim);

  const root = await relationships(pkg, "", lim);
  const main = [root.get("officeDocument"), "word/document.xml"].find((p): p is string => !!p && !!pkg.entry(p));
  if (!main) throw invalid("word/document.xml mangler");
  const rels = await relationships(pkg, main, lim);

  // Everything is inflated (and the size limits met) before any of it is parsed.
  const stylesPart = await pkg.inflate(rels.get("styles") ?? "word/styles.xml");
  const numberingPart = await pkg.inflate(rels.get("numbering") ?? "word/numbering.xml");
  const documentPart = (await pkg.inflate(main))!;
  const corePart = await pkg.inflate(root.get("core-properties") ?? "docProps/core.xml");

  const styles = new StylesSink();
  parseXml(stylesPart, styles, lim);
  const numbering = new NumberingSink();
  parseXml(numberingPart, numbering, lim);
  const body = new BodySink(new Styles(styles.styles, styles.defaultId), new Numbering(numbering, styles.styles));
  parseXml(documentPart, body, lim);
  const core = new CoreSink();
  parseXml(corePart, core, lim);

  const title = core.title.trim() || body.titleText || name;
  // Heading numbers from numbering.xml (none typed): the redline keeps Word's automatic numbering.
  const auto = body.wordNumbers > 0 && body.typedNumbers === 0;
  return { id: name, title, clauses: body.clauses, ...(auto ? { headingNumbers: "word" as const } : {}) };
}
