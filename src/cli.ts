/**
 * The `udbud` command line: a thin shell over the library. Exit codes: 0 ok, 1 invalid input, 2 usage error.
 */
import * as fs from "node:fs";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Command, CommanderError } from "commander";
import { formatDiagnostic, type Diagnostic } from "./diagnostics.js";
import { formatNumber } from "./format.js";
import { packageRoot } from "./paths.js";
import { readSpec } from "./read/index.js";
import { FORMATS, renderSpec, writeAtomic, type Format } from "./render/index.js";
import { compareInputs } from "./diff/compare.js";
import { changeSummaryTree, diffHtml, diffJson, diffTerminal } from "./diff/report.js";
import { writeRedlineDocx } from "./diff/redline-docx.js";
import { writeDocx } from "./write/docx.js";
import { writePdf } from "./write/pdf.js";
import { writeMarkdown } from "./write/markdown.js";
import { evaluateSpec, evaluationJson, evaluationTerminal } from "./evaluate/evaluate.js";
import { buildEvaluationRecord, writeEvaluationRecord } from "./render/evaluation-record.js";
import { DEFAULT_SIM_FORMATS, MAX_RUNS, SIM_FORMATS, simulateSpec, writeSimulation, type SimFormat } from "./simulate/index.js";
import { resultJson, simulationTerminal } from "./simulate/report.js";

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

function version(): string {
  return JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")).version;
}

const HELP_TITLES: Record<string, string> = {
  "Usage:": "Brug:",
  "Options:": "Tilvalg:",
  "Commands:": "Kommandoer:",
  "Arguments:": "Argumenter:",
  "Global Options:": "Fælles tilvalg:",
};

/** Commander's own error messages, in Danish. */
export function danishUsageError(msg: string): string {
  return msg
    .replace(/^error: missing required argument '(.+)'/m, "fejl: argumentet '$1' mangler")
    .replace(/^error: unknown command '(.+)'/m, "fejl: ukendt kommando '$1'")
    .replace(/^error: unknown option '(.+)'/m, "fejl: ukendt tilvalg '$1'")
    .replace(/^error: too many arguments.*$/m, "fejl: for mange argumenter")
    .replace(/^error: option '(.+)' argument missing/m, "fejl: tilvalget '$1' mangler en værdi")
    .replace(/^error: required option '(.+)' not specified/m, "fejl: tilvalget '$1' skal angives")
    .replace(/^error: (.*)$/m, "fejl: $1")
    .replace(/\(Did you mean (.+)\?\)/, "(Mente du $1?)");
}

function jsonDiag(d: Diagnostic) {
  return { file: d.file, line: d.line, column: d.column, path: d.path, message: d.message, code: d.code };
}

/** `--format a,b`: the distinct formats in order, or null (with a Danish message) when one is unknown. */
function parseFormats<T extends string>(value: string, allowed: readonly T[], io: Io): T[] | null {
  const formats = value.split(",").map((f) => f.trim().toLowerCase()).filter(Boolean);
  const bad = formats.filter((f) => !(allowed as readonly string[]).includes(f));
  if (bad.length || formats.length === 0) {
    io.err(`fejl: ukendt format '${bad.join(",") || value}'. Mulige formater: ${allowed.join(", ")}.\n`);
    return null;
  }
  return [...new Set(formats)] as T[];
}

export function buildProgram(io: Io, setCode: (c: number) => void): Command {
  const program = new Command();
  program
    .name("udbud")
    .description("Værktøj til danske offentlige udbud: validér udbuddet i YAML og lav udbudsmaterialet.")
    .version(version(), "-V, --version", "vis versionsnummer")
    .helpOption("-h, --help", "vis hjælp")
    .helpCommand("help [kommando]", "vis hjælp til en kommando")
    .showHelpAfterError("(brug 'udbud --help' for at se mulighederne)")
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (str, write) => write(danishUsageError(str)) })
    .configureHelp({ styleTitle: (t) => HELP_TITLES[t] ?? t })
    .exitOverride()
    .addHelpText(
      "after",
      `
Eksempler:
  udbud validate specs/kk-2024-udsatte-sygemeldte         tjek et udbud (mappe med udbud.yaml)
  udbud validate specs/kk-2020-udsatte-sygemeldte --json  resultatet som JSON
  udbud validate mit-udbud/udbud.yaml                     tjek en enkelt fil
  udbud render specs/kk-2020-udsatte-sygemeldte           lav alle dokumenter i alle formater i output/
  udbud render mit-udbud --format pdf --only rammeaftale  kun rammeaftalen som PDF
  udbud diff specs/kk-2020-udsatte-sygemeldte specs/kk-2024-udsatte-sygemeldte
  udbud diff udkast.docx endelig.docx --format html,docx --out sammenligning
  udbud evaluate specs/kk-2024-udsatte-sygemeldte --bids specs/kk-2024-udsatte-sygemeldte/bud.yaml --out output/evaluering
  udbud simulate specs/kk-2024-udsatte-sygemeldte         prissimulering med scenarie.yaml i udbuddets mappe
  udbud simulate mit-udbud --scenario nedskæring.yaml --runs 20000 --format html,csv

Exitkoder: 0 = i orden, 1 = fejl i udbuddet, 2 = forkert brug af kommandoen.`,
    );

  program
    .command("validate")
    .description("validér et udbud: skema og faglige regler (udbudsloven). Viser alle fejl på én gang.")
    .argument("<spec>", "mappe med udbud.yaml, eller en YAML-fil")
    .option("--json", "skriv resultatet som JSON på stdout")
    .helpOption("-h, --help", "vis hjælp")
    .action((spec: string, opts: { json?: boolean }) => {
      const res = readSpec(spec);
      if (opts.json) {
        io.out(
          JSON.stringify(
            { valid: res.errors.length === 0, errors: res.errors.map(jsonDiag), warnings: res.warnings.map(jsonDiag) },
            null,
            2,
          ) + "\n",
        );
      } else {
        for (const d of [...res.errors, ...res.warnings]) io.err(formatDiagnostic(d) + "\n");
        const summary =
          res.errors.length === 0
            ? `✓ ${spec} er gyldigt${res.warnings.length ? ` (${res.warnings.length} ${res.warnings.length === 1 ? "advarsel" : "advarsler"})` : ""}.`
            : `✗ ${res.errors.length} ${res.errors.length === 1 ? "fejl" : "fejl"}${res.warnings.length ? ` og ${res.warnings.length} ${res.warnings.length === 1 ? "advarsel" : "advarsler"}` : ""} i ${spec}.`;
        (res.errors.length ? io.err : io.out)(summary + "\n");
      }
      setCode(res.errors.length ? EXIT_INVALID : EXIT_OK);
    });
  program
    .command("render")
    .description("lav udbudsmaterialet: rammeaftale, kravspecifikationer, betalingsbilag og tilbudslister")
    .argument("<spec>", "mappe med udbud.yaml, eller en YAML-fil")
    .option("-o, --out <mappe>", "mappe til dokumenterne (standard: output/<udbuddets id>)")
    .option("-f, --format <formater>", `formater, kommasepareret: ${FORMATS.join(",")}`, FORMATS.join(","))
    .option("--only <id...>", "kun disse dokumenter (id eller begyndelsen af et id, fx rammeaftale eller bilag-a1)")
    .helpOption("-h, --help", "vis hjælp")
    .action(async (spec: string, opts: { out?: string; format: string; only?: string[] }) => {
      const formats = parseFormats<Format>(opts.format, FORMATS, io);
      if (!formats) {
        setCode(EXIT_USAGE);
        return;
      }
      const res = await renderSpec(spec, { out: opts.out, formats, only: opts.only });
      for (const d of [...res.errors, ...res.warnings]) io.err(formatDiagnostic(d) + "\n");
      if (res.errors.length) {
        io.err(`✗ ${res.errors.length} fejl; ingen dokumenter er skrevet.\n`);
        setCode(EXIT_INVALID);
        return;
      }
      const files = res.documents.reduce((s, d) => s + Object.keys(d.files).length, 0);
      io.out(`✓ ${res.documents.length} dokumenter, ${files} filer i ${res.outDir} (se manifest.json).\n`);
      setCode(EXIT_OK);
    });
  program
    .command("diff")
    .description("sammenlign to versioner: specs (mappe/YAML) eller dokumenter (.docx, .md, .txt, .html), klausul for klausul")
    .argument("<gammel>", "den gamle version")
    .argument("<ny>", "den nye version")
    .option("-f, --format <formater>", "terminal, json, html, docx (redline med registrerede ændringer), oversigt (ændringsoversigt som DOCX, PDF og Markdown); kommasepareret", "terminal")
    .option("-o, --out <mappe>", "mappe til html-, docx- og oversigt-filer", path.join("output", "diff"))
    .option("--ignore-case", "se bort fra forskelle i store og små bogstaver")
    .option("--whitespace", "regn forskelle i mellemrum og linjeskift med (standard: ignoreres)")
    .option("--author <navn>", "forfatter på de registrerede ændringer i redline-DOCX", "udbud")
    .option("--date <dato>", "dato på de registrerede ændringer (ÅÅÅÅ-MM-DD); standard: i dag")
    .helpOption("-h, --help", "vis hjælp")
    .action(async (oldPath: string, newPath: string, opts: { format: string; out: string; ignoreCase?: boolean; whitespace?: boolean; author: string; date?: string }) => {
      const known = ["terminal", "json", "html", "docx", "oversigt"];
      const formats = opts.format.split(",").map((f) => f.trim().toLowerCase()).filter(Boolean);
      const bad = formats.filter((f) => !known.includes(f));
      if (bad.length || !formats.length) {
        io.err(`fejl: ukendt format '${bad.join(",") || opts.format}'. Mulige formater: ${known.join(", ")}.\n`);
        setCode(EXIT_USAGE);
        return;
      }
      const date = opts.date ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        io.err(`fejl: --date skal skrives ÅÅÅÅ-MM-DD, ikke '${date}'.\n`);
        setCode(EXIT_USAGE);
        return;
      }
      const { comparison: c, errors } = await compareInputs(oldPath, newPath, { ignoreCase: !!opts.ignoreCase, ignoreWhitespace: !opts.whitespace });
      if (!c) {
        for (const d of errors) io.err(formatDiagnostic(d) + "\n");
        setCode(EXIT_INVALID);
        return;
      }
      const written: string[] = [];
      const out = path.resolve(opts.out);
      const write = (name: string, data: Buffer | string) => {
        fs.mkdirSync(out, { recursive: true });
        writeAtomic(out, name, data);
        written.push(path.join(opts.out, name));
      };
      const labels = { oldLabel: c.old.label, newLabel: c.new.label };
      // Produce everything in memory first; then write.
      const files: [string, Buffer | string][] = [];
      if (formats.includes("html")) files.push(["sammenligning.html", diffHtml(c.docs, { title: "Sammenligning", ...labels, semantic: c.semantic })]);
      if (formats.includes("docx")) files.push(["redline.docx", await writeRedlineDocx(c.docs, { author: opts.author, date: `${date}T00:00:00Z`, title: `Ændringer fra ${c.old.label} til ${c.new.label}` })]);
      if (formats.includes("oversigt")) {
        const tree = changeSummaryTree(c.docs, { ...labels, date, author: opts.author });
        files.push(["aendringsoversigt.docx", await writeDocx(tree, { pageNumbers: false })], ["aendringsoversigt.pdf", await writePdf(tree)], ["aendringsoversigt.md", writeMarkdown(tree)]);
      }
      for (const [name, data] of files) write(name, data);
      if (formats.includes("json")) io.out(JSON.stringify(diffJson(c.docs, c.semantic), null, 2) + "\n");
      if (formats.includes("terminal")) {
        const color = !process.env.NO_COLOR && !!process.stdout.isTTY && io.out === defaultIo.out;
        io.out(diffTerminal(c.docs, { color, semantic: c.semantic }));
      }
      if (written.length) io.err(`✓ skrev ${written.join(", ")}\n`);
      setCode(EXIT_OK);
    });
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
        io.err(`fejl: ukendt format '${opts.format}'. Mulige formater: terminal, json.\n`);
        setCode(EXIT_USAGE);
        return;
      }
      const res = evaluateSpec(spec, opts.bids);
      if (!res.result) {
        if (format === "json") {
          io.out(JSON.stringify({ errors: res.errors.map(jsonDiag), warnings: res.warnings.map(jsonDiag) }, null, 2) + "\n");
        } else {
          for (const d of [...res.errors, ...res.warnings]) io.err(formatDiagnostic(d) + "\n");
          io.err(`✗ ${res.errors.length} fejl; tilbuddene er ikke evalueret.\n`);
        }
        setCode(EXIT_INVALID);
        return;
      }
      for (const d of res.warnings) io.err(formatDiagnostic(d) + "\n");
      if (opts.out) {
        const read = readSpec(spec);
        const rec = buildEvaluationRecord(read.udbud!, res.result, read.sourceMap);
        if (!rec.tree) {
          for (const d of rec.errors) io.err(formatDiagnostic(d) + "\n");
          setCode(EXIT_INVALID);
          return;
        }
        const names = await writeEvaluationRecord(rec.tree, opts.out);
        io.err(`✓ evalueringsnotatet er skrevet: ${names.map((n) => path.join(opts.out!, n)).join(", ")}\n`);
      }
      io.out(format === "json" ? evaluationJson(res.result) : evaluationTerminal(res.result));
      setCode(EXIT_OK);
    });
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
    .helpOption("-h, --help", "vis hjælp")
    .action(async (spec: string, opts: { scenario?: string; runs?: string; seed?: string; out?: string; format: string; json?: boolean }) => {
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
      const tty = Boolean((process.stderr as { isTTY?: boolean }).isTTY) && io.err === defaultIo.err;
      let sidst = -1;
      const start = Date.now();
      const fremdrift = (andel: number) => {
        if (Date.now() - start < 1000) return; // short runs stay quiet
        const pct = Math.floor(andel * 100);
        if (tty) { if (pct !== sidst) io.err(`\rSimulerer … ${pct} %${andel >= 1 ? "\n" : ""}`); sidst = pct; return; }
        const trin = Math.floor(pct / 10) * 10;
        if (trin > sidst) { io.err(`Simulerer … ${trin} %\n`); sidst = trin; }
      };
      const res = await simulateSpec(spec, { ...(opts.scenario ? { scenario: opts.scenario } : {}), ...(runs !== undefined ? { runs } : {}), ...(seed !== undefined ? { seed } : {}), fremdrift });
      if (!res.result || !res.input || !res.udbud) {
        if (opts.json) io.out(JSON.stringify({ errors: res.errors.map(jsonDiag), warnings: res.warnings.map(jsonDiag) }, null, 2) + "\n");
        for (const d of [...res.errors, ...res.warnings]) io.err(formatDiagnostic(d) + "\n");
        io.err(`✗ ${res.errors.length} fejl; der er ikke simuleret.\n`);
        setCode(EXIT_INVALID);
        return;
      }
      for (const d of res.warnings) io.err(formatDiagnostic(d) + "\n");
      const outDir = opts.out ?? path.join("output", res.udbud.id, "simulering");
      const w = await writeSimulation({ ...res, udbud: res.udbud, input: res.input, result: res.result }, outDir, formats);
      if (w.errors.length) {
        for (const d of w.errors) io.err(formatDiagnostic(d) + "\n");
        io.err("✗ rapporten er ikke skrevet.\n");
        setCode(EXIT_INVALID);
        return;
      }
      if (opts.json) io.out(resultJson(res.result));
      else io.out(simulationTerminal(res.result));
      io.err(`✓ ${w.files.length} filer i ${path.resolve(outDir)}: ${w.files.join(", ")}\n`);
      setCode(EXIT_OK);
    });
  return program;
}

const defaultIo: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Runs the CLI and resolves to the exit code. Never throws for bad input or bad usage. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT_OK;
      return EXIT_USAGE;
    }
    io.err(`udbud: intern fejl: ${(e as Error).message}\nDette er en fejl i værktøjet, ikke i dit udbud. Rapportér den gerne.\n`);
    return 70;
  }
}
