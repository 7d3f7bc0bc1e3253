/** `udbud evaluate`: bids scored with the published model; the evaluation record. */
import * as path from "node:path";
import { visible } from "../terminal.js";
import type { Register } from "./shared.js";
import { checkOut, EXIT_INVALID, EXIT_OK, EXIT_USAGE, jsonDiag, printDiagnostics } from "./shared.js";

export const register: Register = (program, { io, setCode }) => {
  program
    .command("evaluate")
    .description("evaluér tilbud: evalueringspris, pris- og kvalitetspoint, rangfølge, rangomvending og vægtfølsomhed pr. delkontrakt")
    .argument("<spec>", "mappe med udbud.yaml, eller en YAML-fil")
    .requiredOption("--bids <fil>", "budfilen: YAML (bud: …) eller CSV (tilbudsgiver;delkontrakt;type;id;værdi;bedømmer;begrundelse)")
    .option("-f, --format <format>", "terminal eller json", "terminal")
    .option("--json", "skriv resultatet som JSON på stdout (det samme som --format json)")
    .option("-o, --out <mappe>", "skriv også evalueringsnotatet (evalueringsnotat.docx, .pdf, .html, .md) i denne mappe")
    .helpOption("-h, --help", "vis hjælp")
    .action(async (spec: string, opts: { bids: string; format: string; json?: boolean; out?: string }) => {
      const format = opts.json ? "json" : opts.format.trim().toLowerCase();
      if (format !== "terminal" && format !== "json") {
        io.err(`fejl: ukendt format '${visible(opts.format)}'. Mulige formater: terminal, json.\n`);
        setCode(EXIT_USAGE);
        return;
      }
      const outCode = await checkOut(io, opts.out);
      if (outCode !== undefined) {
        setCode(outCode);
        return;
      }
      const { evaluateSpec, evaluationJson, evaluationTerminal } = await import("../evaluate/evaluate.js");
      const res = evaluateSpec(spec, opts.bids);
      if (!res.result) {
        if (format === "json") {
          io.out(JSON.stringify({ errors: res.errors.map(jsonDiag), warnings: res.warnings.map(jsonDiag) }, null, 2) + "\n");
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
        const w = await writeEvaluationRecord(rec.tree, opts.out, undefined, [...read.sourceMap.files.map((f) => f.abs), path.resolve(opts.bids)]);
        if (w.errors.length) {
          await printDiagnostics(io, w.errors);
          io.err("✗ evalueringsnotatet er ikke skrevet.\n");
          setCode(EXIT_INVALID);
          return;
        }
        io.err(`✓ evalueringsnotatet er skrevet: ${w.names.map((n) => path.join(opts.out!, n)).join(", ")}\n`);
      }
      io.out(format === "json" ? evaluationJson(res.result) : evaluationTerminal(res.result));
      setCode(EXIT_OK);
    });
};
