/** `udbud validate`: schema and rule checks, every error at once. */
import type { Register } from "./shared.js";
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, jsonErrors, lotFileHint, printDiagnostics } from "./shared.js";

export const register: Register = (program, { io, setCode }) => {
  program
    .command("validate")
    .description("validér et udbud: skema og faglige regler (udbudsloven). Viser alle fejl på én gang.")
    .argument("<spec>", "mappe med udbud.yaml, eller en YAML-fil")
    .option("--json", "skriv resultatet som JSON på stdout")
    .option("--endelig", "kontrollér at udbudsmaterialet kan offentliggøres: hver eksempelværdi (# illustrativ) er en fejl")
    .helpOption("-h, --help", "vis hjælp")
    .addHelpText("after", `
Eksempler:
  udbud validate mit-udbud
  udbud validate mit-udbud --json`)
    .action(async (spec: string, opts: { json?: boolean; endelig?: boolean }) => {
      const lot = await lotFileHint(spec);
      if (lot) {
        if (opts.json) io.out(jsonErrors([{ severity: "fejl", file: spec, line: 1, column: 1, path: "", message: lot, code: "cli.lot-file" }], []));
        else io.err(`fejl: ${lot}\n`);
        setCode(EXIT_USAGE);
        return;
      }
      const { readSpec } = await import("../read/index.js");
      const spec0 = readSpec(spec);
      // `$schema` comments are checked here, where the user's own folder is read (the studio
      // analyses copies elsewhere, where the comments need not resolve).
      const { checkSchemaComments } = await import("../validate/habits.js");
      const { sortDiagnostics } = await import("../diagnostics.js");
      const read = { ...spec0, warnings: sortDiagnostics([...spec0.warnings, ...checkSchemaComments(spec0.sourceMap)]) };
      // Clause ids in `klausuler` are checked against the documents (templates load only then).
      let res = read;
      if (opts.endelig) {
        const { finalDiagnostics } = await import("../read/illustrative.js");
        res = { ...res, errors: [...res.errors, ...finalDiagnostics(read.eksempelværdier)] };
      }
      if (read.udbud?.klausuler?.length) {
        const { checkClauseIds } = await import("../render/clauses.js");
        const errors = checkClauseIds(read.udbud, read.sourceMap, read.eksempelværdier.map((v) => v.pointer));
        if (errors.length) res = { ...res, udbud: undefined, errors: [...res.errors, ...errors] };
      }
      if (opts.json) {
        io.out(jsonErrors(res.errors, res.warnings, { valid: res.errors.length === 0 }));
      } else {
        await printDiagnostics(io, [...res.errors, ...res.warnings]);
        const w = res.warnings.length ? `${res.warnings.length} ${res.warnings.length === 1 ? "advarsel" : "advarsler"}` : "";
        const summary = res.errors.length === 0 ? `✓ ${spec} er gyldigt${w ? ` (${w})` : ""}.` : `✗ ${res.errors.length} fejl${w ? ` og ${w}` : ""} i ${spec}.`;
        (res.errors.length ? io.err : io.out)(summary + "\n");
      }
      setCode(res.errors.length ? EXIT_INVALID : EXIT_OK);
    });
};
