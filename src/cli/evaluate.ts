/** `udbud evaluate`: bids scored with the published model; the evaluation record. */
import * as path from "node:path";
import type { Register } from "./shared.js";
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, jsonDiag, printDiagnostics } from "./shared.js";

export const register: Register = (program, { io, setCode }) => {
  program
    .command("evaluate")
    .description("evaluér tilbud: evalueringspris, pris- og kvalitetspoint, rangfølge, rangomvending og vægtfølsomhed pr. delkontrakt")
    .argument("<spec>", "mappe med udbud.yaml, eller en YAML-fil")
    .requiredOption("--bids <filer...>", "budfiler: YAML (bud: …) eller CSV (tilbudsgiver;delkontrakt;type;id;værdi;bedømmer;begrundelse), og/eller udfyldte tilbudslister (.xlsx, én pr. tilbudsgiver og delkontrakt) eller en mappe med tilbudslister")
    .option("--bedømmelser <fil>", "kvalitetspoint og mindstekrav (YAML eller CSV i budformatet, uden priser) til tilbuddene i tilbudslisterne (.xlsx)")
    .option("-f, --format <format>", "terminal eller json", "terminal")
    .option("--json", "skriv resultatet som JSON på stdout (det samme som --format json)")
    .option("-o, --out <mappe>", "skriv også evalueringsnotatet (evalueringsnotat.docx, .pdf, .html, .md) og prissammenligning.xlsx i denne mappe")
    .helpOption("-h, --help", "vis hjælp")
    .action(async (spec: string, opts: { bids: string[]; bedømmelser?: string; format: string; json?: boolean; out?: string }) => {
      const format = opts.json ? "json" : opts.format.trim().toLowerCase();
      if (format !== "terminal" && format !== "json") {
        io.err(`fejl: ukendt format '${opts.format}'. Mulige formater: terminal, json.\n`);
        setCode(EXIT_USAGE);
        return;
      }
      const { evaluateSources, evaluationJson, evaluationTerminal } = await import("../evaluate/evaluate.js");
      const res = await evaluateSources(spec, opts.bids, opts.bedømmelser);
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
        const names = await writeEvaluationRecord(rec.tree, opts.out);
        const { comparePrices } = await import("../evaluate/comparison.js");
        const { writeComparisonWorkbook } = await import("../write/xlsx/comparison.js");
        const { writeAtomic } = await import("../render/index.js");
        const u = read.udbud!;
        const xlsx = await writeComparisonWorkbook(comparePrices(u, res.bids!), { titel: u.titel, ordregiver: u.ordregiver.navn, dato: u.dato ?? u.tidsplan.offentliggørelse });
        writeAtomic(path.resolve(opts.out), "prissammenligning.xlsx", xlsx);
        names.push("prissammenligning.xlsx");
        io.err(`✓ evalueringsnotatet og prissammenligningen er skrevet: ${names.map((n) => path.join(opts.out!, n)).join(", ")}\n`);
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
