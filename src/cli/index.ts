/**
 * The `udbud` command line: a thin shell over the library. Exit codes: 0 ok, 1 invalid input, 2 usage error.
 * Each command lives in a file of its own (src/cli/<command>.ts) that registers its options and
 * loads its subsystem only when it runs (dynamic import), so `udbud --version` or `udbud validate`
 * never load the writers, the charting stack or the simulator.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Command, CommanderError, Help } from "commander";
import { packageRoot } from "../paths.js";
import { defaultIo, EXIT_OK, EXIT_USAGE, type Io, type Register } from "./shared.js";
import { register as validate } from "./validate.js";
import { register as render } from "./render.js";
import { register as diff } from "./diff.js";
import { register as indlaes } from "./indlaes.js";
import { register as evaluate } from "./evaluate.js";
import { register as simulate } from "./simulate.js";
import { register as bekendtgoerelse } from "./bekendtgoerelse.js";
import { register as ny } from "./ny.js";
import { register as klausuler } from "./klausuler.js";
import { register as studio } from "./studio.js";

export { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Io } from "./shared.js";

/** The commands, in the order of the help text. A new command is a new file and one line here. */
const COMMANDS: Register[] = [ny, validate, render, klausuler, diff, indlaes, evaluate, simulate, bekendtgoerelse, studio];

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

/** Commander's help with its remaining English words in Danish (inherited by every command). */
function danishHelp(cmd: Command, helper: Help): string {
  return Help.prototype.formatHelp.call(helper, cmd, helper)
    .replace(/\[options\]/g, "[tilvalg]")
    .replace(/\[command\]/g, "[kommando]")
    .replace(/\(default:/g, "(standard:")
    .replace(/\(choices: /g, "(valg: ");
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
    .configureHelp({ styleTitle: (t) => HELP_TITLES[t] ?? t, formatHelp: danishHelp })
    .exitOverride()
    .addHelpText(
      "after",
      `
Eksempler:
  udbud ny mit-udbud                                      et nyt udbud at starte fra
  udbud klausuler rammeaftale                             klausul-id'er til ændringer under 'klausuler'
  udbud validate specs/kk-2024-udsatte-sygemeldte         tjek et udbud (mappe med udbud.yaml)
  udbud validate specs/kk-2020-udsatte-sygemeldte --json  resultatet som JSON
  udbud validate mit-udbud/udbud.yaml                     tjek en enkelt fil
  udbud render specs/kk-2020-udsatte-sygemeldte           lav alle dokumenter i alle formater i output/
  udbud render mit-udbud --format pdf --only rammeaftale  kun rammeaftalen som PDF
  udbud diff specs/kk-2020-udsatte-sygemeldte specs/kk-2024-udsatte-sygemeldte
  udbud diff udkast.docx endelig.docx --format html,docx --out sammenligning
  udbud indlæs rammeaftale-rettet.docx specs/kk-2024-udsatte-sygemeldte   advokatens rettelser tilbage som forslag
  udbud evaluate specs/kk-2024-udsatte-sygemeldte --bids specs/kk-2024-udsatte-sygemeldte/bud.yaml --out output/evaluering
  udbud simulate specs/kk-2024-udsatte-sygemeldte         prissimulering med scenarie.yaml i udbuddets mappe
  udbud simulate mit-udbud --scenario nedskæring.yaml --runs 20000 --format html,csv
  udbud bekendtgørelse specs/kk-2024-udsatte-sygemeldte --tjek --format xml,pdf,ocds

Exitkoder: 0 = i orden, 1 = fejl i udbuddet, 2 = forkert brug af kommandoen.`,
    );

  for (const register of COMMANDS) register(program, { io, setCode });
  return program;
}

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
