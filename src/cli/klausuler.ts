/** `udbud klausuler`: every clause id with its number and heading, for `klausuler:` overrides. */
import type { Register } from "./shared.js";
import { EXIT_INVALID, EXIT_OK, jsonErrors, printDiagnostics } from "./shared.js";

export const register: Register = (program, { io, setCode }) => {
  program
    .command("klausuler")
    .description("vis klausul-id'erne med nummer og overskrift, så du kan ændre klausuler under 'klausuler:' i udbud.yaml")
    .argument("[dokument]", "kun dette dokument (id eller begyndelsen af et id, fx rammeaftale eller bilag-a)")
    .option("--spec <mappe>", "numrene for dette udbud (standard: et nyt udbud som fra 'udbud ny')")
    .option("--json", "skriv listen som JSON på stdout")
    .helpOption("-h, --help", "vis hjælp")
    .addHelpText("after", `
Eksempler:
  udbud klausuler
  udbud klausuler rammeaftale
  udbud klausuler bilag-a --spec mit-udbud`)
    .action(async (dokument: string | undefined, opts: { spec?: string; json?: boolean }) => {
      const { listClauses, clausesMarkdown } = await import("../render/clauses.js");
      const res = await listClauses(opts.spec, dokument);
      if (res.errors.length) {
        if (opts.json) io.out(jsonErrors(res.errors, res.warnings));
        else await printDiagnostics(io, res.errors);
        setCode(EXIT_INVALID);
        return;
      }
      if (opts.json) io.out(JSON.stringify({ dokumenter: res.documents }, null, 2) + "\n");
      else io.out(clausesMarkdown(res.documents, opts.spec ? `Numrene er fra udbuddet i ${opts.spec}.` : "Numrene er fra et nyt udbud lavet med `udbud ny` (én delkontrakt).") + "\n");
      setCode(EXIT_OK);
    });
};
