/** `udbud tilbud tjek`: checks a filled tilbudsliste workbook the way a bidder or the kommune would before evaluation. */
import type { Register } from "./shared.js";
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, jsonDiag, printDiagnostics } from "./shared.js";

export const register: Register = (program, { io, setCode }) => {
  const tilbud = program.command("tilbud").description("arbejd med tilbud fra tilbudsgivere: kontrollér udfyldte tilbudslister (regneark)").helpOption("-h, --help", "vis hjælp");
  tilbud
    .command("tjek")
    .description("kontrollér udfyldte tilbudslister (.xlsx): at intet andet end priserne og tilbudsgivers oplysninger er ændret, at priserne er tal inden for priskorridoren, og at summerne passer")
    .argument("<filer...>", "udfyldte tilbudslister (tilbudsliste-N-<delkontrakt>.xlsx) eller mapper med dem")
    .option("-s, --spec <spec>", "udbuddet (mappe med udbud.yaml): kontrollér også, at tilbudslisten hører til netop dette udbud og denne version")
    .option("--json", "skriv resultatet som JSON på stdout")
    .helpOption("-h, --help", "vis hjælp")
    .action(async (files: string[], opts: { spec?: string; json?: boolean }) => {
      if (!files.length) {
        io.err("fejl: angiv mindst én tilbudsliste (.xlsx).\n");
        setCode(EXIT_USAGE);
        return;
      }
      let udbud;
      if (opts.spec) {
        const { readSpec } = await import("../read/index.js");
        const read = readSpec(opts.spec);
        if (!read.udbud) {
          await printDiagnostics(io, [...read.errors, ...read.warnings]);
          io.err(`✗ udbuddet kunne ikke læses; tilbudslisterne er ikke kontrolleret.\n`);
          setCode(EXIT_INVALID);
          return;
        }
        udbud = read.udbud;
      }
      const { readPriceWorkbook } = await import("../read/xlsx/workbook.js");
      const { formatKr } = await import("../format.js");
      const { expandSources } = await import("../evaluate/sources.js");
      const expanded = expandSources(files);
      let failed = expanded.errors.length;
      await printDiagnostics(io, expanded.errors);
      const json: unknown[] = [];
      const { displayPath } = await import("../read/source.js");
      for (const f of expanded.files.map(displayPath)) {
        const res = await readPriceWorkbook(f, udbud);
        if (res.errors.length) failed++;
        if (opts.json) {
          json.push({ fil: f, ok: !res.errors.length, errors: res.errors.map(jsonDiag), warnings: res.warnings.map(jsonDiag), tilbud: res.bid ?? null });
          continue;
        }
        await printDiagnostics(io, [...res.errors, ...res.warnings]);
        if (res.bid) {
          const b = res.bid;
          const total = b.total !== null ? `, evalueringsteknisk pris ${formatKr(b.total)}` : "";
          const line = `✓ ${f}: ${b.tilbudsgiver.navn} (CVR ${b.tilbudsgiver.cvr}), delkontrakt ${b.delkontrakt}: ${b.linjer.length} priser${total}${res.warnings.length ? `; ${res.warnings.length} ${res.warnings.length === 1 ? "advarsel" : "advarsler"}` : ""}.`;
          io.out(line.replace(/\.\.$/, ".") + "\n");
        } else io.err(`✗ ${f}: ${res.errors.length} fejl; tilbudslisten kan ikke bruges, før fejlene er rettet.\n`);
      }
      if (opts.json) io.out(JSON.stringify(json, null, 2) + "\n");
      setCode(failed ? EXIT_INVALID : EXIT_OK);
    });
};
