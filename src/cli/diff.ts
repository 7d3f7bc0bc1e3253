/** `udbud diff`: two versions compared clause by clause; terminal, JSON, HTML, redline DOCX, change summary. */
import * as path from "node:path";
import type { Register } from "./shared.js";
import { defaultIo, EXIT_INVALID, EXIT_OK, EXIT_USAGE, jsonErrors, parseFormats, printDiagnostics } from "./shared.js";

const DIFF_FORMATS = ["terminal", "json", "html", "docx", "oversigt"] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];

export const register: Register = (program, { io, setCode }) => {
  program
    .command("diff")
    .description("sammenlign to versioner: specs (mappe/YAML) eller dokumenter (.docx, .md, .txt, .html), klausul for klausul")
    .argument("<gammel>", "den gamle version")
    .argument("<ny>", "den nye version")
    .option("-f, --format <formater>", "terminal (oversigt i terminalen), json (sammenligning.json), html, docx (redline med registrerede ændringer), oversigt (ændringsoversigt som DOCX, PDF og Markdown); kommasepareret", "terminal")
    .option("--json", "skriv sammenligningen som JSON på stdout i stedet for terminaloversigten")
    .option("-o, --out <mappe>", "mappe til html-, docx- og oversigt-filer", path.join("output", "diff"))
    .option("--ignore-case", "se bort fra forskelle i store og små bogstaver")
    .option("--whitespace", "regn forskelle i mellemrum og linjeskift med (standard: ignoreres)")
    .option("--author <navn>", "forfatter på de registrerede ændringer i redline-DOCX", "udbud")
    .option("--date <dato>", "dato på de registrerede ændringer (ÅÅÅÅ-MM-DD); standard: i dag")
    .option("--flytninger <måde>", "flytninger i redline-DOCX: kommentar (sletning + indsættelse med kommentar; læses af alle programmer) eller word (Words egne flyttemarkeringer)", "kommentar")
    .helpOption("-h, --help", "vis hjælp")
    .addHelpText("after", `
Eksempler:
  udbud diff gammelt-udbud mit-udbud
  udbud diff gammelt-udbud mit-udbud --json
  udbud diff udkast.docx endelig.docx --format html,docx --out sammenligning`)
    .action(async (oldPath: string, newPath: string, opts: { format: string; out: string; ignoreCase?: boolean; whitespace?: boolean; author: string; date?: string; json?: boolean; flytninger: string }) => {
      const formats = parseFormats<DiffFormat>(opts.format, DIFF_FORMATS, io);
      if (!formats) {
        setCode(EXIT_USAGE);
        return;
      }
      if (opts.flytninger !== "kommentar" && opts.flytninger !== "word") {
        io.err(`fejl: --flytninger skal være 'kommentar' eller 'word', ikke '${opts.flytninger}'.\n`);
        setCode(EXIT_USAGE);
        return;
      }
      const date = opts.date ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        io.err(`fejl: --date skal skrives ÅÅÅÅ-MM-DD, ikke '${date}'.\n`);
        setCode(EXIT_USAGE);
        return;
      }
      const { compareInputs } = await import("../diff/compare.js");
      const { comparison: c, errors } = await compareInputs(oldPath, newPath, { ignoreCase: !!opts.ignoreCase, ignoreWhitespace: !opts.whitespace });
      if (!c) {
        if (opts.json) io.out(jsonErrors(errors, []));
        else await printDiagnostics(io, errors);
        setCode(EXIT_INVALID);
        return;
      }
      const report = await import("../diff/report.js");
      const labels = { oldLabel: c.old.label, newLabel: c.new.label };
      // Produce everything in memory first; then write.
      const files: [string, Buffer | string][] = [];
      if (formats.includes("json")) files.push(["sammenligning.json", JSON.stringify(report.diffJson(c.docs, c.semantic), null, 2) + "\n"]);
      if (formats.includes("html")) files.push(["sammenligning.html", report.diffHtml(c.docs, { title: "Sammenligning", ...labels, semantic: c.semantic })]);
      if (formats.includes("docx")) {
        const { writeRedlineDocx } = await import("../diff/redline-docx.js");
        files.push(["redline.docx", await writeRedlineDocx(c.docs, { author: opts.author, date: `${date}T00:00:00Z`, title: `Ændringer fra ${c.old.label} til ${c.new.label}`, moves: opts.flytninger })]);
      }
      if (formats.includes("oversigt")) {
        const { changeSummaryTree } = await import("../diff/summary.js");
        const tree = changeSummaryTree(c.docs, { ...labels, date, author: opts.author });
        const [{ writeDocx }, { writePdf }, { writeMarkdown }] = await Promise.all([import("../write/docx.js"), import("../write/pdf.js"), import("../write/markdown.js")]);
        files.push(["aendringsoversigt.docx", await writeDocx(tree, { pageNumbers: false })], ["aendringsoversigt.pdf", await writePdf(tree)], ["aendringsoversigt.md", writeMarkdown(tree)]);
      }
      const written: string[] = [];
      if (files.length) {
        const fs = await import("node:fs");
        const { writeAtomic } = await import("../render/index.js");
        const out = path.resolve(opts.out);
        for (const [name, data] of files) {
          fs.mkdirSync(out, { recursive: true });
          writeAtomic(out, name, data);
          written.push(path.join(opts.out, name));
        }
      }
      if (opts.json) io.out(JSON.stringify(report.diffJson(c.docs, c.semantic), null, 2) + "\n");
      else if (formats.includes("terminal")) {
        const color = !process.env.NO_COLOR && !!process.stdout.isTTY && io.out === defaultIo.out;
        io.out(report.diffTerminal(c.docs, { color, semantic: c.semantic }));
      }
      if (written.length) io.err(`✓ skrev ${written.join(", ")}\n`);
      setCode(EXIT_OK);
    });
};
