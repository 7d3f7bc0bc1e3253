/** `udbud ny`: a new tender folder to start from, with editor help wired up. */
import type { Register } from "./shared.js";
import { EXIT_INVALID, EXIT_OK, jsonErrors } from "./shared.js";

export const register: Register = (program, { io, setCode }) => {
  program
    .command("ny")
    .description("lav et nyt udbud i en ny mappe: udbud.yaml med alle krævede felter og danske kommentarer, en delkontrakt, et scenarie, en budskabelon og opsætning til editoren")
    .argument("<mappe>", "den nye mappe (udbuddets id laves ud fra navnet)")
    .option("--fra <eksempel>", "start fra et af eksemplerne (fx kk-2024-udsatte-sygemeldte) i stedet, med et nyt id")
    .option("--json", "skriv resultatet som JSON på stdout")
    .helpOption("-h, --help", "vis hjælp")
    .addHelpText("after", `
Eksempler:
  udbud ny mit-udbud
  udbud ny mit-udbud --fra kk-2024-udsatte-sygemeldte`)
    .action(async (mappe: string, opts: { fra?: string; json?: boolean }) => {
      const { createTender, NewError } = await import("../new/index.js");
      try {
        const res = createTender(mappe, { fra: opts.fra });
        if (opts.json) io.out(JSON.stringify({ mappe: res.dir, id: res.id, filer: res.files }, null, 2) + "\n");
        else {
          io.out(`✓ Nyt udbud '${res.id}' i ${mappe}/: ${res.files.join(", ")}.\n`);
          io.out(`  Ret værdierne mærket '# illustrativ', og kør derefter:\n    udbud validate ${mappe}\n    udbud render ${mappe}\n`);
        }
        setCode(EXIT_OK);
      } catch (e) {
        if (!(e instanceof NewError)) throw e;
        if (opts.json) io.out(jsonErrors([{ file: mappe, line: 1, column: 1, path: "", message: e.message, code: "ny.folder", severity: "fejl" }], []) + "\n");
        else io.err(`fejl: ${e.message}\n`);
        setCode(EXIT_INVALID);
      }
    });
};
