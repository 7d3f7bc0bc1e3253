/** `udbud validate`: schema and rule checks, every error at once. */
import type { Register } from "./shared.js";
import { EXIT_INVALID, EXIT_OK, jsonDiag, printDiagnostics } from "./shared.js";

export const register: Register = (program, { io, setCode }) => {
  program
    .command("validate")
    .description("validér et udbud: skema og faglige regler (udbudsloven). Viser alle fejl på én gang.")
    .argument("<spec>", "mappe med udbud.yaml, eller en YAML-fil")
    .option("--json", "skriv resultatet som JSON på stdout")
    .option("--endelig", "kontrollér at udbudsmaterialet kan offentliggøres: hver eksempelværdi (# illustrativ) er en fejl")
    .helpOption("-h, --help", "vis hjælp")
    .action(async (spec: string, opts: { json?: boolean; endelig?: boolean }) => {
      const { readSpec } = await import("../read/index.js");
      const read = readSpec(spec);
      const { finalDiagnostics } = await import("../read/illustrative.js");
      const res = opts.endelig ? { ...read, errors: [...read.errors, ...finalDiagnostics(read.eksempelværdier)] } : read;
      if (opts.json) {
        io.out(JSON.stringify({ valid: res.errors.length === 0, errors: res.errors.map(jsonDiag), warnings: res.warnings.map(jsonDiag) }, null, 2) + "\n");
      } else {
        await printDiagnostics(io, [...res.errors, ...res.warnings]);
        const w = res.warnings.length ? `${res.warnings.length} ${res.warnings.length === 1 ? "advarsel" : "advarsler"}` : "";
        const summary = res.errors.length === 0 ? `✓ ${spec} er gyldigt${w ? ` (${w})` : ""}.` : `✗ ${res.errors.length} fejl${w ? ` og ${w}` : ""} i ${spec}.`;
        (res.errors.length ? io.err : io.out)(summary + "\n");
      }
      setCode(res.errors.length ? EXIT_INVALID : EXIT_OK);
    });
};
