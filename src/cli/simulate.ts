/** `udbud simulate`: the pricing models for a scenario, with a report. */
import * as path from "node:path";
import { formatNumber } from "../format.js";
import { DEFAULT_SIM_FORMATS, MAX_RUNS, SIM_FORMATS, type SimFormat } from "../simulate/formats.js";
import type { Register } from "./shared.js";
import { antal, defaultIo, EXIT_INVALID, EXIT_OK, EXIT_USAGE, jsonErrors, parseFormats, printDiagnostics, wantProgress } from "./shared.js";

export const register: Register = (program, { io, setCode }) => {
  program
    .command("simulate")
    .description("simulér afregningsformerne (timepris, ugepris, dagspris, helårsperson, resultatbaseret) for et scenarie: udgift med usikkerhed, break-even priser, risikofordeling, følsomhed og en rapport med figurer")
    .argument("<spec>", "mappe med udbud.yaml, eller en YAML-fil")
    .option("-s, --scenario <fil>", "scenariet (YAML); standard: scenarie.yaml i udbuddets mappe")
    .option("-n, --runs <antal>", "antal simulerede år (standard: scenariets kørsler, ellers 10.000)")
    .option("--seed <tal>", "startværdi for tilfældighederne; samme værdi giver samme tal (standard: scenariets frø)")
    .option("-o, --out <mappe>", "mappe til rapporten (standard: output/<udbuddets id>/simulering)")
    .option("-f, --format <formater>", `formater, kommasepareret: ${SIM_FORMATS.join(",")}`, DEFAULT_SIM_FORMATS.join(","))
    .option("--json", "skriv hele resultatet som JSON på stdout i stedet for oversigten")
    .option("--fremdrift", "vis fremdrift, også når output ikke går til en terminal")
    .helpOption("-h, --help", "vis hjælp")
    .addHelpText("after", `
Eksempler:
  udbud simulate mit-udbud
  udbud simulate mit-udbud --scenario nedskæring.yaml --runs 20000 --format html,csv`)
    .action(async (spec: string, opts: { scenario?: string; runs?: string; seed?: string; out?: string; format: string; json?: boolean; fremdrift?: boolean }) => {
      const formats = parseFormats<SimFormat>(opts.format, SIM_FORMATS, io);
      if (!formats) {
        setCode(EXIT_USAGE);
        return;
      }
      const heltal = (navn: string, v: string | undefined, min: number, max: number): number | undefined | null => {
        if (v === undefined) return undefined;
        // Digits, optionally grouped in thousands with '.', '_' or a space (10.000); not decimals.
        const ok = /^\d+$/.test(v) || /^\d{1,3}([._ ]\d{3})+$/.test(v);
        const t = v.replace(/[._ ]/g, "");
        if (!ok || Number(t) < min || Number(t) > max) {
          io.err(`fejl: ${navn} skal være et helt tal fra ${formatNumber(min)} til ${formatNumber(max)}, ikke '${v}'.\n`);
          return null;
        }
        return Number(t);
      };
      const runs = heltal("--runs", opts.runs, 1, MAX_RUNS);
      const seed = heltal("--seed", opts.seed, 0, 4294967295);
      if (runs === null || seed === null) {
        setCode(EXIT_USAGE);
        return;
      }
      // Progress on stderr for long runs: a line per 10 % (or an updating line on a terminal).
      // Only on a terminal, or with --fremdrift (then a line per 10 % when not on a terminal).
      const tty = Boolean((process.stderr as { isTTY?: boolean }).isTTY) && io.err === defaultIo.err;
      const vis = wantProgress(opts, io);
      let sidst = -1;
      const start = Date.now();
      const fremdrift = (andel: number) => {
        if (!vis || Date.now() - start < 1000) return; // short runs stay quiet
        const pct = Math.floor(andel * 100);
        if (tty) {
          if (pct !== sidst) io.err(`\rSimulerer … ${pct} %${andel >= 1 ? "\n" : ""}`);
          sidst = pct;
          return;
        }
        const trin = Math.floor(pct / 10) * 10;
        if (trin > sidst) {
          io.err(`Simulerer … ${trin} %\n`);
          sidst = trin;
        }
      };
      const { simulateSpec, writeSimulation } = await import("../simulate/index.js");
      const { resultJson, simulationTerminal } = await import("../simulate/report.js");
      const res = await simulateSpec(spec, { ...(opts.scenario ? { scenario: opts.scenario } : {}), ...(runs !== undefined ? { runs } : {}), ...(seed !== undefined ? { seed } : {}), fremdrift });
      if (!res.result || !res.input || !res.udbud) {
        if (opts.json) io.out(jsonErrors(res.errors, res.warnings));
        else {
          await printDiagnostics(io, [...res.errors, ...res.warnings]);
          io.err(`✗ ${res.errors.length} fejl; der er ikke simuleret.\n`);
        }
        setCode(EXIT_INVALID);
        return;
      }
      await printDiagnostics(io, res.warnings);
      const outDir = opts.out ?? path.join("output", res.udbud.id, "simulering");
      const w = await writeSimulation({ ...res, udbud: res.udbud, input: res.input, result: res.result }, outDir, formats);
      if (w.errors.length) {
        await printDiagnostics(io, w.errors);
        io.err("✗ rapporten er ikke skrevet.\n");
        setCode(EXIT_INVALID);
        return;
      }
      if (opts.json) io.out(resultJson(res.result));
      else io.out(simulationTerminal(res.result));
      io.err(`✓ ${antal(w.files.length, "fil", "filer")} i ${path.resolve(outDir)}: ${w.files.join(", ")}\n`);
      setCode(EXIT_OK);
    });
};
