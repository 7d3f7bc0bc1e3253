/** The output formats and limits of `udbud simulate` (a light module for the CLI's option texts). */
export const SIM_FORMATS = ["html", "docx", "pdf", "md", "csv", "json"] as const;
export type SimFormat = (typeof SIM_FORMATS)[number];
export const DEFAULT_SIM_FORMATS: readonly SimFormat[] = ["html", "docx", "pdf", "csv", "json"];
/** At most this many simulated years in one run. */
export const MAX_RUNS = 1_000_000;
