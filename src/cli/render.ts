/** `udbud render`: the tender documents in every format. */
import { FORMATS, type Format } from "../render/formats.js";
import type { Register } from "./shared.js";
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, parseFormats, printDiagnostics } from "./shared.js";

export const register: Register = (program, { io, setCode }) => {
  program
    .command("render")
    .description("lav udbudsmaterialet: rammeaftale, kravspecifikationer, betalingsbilag og tilbudslister")
    .argument("<spec>", "mappe med udbud.yaml, eller en YAML-fil")
    .option("-o, --out <mappe>", "mappe til dokumenterne (standard: output/<udbuddets id>)")
    .option("-f, --format <formater>", `formater, kommasepareret: ${FORMATS.join(",")}`, FORMATS.join(","))
    .option("--only <id...>", "kun disse dokumenter (id eller begyndelsen af et id, fx rammeaftale eller bilag-a1)")
    .option("--endelig", "endelig udgave til offentliggørelse: afvis, hvis der er eksempelværdier (# illustrativ) tilbage")
    .helpOption("-h, --help", "vis hjælp")
    .action(async (spec: string, opts: { out?: string; format: string; only?: string[]; endelig?: boolean }) => {
      const formats = parseFormats<Format>(opts.format, FORMATS, io);
      if (!formats) {
        setCode(EXIT_USAGE);
        return;
      }
      const { renderSpec } = await import("../render/index.js");
      const res = await renderSpec(spec, { out: opts.out, formats, only: opts.only, endelig: opts.endelig });
      await printDiagnostics(io, [...res.errors, ...res.warnings]);
      if (res.errors.length) {
        io.err(`✗ ${res.errors.length} fejl; ingen dokumenter er skrevet.\n`);
        setCode(EXIT_INVALID);
        return;
      }
      const files = res.documents.reduce((s, d) => s + Object.keys(d.files).length, 0);
      io.out(`✓ ${res.documents.length} dokumenter, ${files} filer i ${res.outDir} (se manifest.json).\n`);
      setCode(EXIT_OK);
    });
};
