/**
 * Bid evaluation (tilbudsevaluering): a validated spec and checked bids → `EvaluationResult`.
 *
 * Per lot: evaluation price, price points, quality points, weighted totals, ranking (ties ranked
 * equal), exclusions (mindstekrav, minimumspoint), Danish warnings, a rank-reversal test (remove
 * each bidder in turn and re-score) and the weight sensitivity of the winner (exact, by solving
 * the linear crossover equations). The price model and its parameters come from the spec
 * (`tildeling.prisevaluering`, or the lot's own `tildeling`). See docs/evaluation.md.
 */
import { Diagnostic, InputError } from "../diagnostics.js";
import { formatKr, formatNumber, formatPercent } from "../format.js";
import { supplierCount, type Delkontrakt, type Prisevaluering, type Udbud } from "../model/types.js";
import { readSpec } from "../read/index.js";
import { checkBids, readBids } from "./bids.js";
import {
  MODEL_NAMES,
  convertedPrice,
  criterionScore,
  dependsOnLowestBid,
  effectiveWeights,
  evaluationPrice,
  lowestIsBest,
  maxPoints,
  modelFormula,
  pricePoints,
  weightedAverage,
  type VolumeLine,
  type WeightedCriterion,
} from "./models.js";
import type { Bid, CriterionScore, EvaluationResult, LotEvaluation, PriceLineResult, ScoredBid } from "./types.js";

/** Totals closer than this (relative) are a tie. */
const TIE_EPSILON = 1e-9;
/** A winner that changes with a weight shift below this many percentage points gets a warning. */
export const SENSITIVITY_WARNING_PP = 5;

export function nearlyEqual(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= TIE_EPSILON * Math.max(1, Math.abs(a), Math.abs(b));
}

const dots = (s: string) => s.replace(/\b(kr|mio|pkt|stk|jf|fx)\.\./g, "$1.");
/** Two decimals, half away from zero (8,225 → 8,23 even though 8.225 is stored as 8.22499…). */
export function round2(n: number): number {
  return Math.sign(n) * Math.round(Math.abs(n) * 100 * (1 + 1e-12)) / 100;
}
const fmtPoint = (n: number) => (Number.isFinite(n) ? formatNumber(round2(n), 2) : "–");
const names = (xs: readonly string[]) => (xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} og ${xs[xs.length - 1]}`);

/**
 * Evaluates checked bids. Throws `InputError` (with Danish diagnostics) when the bids do not fit
 * the spec; use `readBids` / `evaluateSpec` to get those diagnostics with file positions.
 */
export function evaluate(udbud: Udbud, bids: readonly Bid[]): EvaluationResult {
  const checked = checkBids(udbud, bids);
  if (checked.errors.length) throw new InputError(checked.errors);
  return {
    udbud: udbud.id,
    titel: udbud.titel,
    delkontrakter: udbud.delkontrakter.map((lot) => evaluateLot(udbud, lot, checked.bids.filter((b) => b.delkontrakt === lot.id))),
  };
}

/**
 * Reads the spec and the bids file and evaluates: the function the CLI and the
 * evalueringsnotat document use. Never throws for bad input.
 */
export function evaluateSpec(specPath: string, bidsPath: string): { result?: EvaluationResult; errors: Diagnostic[]; warnings: Diagnostic[] } {
  const spec = readSpec(specPath);
  if (!spec.udbud) {
    // Every error at once: the bids are checked against the spec as far as it could be read (when
    // its lots and award are there at all), so a bids file's errors come in the same run.
    let bidErrors: Diagnostic[] = [];
    const p = spec.partial as Partial<Udbud> | undefined;
    if (p && Array.isArray(p.delkontrakter) && p.tildeling && typeof p.tildeling === "object") {
      try {
        bidErrors = readBids(bidsPath, p as Udbud).errors;
      } catch {
        bidErrors = [];
      }
    }
    return { errors: [...spec.errors, ...bidErrors], warnings: spec.warnings };
  }
  const read = readBids(bidsPath, spec.udbud);
  if (!read.bids) return { errors: read.errors, warnings: spec.warnings };
  return { result: evaluate(spec.udbud, read.bids), errors: [], warnings: spec.warnings };
}

/**
 * Like evaluateSpec, with bids from several sources: bids files (YAML/CSV) and filled tilbudsliste
 * workbooks (.xlsx files or folders of them), whose prices are joined with the quality scores of
 * `bedømmelser` (evaluate/sources.ts). Also returns the checked bids (for the comparison).
 */
export async function evaluateSources(specPath: string, sources: readonly string[], bedømmelser?: string): Promise<{ result?: EvaluationResult; bids?: Bid[]; errors: Diagnostic[]; warnings: Diagnostic[] }> {
  // One bids file: evaluateSpec, which also checks the bids against a spec that has errors.
  if (sources.length === 1 && !bedømmelser && !/\.xls[xmb]?$/i.test(sources[0])) {
    const one = evaluateSpec(specPath, sources[0]);
    if (!one.result) return one;
  }
  const spec = readSpec(specPath);
  if (!spec.udbud) return { errors: spec.errors, warnings: spec.warnings };
  const { readBidSources } = await import("./sources.js");
  const read = await readBidSources(spec.udbud, sources, bedømmelser);
  const warnings = [...spec.warnings, ...read.warnings];
  if (!read.bids) return { errors: read.errors, warnings };
  const checked = checkBids(spec.udbud, read.bids);
  if (checked.errors.length) return { errors: checked.errors, warnings };
  return { result: evaluate(spec.udbud, checked.bids), bids: checked.bids, errors: [], warnings };
}

// ---------------------------------------------------------------------------------------------

interface Prepared {
  bid: Bid;
  name: string;
  prislinjer: PriceLineResult[];
  evalueringspris: number;
  /** Quality leaf id → score. */
  scores: Map<string, { point: number; konsensus: boolean; bedømmelser: CriterionScore["bedømmelser"] }>;
  kvalitetspoint: number;
  afvist: string[];
  grunde: string[];
}

interface LotModel {
  lot: Delkontrakt;
  pe: Prisevaluering | undefined;
  S: number;
  criteria: WeightedCriterion[];
  priceLeaves: WeightedCriterion[];
  qualityLeaves: WeightedCriterion[];
  prisvægt: number;
  kvalitetsvægt: number;
  conversion: boolean;
}

/** The published volumes that belong to a lot. */
function lotVolumes(pe: Prisevaluering | undefined, lot: Delkontrakt): VolumeLine[] {
  const ids = new Set(lot.prismodel.priser.map((p) => p.indsats ?? p.element));
  return (pe?.evalueringsteknisk_pris?.mængder ?? []).filter(
    (v) => v.delkontrakt === lot.id || (v.delkontrakt === undefined && ids.has(v.indsats ?? v.element)),
  );
}

function prepare(m: LotModel, bid: Bid, volumes: VolumeLine[], mindstekrav: Map<string, string>): Prepared {
  const prices = new Map(bid.priser.map((p) => [(p.indsats ?? p.element)!, p.pris]));
  const vol = new Map(volumes.map((v) => [(v.indsats ?? v.element)!, v.mængde]));
  const single = m.lot.prismodel.priser.length === 1;
  const prislinjer: PriceLineResult[] = m.lot.prismodel.priser.map((pr) => {
    const id = (pr.indsats ?? pr.element)!;
    const pris = prices.get(id) ?? NaN;
    const mængde = vol.get(id) ?? (single ? 1 : NaN);
    const line: PriceLineResult = pr.indsats !== undefined ? { indsats: id, pris, mængde, beløb: pris * mængde } : { element: id, pris, mængde, beløb: pris * mængde };
    return line;
  });
  const evalueringspris = evaluationPrice(
    prislinjer.map((l) => ({ indsats: l.indsats, element: l.element, pris: l.pris })),
    single && !vol.size ? [] : prislinjer.map((l) => ({ indsats: l.indsats, element: l.element, mængde: l.mængde })),
  );
  const scores: Prepared["scores"] = new Map();
  for (const leaf of m.qualityLeaves) {
    const given = bid.kvalitet.filter((q) => q.kriterium === leaf.id);
    const s = criterionScore(given);
    scores.set(leaf.id, { ...s, bedømmelser: given.map((q) => ({ ...(q.bedømmer !== undefined ? { bedømmer: q.bedømmer } : {}), point: q.point, ...(q.begrundelse !== undefined ? { begrundelse: q.begrundelse } : {}) })) });
  }
  const kvalitetspoint = m.qualityLeaves.length ? weightedAverage(m.qualityLeaves.map((l) => ({ weight: l.effektivVægt, point: scores.get(l.id)!.point }))) : 0;
  const afvist: string[] = [];
  const grunde: string[] = [];
  for (const id of bid.mindstekrav_ikke_opfyldt ?? []) {
    afvist.push(id);
    grunde.push(`Mindstekrav ikke opfyldt (${id}): ${mindstekrav.get(id) ?? id}`);
  }
  for (const k of m.criteria) {
    if (k.minimumspoint === undefined || k.type !== "kvalitet") continue;
    const leaves = m.qualityLeaves.filter((l) => k.leaves.includes(l.id));
    const score = weightedAverage(leaves.map((l) => ({ weight: l.effektivVægt, point: scores.get(l.id)!.point })));
    if (score < k.minimumspoint - 1e-9) {
      afvist.push(k.id);
      grunde.push(`Kvalitetstærskel ikke nået (${k.id}): '${k.titel}' fik ${fmtPoint(score)} point; mindst ${formatNumber(k.minimumspoint)} point kræves.`);
    }
  }
  return { bid, name: bid.tilbudsgiver, prislinjer, evalueringspris, scores, kvalitetspoint, afvist, grunde };
}

/** Price points and totals of `all` bids, with Pmin taken over `basis` (the accepted bids). */
function totals(m: LotModel, basis: readonly Prepared[], all: readonly Prepared[]): { pmin: number | null; pp: Map<string, number>; total: Map<string, number> } {
  const pool = basis.length ? basis : all;
  const pmin = pool.length ? pool.reduce((lo, b) => Math.min(lo, b.evalueringspris), Infinity) : null;
  const pp = new Map<string, number>();
  const total = new Map<string, number>();
  for (const b of all) {
    if (m.conversion) {
      pp.set(b.name, 0);
      total.set(b.name, convertedPrice(m.pe!, b.evalueringspris, b.kvalitetspoint));
      continue;
    }
    const points = m.pe && m.priceLeaves.length && pmin !== null ? pricePoints(m.pe, b.evalueringspris, pmin, m.S) : 0;
    pp.set(b.name, points);
    let t = 0;
    for (const l of m.priceLeaves) t += (l.effektivVægt * points) / 100;
    for (const l of m.qualityLeaves) t += (l.effektivVægt * b.scores.get(l.id)!.point) / 100;
    total.set(b.name, t);
  }
  return { pmin, pp, total };
}

interface Ranking {
  order: string[];
  place: Map<string, number>;
  groups: string[][];
}

/** Ranks by total (higher is better, or lower when `lowerBetter`); equal totals share a place. */
export function rankTotals(entries: readonly { name: string; total: number }[], lowerBetter: boolean): Ranking {
  const better = (a: number, b: number) => (lowerBetter ? a < b : a > b);
  const sorted = [...entries].sort((a, b) => {
    if (nearlyEqual(a.total, b.total)) return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    return better(a.total, b.total) ? -1 : 1;
  });
  const groups: string[][] = [];
  const place = new Map<string, number>();
  let start: number | undefined;
  let count = 0;
  for (const e of sorted) {
    if (start === undefined || !nearlyEqual(e.total, start)) {
      groups.push([]);
      start = e.total;
    }
    groups[groups.length - 1].push(e.name);
  }
  for (const g of groups) {
    for (const n of g) place.set(n, count + 1);
    count += g.length;
  }
  return { order: sorted.map((e) => e.name), place, groups };
}

function evaluateLot(udbud: Udbud, lot: Delkontrakt, bids: Bid[]): LotEvaluation {
  const t = lot.tildeling ?? udbud.tildeling;
  const pe = t.prisevaluering;
  const criteria = effectiveWeights(t.underkriterier);
  const priceLeaves = criteria.filter((k) => k.leaf && k.type !== "kvalitet");
  const qualityLeaves = criteria.filter((k) => k.leaf && k.type === "kvalitet");
  const m: LotModel = {
    lot, pe, S: maxPoints(t.pointskala), criteria, priceLeaves, qualityLeaves,
    prisvægt: priceLeaves.reduce((s, k) => s + k.effektivVægt, 0),
    kvalitetsvægt: qualityLeaves.reduce((s, k) => s + k.effektivVægt, 0),
    conversion: pe !== undefined && lowestIsBest(pe.model),
  };
  const lowerBetter = m.conversion;
  const advarsler: string[] = [];
  const warn = (s: string) => advarsler.push(dots(s));
  const mindstekrav = new Map((t.mindstekrav ?? []).map((k) => [k.id, k.tekst]));
  const volumes = lotVolumes(pe, lot);
  const prepared = bids.map((b) => prepare(m, b, volumes, mindstekrav));
  const accepted = prepared.filter((b) => b.afvist.length === 0);

  if (priceLeaves.length && !pe) warn("Prisevalueringen mangler i udbuddet; der er ikke givet pris-point.");
  if (pe && dependsOnLowestBid(pe.model)) {
    warn(`Pointmodellen '${MODEL_NAMES[pe.model]}' afhænger af det laveste tilbud (Pmin): alle tilbuds pris-point beregnes i forhold til den laveste evalueringstekniske pris, så ét tilbud kan ændre de øvrige tilbuds indbyrdes placering (se rangomvendingstesten).`);
  }
  if (m.conversion) {
    warn(`Pointmodellen '${MODEL_NAMES[pe!.model]}' rangerer efter en omregnet pris (laveste er bedst); priskriteriets vægt (${formatPercent(m.prisvægt)}) indgår ikke i beregningen, kun kvalitetskriteriernes indbyrdes vægte.`);
  }
  for (const k of criteria) {
    if (k.minimumspoint !== undefined && k.type !== "kvalitet") warn(`Minimumspoint på priskriteriet '${k.titel}' bruges ikke: pris-point afhænger af de andre tilbud.`);
  }
  if (bids.length === 0) warn("Der er ingen tilbud på delkontrakten.");

  // Totals with Pmin over the accepted bids; excluded bids are scored for the record only.
  const full = totals(m, accepted, prepared);
  const ranking = rankTotals(accepted.map((b) => ({ name: b.name, total: full.total.get(b.name)! })), lowerBetter);
  const tied = new Set(ranking.groups.filter((g) => g.length > 1).flat());

  for (const b of prepared) {
    if (b.afvist.length) warn(`Tilbuddet fra '${b.name}' indgår ikke i rangfølgen: ${b.grunde.join(" ")}`);
  }
  for (const b of prepared) {
    for (const line of b.prislinjer) {
      const pr = lot.prismodel.priser.find((p) => (p.indsats ?? p.element) === (line.indsats ?? line.element));
      if (!pr || !Number.isFinite(line.pris)) continue;
      if ((pr.min !== undefined && line.pris < pr.min) || (pr.max !== undefined && line.pris > pr.max)) {
        const corridor = pr.min !== undefined && pr.max !== undefined ? `${formatNumber(pr.min)}-${formatKr(pr.max)}` : pr.min !== undefined ? `mindst ${formatKr(pr.min)}` : `højst ${formatKr(pr.max!)}`;
        warn(`Prisen for '${line.indsats ?? line.element}' i tilbuddet fra '${b.name}' (${formatKr(line.pris)}) ligger uden for priskorridoren (${corridor}). Vurdér, om tilbuddet er konditionsmæssigt.`);
      }
    }
  }
  for (const g of ranking.groups) {
    if (g.length > 1) {
      const value = full.total.get(g[0])!;
      const shown = !lowerBetter ? `${fmtPoint(value)} point` : Number.isFinite(value) ? formatKr(round2(value)) : "uendelig pris pr. kvalitetspoint";
      warn(`${names(g)} står lige med ${shown} og deler ${ranking.place.get(g[0])}. pladsen.`);
    }
  }
  if (m.conversion) {
    for (const b of accepted) if (!Number.isFinite(full.total.get(b.name)!)) warn(`Tilbuddet fra '${b.name}' har 0 kvalitetspoint; prisen pr. kvalitetspoint kan ikke beregnes, og tilbuddet placeres sidst.`);
  }

  // Award: the best `antal_leverandører` accepted bids; a tie at the boundary takes the whole group.
  const N = supplierCount(lot);
  const tildeles: string[] = [];
  for (const g of ranking.groups) {
    if (tildeles.length >= N) break;
    if (tildeles.length + g.length > N) warn(`Lighed ved grænsen for tildeling: ${names(g)} står lige på ${ranking.place.get(g[0])}. pladsen, men der er kun ${N - tildeles.length} ${N - tildeles.length === 1 ? "plads" : "pladser"} tilbage af ${N}.`);
    tildeles.push(...g);
  }
  if (bids.length && accepted.length < N) warn(`Der er ${accepted.length} konditionsmæssige tilbud, men delkontrakten skal have ${N} leverandører.`);

  // Rank reversal: remove each accepted bidder, re-score the others, compare their order (as
  // ordered tie groups: the same groups in the same order ⇔ every pair keeps its relation).
  // Totals depend on the other bids only through Pmin, so only a removal that changes Pmin can
  // reorder the rest; the others are skipped (exactly, not as a shortcut in the result).
  const rangomvending: LotEvaluation["rangomvending"] = [];
  if (accepted.length >= 3 && !m.conversion) {
    const atLowest = accepted.filter((b) => b.evalueringspris === full.pmin).length;
    const byName = new Map(accepted.map((b) => [b.name, b]));
    for (const name of ranking.order) {
      const removed = byName.get(name)!;
      if (removed.evalueringspris !== full.pmin || atLowest > 1) continue; // Pmin stays: nothing changes
      const rest = accepted.filter((b) => b.name !== name);
      const after = totals(m, rest, rest);
      if (after.pmin === full.pmin) continue;
      const now = rankTotals(rest.map((b) => ({ name: b.name, total: after.total.get(b.name)! })), lowerBetter);
      const before = ranking.groups.map((g) => g.filter((n) => n !== name)).filter((g) => g.length);
      const same = before.length === now.groups.length && before.every((g, i) => g.length === now.groups[i].length && g.every((n, k) => n === now.groups[i][k]));
      if (same) continue;
      const gBefore = new Map(before.flatMap((g, i) => g.map((n) => [n, i] as [string, number])));
      const gNow = new Map(now.groups.flatMap((g, i) => g.map((n) => [n, i] as [string, number])));
      const order = before.flat();
      const swapped: string[] = [];
      let more = 0;
      for (let i = 0; i < order.length; i++) {
        for (let j = i + 1; j < order.length; j++) {
          const [a, b] = [order[i], order[j]];
          const rb = Math.sign(gBefore.get(a)! - gBefore.get(b)!);
          const rn = Math.sign(gNow.get(a)! - gNow.get(b)!);
          if (rb === rn) continue;
          if (swapped.length >= 5) more++;
          else swapped.push(rn === 0 ? `${a} og ${b} står nu lige` : `${rn < 0 ? a : b} kommer foran ${rn < 0 ? b : a}`);
        }
      }
      const før = ranking.order.filter((n) => n !== name);
      rangomvending.push({ fjernet: name, før, efter: now.order });
      const list = swapped.join("; ") + (more ? ` og ${more} andre par` : "");
      warn(`Rangomvending: uden tilbuddet fra '${name}' ændres de øvrige tilbuds indbyrdes rangfølge: ${list} (før: ${før.join(", ")}; efter: ${now.order.join(", ")}).${pe && dependsOnLowestBid(pe.model) ? " Det skyldes, at pris-point beregnes i forhold til laveste pris." : ""}`);
    }
  }

  // Weight sensitivity (point models): move Δ percentage points between the price criteria and one
  // top-level quality criterion k. Every total is linear in Δ: T_i(Δ) = T_i + Δ/100 · (s_ki − pp_i),
  // where s_ki is bid i's weighted score on k. The winner w changes at the first crossover
  // Δ_j = 100 · (T_w − T_j) / (d_j − d_w), d = s_k − pp, within the feasible range.
  const vægtfølsomhed: LotEvaluation["vægtfølsomhed"] = [];
  const topPrice = criteria.filter((k) => k.depth === 0 && k.type !== "kvalitet");
  const topQuality = criteria.filter((k) => k.depth === 0 && k.type === "kvalitet");
  const wp = topPrice.reduce((s, k) => s + k.vægt, 0);
  if (!m.conversion && m.pe && wp > 0 && topQuality.length && ranking.order.length >= 2) {
    const w = ranking.order[0];
    const byName = new Map(accepted.map((b) => [b.name, b]));
    const leafPoint = (b: Prepared, id: string) => b.scores.get(id)?.point ?? full.pp.get(b.name)!;
    for (const k of topQuality) {
      const leaves = criteria.filter((c) => k.leaves.includes(c.id) && c.leaf);
      const s = (name: string) => weightedAverage(leaves.map((l) => ({ weight: l.effektivVægt, point: leafPoint(byName.get(name)!, l.id) })));
      const d = (name: string) => s(name) - full.pp.get(name)!;
      const Tw = full.total.get(w)!;
      const dw = d(w);
      for (const dir of [1, -1]) {
        const bound = dir > 0 ? wp : k.vægt;
        let best: { delta: number; slope: number; name: string } | undefined;
        for (const j of ranking.order) {
          if (j === w) continue;
          const slope = dir * (d(j) - dw);
          if (slope <= 1e-12) continue;
          const gap = Math.max(0, Tw - full.total.get(j)!);
          const delta = (100 * gap) / slope;
          if (delta > bound + 1e-9) continue;
          if (!best || delta < best.delta - 1e-12 || (Math.abs(delta - best.delta) <= 1e-12 && slope > best.slope)) best = { delta, slope, name: j };
        }
        if (best) vægtfølsomhed.push({ kriterium: k.id, ændring: dir * best.delta + 0, nyVinder: best.name });
      }
    }
    vægtfølsomhed.sort((a, b) => Math.abs(a.ændring) - Math.abs(b.ændring));
    const first = vægtfølsomhed[0];
    if (first && Math.abs(first.ændring) < SENSITIVITY_WARNING_PP) {
      const k = criteria.find((c) => c.id === first.kriterium)!;
      const move = first.ændring >= 0 ? `fra pris til '${k.titel}'` : `fra '${k.titel}' til pris`;
      warn(`Vinderen er følsom over for vægtningen: flyttes mere end ${formatNumber(Math.abs(first.ændring), 2)} procentpoint ${move}, vinder '${first.nyVinder}' i stedet for '${w}'.`);
    }
  }

  const scoredOf = (b: Prepared): ScoredBid => {
    const pp = full.pp.get(b.name)!;
    const kriterier: CriterionScore[] = [];
    for (const k of criteria) {
      if (!k.leaf) continue;
      if (k.type === "kvalitet") {
        const s = b.scores.get(k.id)!;
        kriterier.push({ id: k.id, titel: k.titel, vægt: k.effektivVægt, point: s.point, vægtet: (s.point * k.effektivVægt) / 100, type: "kvalitet", bedømmelser: s.bedømmelser, konsensus: s.konsensus });
      } else if (!m.conversion) {
        kriterier.push({ id: k.id, titel: k.titel, vægt: k.effektivVægt, point: pp, vægtet: (pp * k.effektivVægt) / 100, type: k.type, bedømmelser: [], konsensus: false });
      }
    }
    return {
      tilbudsgiver: b.name,
      evalueringspris: b.evalueringspris,
      prispoint: pp,
      kriterier,
      kvalitetspoint: b.kvalitetspoint,
      samlet: full.total.get(b.name)!,
      placering: b.afvist.length ? null : ranking.place.get(b.name)!,
      afvist: b.afvist,
      lighed: tied.has(b.name),
      afvisningsgrunde: b.grunde,
      prislinjer: b.prislinjer,
    };
  };
  const order = new Map(ranking.order.map((n, i) => [n, i]));
  const bud = [...accepted.sort((a, b) => order.get(a.name)! - order.get(b.name)!), ...prepared.filter((b) => b.afvist.length)].map(scoredOf);

  return {
    delkontrakt: lot.id,
    titel: lot.titel,
    prismodel: pe?.model ?? "ingen",
    lavestBedst: lowerBetter,
    bud,
    rangfølge: ranking.order,
    advarsler,
    rangomvending,
    vægtfølsomhed,
    nummer: lot.nummer,
    formel: modelFormula(pe, m.S),
    maksPoint: m.S,
    prisvægt: m.prisvægt,
    kvalitetsvægt: m.kvalitetsvægt,
    lavestePris: accepted.length ? full.pmin : null,
    antalLeverandører: N,
    tildeles,
  };
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

/** The result as JSON text (2-space indent); non-finite numbers become null. */
export function evaluationJson(result: EvaluationResult): string {
  return JSON.stringify(result, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n";
}

function table(rows: string[][], right: boolean[]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? "")].length)));
  return rows.map((r) => "  " + r.map((cell, c) => (right[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ").trimEnd());
}

/** Danish terminal report: per lot a ranking table, exclusions, award, warnings, sensitivity. */
export function evaluationTerminal(result: EvaluationResult): string {
  const out: string[] = [`Evaluering af tilbud: ${result.titel} (${result.udbud})`, ""];
  for (const lot of result.delkontrakter) {
    out.push(`Delkontrakt ${lot.nummer}: ${lot.titel} [${lot.delkontrakt}]`);
    out.push(`  ${lot.formel}`);
    const weights = lot.lavestBedst
      ? `Kvalitetspoint (Q) er det vægtede gennemsnit af kvalitetskriterierne på skalaen 0-${formatNumber(lot.maksPoint)}.`
      : `Vægte: pris ${formatPercent(lot.prisvægt)}, kvalitet ${formatPercent(lot.kvalitetsvægt)}.`;
    out.push(`  ${weights}${lot.lavestePris !== null ? ` Laveste evalueringstekniske pris (Pmin): ${formatKr(lot.lavestePris)}` : ""} Leverandører: ${lot.antalLeverandører}.`.replace(/\.\./g, "."));
    out.push("");
    if (lot.bud.length) {
      const head = lot.lavestBedst
        ? ["Plac.", "Tilbudsgiver", "Evalueringspris", "Kvalitetspoint", "Omregnet pris"]
        : ["Plac.", "Tilbudsgiver", "Evalueringspris", "Pris-point", "Kvalitetspoint", "Samlet"];
      const rows = [head];
      for (const b of lot.bud) {
        const place = b.placering === null ? "afvist" : `${b.placering}${b.lighed ? " =" : ""}`;
        const samlet = lot.lavestBedst ? (Number.isFinite(b.samlet) ? formatKr(b.samlet) : "–") : fmtPoint(b.samlet);
        rows.push(lot.lavestBedst
          ? [place, b.tilbudsgiver, formatKr(b.evalueringspris), fmtPoint(b.kvalitetspoint), samlet]
          : [place, b.tilbudsgiver, formatKr(b.evalueringspris), fmtPoint(b.prispoint), fmtPoint(b.kvalitetspoint), samlet]);
      }
      out.push(...table(rows, head.map((_, i) => i >= 2)));
      out.push("");
    }
    if (lot.tildeles.length) out.push(`  Tildeles (${lot.antalLeverandører} ${lot.antalLeverandører === 1 ? "leverandør" : "leverandører"}): ${lot.tildeles.join(", ")}`);
    for (const b of lot.bud) for (const g of b.afvisningsgrunde) out.push(`  Afvist: ${b.tilbudsgiver}: ${g}`);
    if (lot.vægtfølsomhed.length) {
      out.push("  Vægtfølsomhed (mindste ændring, der skifter vinderen):");
      for (const v of lot.vægtfølsomhed) {
        const move = v.ændring >= 0 ? `fra pris til ${v.kriterium}` : `fra ${v.kriterium} til pris`;
        out.push(`    ${formatNumber(Math.abs(v.ændring), 2)} procentpoint ${move} → ${v.nyVinder}`);
      }
    }
    if (lot.advarsler.length) {
      out.push("  Advarsler:");
      for (const a of lot.advarsler) out.push(`    ! ${a}`);
    }
    out.push("");
  }
  return out.join("\n");
}
