/** `udbud indlæs`: a DOCX edited in Word (rendered from the spec) → a proposal of spec changes and clause overrides. */
import * as path from "node:path";
import type { Register } from "./shared.js";
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, printDiagnostics } from "./shared.js";
import { visible } from "../terminal.js";

export const register: Register = (program, { io, setCode }) => {
  program
    .command("indlæs")
    .description("læs en juridisk redigeret DOCX (lavet fra udbuddet) tilbage: forslag til feltændringer og klausuler i indlæsning.yaml; udbuddet ændres ikke")
    .argument("<redigeret.docx>", "dokumentet, som det kom tilbage fra Word (registrerede ændringer læses som godkendt)")
    .argument("<spec>", "udbuddet, dokumentet blev lavet fra (mappe eller udbud.yaml)")
    .option("-o, --out <mappe>", "mappe til indlæsning.yaml", path.join("output", "indlaes"))
    .option("--dokument <id>", "hvilket af udbuddets dokumenter filen er (standard: findes ud fra klausul-id'erne)")
    .option("--json", "forslaget som JSON på standard-output")
    .helpOption("-h, --help", "vis hjælp")
    .addHelpText(
      "after",
      `
Eksempel:
  udbud render specs/kk-2024-udsatte-sygemeldte --format docx --only rammeaftale
  (advokaten retter output/rammeaftale.docx i Word og sender den tilbage)
  udbud indlæs rammeaftale-rettet.docx specs/kk-2024-udsatte-sygemeldte --out output/indlaes`,
    )
    .action(async (docx: string, spec: string, opts: { out: string; dokument?: string; json?: boolean }) => {
      const fs = await import("node:fs");
      const out = path.resolve(opts.out);
      const target = path.join(out, "indlæsning.yaml");
      const specFile = fs.existsSync(spec) && fs.statSync(spec).isDirectory() ? path.resolve(spec, "udbud.yaml") : path.resolve(spec);
      if (target === path.resolve(docx) || target === specFile) {
        io.err(`fejl: --out må ikke pege på en af inddata-filerne (${visible(opts.out)}).\n`);
        setCode(EXIT_USAGE);
        return;
      }
      const { importDocx, proposalYaml, proposalSummary } = await import("../diff/import.js");
      const { proposal, errors } = await importDocx(docx, spec, { dokument: opts.dokument });
      if (!proposal) {
        await printDiagnostics(io, errors);
        setCode(EXIT_INVALID);
        return;
      }
      const text = await proposalYaml(proposal, { docx, spec });
      const { writeAtomic } = await import("../write/output.js");
      fs.mkdirSync(out, { recursive: true });
      writeAtomic(out, "indlæsning.yaml", text);
      if (opts.json) io.out(JSON.stringify(proposal, null, 2) + "\n");
      else io.out(proposalSummary(proposal));
      io.err(`✓ skrev ${path.join(opts.out, "indlæsning.yaml")}\n`);
      setCode(EXIT_OK);
    });
};
