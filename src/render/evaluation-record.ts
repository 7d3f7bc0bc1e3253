/**
 * The evaluation record (evalueringsnotat): an `EvaluationResult` (evaluate/evaluate.ts) → a
 * document tree through the same template engine and Markdown pipeline as the tender documents
 * (templates/evalueringsnotat.md.hbs → doc/parse.ts → numbering). Writers are the usual ones:
 * `writeEvaluationRecord` renders DOCX, PDF, HTML and Markdown into a folder.
 *
 * The template sees the usual view (udbud, evaluering, beregnet, …, see docs/templates.md) and
 * `notat`: per lot the bids received, rejections with reasons, evaluation prices and price
 * points, quality points per criterion with the evaluators' justifications, weighted totals,
 * ranking, award, ties and the engine's warnings (rank reversal, weight sensitivity).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import type { DocumentTree } from "../doc/ast.js";
import { markdownParser, parseMarkdown } from "../doc/parse.js";
import { compareLot, LOW_PRICE_SHARE } from "../evaluate/comparison.js";
import { isConsensus } from "../evaluate/models.js";
import type { EvaluationResult, LotEvaluation, ScoredBid } from "../evaluate/types.js";
import { escapeDeep } from "../compute/escape.js";
import type { Udbud } from "../model/types.js";
import { templatesDir as defaultTemplatesDir } from "../paths.js";
import type { SourceMap } from "../read/source.js";
import { numberTree, templateDiag, treeFor } from "./build.js";
import { lotsInOrder, planDocuments, type DocumentPlan } from "./documents.js";
import { criteriaRows, lotTildeling, lotVolumes, priceFormula, PRICE_MODEL_NAMES } from "./evaluation-view.js";
import { writeOutputSet } from "../write/output.js";
import { DOC_FORMATS, renderTree, type DocFormat } from "./index.js";
import { TemplateError, loadTemplates } from "./templates.js";
import { buildView } from "./view.js";

export const RECORD_ID = "evalueringsnotat";

export interface EvaluationRecordOptions {
  templatesDir?: string;
  /** Date of the record (ISO, ÅÅÅÅ-MM-DD). Default: the tender's planned award date, else its date. */
  dato?: string;
}

export interface EvaluationRecordResult {
  /** The record, or null when there were errors. */
  tree: DocumentTree | null;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** A finite number, else null (the templates show "–"). */
const num = (x: number | null | undefined): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);

function listText(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} og ${xs[xs.length - 1]}`;
}

/** The record's values for one lot (unescaped; the caller escapes). */
export function recordLotView(u: Udbud, lotResult: LotEvaluation): Record<string, unknown> {
  const lot = u.delkontrakter.find((l) => l.id === lotResult.delkontrakt)!;
  const t = lotTildeling(u, lot);
  const rows = criteriaRows(t.underkriterier);
  const quality = rows.filter((r) => r.blad && r.type === "kvalitet");
  const mindstekrav = new Map((t.mindstekrav ?? []).map((m) => [m.id, m.tekst]));
  const items = new Map(lotVolumes(u, lot).map((i) => [i.id, i.ydelse]));
  const pe = t.prisevaluering;
  const pointModel = Boolean(pe) && !lotResult.lavestBedst;

  const accepted = lotResult.bud.filter((b) => b.placering !== null);
  const rejected = lotResult.bud.filter((b) => b.placering === null);
  // Bids rejected for a minimum requirement are not assessed; those below a quality threshold were.
  const assessed = lotResult.bud.filter((b) => !b.afvist.some((id) => mindstekrav.has(id)));
  const score = (b: ScoredBid, id: string) => b.kriterier.find((k) => k.id === id);

  const bidRow = (b: ScoredBid) => ({
    tilbudsgiver: b.tilbudsgiver,
    placering: b.placering,
    evalueringspris: num(b.evalueringspris),
    prispoint: pointModel ? num(b.prispoint) : null,
    pris_vægtet: pointModel ? num((b.prispoint * lotResult.prisvægt) / 100) : null,
    kvalitetspoint: quality.length ? num(b.kvalitetspoint) : null,
    kvalitet_vægtet: quality.length ? num((b.kvalitetspoint * lotResult.kvalitetsvægt) / 100) : null,
    samlet: num(b.samlet),
    lighed: b.lighed,
    tildeles: lotResult.tildeles.includes(b.tilbudsgiver),
  });

  const ties = new Map<number, string[]>();
  for (const b of accepted) if (b.lighed) ties.set(b.placering!, [...(ties.get(b.placering!) ?? []), b.tilbudsgiver]);
  const title = (id: string) => rows.find((r) => r.id === id)?.titel ?? id;
  // The line-by-line comparison of unit prices (evaluate/comparison.ts), from the bids' price lines.
  const cmp = compareLot(u, lot, lotResult.bud.map((b) => ({ tilbudsgiver: b.tilbudsgiver, priser: b.prislinjer.map((l) => (l.indsats !== undefined ? { indsats: l.indsats, pris: l.pris } : { element: l.element, pris: l.pris })) })));
  const prissammenligning = cmp.tilbudsgivere.length < 2 ? null : {
    tilbudsgivere: cmp.tilbudsgivere,
    linjer: cmp.linjer.map((l) => ({
      id: l.id,
      ydelse: l.ydelse,
      priser: cmp.tilbudsgivere.map((n) => {
        const p = l.priser.find((x) => x.tilbudsgiver === n);
        return { pris: num(p?.pris), lavest: p?.lavest ?? false, lav: p?.lav ?? false };
      }),
    })),
    lave: cmp.lave.map((f) => ({ tilbudsgiver: f.tilbudsgiver, id: f.id, pris: f.pris, median: f.median, procent: Math.round(f.andel * 100) })),
    grænse: LOW_PRICE_SHARE * 100,
  };

  return {
    id: lot.id,
    nummer: lot.nummer,
    titel: lot.titel,
    antal_leverandører: lotResult.antalLeverandører,
    prismodel: pe ? PRICE_MODEL_NAMES[pe.model] : null,
    /** The published formula with its parameters (as in the evaluation model document). */
    formel: pe ? priceFormula(pe, lotResult.maksPoint).formel_konkret : null,
    pointmodel: pointModel,
    lavest_bedst: lotResult.lavestBedst,
    maks_point: lotResult.maksPoint,
    prisvægt: lotResult.prisvægt,
    kvalitetsvægt: lotResult.kvalitetsvægt,
    har_kvalitet: quality.length > 0,
    skala: t.pointskala ? { min: t.pointskala.min, max: t.pointskala.max } : null,
    antal_vurderede: quality.length ? assessed.length : 0,
    laveste_pris: num(lotResult.lavestePris),
    antal_modtagne: lotResult.bud.length,
    antal_konditionsmæssige: accepted.length,
    modtagne: [...lotResult.bud]
      .sort((a, b) => a.tilbudsgiver.localeCompare(b.tilbudsgiver, "da"))
      .map((b) => ({ tilbudsgiver: b.tilbudsgiver, konditionsmæssig: b.placering !== null })),
    afviste: rejected.map((b) => ({
      tilbudsgiver: b.tilbudsgiver,
      grunde: b.afvist.map((id, i) => b.afvisningsgrunde[i] ?? (mindstekrav.has(id) ? `Mindstekrav ikke opfyldt: ${mindstekrav.get(id)}` : `Kvalitetstærskel ikke nået: ${title(id)}`)),
    })),
    priser: [...accepted]
      .sort((a, b) => a.evalueringspris - b.evalueringspris || a.tilbudsgiver.localeCompare(b.tilbudsgiver, "da"))
      .map((b) => ({
        ...bidRow(b),
        prislinjer: b.prislinjer.map((l) => ({
          ydelse: items.get((l.indsats ?? l.element)!) ?? (l.indsats ? `Indsats ${l.indsats}` : `Element ${l.element}`),
          pris: num(l.pris),
          mængde: num(l.mængde),
          beløb: num(l.beløb),
        })),
      })),
    kvalitet: quality.map((q) => ({
      id: q.id,
      nummer: q.nummer,
      titel: q.titel,
      samlet_vægt: q.samlet_vægt,
      kvalitetsvægt: q.kvalitetsvægt,
      bud: assessed.map((b) => {
        const s = score(b, q.id);
        const bedømmelser = (s?.bedømmelser ?? []).map((x) => ({
          bedømmer: x.bedømmer === undefined ? null : isConsensus(x.bedømmer) ? "Konsensus" : x.bedømmer,
          point: num(x.point),
          begrundelse: x.begrundelse ?? null,
        }));
        return {
          tilbudsgiver: b.tilbudsgiver,
          point: num(s?.point),
          vægtet: num(s?.vægtet),
          konsensus: s?.konsensus ?? false,
          antal_bedømmere: (s?.bedømmelser ?? []).filter((x) => !isConsensus(x.bedømmer)).length,
          bedømmelser,
          har_begrundelse: bedømmelser.some((x) => x.begrundelse),
        };
      }),
    })),
    har_begrundelser: assessed.some((b) => b.kriterier.some((k) => k.bedømmelser.some((x) => x.begrundelse))),
    resultat: accepted.map(bidRow),
    vinder: lotResult.rangfølge[0] ?? null,
    tildeles: lotResult.tildeles,
    tildeles_tekst: listText(lotResult.tildeles),
    ikke_tildelt: listText(accepted.map((b) => b.tilbudsgiver).filter((n) => !lotResult.tildeles.includes(n))),
    lighed_ved_grænsen: lotResult.tildeles.length > lotResult.antalLeverandører,
    færre_end_antal: accepted.length < lotResult.antalLeverandører,
    uafgjorte: [...ties.entries()].sort((a, b) => a[0] - b[0]).map(([placering, navne]) => ({ placering, tekst: listText(navne) })),
    advarsler: lotResult.advarsler,
    prissammenligning,
    rangomvending: lotResult.rangomvending.map((r) => ({ fjernet: r.fjernet, før: r.før.join(", "), efter: r.efter.join(", ") })),
    vægtfølsomhed: lotResult.vægtfølsomhed.map((v) => ({
      kriterium: title(v.kriterium),
      ændring: Math.abs(v.ændring),
      til_kvalitet: v.ændring >= 0,
      ny_vinder: v.nyVinder,
    })),
  };
}

/** The `notat` value of the record's view (unescaped). */
export function recordView(u: Udbud, result: EvaluationResult): Record<string, unknown> {
  const byId = new Map(result.delkontrakter.map((l) => [l.delkontrakt, l]));
  const lots = lotsInOrder(u).filter((l) => byId.has(l.id)).map((l) => recordLotView(u, byId.get(l.id)!));
  return {
    udbud: result.udbud,
    titel: result.titel,
    delkontrakter: lots,
    antal_tilbud: lots.reduce((s, l) => s + (l.antal_modtagne as number), 0),
  };
}

function recordDate(u: Udbud, opts: EvaluationRecordOptions): string {
  return opts.dato ?? u.tidsplan.tildeling ?? u.dato ?? u.tidsplan.tilbudsfrist;
}

/**
 * Builds the evaluation record (evalueringsnotat) for a validated tender and its evaluation
 * result. Template problems are diagnostics with file and line (as for `udbud render`); a result
 * that does not belong to the tender (another udbud id, unknown lots) is a diagnostic located in
 * the spec. No files are written.
 */
export function buildEvaluationRecord(u: Udbud, result: EvaluationResult, map: SourceMap, opts: EvaluationRecordOptions = {}): EvaluationRecordResult {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const at = (message: string, code: string): Diagnostic => ({ severity: "fejl", ...map.locate(""), path: "", message, code });
  if (result.udbud !== u.id) errors.push(at(`Evalueringsresultatet hører til udbuddet '${result.udbud}', ikke '${u.id}'.`, "record.udbud"));
  for (const l of result.delkontrakter) {
    if (!u.delkontrakter.some((d) => d.id === l.delkontrakt)) errors.push(at(`Evalueringsresultatet indeholder delkontrakten '${l.delkontrakt}', som ikke findes i udbuddet.`, "record.delkontrakt"));
  }
  if (errors.length) return { tree: null, errors, warnings };

  const dir = opts.templatesDir ?? defaultTemplatesDir;
  let templates;
  try {
    templates = loadTemplates(dir);
  } catch (e) {
    if (e instanceof TemplateError) return { tree: null, errors: [templateDiag(e)], warnings };
    throw e;
  }
  const owner = [u.ordregiver.navn, ...(u.ordregiver.enhed ? [u.ordregiver.enhed] : [])];
  const plan: DocumentPlan = { id: RECORD_ID, template: RECORD_ID, title: "Evalueringsnotat", label: "Evalueringsnotat", subtitle: [u.titel, ...owner] };
  const dato = recordDate(u, opts);
  const view = { ...(buildView(u, plan, planDocuments(u), dir) as object), notat: { ...escapeDeep(recordView(u, result)), dato } };
  let markdown: string;
  try {
    markdown = templates.render(plan.template, view);
  } catch (e) {
    if (e instanceof TemplateError) return { tree: null, errors: [templateDiag(e)], warnings };
    throw e;
  }
  const tree = treeFor(plan, dato, u.ordregiver.navn, parseMarkdown(markdown, markdownParser()));
  errors.push(...numberTree(tree, templates, plan.template));
  return { tree: errors.length ? null : tree, errors, warnings };
}

/**
 * Writes the record as `evalueringsnotat.<format>` into `outDir` (created if needed), each file
 * atomically. Returns the file names written.
 */
/** Writes the record in `formats` plus `extra` files (the price comparison workbook) as one all-or-nothing set. */
export async function writeEvaluationRecord(tree: DocumentTree, outDir: string, formats: readonly DocFormat[] = DOC_FORMATS, protect: readonly string[] = [], extra: readonly { name: string; data: Buffer }[] = []): Promise<{ names: string[]; errors: Diagnostic[] }> {
  const files: { name: string; data: Buffer }[] = [];
  for (const f of formats) files.push({ name: `${tree.id}.${f}`, data: await renderTree(tree, f) });
  files.push(...extra);
  // All or nothing (src/write/output.ts).
  const written = writeOutputSet(outDir, files, { protect });
  if (written.errors.length) return { names: [], errors: written.errors };
  return { names: files.map((f) => f.name), errors: [] };
}
