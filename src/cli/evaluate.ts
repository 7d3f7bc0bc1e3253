/** `udbud evaluate`: bids scored with the published model; the evaluation record. */
import * as path from "node:path";
import { visible } from "../terminal.js";
import type { Register } from "./shared.js";
import { DOC_FORMATS, type DocFormat } from "../render/formats.js";
import { checkOut, EXIT_INVALID, EXIT_OK, EXIT_USAGE, jsonErrors, parseFormats, printDiagnostics } from "./shared.js";

export const register: Register = (program, { io, setCode }) => {
  program
    .command("evaluate")
    .description("evaluér tilbud: evalueringspris, pris- og kvalitetspoint, rangfølge, rangomvending og vægtfølsomhed pr. delkontrakt")
    .argument("<spec>", "mappe med udbud.yaml, eller en YAML-fil")
    .requiredOption("--bids <filer...>", "budfiler: YAML (bud: …) eller CSV (tilbudsgiver;delkontrakt;type;id;værdi;bedømmer;begrundelse), og/eller udfyldte tilbudslister (.xlsx, én pr. tilbudsgiver og delkontrakt) eller en mappe med tilbudslister")
    .option("--bedømmelser <fil>", "kvalitetspoint og mindstekrav (YAML eller CSV i budformatet, uden priser) til tilbuddene i tilbudslisterne (.xlsx)")
    .option("-o, --out <mappe>", "skriv også evalueringsnotatet (evalueringsnotat.docx, .pdf, .html, .md) og prissammenligning.xlsx i denne mappe")
    .option("-f, --format <formater>", `evalueringsnotatets formater med --out, kommasepareret: ${DOC_FORMATS.join(",")} (standard: alle)`)
    .option("--json", "skriv resultatet som JSON på stdout i stedet for oversigten")
    .helpOption("-h, --help", "vis hjælp")
    .addHelpText("after", `
Eksempler:
  udbud evaluate mit-udbud --bids mit-udbud/bud.yaml
  udbud evaluate mit-udbud --bids tilbud.csv --out output/evaluering --json
  udbud evaluate mit-udbud --bids modtagne-tilbud/ --bedømmelser bedømmelser.yaml`)
    .action(async (spec: string, opts: { bids: string[]; bedømmelser?: string; format?: string; json?: boolean; out?: string }) => {
      // --format names file formats (of the evaluation record); 'json' and 'terminal' are the
      // stdout choices of earlier versions and still accepted.
      const legacy = opts.format?.trim().toLowerCase();
      const format = opts.json || legacy === "json" ? "json" : "terminal";
      let recordFormats: DocFormat[] | undefined;
      if (opts.format !== undefined && legacy !== "json" && legacy !== "terminal") {
        const f = parseFormats<DocFormat>(opts.format, DOC_FORMATS, io);
        if (!f) {
          setCode(EXIT_USAGE);
          return;
        }
        if (!opts.out) {
          io.err("fejl: --format vælger evalueringsnotatets formater; angiv også --out <mappe>.\n");
          setCode(EXIT_USAGE);
          return;
        }
        recordFormats = f;
      }
      const outCode = await checkOut(io, opts.out);
      if (outCode !== undefined) {
        setCode(outCode);
        return;
      }
      const { evaluateSources, evaluationJson, evaluationTerminal } = await import("../evaluate/evaluate.js");
      const res = await evaluateSources(spec, opts.bids, opts.bedømmelser);
      if (!res.result) {
        if (format === "json") {
          io.out(jsonErrors(res.errors, res.warnings));
        } else {
          await printDiagnostics(io, [...res.errors, ...res.warnings]);
          io.err(`✗ ${res.errors.length} fejl; tilbuddene er ikke evalueret.\n`);
        }
        setCode(EXIT_INVALID);
        return;
      }
      await printDiagnostics(io, res.warnings);
      if (opts.out) {
        const { readSpec } = await import("../read/index.js");
        const { buildEvaluationRecord, writeEvaluationRecord } = await import("../render/evaluation-record.js");
        const read = readSpec(spec);
        const rec = buildEvaluationRecord(read.udbud!, res.result, read.sourceMap);
        if (!rec.tree) {
          await printDiagnostics(io, rec.errors);
          setCode(EXIT_INVALID);
          return;
        }
        const { comparePrices } = await import("../evaluate/comparison.js");
        const { writeComparisonWorkbook } = await import("../write/xlsx/comparison.js");
        const u = read.udbud!;
        const xlsx = await writeComparisonWorkbook(comparePrices(u, res.bids!), { titel: u.titel, ordregiver: u.ordregiver.navn, dato: u.dato ?? u.tidsplan.offentliggørelse });
        const inputs = [...read.sourceMap.files.map((f) => f.abs), ...opts.bids.map((b) => path.resolve(b)), ...(opts.bedømmelser ? [path.resolve(opts.bedømmelser)] : [])];
        const w = await writeEvaluationRecord(rec.tree, opts.out, recordFormats, inputs, [{ name: "prissammenligning.xlsx", data: xlsx }]);
        if (w.errors.length) {
          await printDiagnostics(io, w.errors);
          io.err("✗ evalueringsnotatet er ikke skrevet.\n");
          setCode(EXIT_INVALID);
          return;
        }
        io.err(`✓ evalueringsnotatet og prissammenligningen er skrevet: ${w.names.map((n) => path.join(opts.out!, n)).join(", ")}\n`);
      }
      if (format === "json") io.out(evaluationJson(res.result));
      else {
        const { comparePrices, comparisonTerminal } = await import("../evaluate/comparison.js");
        const { readSpec } = await import("../read/index.js");
        io.out(evaluationTerminal(res.result) + comparisonTerminal(comparePrices(readSpec(spec).udbud!, res.bids!)));
      }
      setCode(EXIT_OK);
    });
};
