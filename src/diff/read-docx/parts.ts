/** The package's relationships (which part is the document, its styles, its numbering) and docProps/core.xml. */
import { type DocxLimits } from "./errors.js";
import { Element, Package, type XmlSink, parseXml } from "./xml.js";

/* ------------------------------------------------------------------------------------------ */
/* Relationships and core properties                                                           */

export interface Relationship {
  type: string;
  target: string;
}

export class RelsSink implements XmlSink {
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
export function resolveTarget(source: string, target: string): string {
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
export async function relationships(pkg: Package, source: string, limits: DocxLimits): Promise<Map<string, string>> {
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

export class CoreSink implements XmlSink {
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
