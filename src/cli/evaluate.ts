/** `udbud evaluate`: bids scored with the published model; the evaluation record. */
import * as path from "node:path";
import type { Register } from "./shared.js";
import { FORMATS, type Format } from "../render/formats.js";
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, jsonErrors, parseFormats, printDiagnostics } from "./shared.js";

export const register: Register = (program, { io, setCode }) => {
  program
    .command("evaluate")
    .description("evaluér tilbud: evalueringspris, pris- og kvalitetspoint, rangfølge, rangomvending og vægtfølsomhed pr. delkontrakt")
    .argument("<spec>", "mappe med udbud.yaml, eller en YAML-fil")
    .requiredOption("--bids <fil>", "budfilen: YAML (bud: …) eller CSV (tilbudsgiver;delkontrakt;type;id;værdi;bedømmer;begrundelse)")
    .option("-o, --out <mappe>", "skriv også evalueringsnotatet (evalueringsnotat.docx, .pdf, .html, .md) i denne mappe")
    .option("-f, --format <formater>", `evalueringsnotatets formater med --out, kommasepareret: ${FORMATS.join(",")} (standard: alle)`)
    .option("--json", "skriv resultatet som JSON på stdout i stedet for oversigten")
    .helpOption("-h, --help", "vis hjælp")
    .addHelpText("after", `
Eksempler:
  udbud evaluate mit-udbud --bids mit-udbud/bud.yaml
  udbud evaluate mit-udbud --bids tilbud.csv --out output/evaluering --json`)
    .action(async (spec: string, opts: { bids: string; format?: string; json?: boolean; out?: string }) => {
      // --format names file formats (of the evaluation record); 'json' and 'terminal' are the
      // stdout choices of earlier versions and still accepted.
      const legacy = opts.format?.trim().toLowerCase();
      const format = opts.json || legacy === "json" ? "json" : "terminal";
      let recordFormats: Format[] | undefined;
      if (opts.format !== undefined && legacy !== "json" && legacy !== "terminal") {
        const f = parseFormats<Format>(opts.format, FORMATS, io);
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
      const { evaluateSpec, evaluationJson, evaluationTerminal } = await import("../evaluate/evaluate.js");
      const res = evaluateSpec(spec, opts.bids);
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
        const names = await writeEvaluationRecord(rec.tree, opts.out, recordFormats);
        io.err(`✓ evalueringsnotatet er skrevet: ${names.map((n) => path.join(opts.out!, n)).join(", ")}\n`);
      }
      io.out(format === "json" ? evaluationJson(res.result) : evaluationTerminal(res.result));
      setCode(EXIT_OK);
    });
};
