/** The output formats of `udbud render` (a light module: the CLI reads it without loading any writer). */
export const FORMATS = ["docx", "pdf", "html", "md"] as const;
export type Format = (typeof FORMATS)[number];
