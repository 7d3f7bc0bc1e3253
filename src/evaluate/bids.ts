/**
 * Reading a bids file (tilbud til evaluering): YAML or CSV → checked `Bid` objects.
 *
 * YAML: a list `bud:` of Bid objects with the Danish keys of types.ts:
 *
 *   bud:
 *     - tilbudsgiver: Firma A
 *       delkontrakt: udsatte
 *       priser:
 *         - { indsats: T1, pris: 3100 }
 *         - { element: PSY, pris: 950 }
 *       kvalitet:
 *         - { kriterium: progression, point: 8, bedømmer: AB }
 *       mindstekrav_ikke_opfyldt: [gruppeaktiviteter]
 *
 * CSV (semicolon, comma or tab separated; the separator is read from the header line; UTF-8,
 * UTF-8 with BOM, or Windows-1252 as Excel saves "CSV (semikolonsepareret)"), one row per value:
 *
 *   tilbudsgiver;delkontrakt;type;id;værdi;bedømmer;begrundelse
 *   Firma A;udsatte;pris;T1;3.100;;
 *   Firma A;udsatte;kvalitet;progression;8;AB;Konkret og sandsynliggjort
 *   Firma A;udsatte;mindstekrav;gruppeaktiviteter;ikke opfyldt;;
 *
 * type = pris (id: indsats or element; værdi: unit price in kr.), kvalitet (id: leaf criterion;
 * værdi: points; bedømmer: evaluator, 'konsensus' for a consensus score) or mindstekrav (id:
 * minimum requirement; værdi: 'opfyldt'/'ja' or 'ikke opfyldt'/'nej'). Numbers may be Danish
 * (3.200,50) or plain (3200.5). Empty rows and rows starting with '#' are skipped.
 *
 * Every problem is reported in Danish with file:line:column, all at once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isUtf8 } from "node:buffer";
import { Diagnostic, joinPointer, pointerToPath } from "../diagnostics.js";
import { formatNumber } from "../format.js";
import type { Delkontrakt, Tildeling, Udbud } from "../model/types.js";
import { loadCareful } from "../read/load.js";
import { Lines, SourceMap, displayPath, type SourceFile } from "../read/source.js";
import { hint } from "../suggest.js";
import { effectiveWeights, isConsensus } from "./models.js";
import type { Bid } from "./types.js";

/** Limits that keep an untrusted bids file from exhausting memory or time. */
export const BID_LIMITS = {
  /** Largest bids file, in bytes. */
  maxFileBytes: 5 * 1024 * 1024,
  /** Most CSV rows. */
  maxRows: 200_000,
  /** Most bids (bidder × lot) in one file. */
  maxBids: 2_000,
  /** Longest CSV cell, in characters. */
  maxCellChars: 20_000,
} as const;

/** The CSV columns, in the documented order. */
export const CSV_COLUMNS = ["tilbudsgiver", "delkontrakt", "type", "id", "værdi", "bedømmer", "begrundelse"] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly CsvColumn[] = ["tilbudsgiver", "delkontrakt", "type", "id", "værdi"];

/** Where a value of the (possibly virtual) bids structure sits in the file. */
export interface Locator {
  at(pointer: string, preferKey?: boolean): { file: string; line: number; column: number; path: string };
}

/** Locator for bids built in code (no file): line 1, column 1 and the JSON path. */
export const NO_FILE: Locator = { at: (p) => ({ file: "(bud)", line: 1, column: 1, path: pointerToPath(p) }) };

class MapLocator implements Locator {
  constructor(private readonly map: SourceMap, private readonly columns?: Map<string, string>) {}
  at(pointer: string, preferKey = false) {
    const where = this.map.locate(pointer, preferKey);
    return { ...where, path: this.columns ? this.column(pointer) : pointerToPath(pointer) };
  }
  private column(pointer: string): string {
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf("/"))) {
      const c = this.columns!.get(p);
      if (c !== undefined) return c;
      if (p === "") return "";
    }
  }
}

class Reporter {
  readonly errors: Diagnostic[] = [];
  constructor(readonly loc: Locator) {}
  error(code: string, pointer: string, message: string, preferKey = false): void {
    const where = this.loc.at(pointer, preferKey);
    const text = message.replace(/\b(kr|mio|pkt|stk|jf|fx)\.\./g, "$1.");
    this.errors.push({ severity: "fejl", code: `bud.${code}`, ...where, message: text });
  }
  /** "linje 12" for a pointer, to refer to an earlier place. */
  line(pointer: string): string {
    const w = this.loc.at(pointer);
    return `linje ${w.line}`;
  }
}

const p = joinPointer;
const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(", ");
const normName = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

/**
 * Parses a number as a Danish procurement officer writes it: 3200, 3200,5, 3.200, 3.200,50,
 * 3 200, 3200.5 (a dot followed by exactly three digits is a thousands separator), optionally
 * with 'kr.' or 'DKK'. Returns undefined for anything else.
 */
export function parseDanishNumber(text: string): number | undefined {
  let s = text.trim().replace(/[\s\u00a0\u202f]/g, "");
  s = s.replace(/^(dkk|kr\.?)/i, "").replace(/(kr\.?|dkk|,-)$/i, "");
  if (s === "") return undefined;
  let norm: string | undefined;
  if (/^[-+]?\d+$/.test(s)) norm = s;
  else if (/^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) norm = s.replace(/\./g, "").replace(",", ".");
  else if (/^[-+]?\d*,\d+$/.test(s)) norm = s.replace(",", ".");
  else if (/^[-+]?\d*\.\d+$/.test(s)) norm = s;
  else if (/^[-+]?\d{1,3}(,\d{3})+\.\d+$/.test(s)) norm = s.replace(/,/g, "");
  if (norm === undefined) return undefined;
  const n = Number(norm);
  return Number.isFinite(n) ? n : undefined;
}

// ---------------------------------------------------------------------------------------------
// Checking bids against the spec (shared by YAML, CSV and programmatic use)
// ---------------------------------------------------------------------------------------------

interface LotInfo {
  lot: Delkontrakt;
  tildeling: Tildeling;
  /** Priced items: id → kind. */
  priced: Map<string, "indsats" | "element">;
  indsatser: Set<string>;
  elementer: Set<string>;
}

function lotInfo(udbud: Udbud, lot: Delkontrakt): LotInfo {
  const priced = new Map<string, "indsats" | "element">();
  for (const pr of lot.prismodel.priser) {
    if (pr.indsats !== undefined) priced.set(pr.indsats, "indsats");
    else if (pr.element !== undefined) priced.set(pr.element, "element");
  }
  return {
    lot,
    tildeling: lot.tildeling ?? udbud.tildeling,
    priced,
    indsatser: new Set(lot.indsatsspor.flatMap((s) => s.indsatser.map((i) => i.id))),
    elementer: new Set((lot.elementer ?? []).map((e) => e.id)),
  };
}

/** The lot a bid names: by id, or by its number (delkontrakt 1). */
function findLot(udbud: Udbud, ref: string): Delkontrakt | undefined {
  const r = ref.trim();
  return udbud.delkontrakter.find((l) => l.id === r) ?? (/^\d+$/.test(r) ? udbud.delkontrakter.find((l) => String(l.nummer) === r) : undefined);
}

/** Whether an id is an element of the lot `ref` (for CSV rows, which name only an id). */
function isElementOf(udbud: Udbud, ref: string, id: string): boolean {
  const lot = findLot(udbud, ref);
  if (!lot) return false;
  return (lot.elementer ?? []).some((e) => e.id === id) || lot.prismodel.priser.some((pr) => pr.element === id);
}

export interface CheckOptions {
  locator?: Locator;
  /** Pointers whose (non-numeric) value has already been reported by the file reader. */
  reported?: Set<string>;
}

/**
 * Checks bids against the spec: lots, priced items, criteria, scale, evaluators, mindstekrav,
 * duplicates. Returns normalized bids (lot ids instead of lot numbers, trimmed names, the right
 * kind indsats/element, no repeated mindstekrav ids) and every error found.
 */
export function checkBids(udbud: Udbud, bids: readonly Bid[], opts: CheckOptions = {}): { bids: Bid[]; errors: Diagnostic[] } {
  const r = new Reporter(opts.locator ?? NO_FILE);
  const reported = opts.reported ?? new Set<string>();
  const out: Bid[] = [];
  if (bids.length === 0) r.error("empty", "/bud", "Budfilen indeholder ingen bud. Angiv mindst ét bud under 'bud:' (eller én række i CSV-filen).");
  if (bids.length > BID_LIMITS.maxBids) {
    r.error("too-many", "/bud", `Budfilen indeholder ${bids.length} bud; grænsen er ${BID_LIMITS.maxBids}.`);
    return { bids: [], errors: r.errors };
  }
  const infos = new Map<string, LotInfo>();
  const seen = new Map<string, string>(); // lot/bidder → pointer of the first bid
  bids.forEach((bid, i) => {
    const bp = p("/bud", i);
    if (reported.has(bp)) return; // not a bid at all; already reported
    const name = (bid.tilbudsgiver ?? "").trim();
    const ref = (bid.delkontrakt ?? "").trim();
    let ok = true;
    if (name === "") {
      if (!reported.has(p(bp, "tilbudsgiver"))) r.error("missing-bidder", p(bp, "tilbudsgiver"), "Buddet mangler 'tilbudsgiver' (tilbudsgiverens navn).");
      ok = false;
    }
    if (ref === "") {
      if (!reported.has(p(bp, "delkontrakt"))) r.error("missing-lot", p(bp, "delkontrakt"), `Buddet mangler 'delkontrakt'. Mulige delkontrakter: ${list(udbud.delkontrakter.map((l) => l.id))}.`);
      return;
    }
    const lot = findLot(udbud, ref);
    if (!lot) {
      const ids = udbud.delkontrakter.map((l) => l.id);
      r.error("unknown-lot", p(bp, "delkontrakt"), `Delkontrakten '${ref}' findes ikke i udbuddet '${udbud.id}'. Mulige delkontrakter: ${list(ids)}.${hint(ref, ids)}`);
      return;
    }
    let info = infos.get(lot.id);
    if (!info) infos.set(lot.id, (info = lotInfo(udbud, lot)));
    if (ok) {
      const key = `${lot.id}\u0000${normName(name)}`;
      const first = seen.get(key);
      if (first !== undefined) {
        r.error("duplicate-bidder", p(bp, "tilbudsgiver"), `'${name}' har allerede et bud på delkontrakten '${lot.id}' (${r.line(first)}). Hver tilbudsgiver har ét bud pr. delkontrakt; saml priser og point i ét bud.`);
      } else seen.set(key, bp);
    }
    out.push(checkOne(r, reported, info, bid, bp, name));
  });
  return { bids: out, errors: r.errors };
}

function checkOne(r: Reporter, reported: Set<string>, info: LotInfo, bid: Bid, bp: string, name: string): Bid {
  const lot = info.lot;
  const who = name ? `tilbuddet fra '${name}' på delkontrakten '${lot.id}'` : `buddet uden tilbudsgiver på delkontrakten '${lot.id}'`;
  // Prices
  const priser: Bid["priser"] = [];
  const have = new Map<string, string>();
  (bid.priser ?? []).forEach((pr, j) => {
    const pp = p(p(bp, "priser"), j);
    if (reported.has(pp)) return;
    const kind = pr.indsats !== undefined ? "indsats" : pr.element !== undefined ? "element" : undefined;
    if (kind === undefined || (pr.indsats !== undefined && pr.element !== undefined)) {
      r.error("price-target", pp, "En pris skal angive enten 'indsats' eller 'element' (præcis ét af dem).");
      return;
    }
    const id = String(kind === "indsats" ? pr.indsats : pr.element).trim();
    const idp = p(pp, kind);
    const actual = info.priced.get(id);
    if (actual === undefined) {
      const known = [...info.priced.keys()];
      if (info.indsatser.has(id) || info.elementer.has(id))
        r.error("unpriced-item", idp, `'${id}' har ingen pris i delkontrakten '${lot.id}'s prismodel og kan ikke prissættes i et bud. Priser angives for: ${list(known)}.`);
      else
        r.error("unknown-item", idp, `'${id}' er hverken en indsats eller et element med pris i delkontrakten '${lot.id}'. Priser angives for: ${list(known)}.${suggest(id, known)}`);
      return;
    }
    if (actual !== kind) {
      r.error("item-kind", idp, `'${id}' er ${actual === "element" ? "et element" : "en indsats"} i delkontrakten '${lot.id}', ikke ${kind === "element" ? "et element" : "en indsats"}. Skriv '${actual}: ${id}'.`, true);
      return;
    }
    const prev = have.get(id);
    if (prev !== undefined) {
      r.error("duplicate-price", idp, `${cap(who)} har allerede en pris for '${id}' (${r.line(prev)}). Angiv hver pris én gang.`);
      return;
    }
    have.set(id, pp);
    const value = pr.pris;
    const vp = p(pp, "pris");
    if (typeof value !== "number" || !Number.isFinite(value)) {
      if (!reported.has(vp)) r.error("not-a-number", vp, `Prisen for '${id}' skal være et tal i kr. ekskl. moms, fx 3200 eller 3.200,50.`);
    } else if (value < 0) {
      r.error("negative-price", vp, `Prisen for '${id}' er negativ (${formatNumber(value)} kr.). En pris skal være 0 eller mere.`);
    }
    priser.push(kind === "indsats" ? { indsats: id, pris: value } : { element: id, pris: value });
  });
  const missing = [...info.priced.keys()].filter((id) => !have.has(id));
  if (missing.length) {
    r.error("missing-price", bid.priser?.length ? p(bp, "priser") : bp, `${cap(who)} mangler pris for ${list(missing)}. Der skal være en pris for hver indsats og hvert element i tilbudslisten (${info.priced.size} i alt).`, true);
  }
  // Quality
  const t = info.tildeling;
  const criteria = effectiveWeights(t.underkriterier);
  const leaves = criteria.filter((k) => k.leaf && k.type === "kvalitet");
  const byId = new Map(criteria.map((k) => [k.id, k]));
  const scale = t.pointskala;
  const kvalitet: Bid["kvalitet"] = [];
  const scored = new Map<string, Map<string, string>>(); // criterion → evaluator key → pointer
  const evaluators = new Map<string, string>(); // evaluator key → display name
  (bid.kvalitet ?? []).forEach((q, j) => {
    const qp = p(p(bp, "kvalitet"), j);
    if (reported.has(qp)) return;
    const kid = String(q.kriterium ?? "").trim();
    if (kid === "") {
      r.error("missing-criterion", qp, "Pointene mangler 'kriterium' (id på det delkriterium, der gives point for).");
      return;
    }
    const k = byId.get(kid);
    const kp = p(qp, "kriterium");
    if (!k) {
      const ids = leaves.map((l) => l.id);
      r.error("unknown-criterion", kp, leaves.length
        ? `Kriteriet '${kid}' findes ikke i tildelingskriterierne for delkontrakten '${lot.id}'. Der gives point for: ${list(ids)}.${suggest(kid, ids)}`
        : `Delkontrakten '${lot.id}' har ingen kvalitetskriterier, så der kan ikke gives point ('${kid}').`);
      return;
    }
    if (k.type !== "kvalitet") {
      r.error("price-criterion", kp, `'${kid}' er priskriteriet; det får point ud fra prisen efter pointmodellen, ikke fra bedømmere. Giv point for kvalitetskriterierne: ${list(leaves.map((l) => l.id))}.`);
      return;
    }
    if (!k.leaf) {
      r.error("inner-criterion", kp, `'${kid}' har delkriterier; giv point for hvert delkriterium: ${list(k.leaves)}.`);
      return;
    }
    const evaluator = q.bedømmer === undefined || q.bedømmer === null ? undefined : String(q.bedømmer).trim() || undefined;
    const ek = evaluator === undefined ? "" : isConsensus(evaluator) ? "konsensus" : normName(evaluator);
    let m = scored.get(kid);
    if (!m) scored.set(kid, (m = new Map()));
    const prev = m.get(ek);
    if (prev !== undefined) {
      const by = ek === "" ? "uden bedømmer" : ek === "konsensus" ? "som konsensus" : `fra bedømmer '${evaluator}'`;
      r.error("duplicate-score", kp, `'${kid}' har allerede point ${by} i ${who} (${r.line(prev)}). Hver bedømmer giver ét point pr. delkriterium.`);
      return;
    }
    m.set(ek, qp);
    if (ek !== "konsensus" && !evaluators.has(ek)) evaluators.set(ek, evaluator ?? "");
    const value = q.point;
    const vp = p(qp, "point");
    if (typeof value !== "number" || !Number.isFinite(value)) {
      if (!reported.has(vp)) r.error("not-a-number", vp, `Pointene for '${kid}' skal være et tal på pointskalaen, fx 7 eller 7,5.`);
    } else if (scale && (value < scale.min || value > scale.max)) {
      r.error("score-range", vp, `${formatNumber(value)} point for '${kid}' ligger uden for pointskalaen ${formatNumber(scale.min)}-${formatNumber(scale.max)}.`);
    }
    const entry: Bid["kvalitet"][number] = { kriterium: kid, point: value };
    if (evaluator !== undefined) entry.bedømmer = evaluator;
    if (q.begrundelse !== undefined && q.begrundelse !== null) entry.begrundelse = String(q.begrundelse);
    kvalitet.push(entry);
  });
  const unscored = leaves.filter((l) => !scored.has(l.id));
  if (unscored.length) {
    r.error("missing-score", bid.kvalitet?.length ? p(bp, "kvalitet") : bp, `${cap(who)} mangler point for ${unscored.map((l) => `'${l.id}' (${l.titel})`).join(", ")}. Der skal være point for hvert delkriterium.`, true);
  }
  // Every evaluator who scored the bid scores every criterion, unless there is a consensus score.
  for (const l of leaves) {
    const m = scored.get(l.id);
    if (!m || m.has("konsensus")) continue;
    const lacking = [...evaluators.keys()].filter((e) => !m.has(e));
    for (const e of lacking) {
      const nameOf = evaluators.get(e) || "(uden navn)";
      r.error("missing-score", p(bp, "kvalitet"), `Bedømmer '${nameOf}' har ikke givet point for '${l.id}' (${l.titel}) i ${who}. Giv point, eller angiv en konsensusscore (bedømmer: konsensus).`, true);
    }
  }
  // Minimum requirements
  const known = (t.mindstekrav ?? []).map((m) => m.id);
  const failed: string[] = [];
  (bid.mindstekrav_ikke_opfyldt ?? []).forEach((raw, j) => {
    const id = String(raw ?? "").trim();
    const mp = p(p(bp, "mindstekrav_ikke_opfyldt"), j);
    if (!known.includes(id)) {
      r.error("unknown-requirement", mp, known.length
        ? `Mindstekravet '${id}' findes ikke for delkontrakten '${lot.id}'. Mindstekravene er: ${list(known)}.${suggest(id, known)}`
        : `Udbuddet har ingen mindstekrav ('${id}').`);
      return;
    }
    if (!failed.includes(id)) failed.push(id);
  });
  const outBid: Bid = { tilbudsgiver: name, delkontrakt: lot.id, priser, kvalitet };
  if (failed.length) outBid.mindstekrav_ikke_opfyldt = failed;
  return outBid;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Mente du …?" by edit distance, or the one candidate that starts with the word ('case' → 'case-rapport'). */
function suggest(word: string, candidates: readonly string[]): string {
  const h = hint(word, candidates);
  if (h || word.length < 3) return h;
  const w = word.toLowerCase();
  const starts = candidates.filter((c) => c.toLowerCase().startsWith(w));
  return starts.length === 1 ? ` Mente du '${starts[0]}'?` : "";
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

export interface BidsResult {
  /** The checked bids, present when there are no errors. */
  bids?: Bid[];
  errors: Diagnostic[];
}

function fileDiag(file: string, message: string, code: string, line = 1, column = 1): Diagnostic {
  return { severity: "fejl", file, line, column, path: "", message, code: `bud.${code}` };
}

/** Size, type and emptiness checks before a bids file is parsed. */
function precheck(abs: string): Diagnostic | undefined {
  const display = displayPath(abs);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return fileDiag(display, `Budfilen '${display}' findes ikke. Tjek stavning og sti.`, "missing");
  }
  if (!st.isFile()) return fileDiag(display, `'${display}' er ikke en fil. Angiv budfilen (.yaml eller .csv) med --bids.`, "not-a-file");
  if (st.size > BID_LIMITS.maxFileBytes) {
    return fileDiag(display, `Budfilen er for stor (${st.size} bytes; grænsen er ${BID_LIMITS.maxFileBytes / 1024 / 1024} MiB).`, "too-large");
  }
  if (st.size === 0) return fileDiag(display, "Budfilen er tom.", "empty");
  return undefined;
}

/**
 * Reads a bids file (.yaml/.yml or .csv/.tsv/.txt) and checks it against the spec.
 * Never throws for bad input: problems come back as Danish diagnostics with file:line:column.
 */
export function readBids(bidsPath: string, udbud: Udbud): BidsResult {
  const abs = path.resolve(bidsPath);
  const ext = path.extname(abs).toLowerCase();
  const display = displayPath(abs);
  const pre = precheck(abs);
  if (pre) return { errors: [pre] };
  if (ext === ".yaml" || ext === ".yml") return readYamlBids(abs, udbud);
  if (ext === ".csv" || ext === ".tsv" || ext === ".txt") return readCsvBids(abs, udbud);
  return { errors: [fileDiag(display, `Budfilen skal være en YAML-fil (.yaml, .yml) eller en CSV-fil (.csv), ikke '${ext || path.basename(abs)}'.`, "format")] };
}

function finish(udbud: Udbud, bids: Bid[], loc: Locator, pre: Reporter, reported: Set<string>): BidsResult {
  const checked = checkBids(udbud, bids, { locator: loc, reported });
  const errors = sortErrors([...pre.errors, ...checked.errors]);
  return errors.length ? { errors } : { bids: checked.bids, errors: [] };
}

function sortErrors(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message));
}

// ---- YAML ------------------------------------------------------------------------------------

const BID_KEYS = ["tilbudsgiver", "delkontrakt", "priser", "kvalitet", "mindstekrav_ikke_opfyldt"];
const PRICE_KEYS = ["indsats", "element", "pris"];
const SCORE_KEYS = ["kriterium", "point", "bedømmer", "begrundelse"];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function readYamlBids(abs: string, udbud: Udbud): BidsResult {
  const loaded = loadCareful(abs);
  const fatal = loaded.diagnostics.filter((d) => d.severity === "fejl");
  if (loaded.data === undefined || fatal.length) return { errors: sortErrors(fatal.length ? fatal : loaded.diagnostics) };
  const loc = new MapLocator(loaded.sourceMap);
  const r = new Reporter(loc);
  const reported = new Set<string>();
  const data = loaded.data;
  if (!isObj(data)) {
    r.error("structure", "", "Budfilen skal være en gruppe med en liste 'bud:', fx\nbud:\n  - tilbudsgiver: Firma A\n    delkontrakt: …");
    return { errors: r.errors };
  }
  for (const k of Object.keys(data)) {
    if (k !== "bud" && k !== "udbud") r.error("unknown-key", p("", k), `Ukendt nøgle '${k}' i budfilen. Tilladt: 'bud' og 'udbud'.${hint(k, ["bud", "udbud"])}`, true);
  }
  if (data.udbud !== undefined && String(data.udbud) !== udbud.id) {
    r.error("wrong-tender", "/udbud", `Budfilen hører til udbuddet '${String(data.udbud)}', men udbuddet er '${udbud.id}'.`);
  }
  if (data.bud === undefined || data.bud === null) {
    r.error("structure", "", "Budfilen mangler listen 'bud:' med ét bud pr. tilbudsgiver og delkontrakt.");
    return { errors: r.errors };
  }
  if (!Array.isArray(data.bud)) {
    r.error("structure", "/bud", "'bud' skal være en liste, hvor hvert punkt starter med '- tilbudsgiver: …'.");
    return { errors: r.errors };
  }
  if (data.bud.length > BID_LIMITS.maxBids) {
    r.error("too-many", "/bud", `Budfilen indeholder ${data.bud.length} bud; grænsen er ${BID_LIMITS.maxBids}.`);
    return { errors: r.errors };
  }
  const bids: Bid[] = [];
  data.bud.forEach((raw, i) => {
    const bp = p("/bud", i);
    bids.push(yamlBid(r, reported, raw, bp));
  });
  return finish(udbud, bids, loc, r, reported);
}

/** Text of an id-like value (numbers allowed); undefined when absent; reports other types. */
function text(r: Reporter, v: unknown, ptr: string, what: string, reported?: Set<string>): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  r.error("type", ptr, `${what} skal være en tekst, ikke ${Array.isArray(v) ? "en liste" : "en gruppe"}.`);
  reported?.add(ptr);
  return undefined;
}

/** A number, or a Danish number written as text; NaN (and reported) otherwise. */
function num(r: Reporter, reported: Set<string>, v: unknown, ptr: string, what: string, example: string): number {
  if (typeof v === "number") return v;
  const parsed = typeof v === "string" ? parseDanishNumber(v) : undefined;
  if (parsed !== undefined) return parsed;
  reported.add(ptr);
  if (v === undefined || v === null) r.error("missing-value", ptr, `${what} mangler. Angiv et tal, fx ${example}.`, true);
  else r.error("not-a-number", ptr, `${what} skal være et tal, fx ${example}, ikke ${typeof v === "string" ? `'${v}'` : Array.isArray(v) ? "en liste" : typeof v === "object" ? "en gruppe" : `'${String(v)}'`}.`);
  return NaN;
}

function unknownKeys(r: Reporter, o: Record<string, unknown>, ptr: string, allowed: string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (allowed.includes(k)) continue;
    // `{ point: 7,5 }`: in a { … } group the comma splits the number, and '5' becomes a key.
    const comma = /^\d+$/.test(k) ? " Er det et decimaltal med komma inde i { … }? Skriv det i anførselstegn ('7,5') eller med punktum (7.5)." : hint(k, allowed);
    r.error("unknown-key", p(ptr, k), `Ukendt nøgle '${k}' i ${where}. Tilladt: ${list(allowed)}.${comma}`, true);
  }
}

function arrayOf(r: Reporter, v: unknown, ptr: string, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  r.error("type", ptr, `'${what}' skal være en liste (punkter, der starter med '- ').`);
  return [];
}

function yamlBid(r: Reporter, reported: Set<string>, raw: unknown, bp: string): Bid {
  const bid: Bid = { tilbudsgiver: "", delkontrakt: "", priser: [], kvalitet: [] };
  if (!isObj(raw)) {
    r.error("structure", bp, "Et bud skal være en gruppe med 'tilbudsgiver', 'delkontrakt', 'priser' og 'kvalitet'.");
    reported.add(bp);
    return bid;
  }
  unknownKeys(r, raw, bp, BID_KEYS, "et bud");
  bid.tilbudsgiver = text(r, raw.tilbudsgiver, p(bp, "tilbudsgiver"), "Tilbudsgiver", reported) ?? "";
  bid.delkontrakt = text(r, raw.delkontrakt, p(bp, "delkontrakt"), "Delkontrakt", reported) ?? "";
  arrayOf(r, raw.priser, p(bp, "priser"), "priser").forEach((e, j) => {
    const pp = p(p(bp, "priser"), j);
    if (!isObj(e)) {
      r.error("structure", pp, "En pris skal være en gruppe, fx '{ indsats: T1, pris: 3200 }'.");
      bid.priser.push({ pris: NaN }); // keeps the indices aligned with the file
      reported.add(pp);
      return;
    }
    unknownKeys(r, e, pp, PRICE_KEYS, "en pris");
    const entry: Bid["priser"][number] = { pris: num(r, reported, e.pris, p(pp, "pris"), "Prisen", "3200 eller 3.200,50") };
    const ind = text(r, e.indsats, p(pp, "indsats"), "Indsats");
    const el = text(r, e.element, p(pp, "element"), "Element");
    if (ind !== undefined) entry.indsats = ind;
    if (el !== undefined) entry.element = el;
    bid.priser.push(entry);
  });
  arrayOf(r, raw.kvalitet, p(bp, "kvalitet"), "kvalitet").forEach((e, j) => {
    const qp = p(p(bp, "kvalitet"), j);
    if (!isObj(e)) {
      r.error("structure", qp, "Point skal være en gruppe, fx '{ kriterium: progression, point: 8, bedømmer: AB }'.");
      bid.kvalitet.push({ kriterium: "", point: NaN });
      reported.add(qp);
      return;
    }
    unknownKeys(r, e, qp, SCORE_KEYS, "en bedømmelse");
    const entry: Bid["kvalitet"][number] = {
      kriterium: text(r, e.kriterium, p(qp, "kriterium"), "Kriterium") ?? "",
      point: num(r, reported, e.point, p(qp, "point"), "Point", "8 eller 7,5"),
    };
    const who = text(r, e["bedømmer"], p(qp, "bedømmer"), "Bedømmer");
    if (who !== undefined) entry.bedømmer = who;
    const why = text(r, e.begrundelse, p(qp, "begrundelse"), "Begrundelse");
    if (why !== undefined) entry.begrundelse = why;
    bid.kvalitet.push(entry);
  });
  const mk = arrayOf(r, raw.mindstekrav_ikke_opfyldt, p(bp, "mindstekrav_ikke_opfyldt"), "mindstekrav_ikke_opfyldt");
  if (mk.length) bid.mindstekrav_ikke_opfyldt = mk.map((m, j) => text(r, m, p(p(bp, "mindstekrav_ikke_opfyldt"), j), "Mindstekrav") ?? "");
  return bid;
}

// ---- CSV -------------------------------------------------------------------------------------

/** A CSV cell: its text and the offset where it starts. */
export interface Cell {
  text: string;
  offset: number;
}
export interface Row {
  cells: Cell[];
  /** Offset just past the row's last cell (where a missing cell would be). */
  end: number;
}

/** The separator of a CSV file: the most frequent of ; , and tab in the header line (outside quotes). */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ";": 0, ",": 0, "\t": 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) break;
    else if (!quoted && c in counts) counts[c]++;
  }
  let best = ";";
  for (const d of [";", "\t", ","]) if (counts[d] > counts[best]) best = d;
  return best;
}

/**
 * Parses CSV (RFC 4180: quotes, doubled quotes, line breaks inside quotes, CRLF or LF) and keeps
 * the offset of every cell. Problems go to `onError(offset, message)`.
 */
export function parseCsv(text: string, delimiter: string, onError: (offset: number, message: string) => void): Row[] {
  const rows: Row[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (rows.length >= BID_LIMITS.maxRows) {
      onError(i, `CSV-filen har for mange rækker (over ${BID_LIMITS.maxRows.toLocaleString("da-DK")}).`);
      break;
    }
    const cells: Cell[] = [];
    for (;;) {
      const start = i;
      let value = "";
      if (text[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            value += text.slice(i);
            i = n;
            break;
          }
          value += text.slice(i, q);
          if (text[q + 1] === '"') {
            value += '"';
            i = q + 2;
          } else {
            i = q + 1;
            closed = true;
            break;
          }
        }
        if (!closed) {
          onError(start, "Et anførselstegn (\") åbner et felt, men lukkes aldrig. Tilføj det afsluttende anførselstegn.");
          cells.push({ text: value, offset: start });
          rows.push({ cells, end: n });
          return rows;
        }
        const stop = nextStop(text, i, delimiter);
        const rest = text.slice(i, stop);
        if (rest.trim() !== "") onError(i, `Der står tekst efter et afsluttende anførselstegn ('${rest.trim()}'). Sæt hele feltet i anførselstegn.`);
        i = stop;
      } else {
        const stop = nextStop(text, i, delimiter);
        value = text.slice(i, stop);
        i = stop;
      }
      if (value.length > BID_LIMITS.maxCellChars) onError(start, `Feltet er for langt (${value.length} tegn; grænsen er ${BID_LIMITS.maxCellChars}).`);
      cells.push({ text: value, offset: start });
      if (text[i] === delimiter) {
        i++;
        continue;
      }
      break;
    }
    const end = i;
    if (text[i] === "\r") i++;
    if (text[i] === "\n") i++;
    rows.push({ cells, end });
  }
  return rows;
}

function nextStop(text: string, from: number, delimiter: string): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === delimiter || c === "\n" || c === "\r") return i;
  }
  return text.length;
}

const COLUMN_KEYS: Record<string, CsvColumn> = {};
for (const c of CSV_COLUMNS) {
  COLUMN_KEYS[c] = c;
  COLUMN_KEYS[c.replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa")] = c;
}

const MET = new Set(["opfyldt", "ja", "j", "x", "1", "sand", "true"]);
const NOT_MET = new Set(["ikke opfyldt", "ikke-opfyldt", "ikkeopfyldt", "nej", "n", "0", "falsk", "false"]);

/** Decodes a CSV file: UTF-8 (with or without BOM), or Windows-1252 as older Excel saves it. */
function decodeCsv(abs: string): { text: string } | { error: Diagnostic } {
  const display = displayPath(abs);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(abs);
  } catch (e) {
    return { error: fileDiag(display, `Budfilen kan ikke læses (${(e as NodeJS.ErrnoException).code ?? "ukendt fejl"}).`, "unreadable") };
  }
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    return { error: fileDiag(display, "Filen er gemt som UTF-16 ('Unicode-tekst'). Gem den i Excel som 'CSV UTF-8 (kommasepareret)' eller 'CSV (semikolonsepareret)'.", "utf16") };
  }
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    const line = buf.subarray(0, nul).toString("latin1").split("\n").length;
    return { error: fileDiag(display, "Filen indeholder binære data og er ikke en CSV-fil. Er det en Excel-projektmappe (.xlsx)? Gem den som CSV.", "binary", line) };
  }
  let text = isUtf8(buf) ? buf.toString("utf8") : new TextDecoder("windows-1252").decode(buf);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}

function readCsvBids(abs: string, udbud: Udbud): BidsResult {
  const decoded = decodeCsv(abs);
  if ("error" in decoded) return { errors: [decoded.error] };
  const display = displayPath(abs);
  const file: SourceFile = { abs, display, text: decoded.text, lines: new Lines(decoded.text) };
  const map = new SourceMap(display);
  map.files.push(file);
  const columns = new Map<string, string>();
  const loc = new MapLocator(map, columns);
  const r = new Reporter(loc);
  const at = (offset: number, message: string, code: string, column = "") => {
    const pos = file.lines.linePos(offset);
    r.errors.push({ severity: "fejl", file: display, line: pos.line, column: pos.col, path: column, message, code: `bud.${code}` });
  };
  const delimiter = detectDelimiter(file.text);
  const rows = parseCsv(file.text, delimiter, (o, m) => at(o, m, "csv"));
  const content = rows.filter((row) => !isBlank(row) && !row.cells[0].text.trim().startsWith("#"));
  if (content.length === 0) return { errors: [fileDiag(display, "Budfilen er tom.", "empty")] };
  // Header
  const header = content[0];
  const col = new Map<CsvColumn, number>();
  header.cells.forEach((c, idx) => {
    const key = c.text.trim().toLowerCase();
    if (key === "") return;
    const name = COLUMN_KEYS[key];
    if (!name) {
      at(c.offset, `Ukendt kolonne '${c.text.trim()}' i overskriften. Kolonnerne er: ${CSV_COLUMNS.join(delimiter === "\t" ? ", " : delimiter)}.${hint(key, [...CSV_COLUMNS])}`, "csv-header");
      return;
    }
    if (col.has(name)) {
      at(c.offset, `Kolonnen '${name}' står to gange i overskriften.`, "csv-header");
      return;
    }
    col.set(name, idx);
  });
  const absent = REQUIRED_COLUMNS.filter((c) => !col.has(c));
  if (absent.length) {
    const sep = delimiter === "\t" ? "tabulator" : `'${delimiter}'`;
    at(header.cells[0].offset, `Overskriften mangler ${absent.length === 1 ? "kolonnen" : "kolonnerne"} ${list(absent)}. Første linje skal være: ${CSV_COLUMNS.join(delimiter === "\t" ? "<tab>" : delimiter)} (adskilt med ${sep}).`, "csv-header");
    return { errors: sortErrors(r.errors) };
  }
  const cell = (row: Row, c: CsvColumn): Cell => {
    const idx = col.get(c);
    if (idx === undefined) return { text: "", offset: row.end };
    return row.cells[idx] ?? { text: "", offset: row.end };
  };
  const reported = new Set<string>();
  const bids: Bid[] = [];
  const groups = new Map<string, number>();
  const set = (ptr: string, c: Cell, column: CsvColumn | "") => {
    map.set(ptr, { file, offset: c.offset });
    columns.set(ptr, column);
  };
  map.set("/bud", { file, offset: header.cells[0].offset });
  for (const row of content.slice(1)) {
    if (row.cells.length > header.cells.length && row.cells.slice(header.cells.length).some((c) => c.text.trim() !== "")) {
      at(row.cells[header.cells.length].offset, `Rækken har flere felter (${row.cells.length}) end overskriften (${header.cells.length}). Står der '${delimiter === "\t" ? "tabulator" : delimiter}' i en tekst, så sæt teksten i anførselstegn.`, "csv-fields");
      continue;
    }
    const bidder = cell(row, "tilbudsgiver");
    const lotCell = cell(row, "delkontrakt");
    const typeCell = cell(row, "type");
    const idCell = cell(row, "id");
    const valueCell = cell(row, "værdi");
    const who = bidder.text.trim();
    const lotRef = lotCell.text.trim();
    let bad = false;
    if (who === "") {
      at(bidder.offset, "Tilbudsgiver mangler i rækken.", "missing-bidder", "tilbudsgiver");
      bad = true;
    }
    if (lotRef === "") {
      at(lotCell.offset, `Delkontrakt mangler i rækken. Mulige delkontrakter: ${list(udbud.delkontrakter.map((l) => l.id))}.`, "missing-lot", "delkontrakt");
      bad = true;
    }
    const type = typeCell.text.trim().toLowerCase();
    if (type !== "pris" && type !== "kvalitet" && type !== "mindstekrav") {
      at(typeCell.offset, type === ""
        ? "Typen mangler. Skriv pris, kvalitet eller mindstekrav."
        : `Typen '${typeCell.text.trim()}' er ukendt. Skriv pris, kvalitet eller mindstekrav.${hint(type, ["pris", "kvalitet", "mindstekrav"])}`, "csv-type", "type");
      bad = true;
    }
    const id = idCell.text.trim();
    if (id === "" && !bad) {
      at(idCell.offset, type === "pris" ? "Id mangler: skriv indsatsen eller elementet, prisen gælder (fx T1)." : type === "kvalitet" ? "Id mangler: skriv delkriteriet, pointene gælder (fx progression)." : "Id mangler: skriv mindstekravets id.", "missing-id", "id");
      bad = true;
    }
    if (bad) continue;
    // A lot named by its id in one row and by its number in another is the same lot.
    const key = `${normName(who)}\u0000${findLot(udbud, lotRef)?.id ?? lotRef}`;
    let bi = groups.get(key);
    if (bi === undefined) {
      bi = bids.length;
      groups.set(key, bi);
      bids.push({ tilbudsgiver: who, delkontrakt: lotRef, priser: [], kvalitet: [] });
      const bp = p("/bud", bi);
      set(bp, bidder, "");
      set(p(bp, "tilbudsgiver"), bidder, "tilbudsgiver");
      set(p(bp, "delkontrakt"), lotCell, "delkontrakt");
    }
    const bid = bids[bi];
    const bp = p("/bud", bi);
    if (type === "pris") {
      const j = bid.priser.length;
      const pp = p(p(bp, "priser"), j);
      const kind = isElementOf(udbud, lotRef, id) ? "element" : "indsats";
      set(pp, idCell, "id");
      set(p(pp, kind), idCell, "id");
      set(p(pp, "pris"), valueCell, "værdi");
      const value = csvNumber(valueCell, (m) => at(valueCell.offset, m, valueCell.text.trim() === "" ? "missing-value" : "not-a-number", "værdi"), `Prisen for '${id}'`, "3200 eller 3.200,50");
      if (Number.isNaN(value)) reported.add(p(pp, "pris"));
      bid.priser.push(kind === "element" ? { element: id, pris: value } : { indsats: id, pris: value });
    } else if (type === "kvalitet") {
      const j = bid.kvalitet.length;
      const qp = p(p(bp, "kvalitet"), j);
      set(qp, idCell, "id");
      set(p(qp, "kriterium"), idCell, "id");
      set(p(qp, "point"), valueCell, "værdi");
      const evaluator = cell(row, "bedømmer");
      set(p(qp, "bedømmer"), evaluator, "bedømmer");
      const value = csvNumber(valueCell, (m) => at(valueCell.offset, m, valueCell.text.trim() === "" ? "missing-value" : "not-a-number", "værdi"), `Pointene for '${id}'`, "8 eller 7,5");
      if (Number.isNaN(value)) reported.add(p(qp, "point"));
      const entry: Bid["kvalitet"][number] = { kriterium: id, point: value };
      if (evaluator.text.trim() !== "") entry.bedømmer = evaluator.text.trim();
      const why = cell(row, "begrundelse").text.trim();
      if (why !== "") entry.begrundelse = why;
      bid.kvalitet.push(entry);
    } else {
      const v = valueCell.text.trim().toLowerCase().replace(/\s+/g, " ");
      if (MET.has(v)) continue;
      if (!NOT_MET.has(v)) {
        at(valueCell.offset, `Værdien for mindstekravet '${id}' skal være 'opfyldt' (eller 'ja') eller 'ikke opfyldt' (eller 'nej')${v ? `, ikke '${valueCell.text.trim()}'` : ""}.`, "csv-requirement", "værdi");
        continue;
      }
      const list = (bid.mindstekrav_ikke_opfyldt ??= []);
      const mp = p(p(bp, "mindstekrav_ikke_opfyldt"), list.length);
      set(mp, idCell, "id");
      list.push(id);
    }
  }
  if (bids.length === 0 && r.errors.length === 0) return { errors: [fileDiag(display, "Budfilen har en overskrift, men ingen rækker med bud.", "empty", 2)] };
  return finish(udbud, bids, loc, r, reported);
}

function isBlank(row: Row): boolean {
  return row.cells.every((c) => c.text.trim() === "");
}

function csvNumber(c: Cell, report: (message: string) => void, what: string, example: string): number {
  const t = c.text.trim();
  const v = parseDanishNumber(t);
  if (v !== undefined) return v;
  report(t === "" ? `${what} mangler i kolonnen 'værdi'. Angiv et tal, fx ${example}.` : `${what} skal være et tal, fx ${example}, ikke '${t}'.`);
  return NaN;
}
