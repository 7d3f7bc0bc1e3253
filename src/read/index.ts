/**
 * The read stage of the pipeline: a spec folder or file → a validated, typed `Udbud`.
 */
import { Diagnostic, sortDiagnostics } from "../diagnostics.js";
import type { Udbud } from "../model/types.js";
import { checkSemantics } from "../validate/semantic.js";
import type { ParseCache } from "./fast.js";
import { loadSpec } from "./load.js";
import { validateSchema } from "./schema.js";
import type { SourceMap } from "./source.js";

export interface ReadResult {
  /** The typed tender, present when there are no errors (warnings allowed). */
  udbud?: Udbud;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  sourceMap: SourceMap;
}

export type { ParseCache } from "./fast.js";

/**
 * Reads and validates a spec. Pure with respect to its input files; never throws for bad input.
 * `cache` keeps parsed files between calls (a warm re-read parses only the files that changed).
 */
export function readSpec(target: string, opts: { cache?: ParseCache } = {}): ReadResult {
  const loaded = loadSpec(target, opts.cache);
  let diags: Diagnostic[] = [...loaded.diagnostics];
  if (loaded.data !== undefined && diags.every((d) => d.severity !== "fejl")) {
    const schemaDiags = validateSchema(loaded.data, loaded.sourceMap);
    diags = diags.concat(schemaDiags);
    if (schemaDiags.length === 0) diags = diags.concat(checkSemantics(loaded.data as Udbud, loaded.sourceMap));
  }
  const errors = sortDiagnostics(diags.filter((d) => d.severity === "fejl"));
  const warnings = sortDiagnostics(diags.filter((d) => d.severity === "advarsel"));
  return {
    udbud: errors.length === 0 ? (loaded.data as Udbud) : undefined,
    errors,
    warnings,
    sourceMap: loaded.sourceMap,
  };
}
