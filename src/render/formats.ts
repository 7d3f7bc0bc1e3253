/** The output formats of `udbud render` (a light module: the CLI reads it without loading any writer). */
/** Formats every document is written in (one writer per format, seeing only the document tree). */
export const DOC_FORMATS = ["docx", "pdf", "html", "md"] as const;
export type DocFormat = (typeof DOC_FORMATS)[number];
/** All formats of `udbud render`: xlsx is the tilbudsliste's workbook and applies to tilbudslister only. */
export const FORMATS = [...DOC_FORMATS, "xlsx"] as const;
export type Format = (typeof FORMATS)[number];
/** Formats that apply to a document: xlsx only to a tilbudsliste. */
export function appliesTo(format: Format, template: string): boolean {
  return format !== "xlsx" || template === "tilbudsliste";
}
