/**
 * XML of a DOCX part: namespace scopes and elements over saxes (its own namespace processing is
 * off), the package's parts inflated within the limits, and the streaming parse into a sink.
 */
import { SafeZip } from "../../read/zip.js";
import { SaxesParser } from "saxes";
import { type DocxLimits, DocxReadError, invalid } from "./errors.js";

/* ------------------------------------------------------------------------------------------ */
/* Namespaces and elements                                                                     */

export const W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
export const W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main";
export const MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006";
export const M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math";
export const M_STRICT_NS = "http://purl.oclc.org/ooxml/officeDocument/math";
export const DC_NS = "http://purl.org/dc/elements/1.1/";

/**
 * The namespace declarations in force at an element. saxes runs without its own namespace
 * processing (which costs a third of the parse time on Word's attribute-heavy markup); elements
 * are resolved here, through a cache per scope, and attributes only when asked for.
 */
export class Scope {
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
export class Element {
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
export interface XmlSink {
  open(path: readonly string[], el: Element): void;
  close(path: readonly string[]): void;
  text(text: string): void;
}

/**
 * The package, opened within the limits by read/zip.ts (shared with the XLSX reader: end-record
 * entry count, bytes counted while inflating, so a zip bomb stops at the limit whatever its
 * header claims). OPC part names are case-insensitive.
 */
export class Package {
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
export interface Part {
  name: string;
  chunks: Uint8Array[];
}

/** Parses a part (when there is one) into a sink, within the XML limits. */
export function parseXml(part: Part | null, sink: XmlSink, limits: DocxLimits): void {
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
export class XmlStream {
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

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
