/**
 * compute: the view a template sees. All user text is Markdown-escaped here (compute/escape.ts),
 * derived values (periods, annex list, totals) are computed once, and optional fields that templates
 * test with {{#if}} are present as null so strict mode can tell a typo from an absent value.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { escapeDeep } from "../compute/escape.js";
import { priceSchedule } from "../compute/price-schedule.js";
import { offerLabel, STØTTEBEHOV } from "../compute/labels.js";
import { Example, markPointers, unwrap } from "../compute/example.js";
import { supplierCount, type Udbud } from "../model/types.js";
import { monthsBetween } from "../validate/semantic.js";
import { loadSchema } from "../read/schema.js";
import { packageRoot, templatesDir as defaultTemplatesDir } from "../paths.js";
import { DocumentPlan, lotsInOrder } from "./documents.js";
import { evaluationModels, evaluationView, lotTildeling } from "./evaluation-view.js";

export interface Definition {
  begreb: string;
  definition: string;
  /** True when the spec defines the term itself (its own wording, always printed). */
  egen?: boolean;
  /** True when the spec's own definition replaces a standard one (its wording for a standard term). */
  erstatter?: boolean;
}

type RawDefinitions = (Definition & { kun_ved?: string })[];

/** The parsed definitioner.yaml of the last text read (re-read each call; parsed again only when changed). Not modified. */
let definitionsCache: { text: string; raw: RawDefinitions } | undefined;

/** Where `npm run build` puts the package's definitioner.yaml, parsed (its text and the value, as JSON). */
export const generatedDefinitionsFile = path.join(packageRoot, "dist", "generated", "definitioner.json");

const requireHere = createRequire(import.meta.url);
const parseYaml = (text: string): unknown => (requireHere("yaml") as typeof import("yaml")).parse(text);

/** Writes the parsed standard definitions (called by `npm run build`): runs need not load `yaml` for them. */
export function writeGeneratedDefinitions(file = generatedDefinitionsFile): string {
  const text = fs.readFileSync(path.join(defaultTemplatesDir, "definitioner.yaml"), "utf8");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ text, raw: parseYaml(text) }));
  fs.renameSync(tmp, file);
  return file;
}

/** definitioner.yaml parsed: the build's copy when the text is the same (any folder), else parsed now. */
function parseDefinitions(text: string): RawDefinitions {
  if (!definitionsCache && fs.existsSync(generatedDefinitionsFile)) {
    try {
      const g = JSON.parse(fs.readFileSync(generatedDefinitionsFile, "utf8")) as { text?: unknown; raw?: unknown };
      if (typeof g.text === "string" && Array.isArray(g.raw)) definitionsCache = { text: g.text, raw: g.raw as RawDefinitions };
    } catch {
      // parsed below
    }
  }
  if (definitionsCache?.text !== text) definitionsCache = { text, raw: parseYaml(text) as RawDefinitions };
  return definitionsCache.raw;
}

export function standardDefinitions(templatesDir: string, u: Udbud): Definition[] {
  const text = fs.readFileSync(path.join(templatesDir, "definitioner.yaml"), "utf8");
  const raw = parseDefinitions(text);
  const models = new Set(u.delkontrakter.map((d) => d.prismodel.type));
  const list = raw.filter((d) => !d.kun_ved || models.has(d.kun_ved as never)).map(({ begreb, definition }) => ({ begreb, definition }));
  for (const extra of u.definitioner ?? []) {
    const i = list.findIndex((d) => d.begreb === extra.begreb);
    const own = { begreb: extra.begreb, definition: extra.definition, egen: true, erstatter: i >= 0 };
    if (i >= 0) list[i] = own;
    else list.push(own);
  }
  return list.sort((a, b) => a.begreb.localeCompare(b.begreb, "da"));
}

type SchemaNode = Record<string, any>;

function deref(root: SchemaNode, node: SchemaNode | undefined): SchemaNode | undefined {
  let cur = node;
  for (let i = 0; cur?.$ref && i < 10; i++) cur = String(cur.$ref).replace(/^#\//, "").split("/").reduce<any>((o, k) => o?.[k], root);
  if (cur?.anyOf) cur = cur.anyOf.map((x: SchemaNode) => deref(root, x)).find((x: SchemaNode) => x?.properties && !x.properties.$inkluder) ?? cur;
  return cur;
}

/**
 * Every property the schema allows but the spec omits becomes null, recursively, so templates can
 * test optional values with {{#if}} under strict mode while a misspelt name is still an error.
 */
export function fillNulls(value: unknown, node: SchemaNode | undefined, root: SchemaNode): unknown {
  const s = deref(root, node);
  if (Array.isArray(value)) return value.map((v) => fillNulls(v, s?.items, root));
  if (value && typeof value === "object" && s?.properties) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(s.properties)) {
      const v = (value as Record<string, unknown>)[key];
      out[key] = v === undefined ? null : fillNulls(v, s.properties[key], root);
    }
    return out;
  }
  return value;
}


/**
 * A spec outline (afsnit with ordered `indhold`) for templates: every `indsæt` becomes
 * { blok, titel, indsats } ("indsats:1A" carries that offer's view), recursively.
 */
function outlineView(sections: any[], offers: any[]): any[] {
  const block = (b: any): any => {
    const out = { ...b };
    if (b.afsnit) out.afsnit = section(b.afsnit);
    if (b.indsæt != null) {
      const raw = typeof b.indsæt === "string" ? { blok: b.indsæt, titel: null } : { blok: b.indsæt.blok, titel: b.indsæt.titel ?? null };
      const m = /^indsats:(.+)$/.exec(raw.blok);
      out.indsæt = { blok: m ? "indsats" : raw.blok, titel: raw.titel, indsats: m ? offers.find((o) => o.id === m[1]) ?? null : null };
    }
    return out;
  };
  const section = (a: any): any => ({ ...a, indhold: a.indhold ? a.indhold.map(block) : null, afsnit: a.afsnit ? a.afsnit.map(section) : null });
  return sections.map(section);
}

/** Spec text is escaped; in an outline `{ref:id}` and `{nr:id}` are references and come back. */
export function unescapeRefs<T>(value: T): T {
  if (typeof value === "string") return value.replace(/\\\{(ref|nr):([\p{L}\p{N}_.\\-]+)\\\}/gu, (_m, form, id) => `{${form}:${id.replace(/\\/g, "")}}`) as T;
  if (Array.isArray(value)) return value.map(unescapeRefs) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeRefs(v)])) as T;
  return value;
}

/** The supplier count of a view lot: the number (or its Example), or the ceiling of { højst: N }. */
function countOf(al: any): any {
  return al instanceof Example || typeof al === "number" ? al : al?.højst;
}
const isCeiling = (al: any): boolean => !(al instanceof Example) && typeof al === "object" && al !== null;

/** Places per supplier of a helårsperson lot: the spec's own figure, else total ÷ suppliers when it divides evenly. */
function placesPerSupplier(lot: any): number | null {
  if (lot.prismodel.type !== "helårsperson") return null;
  if (lot.pladser_pr_leverandør != null) return lot.pladser_pr_leverandør;
  const total = lot.prismodel.priser.reduce((s: number, p: any) => s + Number(unwrap(p.pladser ?? 0)), 0);
  const n = Number(unwrap(countOf(lot.antal_leverandører)));
  return n > 1 && total % n === 0 ? total / n : null;
}

/**
 * A frequency's free text either continues the generated sentence ("hver 14. dag ved …": it starts in
 * lower case) or is a sentence of its own; either way it ends with a full stop.
 */
function frequencyView(h: any): any {
  const tekst = h.tekst ? String(unwrap(h.tekst)).trim() : null;
  return { ...h, tekst: tekst && !/[.!?]$/.test(tekst) ? `${tekst}.` : tekst, fortsætter: !!tekst && /^\p{Ll}/u.test(tekst) };
}

function lotView(lot: any, u: Udbud, plans: DocumentPlan[], full: any): any {
  // The published volumes of the lot's evaluation model (its own tildeling, else the udbud's).
  const volumes = lotTildeling(u, u.delkontrakter.find((d) => d.id === lot.id)!).prisevaluering?.evalueringsteknisk_pris?.mængder ?? [];
  const inLot = (id: string) => lot.indsatsspor.some((s: any) => s.indsatser.some((i: any) => i.id === id)) || (lot.elementer ?? []).some((e: any) => e.id === id);
  const volume = (id: string) => volumes.find((v) => (v.indsats ?? v.element) === id && (v.delkontrakt === lot.id || (v.delkontrakt === undefined && inLot(id))))?.mængde ?? null;
  const priser = new Map<string, any>(lot.prismodel.priser.map((p: any) => [p.indsats ?? p.element, p]));
  const attach = (x: any) => ({
    ...x,
    pris: priser.get(x.id) ?? null,
    evalueringsmængde: volume(x.id),
    støttebehov_tekst: x.støttebehov ? STØTTEBEHOV[x.støttebehov] ?? x.støttebehov : null,
    betegnelse: offerLabel(x.id, x.titel),
    opfølgning: x.opfølgning ? frequencyView(x.opfølgning) : x.opfølgning,
    virksomhedsbesøg: x.virksomhedsbesøg ? frequencyView(x.virksomhedsbesøg) : x.virksomhedsbesøg,
  });
  const offers = lot.indsatsspor.flatMap((sp: any) => sp.indsatser.map(attach));
  return {
    ...lot,
    // Templates see the number (the ceiling for { højst: N }) and whether it is a ceiling ("op til fire").
    antal_leverandører: countOf(lot.antal_leverandører),
    antal_leverandører_højst: isCeiling(lot.antal_leverandører),
    disposition: lot.disposition ? outlineView(lot.disposition, offers) : null,
    målgruppe: lot.målgruppe ? { ...lot.målgruppe, disposition: lot.målgruppe.disposition ? outlineView(lot.målgruppe.disposition, offers) : null } : null,
    helårspladser: lot.prismodel.type === "helårsperson" ? lot.prismodel.priser.reduce((s: number, p: any) => s + Number(unwrap(p.pladser ?? 0)), 0) : null,
    pladser_pr_leverandør: placesPerSupplier(lot),
    har_priskorridor: lot.prismodel.priser.some((p: any) => p.min != null || p.max != null),
    tilbudsliste_bilag: plans.find((p) => p.template === "tilbudsliste" && p.lot?.id === lot.id)?.bilag ?? null,
    indsatsspor: lot.indsatsspor.map((sp: any) => ({ ...sp, indsatser: sp.indsatser.map(attach) })),
    elementer: lot.elementer ? lot.elementer.map(attach) : null,
    // "Eksempel 2: Titel", or the title alone when it already is "Eksempel 2" (never "Eksempel 2: Eksempel 2").
    elementeksempler: lot.elementeksempler
      ? lot.elementeksempler.map((e: any, i: number) => ({ ...e, overskrift: /^Eksempel\b/i.test(e.titel) ? e.titel : `Eksempel ${i + 1}: ${e.titel}` }))
      : null,
    alle_indsatser: lot.indsatsspor.flatMap((sp: any) => sp.indsatser.map((i: any) => ({ ...attach(i), spor: sp.titel, spor_nummer: sp.nummer }))),
    // The price schedule's rows (compute/price-schedule.ts): the same rows as the workbook, with
    // the spec's example values (`# illustrativ` corridors and volumes) marked as everywhere else.
    tilbudsliste: markedSchedule(priceSchedule(u, u.delkontrakter.find((d) => d.id === lot.id)!), lot, full),
  };
}

/** The price schedule with a row's corridor and volume marked where the spec marks them as examples. */
function markedSchedule(schedule: ReturnType<typeof priceSchedule>, lot: any, full: any): any {
  const prices = new Map<string, any>(lot.prismodel.priser.map((p: any) => [String(unwrap(p.indsats ?? p.element)), p]));
  const volumes: any[] = (lot.tildeling ?? full.tildeling)?.prisevaluering?.evalueringsteknisk_pris?.mængder ?? [];
  const volumeOf = (id: string) => volumes.find((v: any) => String(unwrap(v.indsats ?? v.element)) === id && (v.delkontrakt == null || unwrap(v.delkontrakt) === lot.id));
  const mark = (value: number | null, source: unknown) => (value !== null && source instanceof Example ? new Example(value) : value);
  return {
    ...schedule,
    rows: schedule.rows.map((r) => {
      const p = prices.get(r.id);
      const v = volumeOf(r.id);
      return { ...r, min: mark(r.min, p?.min), max: mark(r.max, p?.max), mængde: mark(r.mængde, v?.mængde) };
    }),
  };
}

/**
 * The evaluation documents show the spec's example values marked too: a criterion's weight (and
 * the weights derived from it, and the quality/price split of the formula) and an evaluation
 * aspect (`lægges_vægt_på`) marked `# illustrativ`. The models are computed from the plain spec;
 * the marks are put on their rows afterwards (in place, before escaping).
 */
function markEvaluationExamples(u: Udbud, models: any[], examples: readonly string[]): void {
  if (!examples.length) return;
  const marked = new Set(examples);
  const weights = new Set<string>();
  const aspects = new Map<string, Set<number>>();
  const walk = (list: any[] | undefined, ptr: string) =>
    (list ?? []).forEach((k, i) => {
      const p = `${ptr}/${i}`;
      if (marked.has(`${p}/vægt`)) weights.add(k.id);
      (k.lægges_vægt_på ?? []).forEach((_: unknown, j: number) => {
        if (marked.has(`${p}/lægges_v%C3%A6gt_p%C3%A5/${j}`) || marked.has(`${p}/lægges_vægt_på/${j}`)) aspects.set(k.id, (aspects.get(k.id) ?? new Set()).add(j));
      });
      walk(k.underkriterier, `${p}/underkriterier`);
    });
  walk(u.tildeling?.underkriterier, "/tildeling/underkriterier");
  u.delkontrakter.forEach((l, i) => walk(l.tildeling?.underkriterier, `/delkontrakter/${i}/tildeling/underkriterier`));
  if (!weights.size && !aspects.size) return;
  const seen = new Set<object>();
  const visit = (o: any): void => {
    if (!o || typeof o !== "object" || seen.has(o) || o instanceof Example) return;
    seen.add(o);
    if (Array.isArray(o)) return o.forEach(visit);
    if (typeof o.id === "string" && "samlet_vægt" in o) {
      if (weights.has(o.id)) for (const key of ["vægt", "samlet_vægt", "kvalitetsvægt"]) if (typeof o[key] === "number") o[key] = new Example(o[key]);
      const js = aspects.get(o.id);
      if (js && Array.isArray(o.lægges_vægt_på)) o.lægges_vægt_på = o.lægges_vægt_på.map((a: string, j: number) => (js.has(j) ? new Example(a) : a));
    }
    for (const [k, v] of Object.entries(o)) if (k !== "eksempel") visit(v);
  };
  for (const m of models) {
    visit(m);
    // The formula's split between quality and price is made of the marked weights.
    if (weights.size) for (const key of ["kvalitetsvægt", "prisvægt"]) if (typeof m[key] === "number") m[key] = new Example(m[key]);
  }
}

export interface Annex {
  betegnelse: string;
  titel: string;
  dokument: string | null;
}

export function annexList(plans: DocumentPlan[], u: Udbud): Annex[] {
  const generated = plans
    .filter((p) => p.bilag)
    .map((p) => ({ betegnelse: p.bilag!, titel: p.lot && !/udbudsområde/i.test(p.title) ? `${p.title} (udbudsområde ${p.lot.nummer})` : p.title, dokument: p.id }));
  const other = (u.øvrige_bilag ?? []).map((b) => ({ betegnelse: b.id, titel: b.titel, dokument: null }));
  return [...generated, ...other];
}

/** The tender schema for fillNulls (read-only here; parsed once per process). */
let viewSchema: ReturnType<typeof loadSchema> | undefined;

const baseCache = new WeakMap<Udbud, { plans: DocumentPlan[]; dir: string; examples: readonly string[]; base: any }>();

/** The parts of the view that are the same for every document of a tender: computed once. */
function baseView(u: Udbud, plans: DocumentPlan[], templatesDir: string, examples: readonly string[]): any {
  const hit = baseCache.get(u);
  if (hit && hit.plans === plans && hit.dir === templatesDir && hit.examples === examples) return hit.base;
  const schema = (viewSchema ??= loadSchema());
  const full = fillNulls(u, schema, schema) as any;
  markPointers(full, examples);
  full.delkontrakter = [...full.delkontrakter].sort((a: any, b: any) => a.nummer - b.nummer).map((l: any) => lotView(l, u, plans, full));
  full.aftaleperiode.forlængelser = (full.aftaleperiode.forlængelser ?? []).map((f: any) => ({ ...f, gange: f.gange ?? 1 }));
  full.kontraktvilkår.eksemplarer = full.kontraktvilkår.eksemplarer ?? 2;
  const a = u.aftaleperiode;
  const models = [...new Set(u.delkontrakter.map((l) => l.prismodel.type))];
  const evaluationModelsRaw = evaluationModels(u);
  markEvaluationExamples(u, evaluationModelsRaw, examples);
  const base = escapeDeep({
    udbud: full,
    bilag: annexList(plans, u),
    definitioner: standardDefinitions(templatesDir, u),
    evaluering: evaluationView(evaluationModelsRaw, null),
    beregnet: {
      grundperiode_måneder: Math.round(monthsBetween(a.start, a.slut)),
      forlængelse_måneder: (a.forlængelser ?? []).reduce((s, f) => s + f.måneder * (f.gange ?? 1), 0),
      antal_delkontrakter: u.delkontrakter.length,
      prismodeller: models,
      timepris: models.includes("timepris"),
      kun_helårsperson: models.length === 1 && models[0] === "helårsperson",
      helårspladser: lotsInOrder(u)
        .filter((l) => l.prismodel.type === "helårsperson")
        .map((l) => {
          const pladser = l.prismodel.priser.reduce((s, p) => s + (p.pladser ?? 0), 0);
          return { nummer: l.nummer, titel: l.titel, pladser, pr_leverandør: placesPerSupplier(l), betalingsbilag: plans.find((p) => p.template === "betaling" && p.lot?.id === l.id)?.bilag ?? "C" };
        }),
      flere_delkontrakter: u.delkontrakter.length > 1,
      kravspecifikationer: plans.filter((p) => p.template === "kravspecifikation").map((p) => p.bilag),
      betalingsbilag: plans.filter((p) => p.template === "betaling").map((p) => p.bilag),
      tilbudslister: plans.filter((p) => p.template === "tilbudsliste").map((p) => p.bilag),
    },
  });
  for (const l of base.udbud.delkontrakter) {
    if (l.disposition) l.disposition = unescapeRefs(l.disposition);
    if (l.målgruppe?.disposition) l.målgruppe.disposition = unescapeRefs(l.målgruppe.disposition);
  }
  // Clause-id parts built from lot ids (schema-restricted, like the ids escapeDeep keeps) stay raw.
  base.evaluering.modeller.forEach((m: any, i: number) => {
    m.nøgle = evaluationModelsRaw[i].nøgle;
    m.suffiks = evaluationModelsRaw[i].suffiks;
  });
  baseCache.set(u, { plans, dir: templatesDir, examples, base });
  return base;
}

const NO_EXAMPLES: readonly string[] = [];

/** The view of one document. `examples`: JSON pointers of the spec's example values (`# illustrativ`), shown marked. */
export function buildView(u: Udbud, plan: DocumentPlan, plans: DocumentPlan[], templatesDir: string, examples: readonly string[] = NO_EXAMPLES): unknown {
  const base = baseView(u, plans, templatesDir, examples);
  const lot = plan.lot ? base.udbud.delkontrakter.find((l: any) => l.id === plan.lot!.id) : null;
  return {
    ...base,
    lot,
    // The evaluation model that applies to the current lot: its own tildeling, else the udbud's.
    tildeling: lot ? (lot.tildeling ?? base.udbud.tildeling) : null,
    evaluering: evaluationView(base.evaluering.modeller, lot ? lot.id : null),
    dokument: escapeDeep({ id: plan.id, titel: plan.title, bilag: plan.bilag ?? null }),
  };
}
