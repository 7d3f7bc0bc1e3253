/**
 * A small XML writer for the notice: elements as plain data, serialised with two-space
 * indentation and escaped text. Element order is the caller's (UBL sequences are ordered).
 */
export interface XmlElement {
  name: string;
  attrs?: Record<string, string>;
  /** Text content (escaped on output) or child elements; absent children are skipped. */
  children?: (XmlElement | null | undefined | false)[] | string;
}

export function el(name: string, attrs: Record<string, string> | undefined, ...children: (XmlElement | null | undefined | false)[]): XmlElement {
  return { name, attrs, children };
}

/** An element with text; null when the value is absent, so optional fields simply drop out. */
export function text(name: string, value: string | number | undefined | null, attrs?: Record<string, string>): XmlElement | null {
  if (value === undefined || value === null || value === "") return null;
  return { name, attrs, children: String(value) };
}

function escape(s: string, attr = false): string {
  let out = s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  if (attr) out = out.replace(/"/g, "&quot;");
  return out;
}

function write(e: XmlElement, indent: string, out: string[]): void {
  const attrs = Object.entries(e.attrs ?? {}).map(([k, v]) => ` ${k}="${escape(v, true)}"`).join("");
  if (typeof e.children === "string") {
    out.push(`${indent}<${e.name}${attrs}>${escape(e.children)}</${e.name}>`);
    return;
  }
  const kids = (e.children ?? []).filter((c): c is XmlElement => !!c);
  if (!kids.length) {
    out.push(`${indent}<${e.name}${attrs}/>`);
    return;
  }
  out.push(`${indent}<${e.name}${attrs}>`);
  for (const k of kids) write(k, indent + "  ", out);
  out.push(`${indent}</${e.name}>`);
}

export function serialize(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, "", out);
  return out.join("\n") + "\n";
}
