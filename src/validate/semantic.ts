/**
 * Semantic checks on a schema-valid tender: the rules of udbudsloven and of common sense that a
 * JSON Schema cannot express. Each check reports in Danish, at the value's place in the source.
 */
import { Diagnostic, Severity, joinPointer, pointerToPath } from "../diagnostics.js";
import { formatKr, formatNumber } from "../format.js";
import { supplierCount, type Delkontrakt, type Interval, type Tildeling, type Udbud, type Underkriterium } from "../model/types.js";
import type { SourceMap } from "../read/source.js";
import { hint } from "../suggest.js";
import { lightRegimeThreshold } from "./thresholds.js";

class Reporter {
  readonly out: Diagnostic[] = [];
  constructor(private readonly map: SourceMap) {}
  add(severity: Severity, code: string, pointer: string, message: string, preferKey = false): void {
    const where = this.map.locate(pointer, preferKey);
    // "… 1.000 kr.." reads badly: an abbreviation's full stop also ends the sentence.
    const text = message.replace(/\b(kr|mio|pkt|stk|jf|fx)\.\./g, "$1.");
    this.out.push({ severity, code: `semantic.${code}`, ...where, path: pointerToPath(pointer), message: text });
  }
  error(code: string, pointer: string, message: string, preferKey = false): void {
    this.add("fejl", code, pointer, message, preferKey);
  }
  warn(code: string, pointer: string, message: string, preferKey = false): void {
    this.add("advarsel", code, pointer, message, preferKey);
  }
}

const p = joinPointer;

/** Months from start to end (inclusive end date), e.g. 2020-07-01..2023-06-30 → 36. */
export function monthsBetween(start: string, endInclusive: string): number {
  const s = new Date(`${start}T00:00:00Z`);
  const e = new Date(`${endInclusive}T00:00:00Z`);
  e.setUTCDate(e.getUTCDate() + 1);
  const whole = (e.getUTCFullYear() - s.getUTCFullYear()) * 12 + (e.getUTCMonth() - s.getUTCMonth());
  const days = e.getUTCDate() - s.getUTCDate();
  return whole + days / 30;
}

function checkInterval(r: Reporter, v: Interval | undefined, ptr: string, what: string): void {
  if (v && v.max !== undefined && v.min > v.max) r.error("min-max", p(ptr, "min"), `${what}: min (${formatNumber(v.min)}) er større end max (${formatNumber(v.max!)}). Byt om på værdierne.`);
}

/** Ids in one lot's namespace (tracks, offers, elements, delområder) with their pointers. */
interface LotIndex {
  ptr: string;
  lot: Delkontrakt;
  spor: Map<string, string>;
  indsatser: Map<string, string>;
  elementer: Map<string, string>;
  all: Map<string, string>;
}

function indexLot(r: Reporter, lot: Delkontrakt, ptr: string): LotIndex {
  const idx: LotIndex = { ptr, lot, spor: new Map(), indsatser: new Map(), elementer: new Map(), all: new Map() };
  const claim = (kind: Map<string, string>, id: string, at: string, label: string) => {
    const prev = idx.all.get(id);
    if (prev !== undefined) {
      r.error("duplicate-id", p(at, "id"), `${label} '${id}' bruger et id, der allerede findes i delkontrakten '${lot.id}' (${pointerToPath(prev)}). Id'er skal være entydige inden for en delkontrakt.`);
      return;
    }
    idx.all.set(id, at);
    kind.set(id, at);
  };
  const sporNumre = new Map<number, string>();
  lot.indsatsspor.forEach((s, i) => {
    const sp = p(p(ptr, "indsatsspor"), i);
    claim(idx.spor, s.id, sp, "Indsatssporet");
    if (sporNumre.has(s.nummer)) r.error("duplicate-number", p(sp, "nummer"), `Indsatssporet har nummer ${s.nummer}, som også bruges af '${sporNumre.get(s.nummer)}'.`);
    else sporNumre.set(s.nummer, s.id);
    s.indsatser.forEach((ind, j) => claim(idx.indsatser, ind.id, p(p(sp, "indsatser"), j), "Indsatsen"));
  });
  (lot.elementer ?? []).forEach((el, i) => claim(idx.elementer, el.id, p(p(ptr, "elementer"), i), "Elementet"));
  (lot.delområder ?? []).forEach((d, i) => claim(new Map(), d.id, p(p(ptr, "delområder"), i), "Delområdet"));
  return idx;
}

function checkRef(r: Reporter, ptr: string, id: string, pool: Map<string, string>, what: string, where: string): boolean {
  if (pool.has(id)) return true;
  r.error("unresolved-ref", ptr, `${what} '${id}' findes ikke i ${where}.${hint(id, [...pool.keys()])}${pool.size && pool.size <= 15 ? ` Kendte id'er: ${[...pool.keys()].join(", ")}.` : ""}`);
  return false;
}

function checkLot(r: Reporter, idx: LotIndex): void {
  const { lot, ptr } = idx;
  const where = `delkontrakten '${lot.id}'`;
  // delområder
  if (lot.delområder?.length) {
    const used = new Set<string>();
    lot.delområder.forEach((d, i) => {
      d.indsatsspor.forEach((ref, j) => {
        if (checkRef(r, p(p(p(p(ptr, "delområder"), i), "indsatsspor"), j), ref, idx.spor, "Indsatssporet", where)) used.add(ref);
      });
      if (d.antal_leverandører !== undefined && d.antal_leverandører > supplierCount(lot))
        r.warn("min-max", p(p(p(ptr, "delområder"), i), "antal_leverandører"), `Delområdet har flere leverandører (${d.antal_leverandører}) end delkontrakten (${supplierCount(lot)}).`);
    });
    for (const [id, sp] of idx.spor) {
      if (!used.has(id)) r.warn("unassigned-track", p(sp, "id"), `Indsatssporet '${id}' hører ikke til noget delområde.`);
    }
  }
  // offers
  lot.indsatsspor.forEach((s, i) => {
    const sp = p(p(ptr, "indsatsspor"), i);
    s.indsatser.forEach((ind, j) => {
      const ip = p(p(sp, "indsatser"), j);
      checkInterval(r, ind.ugentlige_timer, p(ip, "ugentlige_timer"), `Ugentlige timer for indsats ${ind.id}`);
      const v = ind.varighed;
      if (v?.uger !== undefined && v.maks_uger !== undefined && v.uger > v.maks_uger)
        r.error("min-max", p(p(ip, "varighed"), "uger"), `Indsats ${ind.id}: typisk varighed (${v.uger} uger) er længere end højeste varighed (${v.maks_uger} uger).`);
      if (v?.maks_uger !== undefined && v.forlængelse === false)
        r.warn("consistency", p(p(ip, "varighed"), "maks_uger"), `Indsats ${ind.id} kan ikke forlænges, men har en højeste varighed med forlængelse.`);
      if (ind.matchfrist_uger !== undefined && v?.uger !== undefined && ind.matchfrist_uger > v.uger)
        r.warn("consistency", p(ip, "matchfrist_uger"), `Indsats ${ind.id}: matchfristen (${ind.matchfrist_uger} uger) ligger efter forløbets typiske varighed (${v.uger} uger).`);
      (ind.elementer ?? []).forEach((ref, k) => checkRef(r, p(p(ip, "elementer"), k), ref, idx.elementer, "Elementet", where));
    });
  });
  // elements
  (lot.elementer ?? []).forEach((el, i) => {
    const ep = p(p(ptr, "elementer"), i);
    checkInterval(r, el.ugentlige_timer, p(ep, "ugentlige_timer"), `Ugentlige timer for element ${el.id}`);
    (el.kan_kombineres_med ?? []).forEach((ref, k) => checkRef(r, p(p(ep, "kan_kombineres_med"), k), ref, idx.all, "Id'et", where));
  });
  (lot.elementeksempler ?? []).forEach((ex, i) => {
    const xp = p(p(ptr, "elementeksempler"), i);
    if (ex.indsats !== undefined) checkRef(r, p(xp, "indsats"), ex.indsats, idx.indsatser, "Indsatsen", where);
    ex.elementer.forEach((ref, k) => checkRef(r, p(p(xp, "elementer"), k), ref, idx.elementer, "Elementet", where));
  });
  // tables
  type Table = { kolonner: string[]; rækker: unknown[][] };
  const checkTable = (t: Table, tp: string) =>
    t.rækker.forEach((row, ri) => {
      if (row.length !== t.kolonner.length) r.error("table-shape", p(p(tp, "rækker"), ri), `Rækken har ${row.length === 1 ? "én celle" : `${row.length} celler`}, men tabellen har ${t.kolonner.length} kolonner.`);
    });
  type Section = { tabeller?: Table[]; afsnit?: Section[]; indhold?: { tabel?: Table; afsnit?: Section }[] };
  const checkSection = (a: Section, ap: string): void => {
    (a.tabeller ?? []).forEach((t, k) => checkTable(t, p(p(ap, "tabeller"), k)));
    // An outline's blocks (indhold): a table block, or a sub-section with its own blocks.
    (a.indhold ?? []).forEach((b, k) => {
      const bp = p(p(ap, "indhold"), k);
      if (b.tabel) checkTable(b.tabel, p(bp, "tabel"));
      if (b.afsnit) checkSection(b.afsnit, p(bp, "afsnit"));
    });
    checkTables(a.afsnit, p(ap, "afsnit"));
  };
  const checkTables = (sections: Section[] | undefined, base: string): void => (sections ?? []).forEach((a, i) => checkSection(a, p(base, i)));
  checkTables(lot.disposition, p(ptr, "disposition"));
  checkTables(lot.målgruppe?.disposition, p(p(ptr, "målgruppe"), "disposition"));
  checkTables(lot.målgruppe?.afsnit, p(p(ptr, "målgruppe"), "afsnit"));
  checkTables(lot.generelle_krav, p(ptr, "generelle_krav"));
  checkTables(lot.øvrige_afsnit, p(ptr, "øvrige_afsnit"));
  lot.indsatsspor.forEach((s, i) => checkTables(s.tilrettelæggelse, p(p(p(ptr, "indsatsspor"), i), "tilrettelæggelse")));
  checkPrices(r, idx);
}

const UNIT: Record<string, string> = {
  timepris: "aktivitetstime",
  ugepris: "uge",
  dagspris: "dag",
  helårsperson: "helårsplads",
  resultatbaseret: "forløb",
};

function checkPrices(r: Reporter, idx: LotIndex): void {
  const { lot, ptr } = idx;
  const mp = p(ptr, "prismodel");
  const model = lot.prismodel;
  const priced = new Map<string, string>();
  model.priser.forEach((pr, i) => {
    const pp = p(p(mp, "priser"), i);
    if ((pr.indsats === undefined) === (pr.element === undefined)) {
      r.error("price-target", pp, "En pris skal angive enten 'indsats' eller 'element' (præcis ét af dem).", true);
      return;
    }
    const id = (pr.indsats ?? pr.element)!;
    const ok = pr.indsats !== undefined
      ? checkRef(r, p(pp, "indsats"), id, idx.indsatser, "Indsatsen", `delkontrakten '${lot.id}'`)
      : checkRef(r, p(pp, "element"), id, idx.elementer, "Elementet", `delkontrakten '${lot.id}'`);
    if (!ok) return;
    if (priced.has(id)) r.error("duplicate-price", pp, `'${id}' har allerede en pris i prismodellen. Angiv kun én pris pr. indsats eller element.`, true);
    priced.set(id, pp);
    if (pr.min !== undefined && pr.max !== undefined && pr.min > pr.max)
      r.error("min-max", p(pp, "min"), `Priskorridoren for '${id}': mindstepris (${formatKr(pr.min)}) er større end maksimalpris (${formatKr(pr.max)}).`);
    if (pr.min !== undefined && pr.beløb < pr.min)
      r.error("min-max", p(pp, "beløb"), `Prisen for '${id}' (${formatKr(pr.beløb)}) ligger under priskorridorens mindstepris (${formatKr(pr.min)}).`);
    if (pr.max !== undefined && pr.beløb > pr.max)
      r.error("min-max", p(pp, "beløb"), `Prisen for '${id}' (${formatKr(pr.beløb)}) ligger over priskorridorens maksimalpris (${formatKr(pr.max)}).`);
    if (model.type === "helårsperson" && pr.pladser === undefined)
      r.error("price-places", pp, `Prismodellen er 'helårsperson', så prisen for '${id}' skal angive antal pladser ('pladser').`, true);
    if (model.type !== "helårsperson" && pr.pladser !== undefined)
      r.warn("price-places", p(pp, "pladser"), `'pladser' bruges kun ved prismodellen 'helårsperson' og ignoreres her.`, true);
  });
  for (const [id, at] of idx.indsatser) {
    if (!priced.has(id))
      r.error("unpriced", p(at, "id"), `Indsats ${id} har ingen pris under delkontraktens prismodel (${model.type}). Tilføj '- indsats: ${id}' med 'beløb' (kr. pr. ${UNIT[model.type]}) under prismodel.priser.`);
  }
  for (const [id, at] of idx.elementer) {
    if (!priced.has(id))
      r.error("unpriced", p(at, "id"), `Element ${id} har ingen pris under delkontraktens prismodel (${model.type}). Tilføj '- element: ${id}' med 'beløb' under prismodel.priser.`);
  }
  if (model.type === "resultatbaseret") {
    if (model.grundbetaling_procent === undefined)
      r.error("result-model", mp, "Resultatbaseret afregning kræver 'grundbetaling_procent' (den del af prisen, der betales uanset resultat).", true);
    if (!model.bonusser?.length)
      r.error("result-model", mp, "Resultatbaseret afregning kræver mindst én bonus under 'bonusser'.", true);
  } else {
    if (model.grundbetaling_procent !== undefined) r.warn("result-model", p(mp, "grundbetaling_procent"), "'grundbetaling_procent' bruges kun ved resultatbaseret afregning og ignoreres her.", true);
    if (model.bonusser?.length) r.warn("result-model", p(mp, "bonusser"), "'bonusser' bruges kun ved resultatbaseret afregning og ignoreres her.", true);
  }
}

function checkWeights(r: Reporter, list: Underkriterium[], ptr: string, what: string, ids: Map<string, string>): void {
  const sum = list.reduce((a, k) => a + k.vægt, 0);
  if (Math.abs(sum - 100) > 1e-9)
    r.error("weights", ptr, `Vægtene for ${what} giver ${formatNumber(sum)} %, men skal give 100 % (${list.map((k) => `${k.titel} ${formatNumber(k.vægt)}`).join(" + ")}).`, true);
  list.forEach((k, i) => {
    const kp = p(ptr, i);
    if (ids.has(k.id)) r.error("duplicate-id", p(kp, "id"), `Kriteriet bruger id '${k.id}', som allerede findes (${pointerToPath(ids.get(k.id)!)}).`);
    else ids.set(k.id, kp);
    if (k.underkriterier?.length) checkWeights(r, k.underkriterier, p(kp, "underkriterier"), `delkriterierne under '${k.titel}'`, ids);
  });
}

function flatten(list: Underkriterium[]): Underkriterium[] {
  return list.flatMap((k) => [k, ...flatten(k.underkriterier ?? [])]);
}

function checkTildeling(r: Reporter, t: Tildeling, ptr: string, lots: LotIndex[], lotsComplete = true): void {
  checkWeights(r, t.underkriterier, p(ptr, "underkriterier"), "underkriterierne", new Map());
  const all = flatten(t.underkriterier);
  const top = t.underkriterier;
  const hasPrice = top.some((k) => k.type === "pris" || k.type === "omkostninger");
  const hasQuality = all.some((k) => k.type === "kvalitet");
  if (t.kriterium === "bedste-forhold-mellem-pris-og-kvalitet") {
    if (!hasPrice) r.error("criteria", p(ptr, "underkriterier"), "Tildelingskriteriet er bedste forhold mellem pris og kvalitet, men der er intet underkriterium af typen 'pris' eller 'omkostninger'.", true);
    if (!hasQuality) r.error("criteria", p(ptr, "underkriterier"), "Tildelingskriteriet er bedste forhold mellem pris og kvalitet, men der er intet underkriterium af typen 'kvalitet'.", true);
  } else if (hasQuality) {
    r.error("criteria", p(ptr, "kriterium"), `Tildelingskriteriet er '${t.kriterium}', men der er kvalitetskriterier. Brug 'bedste-forhold-mellem-pris-og-kvalitet'.`);
  }
  // § 160: the evaluators judge by what the tender says is emphasised; a scored quality criterion needs its aspects.
  const walkQ = (list: Underkriterium[], base: string): void =>
    list.forEach((k, i) => {
      const kp = p(p(base, "underkriterier"), i);
      const leaf = !(k.underkriterier ?? []).some((x) => x.type === "kvalitet");
      if (k.type === "kvalitet" && leaf && !k.lægges_vægt_på?.length)
        r.warn("criteria-aspects", kp, `Kvalitetskriteriet '${k.titel}' siger ikke, hvad der lægges vægt på. Angiv 'lægges_vægt_på' (evalueringsaspekterne), så bedømmelsen og begrundelsen har et grundlag, jf. udbudslovens § 160.`);
      walkQ(k.underkriterier ?? [], kp);
    });
  walkQ(t.underkriterier, ptr);
  // § 160: the whole evaluation model with every bid-dependent parameter is fixed in advance.
  if (hasPrice) {
    const pe = t.prisevaluering;
    if (!pe) {
      r.error("evaluation-model", ptr, "Prisevalueringen mangler ('prisevaluering' med pointmodel og parametre). Hele evalueringsmodellen skal offentliggøres på forhånd (udbudslovens § 160).", true);
    } else {
      const pp = p(ptr, "prisevaluering");
      const need = (field: keyof typeof pe, text: string) => {
        if (pe[field] === undefined) r.error("evaluation-model", pp, `Pointmodellen '${pe.model}' kræver '${String(field)}' (${text}), fastlagt på forhånd (udbudslovens § 160).`, true);
      };
      if (pe.model === "lineær") need("spænd_procent", "prisforskellen i procent, der giver 0 point");
      if (pe.model === "interpolation") {
        need("ankerpris_lav", "prisen der giver maksimale point");
        need("ankerpris_høj", "prisen der giver 0 point");
        if (pe.ankerpris_lav !== undefined && pe.ankerpris_høj !== undefined && pe.ankerpris_lav >= pe.ankerpris_høj)
          r.error("min-max", p(pp, "ankerpris_lav"), `Nedre ankerpris (${formatKr(pe.ankerpris_lav)}) skal være lavere end øvre ankerpris (${formatKr(pe.ankerpris_høj)}).`);
      }
      if (pe.model === "prisomregning-beløb") need("beløb_pr_point", "kroner pr. kvalitetspoint");
      if (pe.model === "prisomregning-procent") need("procent_pr_point", "procent pr. kvalitetspoint");
      const units = lots.reduce((a, l) => a + l.lot.prismodel.priser.length, 0);
      if (lots.some((l) => l.lot.prismodel.priser.length > 1) && !pe.evalueringsteknisk_pris) {
        r.error("evaluation-model", pp, `Der er ${units} enhedspriser, men ingen evalueringsteknisk pris. Angiv 'evalueringsteknisk_pris' med en offentliggjort mængde for hver indsats og hvert element (udbudslovens § 160).`, true);
      }
      if (pe.evalueringsteknisk_pris && !lotsComplete)
        r.warn("skipped", p(pp, "evalueringsteknisk_pris"), "Mængderne i den evalueringstekniske pris er ikke tjekket mod indsatserne, fordi en delkontrakt har en fejl i skemaet ovenfor. Ret fejlen, og kør igen.", true);
      else if (pe.evalueringsteknisk_pris) checkVolumes(r, pe.evalueringsteknisk_pris.mængder, p(p(pp, "evalueringsteknisk_pris"), "mængder"), lots);
    }
  }
  if (hasQuality) {
    if (!t.pointskala) r.error("evaluation-model", ptr, "Der er kvalitetskriterier, men ingen pointskala ('pointskala' med min, max og verbale ankre).", true);
    else {
      const sp = p(ptr, "pointskala");
      if (t.pointskala.min >= t.pointskala.max) r.error("min-max", p(sp, "min"), `Pointskalaens min (${t.pointskala.min}) skal være mindre end max (${t.pointskala.max}).`);
      (t.pointskala.ankre ?? []).forEach((a, i) => {
        if (a.point < t.pointskala!.min || a.point > t.pointskala!.max)
          r.error("min-max", p(p(p(sp, "ankre"), i), "point"), `Ankeret ${a.point} point ligger uden for skalaen ${t.pointskala!.min}-${t.pointskala!.max}.`);
      });
      all.forEach((k) => {
        if (k.minimumspoint !== undefined && (k.minimumspoint < t.pointskala!.min || k.minimumspoint > t.pointskala!.max)) {
          r.error("min-max", ptr, `Minimumspoint for '${k.titel}' (${k.minimumspoint}) ligger uden for pointskalaen.`, true);
        }
      });
    }
  }
  const seen = new Map<string, string>();
  (t.mindstekrav ?? []).forEach((m, i) => {
    const mp = p(p(ptr, "mindstekrav"), i);
    if (seen.has(m.id)) r.error("duplicate-id", p(mp, "id"), `Mindstekravet bruger id '${m.id}', som allerede findes.`);
    seen.set(m.id, mp);
    if (lotsComplete) {
      const pool = new Map(lots.map((l) => [l.lot.id, l.ptr]));
      (m.delkontrakter ?? []).forEach((id, j) => checkRef(r, p(p(mp, "delkontrakter"), j), id, pool, "Delkontrakten", "de delkontrakter, tildelingen gælder for"));
    }
  });
}

function checkVolumes(r: Reporter, volumes: { delkontrakt?: string; indsats?: string; element?: string; mængde: number }[], ptr: string, lots: LotIndex[]): void {
  const covered = new Set<string>();
  volumes.forEach((v, i) => {
    const vp = p(ptr, i);
    if ((v.indsats === undefined) === (v.element === undefined)) {
      r.error("volume-target", vp, "En mængde skal angive enten 'indsats' eller 'element' (præcis ét af dem).", true);
      return;
    }
    const id = (v.indsats ?? v.element)!;
    const kind = v.indsats !== undefined ? "indsatser" : "elementer";
    let candidates = lots;
    if (v.delkontrakt !== undefined) {
      const lot = lots.find((l) => l.lot.id === v.delkontrakt);
      if (!lot) {
        checkRef(r, p(vp, "delkontrakt"), v.delkontrakt, new Map(lots.map((l) => [l.lot.id, l.ptr])), "Delkontrakten", "udbuddet");
        return;
      }
      candidates = [lot];
    }
    const hits = candidates.filter((l) => l[kind].has(id));
    if (hits.length === 0) {
      const pool = new Map(candidates.flatMap((l) => [...l[kind]]));
      checkRef(r, p(vp, v.indsats !== undefined ? "indsats" : "element"), id, pool, v.indsats !== undefined ? "Indsatsen" : "Elementet", v.delkontrakt ? `delkontrakten '${v.delkontrakt}'` : "udbuddet");
      return;
    }
    if (hits.length > 1) {
      r.error("ambiguous-ref", vp, `'${id}' findes i flere delkontrakter (${hits.map((h) => h.lot.id).join(", ")}). Angiv 'delkontrakt'.`, true);
      return;
    }
    const key = `${hits[0].lot.id}/${id}`;
    if (covered.has(key)) r.error("duplicate-volume", vp, `'${id}' i delkontrakten '${hits[0].lot.id}' har allerede en mængde.`, true);
    covered.add(key);
  });
  for (const l of lots) {
    for (const pr of l.lot.prismodel.priser) {
      const id = pr.indsats ?? pr.element;
      if (id !== undefined && !covered.has(`${l.lot.id}/${id}`) && (l.indsatser.has(id) || l.elementer.has(id)))
        r.error("evaluation-model", ptr, `'${id}' i delkontrakten '${l.lot.id}' har en pris, men ingen offentliggjort mængde i den evalueringstekniske pris (udbudslovens § 160).`, true);
    }
  }
}

function checkDates(r: Reporter, u: Udbud): void {
  const t = u.tidsplan;
  const chain: [keyof typeof t, string][] = [
    ["offentliggørelse", "offentliggørelsen"],
    ["ansøgningsfrist", "ansøgningsfristen"],
    ["prækvalifikation", "meddelelsen om prækvalifikation"],
    ["spørgefrist", "spørgefristen"],
    ["tilbudsfrist", "tilbudsfristen"],
    ["tildeling", "tildelingsbeslutningen"],
    ["kontraktunderskrift", "kontraktunderskriften"],
    ["ikrafttræden", "ikrafttrædelsen"],
  ];
  let prev: [string, string] | undefined;
  for (const [key, name] of chain) {
    const v = t[key];
    if (v === undefined) continue;
    if (prev && v < prev[0]) r.error("date-order", p("/tidsplan", key), `Datoen for ${name} (${v}) ligger før ${prev[1]} (${prev[0]}). Datoerne i tidsplanen skal ligge i rækkefølge.`);
    prev = [v, name];
  }
  const a = u.aftaleperiode;
  if (a.slut <= a.start) r.error("date-order", "/aftaleperiode/slut", `Aftaleperiodens slut (${a.slut}) ligger ikke efter starten (${a.start}).`);
  if (t.ikrafttræden > a.start) r.error("date-order", "/tidsplan/ikrafttræden", `Ikrafttrædelsen (${t.ikrafttræden}) ligger efter aftaleperiodens start (${a.start}).`);
  if (t.tilbudsfrist >= a.start) r.error("date-order", "/tidsplan/tilbudsfrist", `Tilbudsfristen (${t.tilbudsfrist}) skal ligge før aftaleperiodens start (${a.start}).`);
  if (u.procedure.prækvalifikation && t.ansøgningsfrist === undefined)
    r.warn("date-order", "/tidsplan", "Udbuddet har prækvalifikation, men tidsplanen har ingen ansøgningsfrist.", true);
  if (!u.procedure.prækvalifikation && t.ansøgningsfrist !== undefined)
    r.warn("consistency", "/tidsplan/ansøgningsfrist", "Tidsplanen har en ansøgningsfrist, men udbuddet har ikke prækvalifikation.", true);
}

function checkValueAndDuration(r: Reporter, u: Udbud): void {
  const a = u.aftaleperiode;
  const baseMonths = monthsBetween(a.start, a.slut);
  const v = u.værdi;
  // § 30: the estimated value includes options and extensions.
  let expected = v.grundperiode;
  const parts = [`grundperiode ${formatKr(v.grundperiode)}`];
  (a.forlængelser ?? []).forEach((f, i) => {
    const times = f.gange ?? 1;
    const value = f.estimeret_værdi ?? (baseMonths > 0 ? (v.grundperiode * f.måneder * times) / baseMonths : 0);
    expected += value;
    parts.push(`forlængelse ${i + 1} ${formatKr(Math.round(value))}${f.estimeret_værdi === undefined ? " (forholdsmæssigt)" : ""}`);
    if (f.evalueres === undefined)
      r.error("option-evaluated", p(p("/aftaleperiode/forlængelser", i), "måneder"), "Forlængelsesoptionen skal angive, om den indgår i evalueringen ('evalueres: true' eller 'evalueres: false').", true);
  });
  (u.optioner ?? []).forEach((o, i) => {
    expected += o.estimeret_værdi;
    parts.push(`option '${o.id}' ${formatKr(o.estimeret_værdi)}`);
    if (o.evalueres === undefined)
      r.error("option-evaluated", p(p("/optioner", i), "id"), `Optionen '${o.id}' skal angive, om den indgår i evalueringen ('evalueres: true' eller 'evalueres: false').`, true);
  });
  if (v.samlet + 0.5 < expected) {
    r.error("value-options", "/værdi/samlet", `Den anslåede samlede værdi (${formatKr(v.samlet)}) er mindre end summen af grundperiode, forlængelser og optioner (${formatKr(Math.round(expected))}: ${parts.join(" + ")}). Efter udbudslovens § 30 skal værdien omfatte optioner og forlængelser.`);
  }
  if (v.maksimum === undefined && v.maksimal_mængde === undefined) {
    r.error("framework-max", "/værdi", "Rammeaftalens maksimale værdi eller mængde er ikke angivet ('maksimum' eller 'maksimal_mængde'). En rammeaftale skal angive et maksimum (EU-Domstolens dom i sag C-23/20).", true);
  } else if (v.maksimum !== undefined && v.maksimum < v.samlet) {
    r.warn("framework-max", "/værdi/maksimum", `Rammeaftalens maksimale værdi (${formatKr(v.maksimum)}) er mindre end den anslåede samlede værdi (${formatKr(v.samlet)}).`);
  }
  // Lot values, when given, should add up.
  const lotValues = u.delkontrakter.filter((d) => d.værdi);
  if (lotValues.length === u.delkontrakter.length && lotValues.length > 0) {
    // Options at udbud level may or may not be spread over the lots: accept both.
    const sum = lotValues.reduce((s, d) => s + d.værdi!.samlet, 0);
    const udbudOptions = (u.optioner ?? []).reduce((s, o) => s + o.estimeret_værdi, 0);
    const close = (x: number) => Math.abs(sum - x) <= Math.max(1, v.samlet * 0.01);
    if (!close(v.samlet) && !close(v.samlet - udbudOptions))
      r.warn("value-lots", "/værdi/samlet", `Delkontrakternes samlede værdier giver ${formatKr(sum)}, men udbuddets samlede værdi er ${formatKr(v.samlet)}${udbudOptions ? ` (${formatKr(v.samlet - udbudOptions)} uden udbuddets optioner)` : ""}.`);
  }
  // Threshold (dated table).
  const th = lightRegimeThreshold(u.tidsplan.offentliggørelse);
  const near = Math.abs(v.samlet - th.amount) < th.amount * 0.05;
  const thText = `${formatKr(th.amount)} (${th.period}${th.exact ? "" : ", nærmeste kendte periode"})`;
  if (!th.exact && near) {
    r.warn("threshold", "/værdi/samlet", `Værdien ligger tæt på tærskelværdien for light-regimet, og tabellen har ikke tærskelværdien for offentliggørelsesdatoen (${u.tidsplan.offentliggørelse}). Tjek værdien hos Konkurrence- og Forbrugerstyrelsen; nærmeste kendte er ${thText}.`);
  } else if (u.procedure.regime === "afsnit-III" && v.samlet < th.amount) {
    r.warn("threshold", "/værdi/samlet", `Den anslåede værdi (${formatKr(v.samlet)}) er under tærskelværdien for light-regimet ${thText}. Udbudslovens afsnit III gælder ikke; vurder om kontrakten har klar grænseoverskridende interesse.`);
  } else if (u.procedure.regime === "ingen" && v.samlet >= th.amount) {
    r.error("threshold", "/procedure/regime", `Den anslåede værdi (${formatKr(v.samlet)}) overstiger tærskelværdien for light-regimet ${thText}. Sociale og andre specifikke tjenesteydelser skal udbydes efter udbudslovens afsnit III (regime: afsnit-III).`);
  }
  // § 95, stk. 2: four years for framework agreements under afsnit II.
  const total = baseMonths + (a.forlængelser ?? []).reduce((s, f) => s + f.måneder * (f.gange ?? 1), 0);
  if (total > 48 + 1e-9) {
    const years = formatNumber(Math.round((total / 12) * 10) / 10);
    if (u.procedure.regime === "afsnit-II") {
      r.error("duration", "/aftaleperiode/slut", `Rammeaftalen løber i alt ${years} år med forlængelser. En rammeaftale efter udbudslovens afsnit II må højst løbe 4 år (§ 95, stk. 2).`);
    } else if (!a.begrundelse_over_4_år?.trim()) {
      r.warn("duration", "/aftaleperiode/slut", `Rammeaftalen løber i alt ${years} år med forlængelser. Over 4 år kræver en skriftlig begrundelse ('begrundelse_over_4_år').`);
    }
  }
}

/**
 * Two spec facts that a standard clause cannot both honour: the author must word the clause
 * (a `klausuler` override) or change one of the facts.
 */
function checkClauseFacts(r: Reporter, u: Udbud): void {
  const overridden = (id: string) => (u.klausuler ?? []).some((k) => (k.dokument ?? "rammeaftale") === "rammeaftale" && k.id === id);
  const places = u.delkontrakter.filter((l) => l.prismodel.type === "helårsperson");
  if (places.length && u.aftaleperiode.bestilling?.afbestilling_vederlagsfri && !overridden("ordrebekræftelse-og-afbestilling"))
    r.warn("clause-conflict", "/aftaleperiode/bestilling/afbestilling_vederlagsfri",
      `Afbestilling uden beregning passer ikke til helårspladser, der betales uanset belægning (delkontrakt ${places.map((l) => l.nummer).join(", ")}). Formulér pkt. 'ordrebekræftelse-og-afbestilling' med en klausul (klausuler: erstat), eller fjern 'afbestilling_vederlagsfri'.`, true);
  if (places.length && places.length < u.delkontrakter.length && !overridden("eksklusivitet-og-omfang"))
    r.warn("clause-conflict", "/delkontrakter",
      "Udbuddet blander helårspladser (en købsforpligtelse) med afregning efter forbrug (ingen købsforpligtelse). Rammeaftalens pkt. 'eksklusivitet-og-omfang' siger begge dele; kontrollér ordlyden, eller formulér punktet med en klausul (klausuler: erstat).");
}

/** Whether a schema error at `err` makes the value at `dep` (or a part of it) unusable. */
function overlaps(err: string, dep: string): boolean {
  return err === dep || err.startsWith(dep + "/") || dep.startsWith(err + "/") || err === "";
}

/**
 * Runs the semantic checks. `invalid` are the pointers of schema errors (validateSchemaDetailed):
 * each group of rules runs when the values it reads are schema-valid, so one run reports schema
 * errors and rule errors together; a group that cannot run says so, as a warning, once.
 */
export function checkSemantics(u: Udbud, map: SourceMap, invalid: readonly string[] = []): Diagnostic[] {
  const r = new Reporter(map);
  const blockedBy = (deps: string[]) => invalid.filter((e) => deps.some((d) => overlaps(e, d)));
  const skipped = (what: string, at: string, errs: string[]) => {
    const first = pointerToPath(errs[0]) || "udbuddet";
    r.warn("skipped", at, `Reglerne for ${what} er ikke tjekket, fordi der er en fejl i skemaet ovenfor (${first}${errs.length > 1 ? ` og ${errs.length - 1} andre steder` : ""}). Ret fejlen, og kør igen.`, true);
  };
  /** Runs `fn` when `deps` are schema-valid; with schema errors elsewhere, a crash on odd data is a notice, not a failure. */
  const run = (what: string, deps: string[], at: string, fn: () => void): boolean => {
    const errs = blockedBy(deps);
    if (errs.length) {
      skipped(what, at, errs);
      return false;
    }
    if (invalid.length === 0) {
      fn();
      return true;
    }
    try {
      fn();
      return true;
    } catch {
      skipped(what, at, [...invalid]);
      return false;
    }
  };
  // Lots: unique ids and numbers.
  const lotIds = new Map<string, string>();
  const lotNumbers = new Map<number, string>();
  const lots: LotIndex[] = [];
  const rawLots: Delkontrakt[] = Array.isArray(u.delkontrakter) ? u.delkontrakter : [];
  let lotsComplete = rawLots.length > 0 || blockedBy(["/delkontrakter"]).length === 0;
  rawLots.forEach((lot, i) => {
    const lp = p("/delkontrakter", i);
    if (!lot || typeof lot !== "object") {
      lotsComplete = false;
      return;
    }
    const name = typeof lot.id === "string" ? `delkontrakten '${lot.id}'` : `delkontrakt nr. ${i + 1}`;
    if (typeof lot.id === "string") {
      if (lotIds.has(lot.id)) r.error("duplicate-id", p(lp, "id"), `Delkontrakten bruger id '${lot.id}', som allerede bruges af en anden delkontrakt.`);
      else lotIds.set(lot.id, lp);
    }
    if (typeof lot.nummer === "number") {
      if (lotNumbers.has(lot.nummer)) r.error("duplicate-number", p(lp, "nummer"), `Delkontrakten har nummer ${lot.nummer}, som også bruges af '${lotNumbers.get(lot.nummer)}'.`);
      else lotNumbers.set(lot.nummer, lot.id);
    }
    // The lot's ids are needed by references from elsewhere (tildeling); index it when they are valid.
    const indexDeps = ["id", "nummer", "indsatsspor", "elementer", "delområder", "prismodel/priser"].map((f) => `${lp}/${f}`);
    let idx: LotIndex | undefined;
    if (blockedBy(indexDeps).length === 0) {
      const before = r.out.length;
      try {
        idx = indexLot(r, lot, lp);
        lots.push(idx);
      } catch (e) {
        if (invalid.length === 0) throw e;
        r.out.length = before;
      }
    }
    if (!idx) {
      lotsComplete = false;
      skipped(name, lp, blockedBy(indexDeps).length ? blockedBy(indexDeps) : [...invalid]);
      return;
    }
    run(name, [lp], lp, () => checkLot(r, idx!));
  });
  run("kontaktpersonerne", ["/ordregiver/kontaktpersoner"], "/ordregiver/kontaktpersoner", () => {
    (u.ordregiver.kontaktpersoner ?? []).forEach((k, i) => {
      if (k.delkontrakt !== undefined) checkRef(r, p(p("/ordregiver/kontaktpersoner", i), "delkontrakt"), k.delkontrakt, lotIds, "Delkontrakten", "udbuddet");
    });
  });
  run("optionerne", ["/optioner"], "/optioner", () => {
    const optionIds = new Set<string>();
    (u.optioner ?? []).forEach((o, i) => {
      if (optionIds.has(o.id)) r.error("duplicate-id", p(p("/optioner", i), "id"), `Optionen bruger id '${o.id}', som allerede findes.`);
      optionIds.add(o.id);
    });
  });
  run("proceduren", ["/procedure"], "/procedure", () => {
    checkInterval(r, u.procedure.antal_prækvalificerede, "/procedure/antal_prækvalificerede", "Antal prækvalificerede");
    if (u.procedure.antal_prækvalificerede && !u.procedure.prækvalifikation)
      r.warn("consistency", "/procedure/antal_prækvalificerede", "Antal prækvalificerede er angivet, men 'prækvalifikation' er false.", true);
  });
  run("tidsplanen og aftaleperioden", ["/tidsplan", "/aftaleperiode", "/procedure/prækvalifikation"], "/tidsplan", () => checkDates(r, u));
  run(
    "værdien og varigheden",
    ["/værdi", "/aftaleperiode", "/optioner", "/tidsplan/offentliggørelse", "/procedure/regime", ...rawLots.map((_, i) => `/delkontrakter/${i}/værdi`)],
    "/værdi",
    () => checkValueAndDuration(r, u),
  );
  const sharing = lots.filter((l) => !l.lot.tildeling);
  const sharingComplete = lotsComplete && rawLots.every((l, i) => !l || typeof l !== "object" || l.tildeling || lots.some((x) => x.ptr === p("/delkontrakter", i)));
  run("tildelingen", ["/tildeling"], "/tildeling", () => checkTildeling(r, u.tildeling, "/tildeling", sharing, sharingComplete));
  // Clause facts read the whole tender: only on a schema-valid one (a hint, not worth a skip notice).
  if (invalid.length === 0) checkClauseFacts(r, u);
  lots.forEach((idx) => {
    if (idx.lot.tildeling) run(`tildelingen i delkontrakten '${idx.lot.id}'`, [p(idx.ptr, "tildeling")], p(idx.ptr, "tildeling"), () => checkTildeling(r, idx.lot.tildeling!, p(idx.ptr, "tildeling"), [idx], true));
  });
  return r.out;
}
