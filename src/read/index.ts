/**
 * The read stage of the pipeline: a spec folder or file → a validated, typed `Udbud`.
 */
import { Diagnostic, sortDiagnostics } from "../diagnostics.js";
import type { Udbud } from "../model/types.js";
import { checkNumberHabits } from "../validate/habits.js";
import { checkSemantics } from "../validate/semantic.js";
import type { ParseCache } from "./fast.js";
import { loadSpec } from "./load.js";
import { validateSchemaDetailed } from "./schema.js";
import type { SourceMap } from "./source.js";

import { exampleValues, type ExampleValue } from "./illustrative.js";

export interface ReadResult {
  /** The typed tender, present when there are no errors (warnings allowed). */
  udbud?: Udbud;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  sourceMap: SourceMap;
  /** Values marked `# illustrativ` in the YAML (examples, not decisions), in document order. */
  eksempelværdier: ExampleValue[];
  /** The loaded data even when it has errors (for callers that look for more errors elsewhere); do not trust its shape. */
  partial?: unknown;
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
    // Rule checks run on every part that is schema-valid, in the same run (every error at once).
    const schema = validateSchemaDetailed(loaded.data, loaded.sourceMap);
    diags = diags.concat(schema.diagnostics);
    diags = diags.concat(checkNumberHabits(loaded.data, loaded.sourceMap));
    if (loaded.data && typeof loaded.data === "object" && !Array.isArray(loaded.data))
      diags = diags.concat(checkSemantics(loaded.data as Udbud, loaded.sourceMap, schema.invalid));
  }
  const errors = sortDiagnostics(diags.filter((d) => d.severity === "fejl"));
  const warnings = sortDiagnostics(diags.filter((d) => d.severity === "advarsel"));
  return {
    udbud: errors.length === 0 ? (loaded.data as Udbud) : undefined,
    errors,
    warnings,
    sourceMap: loaded.sourceMap,
    eksempelværdier: errors.length === 0 ? exampleValues(loaded.data, loaded.sourceMap) : [],
    ...(errors.length ? { partial: loaded.data } : {}),
  };
}
