/** `udbud render`: the tender documents in every format. */
import { FORMATS, type Format } from "../render/formats.js";
import type { Register } from "./shared.js";
import { antal, checkOut, collectList, EXIT_INVALID, EXIT_OK, EXIT_USAGE, jsonErrors, parseFormats, printDiagnostics } from "./shared.js";

export const register: Register = (program, { io, setCode }) => {
  program
    .command("render")
    .description("lav udbudsmaterialet: rammeaftale, kravspecifikationer, betalingsbilag og tilbudslister")
    .argument("<spec>", "mappe med udbud.yaml, eller en YAML-fil")
    .option("-o, --out <mappe>", "mappe til dokumenterne (standard: output/<udbuddets id>)")
    .option("-f, --format <formater>", `formater, kommasepareret: ${FORMATS.join(",")} (xlsx: tilbudslisterne som regneark)`, FORMATS.join(","))
    .option("--only <id>", "kun disse dokumenter, kommasepareret eller gentaget (id eller begyndelsen af et id, fx rammeaftale eller bilag-a1); de øvrige i mappen bliver stående i manifest.json", collectList)
    .option("--overskriv", "brug --out-mappen, selv om den tilhører et andet udbud")
    .option("--json", "skriv manifestet og advarslerne som JSON på stdout")
    .option("--endelig", "endelig udgave til offentliggørelse: afvis, hvis der er eksempelværdier (# illustrativ) tilbage")
    .helpOption("-h, --help", "vis hjælp")
    .addHelpText("after", `
Eksempler:
  udbud render mit-udbud
  udbud render mit-udbud --format pdf,docx --only rammeaftale
  udbud render --only bilag-a mit-udbud --out udbudsmateriale`)
    .action(async (spec: string, opts: { out?: string; format: string; only?: string[]; overskriv?: boolean; json?: boolean; endelig?: boolean }) => {
      const formats = parseFormats<Format>(opts.format, FORMATS, io);
      if (!formats) {
        setCode(EXIT_USAGE);
        return;
      }
      const outCode = await checkOut(io, opts.out);
      if (outCode !== undefined) {
        setCode(outCode);
        return;
      }
      const { renderSpec } = await import("../render/index.js");
      const res = await renderSpec(spec, { out: opts.out, formats, only: opts.only, overskriv: opts.overskriv, endelig: opts.endelig });
      if (opts.json) io.out(res.errors.length ? jsonErrors(res.errors, res.warnings) : jsonErrors([], res.warnings, { mappe: res.outDir, ...res.manifest }));
      else await printDiagnostics(io, [...res.errors, ...res.warnings]);
      if (res.errors.length) {
        if (!opts.json) io.err(`✗ ${res.errors.length} fejl; ingen dokumenter er skrevet.\n`);
        setCode(EXIT_INVALID);
        return;
      }
      const files = res.documents.reduce((s, d) => s + Object.keys(d.files).length, 0);
      const listed = res.manifest && res.manifest.documents.length !== res.documents.length ? ` manifest.json lister ${antal(res.manifest.documents.length, "dokument", "dokumenter")}.` : " Se manifest.json.";
      if (!opts.json) io.out(`✓ ${antal(res.documents.length, "dokument", "dokumenter")}, ${antal(files, "fil", "filer")} i ${res.outDir}.${listed}\n`);
      setCode(EXIT_OK);
    });
};
