/** udbud as a library: pure functions with typed results. The CLI (cli.ts) is a thin shell around these. */
export { readSpec, type ReadResult } from "./read/index.js";
export { loadSpec } from "./read/load.js";
export { validateSchema, loadSchema } from "./read/schema.js";
export { checkSemantics, monthsBetween } from "./validate/semantic.js";
export { THRESHOLDS, lightRegimeThreshold } from "./validate/thresholds.js";
export { formatDiagnostic, type Diagnostic } from "./diagnostics.js";
export * from "./format.js";
export type * from "./model/types.js";
// Render: spec → document trees → files.
export { buildDocuments, treeFor } from "./render/build.js";
export { renderSpec, renderTree, FORMATS, type Format, type ManifestEntry, type RenderResult } from "./render/index.js";
export { planDocuments, type DocumentPlan } from "./render/documents.js";
export type { DocumentTree, Block, Inline, Heading } from "./doc/ast.js";
export { writeDocx } from "./write/docx.js";
export { writePdf } from "./write/pdf.js";
export { writeHtml } from "./write/html.js";
export { writeMarkdown } from "./write/markdown.js";
// Diff: two versions → aligned clauses → reports.
export { compareInputs, compareSides, type Comparison } from "./diff/compare.js";
export { diffDocuments, wordRuns } from "./diff/align.js";
export { semanticChanges } from "./diff/semantic.js";
export { diffJson, diffTerminal, diffHtml } from "./diff/report.js";
export { changeSummaryTree } from "./diff/summary.js";
export { writeRedlineDocx } from "./diff/redline-docx.js";
export { readDocx, DocxReadError } from "./diff/read-docx/index.js";
export type { DocDiff, AlignedClause, ComparableDoc } from "./diff/model.js";
// Evaluate: bids → scores, ranking, evaluation record.
export { evaluate, evaluateSpec } from "./evaluate/evaluate.js";
export { buildEvaluationRecord, writeEvaluationRecord } from "./render/evaluation-record.js";
export type { EvaluationResult, LotEvaluation, ScoredBid, Bid } from "./evaluate/types.js";

export { simulateSpec, writeSimulation, SIM_FORMATS } from "./simulate/index.js";
export { simulate, simulateParallel, forventetOmkostning, AFREGNINGSFORMER } from "./simulate/analysis.js";
export { simulerYdelse, forventning } from "./simulate/engine.js";
export { readScenario, resolveScenario, findDefaultScenario } from "./simulate/scenario.js";
export { buildSimulationReport, resultJson, resultCsv, breakevenCsv, simulationTerminal } from "./simulate/report.js";
export type { Simuleringsresultat, Ydelsesresultat, Modelresultat, Samlet, Delkontraktresultat } from "./simulate/analysis.js";
export type { ScenarieFil, SimuleringsInput, SimuleretYdelse, Forløbsantagelser } from "./simulate/model.js";
export { barChart, rangeChart, monthChart, tornadoChart, lineChart } from "./chart/index.js";
