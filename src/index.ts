/** udbud as a library: pure functions with typed results. The CLI (cli.ts) is a thin shell around these. */
export { readSpec, type ReadResult } from "./read/index.js";
export { loadSpec } from "./read/load.js";
export { validateSchema, loadSchema } from "./read/schema.js";
export { checkSemantics, monthsBetween } from "./validate/semantic.js";
export { THRESHOLDS, lightRegimeThreshold } from "./validate/thresholds.js";
export { formatDiagnostic, type Diagnostic } from "./diagnostics.js";
export * from "./format.js";
export type * from "./model/types.js";
