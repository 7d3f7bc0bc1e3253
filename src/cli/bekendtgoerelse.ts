/** `udbud bekendtgørelse`: the eForms contract notice (and its proof copy and OCDS releases) from the spec. */
import type { Register } from "./shared.js";
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, jsonDiag, parseFormats, printDiagnostics } from "./shared.js";

const FORMATS = ["xml", "html", "pdf", "docx", "md", "ocds"] as const;

export const register: Register = (program, { io, setCode }) => {
  program
    .command("bekendtgørelse")
    .alias("bekendtgoerelse")
    .description("lav udbudsbekendtgørelsen (eForms, underformular 16 eller 20) som XML til upload i eNotices2, en korrekturudgave og en OCDS-udgivelse")
    .argument("<spec>", "mappe med udbud.yaml, eller en YAML-fil")
    .option("-o, --out <mappe>", "mappen filerne skrives i (standard: output/<udbuddets id>)")
    .option("-f, --format <formater>", `kommasepareret: ${FORMATS.join(", ")} (html/pdf/docx/md er korrekturudgaven, ocds er OCDS-udgivelsen)`, "xml")
    .option("--tjek", "tjek bekendtgørelsen mod eForms' XML-skema (xmllint) og forretningsregler (Schematron); intet skrives ved fejl")
    .option("--dato <ÅÅÅÅ-MM-DD>", "bekendtgørelsens udstedelsesdato (standard: tidsplan.offentliggørelse)")
    .option("--sdk <mappe>", "mappen med eForms-SDK 1.15 (standard: UDBUD_EFORMS_SDK eller ../shared/eforms)")
    .option("--bud <fil>", "budfil: skriv også en OCDS-tildelingsudgivelse (ocds-award.json) efter evalueringen")
    .option("--json", "skriv resultatet som JSON på stdout")
    .helpOption("-h, --help", "vis hjælp")
    .action(async (spec: string, opts: { out?: string; format: string; tjek?: boolean; dato?: string; sdk?: string; bud?: string; json?: boolean }) => {
      const formats = parseFormats(opts.format, FORMATS, io);
      if (!formats) return setCode(EXIT_USAGE);
      if (opts.dato !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(opts.dato) || Number.isNaN(Date.parse(opts.dato)))) {
        io.err(`fejl: --dato skal være en dato som ÅÅÅÅ-MM-DD, ikke '${opts.dato}'.\n`);
        return setCode(EXIT_USAGE);
      }
      const { runNotice } = await import("../notice/index.js");
      const res = await runNotice(spec, { out: opts.out, date: opts.dato, check: opts.tjek, formats, sdk: opts.sdk, bids: opts.bud });
      const ok = !res.fatal && res.errors.length === 0;
      if (opts.json) {
        io.out(
          JSON.stringify(
            {
              valid: ok,
              subtype: res.facts?.subtype,
              files: res.files,
              errors: res.errors.map(jsonDiag),
              warnings: res.warnings.map(jsonDiag),
              ...(res.check ? { rules: res.check.rules } : {}),
              ...(res.fatal ? { fatal: res.fatal } : {}),
            },
            null,
            2,
          ) + "\n",
        );
      } else {
        await printDiagnostics(io, [...res.errors, ...res.warnings]);
        if (res.fatal) io.err(`fejl: ${res.fatal}\n`);
        if (ok) {
          const checked = res.check ? ` Tjekket mod eForms-SDK 1.15: XML-skema i orden, 0 fejl i forretningsreglerne for underformular ${res.facts!.subtype}${res.check.warnings.length ? ` (${res.check.warnings.length} advarsler)` : ""}.` : "";
          io.out(`✓ Udbudsbekendtgørelse (underformular ${res.facts!.subtype}) skrevet: ${res.files.join(", ")}.${checked}\n`);
        } else if (!res.fatal) {
          io.err(`✗ ${res.errors.length} fejl; bekendtgørelsen er ikke skrevet.\n`);
        }
      }
      setCode(ok ? EXIT_OK : EXIT_INVALID);
    });
};
