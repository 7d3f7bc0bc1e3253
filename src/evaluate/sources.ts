/**
 * Where `udbud evaluate` gets its bids from: bids files (YAML/CSV, prices and scores typed by the
 * kommune) and the bidders' own filled tilbudsliste workbooks (.xlsx, one per bidder and lot; a
 * folder may hold several), whose prices are joined with the quality scores of a bedømmelser
 * file (YAML/CSV in the bids format, without prices) by bidder name and lot.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import type { Udbud } from "../model/types.js";
import { displayPath } from "../read/source.js";
import type { WorkbookBid } from "../read/xlsx/workbook.js";
import { readBids } from "./bids.js";
import type { Bid } from "./types.js";

export interface SourcesResult {
  bids?: Bid[];
  /** The workbooks read (for the line-by-line comparison and the record). */
  workbooks: WorkbookBid[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

const WORKBOOK = /\.(xlsx|xlsm|xltm|xlsb)$/i;
const normName = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

function diag(file: string, message: string, code: string): Diagnostic {
  return { severity: "fejl", file, line: 1, column: 1, path: "", message, code: `bud.${code}` };
}

/** Files named on the command line: folders become their workbooks and bids files, sorted by name. */
export function expandSources(sources: readonly string[]): { files: string[]; errors: Diagnostic[] } {
  const files: string[] = [];
  const errors: Diagnostic[] = [];
  for (const s of sources) {
    const abs = path.resolve(s);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      files.push(abs); // the reader reports the missing file
      continue;
    }
    if (st.isDirectory()) {
      const inside = fs.readdirSync(abs).filter((n) => !n.startsWith(".") && !n.startsWith("~$") && WORKBOOK.test(n)).sort();
      if (!inside.length) errors.push(diag(displayPath(abs), `Mappen '${displayPath(abs)}' indeholder ingen tilbudslister (.xlsx).`, "empty-folder"));
      files.push(...inside.map((n) => path.join(abs, n)));
    } else files.push(abs);
  }
  return { files: [...new Set(files)], errors };
}

/** Reads every source and joins workbook prices with the scores of `bedømmelser`. Never throws for bad input. */
export async function readBidSources(udbud: Udbud, sources: readonly string[], bedømmelser?: string): Promise<SourcesResult> {
  const { files, errors } = expandSources(sources);
  const warnings: Diagnostic[] = [];
  const workbooks: WorkbookBid[] = [];
  const bids: Bid[] = [];
  const fromFiles: { bid: Bid; file: string }[] = [];
  for (const f of files) {
    if (WORKBOOK.test(f)) {
      const { readPriceWorkbook } = await import("../read/xlsx/workbook.js");
      const res = await readPriceWorkbook(f, udbud);
      errors.push(...res.errors);
      warnings.push(...res.warnings);
      if (res.bid) workbooks.push(res.bid);
    } else {
      // Bids files (YAML/CSV); the reader also reports a file of another kind.
      const res = readBids(f, udbud);
      errors.push(...res.errors);
      for (const b of res.bids ?? []) fromFiles.push({ bid: b, file: displayPath(f) });
    }
  }
  // One workbook per bidder and lot.
  const seen = new Map<string, WorkbookBid>();
  for (const w of workbooks) {
    const key = `${w.delkontrakt}\u0000${normName(w.tilbudsgiver.navn)}`;
    const prev = seen.get(key);
    if (prev) errors.push(diag(w.file, `Der er to tilbudslister fra '${w.tilbudsgiver.navn}' på delkontrakten '${w.delkontrakt}': ${prev.file} og ${w.file}. Angiv én tilbudsliste pr. tilbudsgiver og delkontrakt.`, "duplicate-workbook"));
    seen.set(key, w);
  }
  // Scores for the workbooks.
  let scores: Bid[] = [];
  let scoresFile = "";
  if (bedømmelser) {
    scoresFile = displayPath(path.resolve(bedømmelser));
    const res = readBids(bedømmelser, udbud, { pricesOptional: true });
    errors.push(...res.errors);
    scores = res.bids ?? [];
  } else if (workbooks.length) {
    const needsScores = workbooks.filter((w) => {
      const lot = udbud.delkontrakter.find((l) => l.id === w.delkontrakt)!;
      return JSON.stringify((lot.tildeling ?? udbud.tildeling).underkriterier).includes('"kvalitet"');
    });
    if (needsScores.length) errors.push(diag(needsScores[0].file, `Tilbudslisterne indeholder kun priser; delkontrakten '${needsScores[0].delkontrakt}' har kvalitetskriterier. Angiv bedømmelserne med --bedømmelser <fil.yaml eller .csv>.`, "missing-scores"));
  }
  const used = new Set<Bid>();
  for (const w of workbooks) {
    const match = scores.find((s) => s.delkontrakt === w.delkontrakt && normName(s.tilbudsgiver) === normName(w.tilbudsgiver.navn));
    if (match) used.add(match);
    if (match && match.priser.length) {
      errors.push(diag(scoresFile, `Bedømmelsesfilen indeholder priser for '${match.tilbudsgiver}' på delkontrakten '${w.delkontrakt}', men priserne kommer fra tilbudslisten ${w.file}. Fjern priserne fra bedømmelsesfilen.`, "prices-twice"));
      continue;
    }
    if (!match && bedømmelser) {
      const lot = udbud.delkontrakter.find((l) => l.id === w.delkontrakt)!;
      const quality = JSON.stringify((lot.tildeling ?? udbud.tildeling).underkriterier).includes('"kvalitet"');
      if (quality) {
        errors.push(diag(w.file, `Der er ingen bedømmelser af tilbuddet fra '${w.tilbudsgiver.navn}' på delkontrakten '${w.delkontrakt}' i ${scoresFile}. Navnet skal være det samme som i tilbudslisten.`, "no-scores"));
        continue;
      }
    }
    bids.push({
      tilbudsgiver: w.tilbudsgiver.navn,
      delkontrakt: w.delkontrakt,
      priser: w.linjer.map((l) => (l.kind === "indsats" ? { indsats: l.id, pris: l.pris } : { element: l.id, pris: l.pris })),
      kvalitet: match?.kvalitet ?? [],
      ...(match?.mindstekrav_ikke_opfyldt ? { mindstekrav_ikke_opfyldt: match.mindstekrav_ikke_opfyldt } : {}),
    });
  }
  for (const s of scores) {
    if (used.has(s)) continue;
    if (!s.priser.length) errors.push(diag(scoresFile, `'${s.tilbudsgiver}' har bedømmelser på delkontrakten '${s.delkontrakt}', men ingen tilbudsliste (.xlsx) og ingen priser. Angiv tilbudslisten med --bids.`, "no-workbook"));
    else bids.push(s);
  }
  // Bids typed in YAML/CSV next to workbooks: a bidder must not appear twice.
  for (const { bid, file } of fromFiles) {
    if (bids.some((b) => b.delkontrakt === bid.delkontrakt && normName(b.tilbudsgiver) === normName(bid.tilbudsgiver))) {
      errors.push(diag(file, `Tilbuddet fra '${bid.tilbudsgiver}' på delkontrakten '${bid.delkontrakt}' findes også i en tilbudsliste eller en anden budfil. Angiv hvert tilbud én gang.`, "duplicate-bid"));
    } else bids.push(bid);
  }
  if (errors.length) return { errors, warnings, workbooks };
  return { bids, workbooks, errors, warnings };
}
