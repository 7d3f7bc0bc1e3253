/**
 * Reading a scenario file for the price simulation (`udbud simulate`) and resolving it against the
 * spec into the engine's input.
 *
 *   readScenario(file)                → ScenarieFil (YAML, checked against schemas/scenarie.schema.json
 *                                        and for things a schema cannot say: sums, possible
 *                                        distributions, a season with at least one month)
 *   resolveScenario(udbud, fil, map)  → SimuleringsInput (every simulated offer with complete
 *                                        assumptions and the prices of every pricing model)
 *
 * Precedence of an assumption, most specific first: the offer in the scenario, the lot's
 * `standard`, the file's `standard`, the spec (duration, weekly hours, prices, places), the
 * built-in defaults below.
 *
 * Every problem is reported in Danish with file:line:column (the key of the offending value), all
 * at once; nothing here throws for bad input.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Diagnostic, joinPointer, pointerToPath, sortDiagnostics } from "../diagnostics.js";
import { formatNumber } from "../format.js";
import { supplierCount, type Afregningsform, type Delkontrakt, type Element, type Indsats, type Pris, type Resultat, type Udbud } from "../model/types.js";
import { loadCareful } from "../read/load.js";
import { loadSchemaFile, validateAgainst } from "../read/schema.js";
import type { SourceMap } from "../read/source.js";
import { hint } from "../suggest.js";
import { truncatedMean } from "./rng.js";
import type {
  AntagelserFil, DelkontraktFil, Forløbsantagelser, Modelpriser, Priskilde, ScenarieFil, SimuleretDelkontrakt,
  SimuleretYdelse, SimuleringsInput, Timefordeling, Udfald, Varighedsfordeling, YdelseFil,
} from "./model.js";

/** The scenario file's usual name, next to udbud.yaml. */
export const SCENARIO_FILE = "scenarie.yaml";
/** The JSON Schema of the scenario file, in `schemas/`. */
export const SCENARIO_SCHEMA = "scenarie.schema.json";

/** Results in the fixed order used for outcome and bonus lists (deterministic output). */
export const RESULTAT_ORDEN: readonly Resultat[] = ["ordinære-timer", "job", "uddannelse", "fleksjob", "afklaring"];

/** Built-in defaults (documented in the schema's descriptions). */
export const STANDARD = {
  kørsler: 10_000,
  frø: 1,
  budgetændringer: [0, -10, -20, -30] as readonly number[],
  følsomhed_procent: 20,
  henvisningsfordeling: "poisson" as const,
  forlængelse: { sandsynlighed: 0, uger: 0 },
  afbrydelse: { sandsynlighed: 0, tidspunkt: "ligefordelt" as const },
  fremmøde: 1,
  aflysning: { sandsynlighed: 0, sen_andel: 0, sen_betaling_uger: 1 },
  /** Expected occupancy when the number of helårsperson places is derived from the demand. */
  belægning: 0.9,
} as const;

/** Probabilities must sum to 1 within this tolerance. */
const SUM_TOLERANCE = 1e-9;
/** A truncated normal with less probability mass than this inside [min, max] cannot be drawn from. */
const MIN_MASS = 1e-6;
const DAGE_PR_UGE = 5;
const UGER_PR_ÅR = 52;

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

class Reporter {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];
  constructor(readonly map: SourceMap) {}
  private add(list: Diagnostic[], severity: Diagnostic["severity"], code: string, pointer: string, message: string, preferKey: boolean): void {
    const where = this.map.locate(pointer, preferKey);
    list.push({ severity, ...where, path: pointerToPath(pointer), message, code: `scenarie.${code}` });
  }
  /** An error at the key of `pointer` (or its value when `preferKey` is false). */
  error(code: string, pointer: string, message: string, preferKey = true): void {
    this.add(this.errors, "fejl", code, pointer, message, preferKey);
  }
  warn(code: string, pointer: string, message: string, preferKey = true): void {
    this.add(this.warnings, "advarsel", code, pointer, message, preferKey);
  }
}

const p = joinPointer;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/** Own property (a lot or offer id such as 'constructor' must not find Object.prototype). */
function own<T>(o: Record<string, T> | undefined, key: string): T | undefined {
  return o !== undefined && Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}
const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(", ");
/** A probability or factor as a Danish reader writes it: 0,95 (at most 6 decimals). */
const da = (x: number) => formatNumber(x, 6).replace(/0+$/, "").replace(/,$/, "");
/** A value as it is written in YAML: 0.05. */
const yml = (x: number) => String(Number(x.toFixed(6)));

/** "Indsatsen 'T1'" / "Elementet 'PSY'". */
function kind(art: "indsats" | "element", id: string, capital = true): string {
  const w = art === "indsats" ? "indsatsen" : "elementet";
  return `${capital ? w.charAt(0).toUpperCase() + w.slice(1) : w} '${id}'`;
}

// ---------------------------------------------------------------------------------------------
// Numbers: the normal distribution
// ---------------------------------------------------------------------------------------------

/** erf(x): the Taylor series near 0 (exact where tiny windows are judged), else Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 0.5) {
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 30; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  const t = 1 / (1 + 0.3275911 * ax);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-ax * ax);
  return Math.sign(x) * y;
}

/** P(min ≤ X ≤ max) for X ~ N(middel, sd²); sd 0 is a point mass. */
export function normalMass(middel: number, sd: number, min: number, max: number): number {
  if (max < min) return 0;
  if (sd === 0) return middel >= min && middel <= max ? 1 : 0;
  const a = (min - middel) / (sd * Math.SQRT2);
  const b = (max - middel) / (sd * Math.SQRT2);
  // Where it matters (a narrow window around middel) a ≤ 0 ≤ b, so this is a sum of two small
  // erf values from the exact series: no cancellation. Far tails are rejected before this is used.
  return Math.max(0, 0.5 * (erf(b) - erf(a)));
}

/** Mean of N(middel, sd²) truncated to [min, max] (rng.ts: truncatedMean); sd 0 is a point mass. */
export function truncatedNormalMean(middel: number, sd: number, min: number, max: number): number {
  return sd === 0 ? Math.min(max, Math.max(min, middel)) : truncatedMean(middel, sd, min, max);
}

/** Expected planned duration in weeks (before extension and interruption). */
export function meanVarighed(v: Varighedsfordeling): number {
  if (v.fordeling === "fast") return v.uger;
  // `middel` is the mean after truncation (rng.ts: normalLocation).
  if (v.fordeling === "normal") return Math.min(v.max, Math.max(v.min, v.middel));
  return v.udfald.reduce((s, u) => s + u.uger * u.sandsynlighed, 0);
}

/** Expected booked hours per week. */
export function meanTimer(t: Timefordeling): number {
  return t.fordeling === "fast" ? t.timer : Math.min(t.max, Math.max(t.min, t.middel));
}

// ---------------------------------------------------------------------------------------------
// Reading the file
// ---------------------------------------------------------------------------------------------

export interface ScenarioResult {
  /** The checked scenario file, present when there are no errors (warnings allowed). */
  fil?: ScenarieFil;
  /** The schema-valid scenario even when a rule check failed, so that it can still be resolved for more errors. */
  schemaValid?: ScenarieFil;
  /** `schemaValid` has schema errors in places: resolve it only to look for more errors elsewhere. */
  partial?: boolean;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  sourceMap: SourceMap;
}

/**
 * Reads a scenario file (or `scenarie.yaml` in a folder): the careful YAML loader (size limits,
 * UTF-8, duplicate keys, Danish YAML messages), the scenario schema (Danish messages, "Mente du"),
 * then the checks a schema cannot express. Never throws for bad input.
 */
export function readScenario(file: string): ScenarioResult {
  let target = path.resolve(file);
  try {
    if (fs.statSync(target).isDirectory()) target = path.join(target, SCENARIO_FILE);
  } catch {
    /* reported by the loader */
  }
  const loaded = loadCareful(target);
  const map = loaded.sourceMap;
  const diags = loaded.diagnostics.map((d) =>
    d.code === "read.empty"
      ? { ...d, message: "Scenariefilen er tom. Start med fx 'titel: Forventet efterspørgsel' og 'delkontrakter:' med en delkontrakt og dens indsatser." }
      : d,
  );
  const done = (ds: Diagnostic[], fil?: ScenarieFil): ScenarioResult => {
    const errors = sortDiagnostics(ds.filter((d) => d.severity === "fejl"));
    const warnings = sortDiagnostics(ds.filter((d) => d.severity === "advarsel"));
    return { ...(errors.length === 0 && fil ? { fil } : {}), errors, warnings, sourceMap: map };
  };
  if (loaded.data === undefined || diags.some((d) => d.severity === "fejl")) return done(diags);
  const schemaDiags = validateAgainst(loadSchemaFile(SCENARIO_SCHEMA), loaded.data, map);
  if (schemaDiags.length) {
    // Every error at once: the rule checks still run, and report on the parts the schema accepted.
    const data = loaded.data;
    if (!data || typeof data !== "object" || Array.isArray(data)) return done([...diags, ...schemaDiags]);
    const r = new Reporter(map);
    let partial: ScenarieFil;
    try {
      partial = normalise(data as Record<string, unknown>);
      checkScenario(partial, r);
    } catch {
      return done([...diags, ...schemaDiags]);
    }
    const clean = [...r.errors, ...r.warnings].filter((d) => !schemaDiags.some((b) => overlapsPath(d.path, b.path)));
    return { ...done([...diags, ...schemaDiags, ...clean]), schemaValid: partial, partial: true };
  }
  const fil = normalise(loaded.data as Record<string, unknown>);
  const r = new Reporter(map);
  checkScenario(fil, r);
  return { ...done([...diags, ...r.errors, ...r.warnings], fil), schemaValid: fil };
}

/** Whether two readable paths (`a.b[0].c`) name the same value or one lies inside the other. */
export function overlapsPath(a: string, b: string): boolean {
  const inside = (x: string, y: string) => x === y || y === "" || x.startsWith(y + ".") || x.startsWith(y + "[");
  return inside(a, b) || inside(b, a);
}

/** Empty groups (`T1:` with nothing under it) mean "defaults": they become {}. */
function normalise(data: Record<string, unknown>): ScenarieFil {
  const lots = data.delkontrakter as Record<string, unknown>;
  for (const [id, lot] of Object.entries(lots)) {
    if (lot === null) lots[id] = {};
    const l = lots[id] as Record<string, unknown>;
    for (const k of ["indsatser", "elementer"]) {
      const m = l[k];
      if (!isObj(m)) continue;
      for (const [oid, o] of Object.entries(m)) if (o === null) m[oid] = {};
    }
  }
  return data as unknown as ScenarieFil;
}

/** Every place in the file that holds assumptions, with its pointer. */
function assumptionLevels(fil: ScenarieFil): { ptr: string; a: AntagelserFil }[] {
  const out: { ptr: string; a: AntagelserFil }[] = [];
  if (fil.standard) out.push({ ptr: "/standard", a: fil.standard });
  for (const [lotId, lot] of Object.entries(fil.delkontrakter)) {
    const lp = p("/delkontrakter", lotId);
    if (lot.standard) out.push({ ptr: p(lp, "standard"), a: lot.standard });
    for (const k of ["indsatser", "elementer"] as const) {
      for (const [id, y] of Object.entries(lot[k] ?? {})) out.push({ ptr: p(p(lp, k), id), a: y });
    }
  }
  return out;
}

/** The checks a schema cannot express. */
function checkScenario(fil: ScenarieFil, r: Reporter): void {
  for (const { ptr, a } of assumptionLevels(fil)) {
    const s = a.henvisninger?.sæson;
    if (s && s.every((x) => x === 0)) {
      r.error("season-zero", p(p(ptr, "henvisninger"), "sæson"),
        "Sæsonfaktorerne er alle 0, men mindst én måned skal have henvisninger. Skriv 1 for en normal måned og fx 0.5 for en måned med halvt så mange henvisninger.");
    }
    const v = a.varighed;
    if (isObj(v)) {
      const vp = p(ptr, "varighed");
      if (v.fordeling === "normal") checkNormal(r, vp, v, "varigheden", "uger");
      if (v.fordeling === "diskret") {
        checkSum(r, p(vp, "udfald"), v.udfald.map((u) => u.sandsynlighed), "varighedens udfald", (diff) => {
          const last = v.udfald[v.udfald.length - 1];
          const want = last.sandsynlighed + diff;
          return want >= 0 && want <= 1
            ? `Ret fx det sidste udfald (${da(last.uger)} uger) til \`sandsynlighed: ${yml(want)}\`.`
            : "Ret sandsynlighederne, så de summerer til 1.";
        });
      }
    }
    const t = a.timer_pr_uge;
    if (isObj(t) && t.fordeling === "normal") checkNormal(r, p(ptr, "timer_pr_uge"), t, "timetallet", "timer");
    const tid = a.afbrydelse?.tidspunkt;
    if (isObj(tid)) {
      const tp = p(p(p(ptr, "afbrydelse"), "tidspunkt"), "udfald");
      checkSum(r, tp, tid.udfald.map((u) => u.sandsynlighed), "afbrydelsestidspunktets udfald", (diff) => {
        const last = tid.udfald[tid.udfald.length - 1];
        const want = last.sandsynlighed + diff;
        return want >= 0 && want <= 1
          ? `Ret fx det sidste udfald (andel ${da(last.andel)}) til \`sandsynlighed: ${yml(want)}\`.`
          : "Ret sandsynlighederne, så de summerer til 1.";
      });
    }
    if (a.resultater) checkResultater(r, p(ptr, "resultater"), a.resultater);
  }
}

function checkSum(r: Reporter, pointer: string, ps: number[], what: string, fix: (diff: number) => string): void {
  const sum = ps.reduce((s, x) => s + x, 0);
  if (Math.abs(sum - 1) <= SUM_TOLERANCE) return;
  r.error("sum", pointer, `Sandsynlighederne for ${what} summerer til ${da(sum)}; de skal summere til 1. ${fix(1 - sum)}`);
}

function checkResultater(r: Reporter, pointer: string, res: Partial<Record<Udfald, number>>): void {
  const entries = Object.entries(res) as [Udfald, number][];
  const sum = entries.reduce((s, [, x]) => s + x, 0);
  if (Math.abs(sum - 1) <= SUM_TOLERANCE) return;
  const diff = 1 - sum;
  let fix: string;
  const ingen = own(res as Record<string, number>, "ingen");
  if (ingen !== undefined) {
    const want = ingen + diff;
    fix = want >= 0 ? `Ret fx \`ingen: ${yml(ingen)}\` til \`ingen: ${yml(want)}\`.` : "Sænk sandsynlighederne, så de summerer til 1.";
  } else if (diff > 0) {
    fix = `Tilføj fx \`ingen: ${yml(diff)}\` for de forløb, der ikke giver et resultat.`;
  } else {
    const [k, v] = entries.reduce((a, b) => (b[1] > a[1] ? b : a));
    fix = v + diff >= 0 ? `Sænk fx \`${k}\` til ${yml(v + diff)}.` : "Sænk sandsynlighederne, så de summerer til 1.";
  }
  r.error("sum", pointer, `Sandsynlighederne for resultaterne summerer til ${da(sum)}; de skal summere til 1. ${fix}`);
}

function checkNormal(r: Reporter, pointer: string, d: { middel: number; sd: number; min: number; max: number }, what: string, unit: string): void {
  if (d.min > d.max) {
    r.error("impossible-distribution", p(pointer, "min"),
      `Umulig fordeling: min (${da(d.min)} ${unit}) er større end max (${da(d.max)} ${unit}). Byt om på min og max, eller ret en af dem.`);
    return;
  }
  if (d.middel < d.min || d.middel > d.max) {
    r.error("impossible-distribution", p(pointer, "middel"),
      `Umulig fordeling: middelværdien ${da(d.middel)} ${unit} ligger uden for intervallet fra min ${da(d.min)} til max ${da(d.max)} ${unit}, så ${what} kan ikke trækkes omkring den. Ret middel, så den ligger mellem min og max, eller ret min og max.`);
    return;
  }
  // `middel` is the mean after truncation; with a spread it must lie strictly inside the interval.
  if (d.sd > 0 && d.min < d.max && (d.middel === d.min || d.middel === d.max)) {
    r.error("impossible-distribution", p(pointer, "middel"),
      `Umulig fordeling: middelværdien ${da(d.middel)} ${unit} ligger på grænsen af intervallet fra min ${da(d.min)} til max ${da(d.max)} ${unit}; med en spredning (sd ${da(d.sd)}) kan gennemsnittet ikke ligge der. Flyt middel ind i intervallet, eller skriv sd: 0.`);
    return;
  }
  const mass = d.min === d.max ? normalMass(d.middel, d.sd, d.min, d.max) : 1;
  if (mass < MIN_MASS) {
    const fixed = d.min === d.max ? ` Skal ${what} altid være ${da(d.min)} ${unit}, så skriv blot tallet ${yml(d.min)}.` : "";
    r.error("impossible-distribution", pointer,
      `Umulig fordeling: intervallet fra min ${da(d.min)} til max ${da(d.max)} ${unit} er så smalt i forhold til spredningen (sd ${da(d.sd)}), at ${what} næsten aldrig lander i det. Gør intervallet bredere eller sd mindre.${fixed}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Resolving against the spec
// ---------------------------------------------------------------------------------------------

export interface ResolveResult {
  /** The engine input, present when there are no errors (warnings allowed). */
  input?: SimuleringsInput;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** An offer of a lot that can be simulated: an indsats, or an element priced on its own. */
interface Offer {
  id: string;
  art: "indsats" | "element";
  titel: string;
  indsats?: Indsats;
  element?: Element;
}

function offersOf(lot: Delkontrakt): { indsatser: Offer[]; elementer: Offer[] } {
  const indsatser: Offer[] = lot.indsatsspor.flatMap((s) => s.indsatser.map((i) => ({ id: i.id, art: "indsats" as const, titel: i.titel, indsats: i })));
  const elementer: Offer[] = (lot.elementer ?? []).map((e) => ({ id: e.id, art: "element" as const, titel: e.titel, element: e }));
  // Elements priced in the prismodel without an element description: priced on their own all the same.
  for (const pr of lot.prismodel.priser) {
    if (pr.element !== undefined && !elementer.some((e) => e.id === pr.element)) elementer.push({ id: pr.element, art: "element", titel: pr.element });
  }
  return { indsatser, elementer };
}

/** "Mente du" by edit distance, or the one candidate that starts with the word. */
function suggest(word: string, candidates: readonly string[]): string {
  const h = hint(word, candidates);
  if (h || word.length < 2) return h;
  const starts = candidates.filter((c) => c.toLowerCase().startsWith(word.toLowerCase()));
  return starts.length === 1 ? ` Mente du '${starts[0]}'?` : "";
}

/**
 * Resolves a checked scenario against a validated spec: lot and offer ids, the precedence of
 * assumptions, spec-derived durations, hours and prices, derived helårsperson places and the
 * built-in defaults. `map` locates the scenario file; `specMap` (optional) the spec, for messages
 * that point the planner to the spec's prismodel.
 *
 * Output order follows the spec (lots by number; in a lot the indsatser in spec order, then the
 * elements), not the YAML, so the same inputs always give the same input to the engine.
 */
export function resolveScenario(u: Udbud, fil: ScenarieFil, map: SourceMap, specMap?: SourceMap): ResolveResult {
  const r = new Reporter(map);
  const lotIds = u.delkontrakter.map((l) => l.id);
  for (const key of Object.keys(fil.delkontrakter)) {
    if (lotIds.includes(key)) continue;
    const byNumber = /^\d+$/.test(key) ? u.delkontrakter.find((l) => String(l.nummer) === key) : undefined;
    r.error("unknown-lot", p("/delkontrakter", key), byNumber
      ? `Delkontrakter angives med deres id, ikke nummer: skriv '${byNumber.id}' i stedet for '${key}'.`
      : `Delkontrakten '${key}' findes ikke i udbuddet '${u.id}'. Delkontrakterne er: ${list(lotIds)}.${suggest(key, lotIds)}`);
  }
  const lots = u.delkontrakter
    .map((lot, index) => ({ lot, index }))
    .filter(({ lot }) => own(fil.delkontrakter, lot.id) !== undefined)
    .sort((a, b) => a.lot.nummer - b.lot.nummer || a.index - b.index);
  const delkontrakter: SimuleretDelkontrakt[] = [];
  for (const { lot, index } of lots) {
    const lf = own(fil.delkontrakter, lot.id)!;
    const ydelser = resolveLot(r, fil, lot, index, lf, specMap);
    if (ydelser.length) delkontrakter.push({ id: lot.id, nummer: lot.nummer, titel: lot.titel, afregningsform: lot.prismodel.type, ydelser });
  }
  if (delkontrakter.length === 0 && r.errors.length === 0) {
    r.error("nothing", "/delkontrakter",
      "Scenariet simulerer ingen indsatser. Angiv mindst én indsats under en delkontrakts `indsatser:` med `henvisninger: {pr_måned: …}`.");
  }
  const errors = sortDiagnostics(r.errors);
  const warnings = sortDiagnostics(r.warnings);
  if (errors.length) return { errors, warnings };
  const input: SimuleringsInput = {
    udbud: { id: u.id, titel: u.titel, ordregiver: u.ordregiver.navn },
    scenarie: { titel: fil.titel, ...(fil.beskrivelse !== undefined ? { beskrivelse: fil.beskrivelse } : {}) },
    delkontrakter,
    prisreduktion: u.prisvilkår.prisreduktion
      ? { budgetændring_procent: u.prisvilkår.prisreduktion.budgetændring_procent, maks_reduktion_procent: u.prisvilkår.prisreduktion.maks_reduktion_procent }
      : null,
    budgetændringer: [...(fil.budgetændringer ?? STANDARD.budgetændringer)],
    følsomhed_procent: fil.følsomhed_procent ?? STANDARD.følsomhed_procent,
    efterspørgselsusikkerhed: (fil.efterspørgselsusikkerhed_procent ?? 0) / 100,
    kørsler: fil.kørsler ?? STANDARD.kørsler,
    frø: fil.frø ?? STANDARD.frø,
  };
  return { input, errors, warnings };
}

function resolveLot(r: Reporter, fil: ScenarieFil, lot: Delkontrakt, index: number, lf: DelkontraktFil, specMap?: SourceMap): SimuleretYdelse[] {
  const lp = p("/delkontrakter", lot.id);
  const { indsatser, elementer } = offersOf(lot);
  const indsatsIds = indsatser.map((o) => o.id);
  const elementIds = elementer.map((o) => o.id);
  // Unknown ids under indsatser / elementer
  for (const key of Object.keys(lf.indsatser ?? {})) {
    if (indsatsIds.includes(key)) continue;
    const ptr = p(p(lp, "indsatser"), key);
    if (elementIds.includes(key)) r.error("element-as-offer", ptr, `'${key}' er et element i delkontrakten '${lot.id}', ikke en indsats. Flyt det fra \`indsatser:\` til \`elementer:\`.`);
    else r.error("unknown-offer", ptr, `Indsatsen '${key}' findes ikke i delkontrakten '${lot.id}'. Indsatserne er: ${list(indsatsIds)}.${suggest(key, indsatsIds)}`);
  }
  for (const key of Object.keys(lf.elementer ?? {})) {
    if (elementIds.includes(key)) continue;
    const ptr = p(p(lp, "elementer"), key);
    if (indsatsIds.includes(key)) r.error("offer-as-element", ptr, `'${key}' er en indsats i delkontrakten '${lot.id}', ikke et element. Flyt den fra \`elementer:\` til \`indsatser:\`.`);
    else r.error("unknown-element", ptr, elementIds.length
      ? `Elementet '${key}' findes ikke i delkontrakten '${lot.id}'. Elementerne er: ${list(elementIds)}.${suggest(key, elementIds)}`
      : `Delkontrakten '${lot.id}' har ingen elementer ('${key}').${suggest(key, indsatsIds)}`);
  }
  // Offers not listed are simulated only when the lot's standard gives the referrals.
  const lotGivesReferrals = lf.standard?.henvisninger?.pr_måned !== undefined;
  const out: SimuleretYdelse[] = [];
  for (const o of [...indsatser, ...elementer]) {
    const group = o.art === "indsats" ? "indsatser" : "elementer";
    const yf = own(lf[group], o.id);
    if (yf === undefined && !lotGivesReferrals) {
      r.warn("not-simulated", lp, `${kind(o.art, o.id).replace(/'/g, "")} i delkontrakten ${lot.id} indgår ikke i scenariet og simuleres ikke. Angiv ${o.art === "indsats" ? "den" : "det"} under \`${group}:\` for at simulere ${o.art === "indsats" ? "den" : "det"}.`);
      continue;
    }
    const ptr = yf !== undefined ? p(p(lp, group), o.id) : lp;
    const y = resolveOffer(r, fil, lot, index, lf, o, yf, ptr, specMap);
    if (y) out.push(y);
  }
  return out;
}

/** The first level (offer, lot standard, file standard) that sets a value. */
function first<T>(levels: (AntagelserFil | undefined)[], get: (a: AntagelserFil) => T | undefined): T | undefined {
  for (const a of levels) {
    if (!a) continue;
    const v = get(a);
    if (v !== undefined) return v;
  }
  return undefined;
}

function toVarighed(v: number | Varighedsfordeling): Varighedsfordeling {
  if (typeof v === "number") return { fordeling: "fast", uger: v };
  if (v.fordeling === "diskret") return { fordeling: "diskret", udfald: v.udfald.map((x) => ({ uger: x.uger, sandsynlighed: x.sandsynlighed })) };
  return { ...v };
}

function toTimer(t: number | Timefordeling): Timefordeling {
  return typeof t === "number" ? { fordeling: "fast", timer: t } : { ...t };
}

function resolveOffer(
  r: Reporter, fil: ScenarieFil, lot: Delkontrakt, index: number, lf: DelkontraktFil, o: Offer, yf: YdelseFil | undefined,
  ptr: string, specMap?: SourceMap,
): SimuleretYdelse | undefined {
  const levels = [yf, lf.standard, fil.standard];
  const who = `${kind(o.art, o.id)} i delkontrakten '${lot.id}'`;
  const group = o.art === "indsats" ? "indsatser" : "elementer";
  const where = yf !== undefined
    ? `under ${o.art === "indsats" ? "indsatsen" : "elementet"}, i delkontraktens \`standard:\` eller i scenariets \`standard:\``
    : `under \`${group}: ${o.id}:\` i delkontrakten, i delkontraktens \`standard:\` eller i scenariets \`standard:\``;
  let ok = true;
  // Referrals
  const prMåned = first(levels, (a) => a.henvisninger?.pr_måned);
  if (prMåned === undefined) {
    r.error("missing-referrals", ptr, `${who} mangler antal henvisninger. Angiv fx \`henvisninger: {pr_måned: 10}\` ${where}.`);
    ok = false;
  }
  const sæsonRå = first(levels, (a) => a.henvisninger?.sæson);
  const sæson = sæsonRå ? normaliseSeason(sæsonRå) : new Array<number>(12).fill(1);
  // Duration: scenario, else the spec's fixed weeks
  const vFil = first(levels, (a) => a.varighed);
  let varighed: Varighedsfordeling | undefined;
  if (vFil !== undefined) varighed = toVarighed(vFil);
  else if (o.indsats?.varighed?.uger !== undefined) varighed = { fordeling: "fast", uger: o.indsats.varighed.uger };
  else {
    r.error("missing-duration", ptr, o.art === "element"
      ? `Angiv varighed for elementet ${o.id} i delkontrakten '${lot.id}' (fx \`varighed: 8\` for 8 uger) ${where}; elementer har ingen varighed i udbuddet.`
      : `Angiv varighed for indsatsen ${o.id} i delkontrakten '${lot.id}' (fx \`varighed: 13\` for 13 uger) ${where}; udbuddet angiver ingen varighed i uger for indsatsen.`);
    ok = false;
  }
  // Weekly hours: scenario, else the midpoint of the spec's range (max missing: min)
  const tFil = first(levels, (a) => a.timer_pr_uge);
  const range = o.indsats?.ugentlige_timer ?? o.element?.ugentlige_timer;
  let timer: Timefordeling | undefined;
  if (tFil !== undefined) timer = toTimer(tFil);
  else if (range) timer = { fordeling: "fast", timer: range.max === undefined ? range.min : (range.min + range.max) / 2 };
  else {
    r.error("missing-hours", ptr, `Angiv timer_pr_uge for ${kind(o.art, o.id, false)} i delkontrakten '${lot.id}' (fx \`timer_pr_uge: 2\`) ${where}; udbuddet angiver ingen ugentlige timer.`);
    ok = false;
  }
  // The other assumptions
  const forlængelse = first(levels, (a) => a.forlængelse);
  const afbrydelseP = first(levels, (a) => a.afbrydelse?.sandsynlighed);
  const tidspunkt = first(levels, (a) => a.afbrydelse?.tidspunkt);
  const aflysning = {
    sandsynlighed: first(levels, (a) => a.aflysning?.sandsynlighed) ?? STANDARD.aflysning.sandsynlighed,
    sen_andel: first(levels, (a) => a.aflysning?.sen_andel) ?? STANDARD.aflysning.sen_andel,
    sen_betaling_uger: first(levels, (a) => a.aflysning?.sen_betaling_uger) ?? STANDARD.aflysning.sen_betaling_uger,
  };
  const resultaterFil = first(levels, (a) => a.resultater);
  const resultater = RESULTAT_ORDEN
    .filter((k) => (own(resultaterFil as Record<string, number> | undefined, k) ?? 0) > 0)
    .map((k) => ({ resultat: k, sandsynlighed: (resultaterFil as Record<string, number>)[k] }));
  // Prices
  const spec = lot.prismodel;
  const specPris: Pris | undefined = spec.priser.find((pr) => (o.art === "indsats" ? pr.indsats === o.id : pr.element === o.id));
  const priser: Modelpriser = {};
  const priskilder: Partial<Record<Afregningsform, Priskilde>> = {};
  // Places: per supplier × suppliers when the spec gives pladser_pr_leverandør, else the price line's total.
  const pladserSpec: number | undefined = lot.pladser_pr_leverandør !== undefined ? lot.pladser_pr_leverandør * supplierCount(lot) : specPris?.pladser;
  if (specPris) {
    const b = specPris.beløb;
    switch (spec.type) {
      case "timepris": priser.timepris = b; break;
      case "ugepris": priser.ugepris = b; break;
      case "dagspris": priser.dagspris = b; break;
      case "helårsperson": priser.helårsperson = { pris: b, pladser: 0 }; break;
      case "resultatbaseret":
        priser.resultatbaseret = {
          pris: b,
          grundbetaling_procent: spec.grundbetaling_procent ?? 100,
          bonusser: RESULTAT_ORDEN.flatMap((k) => (spec.bonusser ?? []).filter((x) => x.resultat === k).map((x) => ({ resultat: k, beløb: x.beløb }))),
        };
        break;
    }
    priskilder[spec.type] = "udbud";
  }
  const sp = yf?.priser;
  if (sp) {
    for (const m of ["timepris", "ugepris", "dagspris"] as const) {
      if (sp[m] !== undefined) {
        priser[m] = sp[m];
        priskilder[m] = "scenarie";
      }
    }
    if (sp.helårsperson !== undefined) {
      priser.helårsperson = { pris: sp.helårsperson, pladser: 0 };
      priskilder.helårsperson = "scenarie";
    }
    if (sp.resultatbaseret !== undefined) {
      const rb = sp.resultatbaseret;
      priser.resultatbaseret = {
        pris: rb.pris,
        grundbetaling_procent: rb.grundbetaling_procent ?? 100,
        bonusser: RESULTAT_ORDEN.filter((k) => own(rb.bonusser as Record<string, number> | undefined, k) !== undefined).map((k) => ({ resultat: k, beløb: rb.bonusser![k]! })),
      };
      priskilder.resultatbaseret = "scenarie";
    }
  }
  if (Object.keys(priser).length === 0) {
    const at = specMap ? ` (udbuddets prismodel for delkontrakten står i ${locateText(specMap, `/delkontrakter/${index}/prismodel`)})` : "";
    r.error("no-price", ptr,
      `${who} har ingen pris under nogen afregningsform: angiv en pris i udbuddets prismodel${at} eller under \`priser:\` i scenariet, fx \`priser: {${spec.type === "timepris" ? "timepris: 650" : spec.type === "dagspris" ? "dagspris: 640" : "ugepris: 3200"}}\`.`);
    ok = false;
  }
  if (yf?.helårsperson !== undefined && priser.helårsperson === undefined) {
    r.warn("places-unused", p(ptr, "helårsperson"),
      `\`helårsperson:\` (pladser og belægning) bruges kun med en helårspersonpris, og ${kind(o.art, o.id, false)} har ingen. Angiv \`priser: {helårsperson: …}\`, eller fjern \`helårsperson:\`.`);
  }
  if (!ok || prMåned === undefined || varighed === undefined || timer === undefined) return undefined;

  const antagelser: Forløbsantagelser = {
    henvisninger: { pr_måned: prMåned, fordeling: first(levels, (a) => a.henvisninger?.fordeling) ?? STANDARD.henvisningsfordeling, sæson },
    varighed,
    forlængelse: forlængelse ? { sandsynlighed: forlængelse.sandsynlighed, uger: forlængelse.uger } : { ...STANDARD.forlængelse },
    afbrydelse: {
      sandsynlighed: afbrydelseP ?? STANDARD.afbrydelse.sandsynlighed,
      tidspunkt: tidspunkt === undefined || tidspunkt === "ligefordelt"
        ? "ligefordelt"
        : { udfald: tidspunkt.udfald.map((x) => ({ andel: x.andel, sandsynlighed: x.sandsynlighed })) },
    },
    timer_pr_uge: timer,
    fremmøde: first(levels, (a) => a.fremmøde) ?? STANDARD.fremmøde,
    aflysning,
    resultater,
    kostpris_pr_time: 0,
  };
  if (priser.helårsperson) {
    priser.helårsperson.pladser = yf?.helårsperson?.pladser ?? pladserSpec ?? derivePlaces(antagelser, yf?.helårsperson?.belægning ?? STANDARD.belægning);
  }
  antagelser.kostpris_pr_time = first(levels, (a) => a.kostpris_pr_time) ?? defaultCost(priser, spec.type, meanTimer(timer));
  return { delkontrakt: lot.id, id: o.id, art: o.art, titel: o.titel, ...(o.element?.selvstændig === false ? { tilkøb: true } : {}), antagelser, priser, priskilder };
}

/** "udbudsomraade-1.yaml, linje 667" for a spec pointer. */
function locateText(map: SourceMap, pointer: string): string {
  const w = map.locate(pointer, true);
  return `${w.file}, linje ${w.line}`;
}

/** 12 seasonal factors scaled to mean 1 (the file's factors need not be). */
export function normaliseSeason(s: readonly number[]): number[] {
  const sum = s.reduce((a, b) => a + b, 0);
  return sum > 0 ? s.map((x) => (x * 12) / sum) : new Array<number>(12).fill(1);
}

/**
 * Helårsperson places when neither the scenario nor the spec gives them: enough places for the
 * expected demand at the expected occupancy (belægning, default 0.9, i.e. 10 % slack so that
 * referrals rarely wait for a place):
 *
 *   places = ceil(expected course weeks per year / 52 / belægning), at least 1
 *   expected course weeks per year = 12 × pr_måned × (1 − aflysning) × (mean duration + P(extension) × extension weeks)
 *
 * Interruptions are ignored here on purpose: a place is planned for a whole course, and the
 * sizing should not shrink because some courses end early (that is the risk helårsperson carries).
 */
export function derivePlaces(a: Forløbsantagelser, belægning: number = STANDARD.belægning): number {
  const weeks = 12 * a.henvisninger.pr_måned * (1 - a.aflysning.sandsynlighed)
    * (meanVarighed(a.varighed) + a.forlængelse.sandsynlighed * a.forlængelse.uger);
  return Math.max(1, Math.ceil(weeks / UGER_PR_ÅR / belægning - 1e-9));
}

/**
 * The supplier's cost per booked hour when the scenario does not give it: the timepris when the
 * offer has one (the hourly price is taken to cover the cost of an hour), else the spec's weekly or
 * daily price spread over the mean booked hours of a week (dagspris × 5 days). Helårsperson and
 * resultatbaseret have no per-hour basis, so without a timepris the cost is 0: the risk split then
 * shows revenue only, and the planner should set `kostpris_pr_time` in the scenario.
 */
function defaultCost(priser: Modelpriser, specType: Afregningsform, meanHours: number): number {
  if (priser.timepris !== undefined) return priser.timepris;
  if (!(meanHours > 0)) return 0;
  const perWeek = (m: Afregningsform): number | undefined =>
    m === "ugepris" ? priser.ugepris : m === "dagspris" && priser.dagspris !== undefined ? priser.dagspris * DAGE_PR_UGE : undefined;
  const w = perWeek(specType) ?? perWeek("ugepris") ?? perWeek("dagspris");
  return w === undefined ? 0 : w / meanHours;
}

// ---------------------------------------------------------------------------------------------
// Finding the scenario
// ---------------------------------------------------------------------------------------------

/** `scenarie.yaml` in the spec folder (or next to the spec file), if it exists. */
export function findDefaultScenario(specTarget: string): string | undefined {
  let dir: string;
  try {
    dir = fs.statSync(specTarget).isDirectory() ? specTarget : path.dirname(specTarget);
  } catch {
    return undefined;
  }
  const f = path.join(dir, SCENARIO_FILE);
  try {
    return fs.statSync(f).isFile() ? f : undefined;
  } catch {
    return undefined;
  }
}
