/** The pdfkit document around a pass: its date, escaped XMP metadata, and a document that writes nowhere. */
import PDFDocument from "pdfkit";

type PDFDoc = PDFKit.PDFDocument;

/** The document date at midnight UTC; a fixed fallback keeps output deterministic for a bad date. */
export function documentDate(iso: string): Date {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? new Date(Date.UTC(2000, 0, 1)) : d;
}

export const xmlEscape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * pdfkit writes Title/Author/Subject into the XMP packet without XML escaping, so a title such as
 * "Køb & levering" would make the metadata invalid. Escape them for the XMP only (the Info dictionary
 * keeps the plain strings). Guarded: if pdfkit changes its internals this is a no-op.
 */
export function escapeXmpInfo(pdf: PDFDoc): void {
  const target = pdf as unknown as { _addInfo?: () => void; info: Record<string, unknown> };
  const original = target._addInfo;
  if (typeof original !== "function") return;
  target._addInfo = function (this: typeof target) {
    const saved = this.info;
    this.info = Object.fromEntries(Object.entries(saved).map(([k, v]) => [k, typeof v === "string" ? xmlEscape(v) : v]));
    try {
      original.call(this);
    } finally {
      this.info = saved;
    }
  };
}

/**
 * A stand-in for a pdfkit document in a dry pass: every property is itself, every call returns
 * itself, every assignment is ignored, so drawing, tagging and outline calls cost next to nothing.
 */
export function nullDoc(): PDFDoc {
  const target = function () {} as unknown as object;
  const proxy: object = new Proxy(target, {
    get: (_t, prop) => (prop === "then" ? undefined : proxy),
    apply: () => proxy,
    set: () => true,
  });
  return proxy as PDFDoc;
}
