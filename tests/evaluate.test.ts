/**
 * Bid evaluation: the price models worked by hand, a whole lot worked by hand (totals, ranking,
 * rank reversal, weight sensitivity), property tests with fast-check, every bids-file error with
 * its Danish message and place, CSV, and the `udbud evaluate` command.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { cli, minimal, mutated, repoRoot, tmpDir, writeFiles } from "./helpers.js";
import { InputError } from "../src/diagnostics.js";
import type { Prisevaluering, Udbud } from "../src/model/types.js";
import { readSpec } from "../src/read/index.js";
import { BID_LIMITS, parseDanishNumber, readBids } from "../src/evaluate/bids.js";
import { evaluate, evaluateSpec, rankTotals } from "../src/evaluate/evaluate.js";
import {
  criterionScore,
  effectiveWeights,
  evaluationPrice,
  interpolationPoints,
  linearPoints,
  priceConversionAmount,
  priceConversionPercent,
  pricePerQualityPoint,
  pricePoints,
  proportionalPoints,
} from "../src/evaluate/models.js";
import type { Bid, EvaluationResult, LotEvaluation } from "../src/evaluate/types.js";

const spec2024 = path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte");
const sampleBids = path.join(spec2024, "bud.yaml");

function close(actual: number, expected: number, eps = 1e-6, what = "") {
  assert.ok(Math.abs(actual - expected) <= eps, `${what} expected ${expected}, got ${actual}`);
}

// ---------------------------------------------------------------------------------------------
// The models, by hand (S = 10 unless stated)
// ---------------------------------------------------------------------------------------------

test("linear model: S − S·(P − Pmin)/(X/100·Pmin), floored at 0", () => {
  // X = 100, Pmin = 100: P = 100 → 10 − 10·0/100 = 10
  assert.equal(linearPoints(100, 100, 10, 100), 10);
  // P = 150 → 10 − 10·50/(1·100) = 10 − 5 = 5
  assert.equal(linearPoints(150, 100, 10, 100), 5);
  // P = 200 → 10 − 10·100/100 = 0 (exactly X % above the lowest)
  assert.equal(linearPoints(200, 100, 10, 100), 0);
  // P = 250 → 10 − 10·150/100 = −5 → floored at 0
  assert.equal(linearPoints(250, 100, 10, 100), 0);
  // X = 50: P = 120 → 10 − 10·20/(0,5·100) = 10 − 4 = 6
  assert.equal(linearPoints(120, 100, 10, 50), 6);
  // X = 50: P = 160 → 10 − 10·60/50 = −2 → 0
  assert.equal(linearPoints(160, 100, 10, 50), 0);
  // S = 100, X = 100, Pmin = 2.800.000, P = 3.200.000 → 100 − 100·400.000/2.800.000 = 85,714…
  close(linearPoints(3_200_000, 2_800_000, 100, 100), 100 - 100 / 7);
  assert.throws(() => linearPoints(1, 1, 10, 0), /Spændet/);
});

test("proportional model: S·Pmin/P", () => {
  // Pmin = 80: P = 100 → 10·80/100 = 8; P = 160 → 5; P = 80 → 10; P = 800 → 1
  assert.equal(proportionalPoints(100, 80, 10), 8);
  assert.equal(proportionalPoints(160, 80, 10), 5);
  assert.equal(proportionalPoints(80, 80, 10), 10);
  assert.equal(proportionalPoints(800, 80, 10), 1);
});

test("interpolation between anchors: S·(Phigh − P)/(Phigh − Plow), clamped to [0, S]", () => {
  // Plow = 1.000, Phigh = 2.000: P = 1.250 → 10·750/1.000 = 7,5
  assert.equal(interpolationPoints(1250, 1000, 2000, 10), 7.5);
  // P = 1.000 → 10; P = 2.000 → 0
  assert.equal(interpolationPoints(1000, 1000, 2000, 10), 10);
  assert.equal(interpolationPoints(2000, 1000, 2000, 10), 0);
  // P = 900 → 10·1.100/1.000 = 11 → clamped to 10
  assert.equal(interpolationPoints(900, 1000, 2000, 10), 10);
  // P = 2.500 → 10·(−500)/1.000 = −5 → clamped to 0
  assert.equal(interpolationPoints(2500, 1000, 2000, 10), 0);
  assert.throws(() => interpolationPoints(1, 2000, 1000, 10), /ankerpris/);
});

test("price per quality point and the two price conversions (lower is better)", () => {
  // 1.000.000 kr. / 8 point = 125.000 kr. pr. point; 0 point → +∞ (ranks last)
  assert.equal(pricePerQualityPoint(1_000_000, 8), 125_000);
  assert.equal(pricePerQualityPoint(1_000_000, 0), Infinity);
  // Fixed amount: 1.000.000 − 20.000 · 7,5 = 1.000.000 − 150.000 = 850.000
  assert.equal(priceConversionAmount(1_000_000, 20_000, 7.5), 850_000);
  // Fixed percentage: 1.000.000 · (1 − 2/100 · 7,5) = 1.000.000 · 0,85 = 850.000
  close(priceConversionPercent(1_000_000, 2, 7.5), 850_000);
});

test("evaluation price: Σ unit price × published volume; a single price as is", () => {
  // 3.000·100 + 4.000·50 + 1.000·10 = 300.000 + 200.000 + 10.000 = 510.000
  const prices = [{ indsats: "T1", pris: 3000 }, { indsats: "T2", pris: 4000 }, { element: "PSY", pris: 1000 }];
  const volumes = [{ indsats: "T1", mængde: 100 }, { indsats: "T2", mængde: 50 }, { element: "PSY", mængde: 10 }];
  assert.equal(evaluationPrice(prices, volumes), 510_000);
  assert.equal(evaluationPrice([{ indsats: "H", pris: 5200 }], []), 5200);
  assert.equal(evaluationPrice([{ indsats: "H", pris: 5200 }], [{ indsats: "H", mængde: 3 }]), 15_600);
  assert.throws(() => evaluationPrice(prices, volumes.slice(1)), /ingen offentliggjort mængde for 'T1'/);
});

test("effective weights are the product down the tree; scores average evaluators unless consensus", () => {
  const w = effectiveWeights(minimal().tildeling.underkriterier);
  // Kvalitet 80 % › k1 60 % = 48 %, › k2 40 % = 32 %; Pris 20 %
  assert.deepEqual(w.map((k) => [k.id, Math.round(k.effektivVægt * 1e9) / 1e9, k.leaf]), [["kvalitet", 80, false], ["k1", 48, true], ["k2", 32, true], ["pris", 20, true]]);
  assert.deepEqual(criterionScore([{ point: 8, bedømmer: "AJ" }, { point: 6, bedømmer: "KL" }]), { point: 7, konsensus: false });
  assert.deepEqual(criterionScore([{ point: 8, bedømmer: "AJ" }, { point: 6, bedømmer: "KL" }, { point: 6.5, bedømmer: "Konsensus" }]), { point: 6.5, konsensus: true });
});

// ---------------------------------------------------------------------------------------------
// A whole lot by hand, on the minimal fixture: lot 'mentor', volumes 1A 1.000, 1B 500, E1 200;
// k1 48 %, k2 32 %, pris 20 %; linear with X = 100; scale 0-10.
// ---------------------------------------------------------------------------------------------

function spec(pe?: Partial<Prisevaluering>, mutate?: (s: any) => void): Udbud {
  const s = minimal();
  if (pe) s.tildeling.prisevaluering = { ...s.tildeling.prisevaluering, ...pe };
  mutate?.(s);
  return s as Udbud;
}

function bid(name: string, [a, b, e]: [number, number, number], k1: number, k2: number, extra: Partial<Bid> = {}): Bid {
  return {
    tilbudsgiver: name,
    delkontrakt: "mentor",
    priser: [{ indsats: "1A", pris: a }, { indsats: "1B", pris: b }, { element: "E1", pris: e }],
    kvalitet: [{ kriterium: "k1", point: k1 }, { kriterium: "k2", point: k2 }],
    ...extra,
  };
}

// A: 1.500·1.000 + 3.000·500 + 1.000·200 = 3.200.000; Q = (48·8 + 32·6)/80 = 7,2
// B: 1.200·1.000 + 2.800·500 + 1.000·200 = 2.800.000; Q = (48·6 + 32·5)/80 = 5,6
// C: 2.000·1.000 + 4.000·500 + 1.500·200 = 4.300.000; Q = 9
const ABC = [bid("A", [1500, 3000, 1000], 8, 6), bid("B", [1200, 2800, 1000], 6, 5), bid("C", [2000, 4000, 1500], 9, 9)];

const lotOf = (r: EvaluationResult) => r.delkontrakter[0];
const byName = (lot: LotEvaluation, n: string) => lot.bud.find((b) => b.tilbudsgiver === n)!;

test("a lot by hand: evaluation price, price points, quality, totals, ranking", () => {
  const lot = lotOf(evaluate(spec(), ABC));
  const [A, B, C] = ["A", "B", "C"].map((n) => byName(lot, n));
  assert.equal(A.evalueringspris, 3_200_000);
  assert.equal(B.evalueringspris, 2_800_000);
  assert.equal(C.evalueringspris, 4_300_000);
  assert.deepEqual(A.prislinjer.map((l) => l.beløb), [1_500_000, 1_500_000, 200_000]);
  assert.equal(lot.lavestePris, 2_800_000);
  // pp_A = 10 − 10·400.000/2.800.000 = 8,571429; pp_B = 10; pp_C = 10 − 10·1.500.000/2.800.000 = 4,642857
  close(A.prispoint, 10 - 10 * (4 / 28));
  assert.equal(B.prispoint, 10);
  close(C.prispoint, 10 - 10 * (15 / 28));
  close(A.kvalitetspoint, 7.2);
  close(B.kvalitetspoint, 5.6);
  close(C.kvalitetspoint, 9);
  // T_A = 0,2·8,571429 + 0,48·8 + 0,32·6 = 1,714286 + 3,84 + 1,92 = 7,474286
  // T_B = 0,2·10 + 0,48·6 + 0,32·5 = 2 + 2,88 + 1,6 = 6,48
  // T_C = 0,2·4,642857 + 0,48·9 + 0,32·9 = 0,928571 + 4,32 + 2,88 = 8,128571
  close(A.samlet, 7.474286);
  close(B.samlet, 6.48);
  close(C.samlet, 8.128571);
  assert.deepEqual(lot.rangfølge, ["C", "A", "B"]);
  assert.deepEqual(lot.bud.map((b) => [b.tilbudsgiver, b.placering]), [["C", 1], ["A", 2], ["B", 3]]);
  assert.deepEqual(lot.tildeles, ["C", "A"]); // antal_leverandører: 2
  // The weighted criteria add up to the total.
  close(A.kriterier.reduce((s, k) => s + k.vægtet, 0), A.samlet);
  assert.deepEqual(A.kriterier.map((k) => [k.id, k.type]), [["k1", "kvalitet"], ["k2", "kvalitet"], ["pris", "pris"]]);
  assert.ok(lot.advarsler.some((a) => /afhænger af det laveste tilbud \(Pmin\)/.test(a)));
  assert.deepEqual(lot.rangomvending, []);
});

test("each model through evaluate(), by hand", () => {
  // Proportional: pp_A = 10·2,8/3,2 = 8,75 → T_A = 1,75 + 5,76 = 7,51; B: 2 + 4,48 = 6,48;
  // C: 10·2,8/4,3 = 6,511628 → 1,302326 + 7,2 = 8,502326
  let lot = lotOf(evaluate(spec({ model: "proportional" }), ABC));
  close(byName(lot, "A").samlet, 7.51);
  close(byName(lot, "B").samlet, 6.48);
  close(byName(lot, "C").samlet, 1.302326 + 7.2);
  assert.ok(lot.advarsler.some((a) => /afhænger af det laveste tilbud/.test(a)));
  // Interpolation, anchors 2.500.000 / 4.500.000: pp_A = 10·1,3/2 = 6,5 → T_A = 1,3 + 5,76 = 7,06;
  // pp_B = 10·1,7/2 = 8,5 → 1,7 + 4,48 = 6,18; pp_C = 10·0,2/2 = 1 → 0,2 + 7,2 = 7,4.
  // D at 2.000.000: 10·2,5/2 = 12,5 → clamped to 10.
  const D = bid("D", [1000, 1200, 500], 0, 0); // 1.000.000 + 600.000 + 100.000 = 1.700.000 → 14 → 10
  lot = lotOf(evaluate(spec({ model: "interpolation", ankerpris_lav: 2_500_000, ankerpris_høj: 4_500_000 }), [...ABC, D]));
  close(byName(lot, "A").samlet, 7.06);
  close(byName(lot, "B").samlet, 6.18);
  close(byName(lot, "C").samlet, 7.4);
  assert.equal(byName(lot, "D").prispoint, 10);
  assert.deepEqual(lot.rangfølge, ["C", "A", "B", "D"]);
  assert.ok(!lot.advarsler.some((a) => /afhænger af det laveste tilbud/.test(a)));
  // Price per quality point: A 3.200.000/7,2 = 444.444,44; B 2.800.000/5,6 = 500.000; C 4.300.000/9 = 477.777,78
  lot = lotOf(evaluate(spec({ model: "pris-pr-kvalitetspoint" }), ABC));
  assert.equal(lot.lavestBedst, true);
  close(byName(lot, "A").samlet, 3_200_000 / 7.2);
  close(byName(lot, "B").samlet, 500_000);
  assert.deepEqual(lot.rangfølge, ["A", "C", "B"]);
  assert.equal(byName(lot, "A").prispoint, 0);
  assert.deepEqual(lot.vægtfølsomhed, []);
  // Fixed amount 100.000 kr./point: A 3.200.000 − 720.000 = 2.480.000; B 2.800.000 − 560.000 = 2.240.000;
  // C 4.300.000 − 900.000 = 3.400.000
  lot = lotOf(evaluate(spec({ model: "prisomregning-beløb", beløb_pr_point: 100_000 }), ABC));
  assert.deepEqual(ABC.map((b) => byName(lot, b.tilbudsgiver).samlet), [2_480_000, 2_240_000, 3_400_000]);
  assert.deepEqual(lot.rangfølge, ["B", "A", "C"]);
  // Fixed percentage 5 %/point: A 3.200.000·(1 − 0,36) = 2.048.000; B 2.800.000·0,72 = 2.016.000;
  // C 4.300.000·0,55 = 2.365.000
  lot = lotOf(evaluate(spec({ model: "prisomregning-procent", procent_pr_point: 5 }), ABC));
  close(byName(lot, "A").samlet, 2_048_000);
  close(byName(lot, "B").samlet, 2_016_000);
  close(byName(lot, "C").samlet, 2_365_000);
  assert.deepEqual(lot.rangfølge, ["B", "A", "C"]);
});

test("linear model in a lot: a bid 100 % or more above the lowest gets 0 price points, not negative", () => {
  // E: 3.000·1.000 + 5.000·500 + 2.000·200 = 5.900.000 ≥ 2·2.800.000 → 10 − 10·3,1/2,8 = −1,07 → 0
  const E = bid("E", [3000, 5000, 2000], 10, 10);
  const lot = lotOf(evaluate(spec(), [...ABC, E]));
  assert.equal(byName(lot, "E").prispoint, 0);
  close(byName(lot, "E").samlet, 8); // 0 + 0,8·10
});

// Rank reversal by hand (linear, X = 100, pris 20 %, kvalitet 80 % with k1 60 % / k2 40 %):
// X: 1.000·1.000 + 1.600·500 + 1.000·200 = 2.000.000, Q = 3
// Y: 1.500·1.000 + 2.600·500 + 1.000·200 = 3.000.000, Q = 7
// Z: 2.000·1.000 + 2.800·500 + 1.000·200 = 3.600.000, Q = 0,6·8 + 0,4·7 = 7,6
// With X (Pmin 2.000.000): pp_Y = 10 − 10·1/2 = 5 → T_Y = 1 + 5,6 = 6,6; pp_Z = 10 − 10·1,6/2 = 2 → T_Z = 0,4 + 6,08 = 6,48
//   so Y before Z; T_X = 2 + 2,4 = 4,4.
// Without X (Pmin 3.000.000): pp_Y = 10 → T_Y = 7,6; pp_Z = 10 − 10·0,6/3 = 8 → T_Z = 1,6 + 6,08 = 7,68
//   so Z before Y: a rank reversal caused by removing the lowest bid.
const XYZ = [bid("X", [1000, 1600, 1000], 3, 3), bid("Y", [1500, 2600, 1000], 7, 7), bid("Z", [2000, 2800, 1000], 8, 7)];

test("rank reversal constructed by hand: removing the lowest bid swaps the two others", () => {
  const lot = lotOf(evaluate(spec(), XYZ));
  close(byName(lot, "Y").samlet, 6.6);
  close(byName(lot, "Z").samlet, 6.48);
  close(byName(lot, "X").samlet, 4.4);
  assert.deepEqual(lot.rangfølge, ["Y", "Z", "X"]);
  assert.deepEqual(lot.rangomvending, [{ fjernet: "X", før: ["Y", "Z"], efter: ["Z", "Y"] }]);
  assert.ok(lot.advarsler.some((a) => /Rangomvending: uden tilbuddet fra 'X'.*Z kommer foran Y/.test(a)), lot.advarsler.join("\n"));
  // Interpolation does not depend on the other bids: no reversal possible.
  const fixed = lotOf(evaluate(spec({ model: "interpolation", ankerpris_lav: 2_000_000, ankerpris_høj: 4_000_000 }), XYZ));
  assert.deepEqual(fixed.rangomvending, []);
});

test("weight sensitivity by hand: the exact crossover of the winner", () => {
  // Winner Y: T 6,6, s_kvalitet 7, pp 5 → d = s − pp = 2. Z: T 6,48, d = 7,6 − 2 = 5,6. X: T 4,4, d = 3 − 10 = −7.
  // More weight to kvalitet (Δ > 0): Z overtakes at Δ = 100·(6,6 − 6,48)/(5,6 − 2) = 12/3,6 = 3,333 pp.
  //   Check: pris 16,667 %, kvalitet 83,333 %: T_Y = 0,16667·5 + 0,83333·7 = 6,6667 = T_Z = 0,16667·2 + 0,83333·7,6.
  // More weight to pris (Δ < 0): X overtakes at Δ = −100·(6,6 − 4,4)/(2 + 7) = −220/9 = −24,444 pp.
  const lot = lotOf(evaluate(spec(), XYZ));
  assert.equal(lot.vægtfølsomhed.length, 2);
  assert.equal(lot.vægtfølsomhed[0].kriterium, "kvalitet");
  close(lot.vægtfølsomhed[0].ændring, 10 / 3);
  assert.equal(lot.vægtfølsomhed[0].nyVinder, "Z");
  close(lot.vægtfølsomhed[1].ændring, -220 / 9);
  assert.equal(lot.vægtfølsomhed[1].nyVinder, "X");
  assert.ok(lot.advarsler.some((a) => /følsom over for vægtningen: flyttes mere end 3,33 procentpoint fra pris til 'Kvalitet', vinder 'Z' i stedet for 'Y'/.test(a)), lot.advarsler.join("\n"));
  // Re-score with the shifted weights: Y and Z tie exactly at the crossover.
  const shifted = spec(undefined, (s) => {
    s.tildeling.underkriterier[0].vægt = 80 + 10 / 3;
    s.tildeling.underkriterier[1].vægt = 20 - 10 / 3;
  });
  const at = lotOf(evaluate(shifted, XYZ));
  close(byName(at, "Y").samlet, byName(at, "Z").samlet, 1e-9);
});

test("ties are ranked equal and flagged; the next place is skipped", () => {
  const twin = (n: string) => bid(n, [1500, 3000, 1000], 8, 6);
  const lot = lotOf(evaluate(spec(), [twin("Beta"), twin("Alfa"), ABC[1]]));
  assert.deepEqual(lot.bud.map((b) => [b.tilbudsgiver, b.placering, b.lighed]), [["Alfa", 1, true], ["Beta", 1, true], ["B", 3, false]]);
  assert.ok(lot.advarsler.some((a) => /Alfa og Beta står lige .* deler 1\. pladsen/.test(a)));
  assert.ok(lot.advarsler.some((a) => /Lighed ved grænsen/.test(a)) === false); // 2 suppliers, 2 tied: both awarded
  assert.deepEqual(lot.tildeles, ["Alfa", "Beta"]);
  const three = lotOf(evaluate(spec(), [twin("Beta"), twin("Alfa"), twin("Gamma")]));
  assert.deepEqual(three.tildeles, ["Alfa", "Beta", "Gamma"]);
  assert.ok(three.advarsler.some((a) => /Lighed ved grænsen for tildeling/.test(a)));
  assert.deepEqual(rankTotals([{ name: "a", total: 1 }, { name: "b", total: 1 + 1e-12 }, { name: "c", total: 0.5 }], false).groups, [["a", "b"], ["c"]]);
});

test("mindstekrav and minimumspoint exclude a bid from ranking and from Pmin, with reasons", () => {
  const u = spec(undefined, (s) => {
    s.tildeling.mindstekrav = [{ id: "gruppe", tekst: "Forløbene skal have gruppeaktiviteter." }];
    s.tildeling.underkriterier[0].underkriterier[1].minimumspoint = 5;
  });
  // B is the cheapest bid but fails the minimum requirement: Pmin becomes A's 3.200.000.
  // D scores 4 on k2 (threshold 5): excluded.
  const bids = [ABC[0], bid("B", [1200, 2800, 1000], 6, 5, { mindstekrav_ikke_opfyldt: ["gruppe"] }), ABC[2], bid("D", [1500, 3000, 1000], 9, 4)];
  const lot = lotOf(evaluate(u, bids));
  assert.equal(lot.lavestePris, 3_200_000);
  assert.equal(byName(lot, "A").prispoint, 10);
  assert.deepEqual(lot.rangfølge, ["C", "A"]);
  const B = byName(lot, "B");
  assert.equal(B.placering, null);
  assert.deepEqual(B.afvist, ["gruppe"]);
  assert.match(B.afvisningsgrunde[0], /Mindstekrav ikke opfyldt \(gruppe\): Forløbene skal have gruppeaktiviteter\./);
  const D = byName(lot, "D");
  assert.deepEqual(D.afvist, ["k2"]);
  assert.match(D.afvisningsgrunde[0], /Kvalitetstærskel ikke nået \(k2\): 'Samarbejde' fik 4,00 point; mindst 5 point kræves\./);
  assert.deepEqual(lot.bud.map((b) => b.tilbudsgiver), ["C", "A", "B", "D"]);
  assert.ok(lot.advarsler.some((a) => /'B' indgår ikke i rangfølgen/.test(a)));
});

test("consensus replaces the average; a lot's own tildeling wins over the tender's", () => {
  const withConsensus = bid("A", [1500, 3000, 1000], 8, 6);
  withConsensus.kvalitet = [
    { kriterium: "k1", point: 8, bedømmer: "AJ" }, { kriterium: "k1", point: 6, bedømmer: "KL" },
    { kriterium: "k2", point: 6, bedømmer: "AJ" }, { kriterium: "k2", point: 2, bedømmer: "KL" }, { kriterium: "k2", point: 5, bedømmer: "konsensus" },
  ];
  const lot = lotOf(evaluate(spec(), [withConsensus, ABC[1]]));
  const A = byName(lot, "A");
  assert.deepEqual(A.kriterier.slice(0, 2).map((k) => [k.point, k.konsensus, k.bedømmelser.length]), [[7, false, 2], [5, true, 3]]);
  const own = spec(undefined, (s) => {
    s.delkontrakter[0].tildeling = structuredClone(s.tildeling);
    s.delkontrakter[0].tildeling.prisevaluering.model = "proportional";
  });
  assert.equal(lotOf(evaluate(own, ABC)).prismodel, "proportional");
});

test("price only (kriterium: pris): ranked by price points, no quality", () => {
  const u = spec(undefined, (s) => {
    s.tildeling = { kriterium: "pris", underkriterier: [{ id: "pris", titel: "Pris", type: "pris", vægt: 100 }], prisevaluering: s.tildeling.prisevaluering };
  });
  const bids = ABC.map((b) => ({ ...b, kvalitet: [] }));
  const lot = lotOf(evaluate(u, bids));
  assert.deepEqual(lot.rangfølge, ["B", "A", "C"]);
  assert.equal(byName(lot, "B").samlet, 10);
  assert.deepEqual(lot.vægtfølsomhed, []);
});

test("evaluate() throws InputError with Danish diagnostics for bids that do not fit the spec", () => {
  assert.throws(() => evaluate(spec(), [{ ...ABC[0], delkontrakt: "mentr" }]), (e: unknown) => e instanceof InputError && /Delkontrakten 'mentr' findes ikke.*Mente du 'mentor'\?/.test(e.message));
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const pointModels: Partial<Prisevaluering>[] = [
  { model: "lineær", spænd_procent: 100 },
  { model: "lineær", spænd_procent: 30 },
  { model: "proportional" },
  { model: "interpolation", ankerpris_lav: 1_500_000, ankerpris_høj: 4_000_000 },
];
const allModels: Partial<Prisevaluering>[] = [
  ...pointModels,
  { model: "pris-pr-kvalitetspoint" },
  { model: "prisomregning-beløb", beløb_pr_point: 100_000 },
  { model: "prisomregning-procent", procent_pr_point: 5 },
];
const arbBid = fc.record({
  a: fc.integer({ min: 1000, max: 2500 }),
  b: fc.integer({ min: 500, max: 6000 }),
  e: fc.integer({ min: 0, max: 3000 }),
  k1: fc.integer({ min: 0, max: 10 }),
  k2: fc.integer({ min: 0, max: 10 }),
});
const toBids = (xs: { a: number; b: number; e: number; k1: number; k2: number }[], prefix = "T") =>
  xs.map((x, i) => bid(`${prefix}${i}`, [x.a, x.b, x.e], x.k1, x.k2));

test("property: price points lie within [0, S] for every point model", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...pointModels),
      fc.array(fc.double({ min: 1, max: 1e8, noNaN: true }), { minLength: 1, maxLength: 12 }),
      fc.constantFrom(5, 10, 100),
      (pe, prices, S) => {
        const lowest = Math.min(...prices);
        for (const price of prices) {
          const pts = pricePoints(pe as Prisevaluering, price, lowest, S);
          assert.ok(pts >= 0 && pts <= S, `${pe.model}: ${pts}`);
        }
      },
    ),
  );
});

test("property: price points are non-increasing in price (fixed Pmin, and through evaluate())", () => {
  fc.assert(
    fc.property(fc.constantFrom(...pointModels), fc.double({ min: 1, max: 1e7, noNaN: true }), fc.double({ min: 0, max: 1e7, noNaN: true }), fc.double({ min: 0, max: 1e7, noNaN: true }), (pe, lowest, d1, d2) => {
      const [p1, p2] = [lowest + Math.min(d1, d2), lowest + Math.max(d1, d2)];
      assert.ok(pricePoints(pe as Prisevaluering, p1, lowest, 10) >= pricePoints(pe as Prisevaluering, p2, lowest, 10));
    }),
  );
  fc.assert(
    fc.property(fc.constantFrom(...pointModels), fc.array(arbBid, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 3000 }), (pe, xs, raise) => {
      const bids = toBids(xs);
      const before = byName(lotOf(evaluate(spec(pe), bids)), "T0").prispoint;
      bids[0].priser[1].pris += raise;
      const after = byName(lotOf(evaluate(spec(pe), bids)), "T0").prispoint;
      assert.ok(after <= before + 1e-9, `${before} → ${after}`);
    }),
    { numRuns: 60 },
  );
});

test("property: the total is monotone in a quality score (better for point models, lower price for conversions)", () => {
  fc.assert(
    fc.property(fc.constantFrom(...allModels), fc.array(arbBid, { minLength: 1, maxLength: 5 }), fc.constantFrom("k1", "k2"), fc.integer({ min: 1, max: 10 }), (pe, xs, leaf, up) => {
      const bids = toBids(xs);
      const u = spec(pe);
      const lot = lotOf(evaluate(u, bids));
      const before = byName(lot, "T0").samlet;
      const q = bids[0].kvalitet.find((k) => k.kriterium === leaf)!;
      q.point = Math.min(10, q.point + up);
      const after = byName(lotOf(evaluate(u, bids)), "T0").samlet;
      if (lot.lavestBedst) assert.ok(after <= before + 1e-9 * Math.abs(before) || before === Infinity, `${pe.model}: ${before} → ${after}`);
      else assert.ok(after >= before - 1e-9, `${pe.model}: ${before} → ${after}`);
    }),
    { numRuns: 100 },
  );
});

test("property: ties are symmetric (equal bids share a place, whatever the input order)", () => {
  fc.assert(
    fc.property(fc.constantFrom(...allModels), arbBid, fc.array(arbBid, { maxLength: 4 }), fc.integer({ min: 0, max: 1000 }), (pe, same, others, seed) => {
      const bids = [bid("Lige-1", [same.a, same.b, same.e], same.k1, same.k2), bid("Lige-2", [same.a, same.b, same.e], same.k1, same.k2), ...toBids(others, "O")];
      const shuffled = [...bids].sort((x, y) => ((x.tilbudsgiver.length * 7919 + seed) % 13) - ((y.tilbudsgiver.length * 7919 + seed) % 13) || (seed % 2 ? 1 : -1) * x.tilbudsgiver.localeCompare(y.tilbudsgiver));
      const u = spec(pe);
      const l1 = lotOf(evaluate(u, bids));
      const l2 = lotOf(evaluate(u, shuffled));
      const [a, b] = [byName(l1, "Lige-1"), byName(l1, "Lige-2")];
      assert.equal(a.placering, b.placering);
      assert.equal(a.samlet, b.samlet);
      assert.ok(a.lighed && b.lighed);
      for (const x of l1.bud) assert.equal(byName(l2, x.tilbudsgiver).placering, x.placering);
      assert.deepEqual(l1.rangfølge, l2.rangfølge);
    }),
    { numRuns: 100 },
  );
});

// ---------------------------------------------------------------------------------------------
// The bids file: every error with its Danish message and place (against the 2024 spec)
// ---------------------------------------------------------------------------------------------

const udbud2024 = (() => {
  const r = readSpec(spec2024);
  assert.ok(r.udbud, JSON.stringify(r.errors));
  return r.udbud!;
})();

const GOOD_BID = `  - tilbudsgiver: Firma A
    delkontrakt: hjerneskade
    priser:
      - { indsats: H1, pris: 5000 }
      - { indsats: H2, pris: 2000 }
    kvalitet:
      - { kriterium: progression, point: 8 }
      - { kriterium: virksomhedssamarbejde, point: 7 }
      - { kriterium: jobcentersamarbejde, point: 6 }
      - { kriterium: dokumentation, point: 7 }
`;

function bidsFile(text: string, name = "bud.yaml") {
  const dir = writeFiles({ [name]: text });
  const file = path.join(dir, name);
  return { file, ...readBids(file, udbud2024) };
}

/** 1-based line and column of the n-th occurrence of `needle` in `text`. */
function pos(text: string, needle: string, nth = 1): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i < nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `'${needle}' not found`);
  }
  const before = text.slice(0, at).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function expectError(res: { errors: { message: string; line: number; column: number; code: string; file: string }[] }, re: RegExp, where?: { line: number; column: number }) {
  const hit = res.errors.find((e) => re.test(e.message));
  assert.ok(hit, `expected ${re} in\n${res.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join("\n")}`);
  if (where) assert.deepEqual({ line: hit!.line, column: hit!.column }, where, hit!.message);
  return hit!;
}

test("bids: a good YAML file reads without errors", () => {
  const r = bidsFile(`bud:\n${GOOD_BID}`);
  assert.deepEqual(r.errors, []);
  assert.equal(r.bids!.length, 1);
  assert.deepEqual(r.bids![0].priser, [{ indsats: "H1", pris: 5000 }, { indsats: "H2", pris: 2000 }]);
});

test("bids: unknown lot, with a suggestion, at the value", () => {
  const text = `bud:\n${GOOD_BID.replace("delkontrakt: hjerneskade", "delkontrakt: hjerneskde")}`;
  const r = bidsFile(text);
  assert.equal(r.bids, undefined);
  const e = expectError(r, /^Delkontrakten 'hjerneskde' findes ikke i udbuddet 'kk-2024-udsatte-sygemeldte'\. Mulige delkontrakter: 'udsatte', 'sygemeldte', 'hjerneskade'\. Mente du 'hjerneskade'\?$/, pos(text, "hjerneskde"));
  assert.equal(e.code, "bud.unknown-lot");
  assert.equal(path.basename(e.file), "bud.yaml");
});

test("bids: unknown offer or element, and an element written as an offer", () => {
  let text = `bud:\n${GOOD_BID.replace("indsats: H2", "indsats: H3")}`;
  expectError(bidsFile(text), /^'H3' er hverken en indsats eller et element med pris i delkontrakten 'hjerneskade'\. Priser angives for: 'H1', 'H2'\. Mente du 'H1'\?$/, pos(text, "H3"));
  text = `bud:\n${GOOD_BID.replace("delkontrakt: hjerneskade", "delkontrakt: udsatte").replace("indsats: H2", "indsats: PSY")}`;
  expectError(bidsFile(text), /^'PSY' er et element i delkontrakten 'udsatte', ikke en indsats\. Skriv 'element: PSY'\.$/, pos(text, "indsats: PSY"));
});

test("bids: missing prices, at the 'priser' key", () => {
  const text = `bud:\n${GOOD_BID.replace("      - { indsats: H2, pris: 2000 }\n", "")}`;
  const e = expectError(bidsFile(text), /^Tilbuddet fra 'Firma A' på delkontrakten 'hjerneskade' mangler pris for 'H2'\. Der skal være en pris for hver indsats og hvert element i tilbudslisten \(2 i alt\)\.$/, pos(text, "priser"));
  assert.equal(e.code, "bud.missing-price");
});

test("bids: a score outside the scale", () => {
  const text = `bud:\n${GOOD_BID.replace("progression, point: 8", "progression, point: 12")}`;
  expectError(bidsFile(text), /^12 point for 'progression' ligger uden for pointskalaen 0-10\.$/, pos(text, "12"));
});

test("bids: unknown criteria, an inner criterion, the price criterion", () => {
  let text = `bud:\n${GOOD_BID.replace("kriterium: progression", "kriterium: progresion")}`;
  let r = bidsFile(text);
  expectError(r, /^Kriteriet 'progresion' findes ikke i tildelingskriterierne for delkontrakten 'hjerneskade'\. Der gives point for: 'progression', 'virksomhedssamarbejde', 'jobcentersamarbejde', 'dokumentation'\. Mente du 'progression'\?$/, pos(text, "progresion"));
  expectError(r, /mangler point for 'progression' \(Progression og resultatopfølgning\)/);
  text = `bud:\n${GOOD_BID}      - { kriterium: kvalitet, point: 7 }\n      - { kriterium: pris, point: 7 }\n`;
  r = bidsFile(text);
  expectError(r, /^'kvalitet' har delkriterier; giv point for hvert delkriterium: 'progression', /, pos(text, "kvalitet, point"));
  expectError(r, /^'pris' er priskriteriet; det får point ud fra prisen efter pointmodellen/, pos(text, "pris, point"));
});

test("bids: missing scores, and an evaluator who skipped a criterion", () => {
  let text = `bud:\n${GOOD_BID.replace("      - { kriterium: dokumentation, point: 7 }\n", "")}`;
  expectError(bidsFile(text), /^Tilbuddet fra 'Firma A' på delkontrakten 'hjerneskade' mangler point for 'dokumentation' \(Dokumentation og objektive beskrivelser\)\. Der skal være point for hvert delkriterium\.$/, pos(text, "kvalitet"));
  const two = GOOD_BID.replace(/point: (\d+) }/g, "point: $1, bedømmer: AJ }") +
    ["progression", "virksomhedssamarbejde", "jobcentersamarbejde"].map((k) => `      - { kriterium: ${k}, point: 6, bedømmer: KL }\n`).join("");
  text = `bud:\n${two}`;
  expectError(bidsFile(text), /^Bedømmer 'KL' har ikke givet point for 'dokumentation' \(Dokumentation og objektive beskrivelser\) i tilbuddet fra 'Firma A' på delkontrakten 'hjerneskade'\. Giv point, eller angiv en konsensusscore \(bedømmer: konsensus\)\.$/, pos(text, "kvalitet"));
  // A consensus score for the skipped criterion makes it complete.
  assert.deepEqual(bidsFile(`bud:\n${two}      - { kriterium: dokumentation, point: 7, bedømmer: konsensus }\n`).errors, []);
  // The same evaluator twice on one criterion.
  text = `bud:\n${two}      - { kriterium: dokumentation, point: 7, bedømmer: KL }\n      - { kriterium: dokumentation, point: 8, bedømmer: kl }\n`;
  expectError(bidsFile(text), /^'dokumentation' har allerede point fra bedømmer 'kl' i tilbuddet fra 'Firma A'/, pos(text, "dokumentation, point: 8"));
});

test("bids: the same bidder twice on one lot", () => {
  const text = `bud:\n${GOOD_BID}${GOOD_BID.replace("Firma A", "firma  a")}`;
  const e = expectError(bidsFile(text), /^'firma {2}a' har allerede et bud på delkontrakten 'hjerneskade' \(linje 2\)\. Hver tilbudsgiver har ét bud pr\. delkontrakt/, pos(text, "firma  a"));
  assert.equal(e.code, "bud.duplicate-bidder");
});

test("bids: non-numeric values (and Danish numbers that are fine)", () => {
  const text = `bud:\n${GOOD_BID.replace("pris: 5000", "pris: femtusind").replace("point: 8", "point: otte")}`;
  const r = bidsFile(text);
  expectError(r, /^Prisen skal være et tal, fx 3200 eller 3\.200,50, ikke 'femtusind'\.$/, pos(text, "femtusind"));
  expectError(r, /^Point skal være et tal, fx 8 eller 7,5, ikke 'otte'\.$/, pos(text, "otte"));
  assert.equal(r.errors.length, 2, "no follow-up errors for the same values");
  const ok = bidsFile(`bud:\n${GOOD_BID.replace("pris: 5000", "pris: '5.000,00'").replace("point: 8", "point: '7,5'")}`);
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.bids![0].priser[0].pris, 5000);
  assert.equal(ok.bids![0].kvalitet[0].point, 7.5);
});

test("bids: unknown mindstekrav ids", () => {
  const text = `bud:\n${GOOD_BID}    mindstekrav_ikke_opfyldt: [gruppeaktivitet]\n`;
  expectError(bidsFile(text), /^Mindstekravet 'gruppeaktivitet' findes ikke for delkontrakten 'hjerneskade'\. Mindstekravene er: 'alle-priser', .*Mente du 'gruppeaktiviteter'\?$/, pos(text, "gruppeaktivitet]"));
});

test("bids: unknown keys, wrong structure, YAML syntax, a foreign tender, empty", () => {
  let text = `bud:\n${GOOD_BID.replace("priser:", "pirser:")}`;
  let r = bidsFile(text);
  expectError(r, /^Ukendt nøgle 'pirser' i et bud\. Tilladt: .* Mente du 'priser'\?$/, pos(text, "pirser"));
  expectError(r, /mangler pris for 'H1', 'H2'/);
  text = `udbud: kk-2020-udsatte-sygemeldte\nbud:\n${GOOD_BID}`;
  expectError(bidsFile(text), /^Budfilen hører til udbuddet 'kk-2020-udsatte-sygemeldte', men udbuddet er 'kk-2024-udsatte-sygemeldte'\.$/, { line: 1, column: 8 });
  r = bidsFile(`bud:\n  - tilbudsgiver: "Firma A\n`);
  assert.match(r.errors[0].message, /^YAML-fejl:/);
  expectError(bidsFile("tilbud: []\n"), /Budfilen mangler listen 'bud:'/);
  expectError(bidsFile("bud: []\n"), /^Budfilen indeholder ingen bud\./);
  expectError(bidsFile(""), /^Budfilen er tom\.$/, { line: 1, column: 1 });
  expectError(bidsFile("bud: []\n", "bud.xlsx"), /Budfilen skal være en YAML-fil \(\.yaml, \.yml\) eller en CSV-fil \(\.csv\), ikke '\.xlsx'/);
  const missing = readBids(path.join(repoRoot, "nope", "bud.yaml"), udbud2024);
  expectError(missing, /^Budfilen '.*nope\/bud\.yaml' findes ikke\./);
});

test("bids: a file over the size limit is refused before it is parsed", () => {
  const big = "#".repeat(BID_LIMITS.maxFileBytes + 1);
  for (const name of ["bud.yaml", "bud.csv"]) {
    const r = bidsFile(big, name);
    expectError(r, /^Budfilen er for stor \(\d+ bytes; grænsen er 5 MiB\)\.$/, { line: 1, column: 1 });
  }
});

test("bids: all errors are reported at once", () => {
  const text = `bud:\n${GOOD_BID.replace("pris: 5000", "pris: x").replace("point: 8", "point: 11")}${GOOD_BID.replace("hjerneskade", "ukendt")}`;
  const r = bidsFile(text);
  assert.equal(r.errors.length, 3, r.errors.map((e) => e.message).join("\n"));
  assert.deepEqual(r.errors.map((e) => e.line), [...r.errors.map((e) => e.line)].sort((a, b) => a - b));
});

// ---- CSV --------------------------------------------------------------------------------------

const CSV = [
  "tilbudsgiver;delkontrakt;type;id;værdi;bedømmer;begrundelse",
  "Firma A;hjerneskade;pris;H1;5.000;;",
  "Firma A;hjerneskade;pris;H2;2.000,00;;",
  "Firma A;hjerneskade;kvalitet;progression;8;;\"Konkret; sandsynliggjort\"",
  "Firma A;hjerneskade;kvalitet;virksomhedssamarbejde;7;;",
  "Firma A;hjerneskade;kvalitet;jobcentersamarbejde;6;;",
  "Firma A;hjerneskade;kvalitet;dokumentation;7;;",
  ";;;;;;",
  "# en kommentar",
].join("\r\n") + "\r\n";

test("CSV: the documented format reads like the YAML, with Danish numbers, quotes and comments", () => {
  const r = bidsFile(CSV, "bud.csv");
  assert.deepEqual(r.errors, []);
  const y = bidsFile(`bud:\n${GOOD_BID}`);
  const strip = (b: Bid[]) => b.map((x) => ({ ...x, kvalitet: x.kvalitet.map(({ begrundelse: _b, ...k }) => k) }));
  assert.deepEqual(strip(r.bids!), strip(y.bids!));
  assert.equal(r.bids![0].kvalitet[0].begrundelse, "Konkret; sandsynliggjort");
  // Comma separated with a quoted decimal comma, ASCII header names, an element row, lot by number.
  const comma = [
    "tilbudsgiver,delkontrakt,type,id,vaerdi,bedoemmer",
    ...["T1", "T2", "V1", "V2", "M"].map((id) => `Firma B,1,pris,${id},"1500,50",`),
    "Firma B,1,pris,PSY,1000,",
    ...["progression", "virksomhedssamarbejde", "jobcentersamarbejde", "dokumentation"].map((k) => `Firma B,1,kvalitet,${k},6,AJ`),
    "Firma B,1,mindstekrav,gruppeaktiviteter,ikke opfyldt,",
    "Firma B,1,mindstekrav,fagspecialister,ja,",
  ].join("\n");
  const c = bidsFile(comma, "bud.csv");
  assert.deepEqual(c.errors, []);
  assert.equal(c.bids![0].delkontrakt, "udsatte");
  assert.deepEqual(c.bids![0].priser.at(-1), { element: "PSY", pris: 1000 });
  assert.equal(c.bids![0].priser[0].pris, 1500.5);
  assert.deepEqual(c.bids![0].mindstekrav_ikke_opfyldt, ["gruppeaktiviteter"]);
});

test("CSV: rows naming the same lot by id and by number are one bid", () => {
  const rows = [
    "tilbudsgiver;delkontrakt;type;id;værdi;bedømmer",
    ...["T1", "T2", "V1"].map((id) => `Firma B;udsatte;pris;${id};1500;`),
    ...["V2", "M", "PSY"].map((id) => `Firma B;1;pris;${id};1000;`),
    ...["progression", "virksomhedssamarbejde"].map((k) => `Firma B;1;kvalitet;${k};6;AJ`),
    ...["jobcentersamarbejde", "dokumentation"].map((k) => `Firma B;udsatte;kvalitet;${k};6;AJ`),
  ].join("\n");
  const r = bidsFile(rows, "bud.csv");
  assert.deepEqual(r.errors.map((e) => e.message), []);
  assert.equal(r.bids!.length, 1);
  assert.equal(r.bids![0].delkontrakt, "udsatte");
  assert.equal(r.bids![0].priser.length, 6);
  assert.equal(r.bids![0].kvalitet.length, 4);
});

test("CSV: Windows-1252 as older Excel saves it is decoded", () => {
  const text = CSV.replace(/Firma A/g, "Ressourcecentret Øst");
  const r = bidsFile(Buffer.from(text, "latin1") as unknown as string, "bud.csv");
  assert.deepEqual(r.errors, []);
  assert.equal(r.bids![0].tilbudsgiver, "Ressourcecentret Øst");
});

test("CSV: errors carry the line and column of the cell", () => {
  let text = CSV.replace("pris;H1;5.000", "pris;H1;fem").replace("Firma A;hjerneskade;kvalitet;jobcenter", "Firma A;hjerneskade;kvalitt;jobcenter");
  let r = bidsFile(text, "bud.csv");
  const e = expectError(r, /^Prisen for 'H1' skal være et tal, fx 3200 eller 3\.200,50, ikke 'fem'\.$/, pos(text, "fem"));
  assert.equal(e.code, "bud.not-a-number");
  expectError(r, /^Typen 'kvalitt' er ukendt\. Skriv pris, kvalitet eller mindstekrav\. Mente du 'kvalitet'\?$/, pos(text, "kvalitt"));
  text = CSV.replace(/hjerneskade/g, "hjerne");
  expectError(bidsFile(text, "bud.csv"), /^Delkontrakten 'hjerne' findes ikke i udbuddet/, pos(text, "hjerne"));
  text = CSV.replace("progression;8", "progression;12");
  expectError(bidsFile(text, "bud.csv"), /^12 point for 'progression' ligger uden for pointskalaen 0-10\.$/, pos(text, "12"));
  text = CSV.replace("Firma A;hjerneskade;pris;H2;2.000,00;;\r\n", "");
  expectError(bidsFile(text, "bud.csv"), /mangler pris for 'H2'/, { line: 2, column: 1 });
  text = CSV + "Firma A;hjerneskade;pris;H2;2100;;\r\n";
  expectError(bidsFile(text, "bud.csv"), /^Tilbuddet fra 'Firma A' på delkontrakten 'hjerneskade' har allerede en pris for 'H2' \(linje 3\)\./, { line: 10, column: 26 });
  text = CSV + "Firma A;hjerneskade;mindstekrav;case;måske;;\r\n";
  expectError(bidsFile(text, "bud.csv"), /^Værdien for mindstekravet 'case' skal være 'opfyldt' \(eller 'ja'\) eller 'ikke opfyldt' \(eller 'nej'\), ikke 'måske'\.$/, pos(text, "måske"));
  text = CSV + "Firma A;hjerneskade;mindstekrav;case;nej;;\r\n";
  expectError(bidsFile(text, "bud.csv"), /^Mindstekravet 'case' findes ikke for delkontrakten 'hjerneskade'\. .*Mente du 'case-rapport'\?$/, { line: 10, column: 33 });
});

test("CSV: header and quoting problems", () => {
  let r = bidsFile("tilbudsgiver;delkontrakt;type;id\nFirma A;hjerneskade;pris;H1\n", "bud.csv");
  expectError(r, /^Overskriften mangler kolonnen 'værdi'\. Første linje skal være: tilbudsgiver;delkontrakt;type;id;værdi;bedømmer;begrundelse/, { line: 1, column: 1 });
  r = bidsFile("tilbudsgiver;delkontrakt;type;id;værdi;bedømer\n", "bud.csv");
  expectError(r, /^Ukendt kolonne 'bedømer' i overskriften\. .* Mente du 'bedømmer'\?$/, { line: 1, column: 40 });
  const text = CSV + 'Firma A;hjerneskade;kvalitet;dokumentation;7;;"ikke lukket\n';
  r = bidsFile(text, "bud.csv");
  expectError(r, /^Et anførselstegn \("\) åbner et felt, men lukkes aldrig\./, pos(text, '"ikke'));
  r = bidsFile(CSV + "Firma A;hjerneskade;pris;H1;5000;;;ekstra\n", "bud.csv");
  expectError(r, /^Rækken har flere felter \(8\) end overskriften \(7\)\./, { line: 10, column: 36 });
  r = bidsFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("t\0i\0")]) as unknown as string, "bud.csv");
  expectError(r, /gemt som UTF-16/);
});

test("Danish numbers", () => {
  const cases: [string, number | undefined][] = [
    ["3200", 3200], ["3200,5", 3200.5], ["3.200", 3200], ["3.200,50", 3200.5], ["1.234.567", 1234567], ["7.5", 7.5],
    ["3 200 kr.", 3200], ["kr. 3.200,-", 3200], ["1,234.5", 1234.5], [",5", 0.5], ["-2", -2], ["abc", undefined], ["", undefined], ["3,2,1", undefined],
  ];
  for (const [s, n] of cases) assert.equal(parseDanishNumber(s), n, s);
});

// ---------------------------------------------------------------------------------------------
// The sample bids and the CLI
// ---------------------------------------------------------------------------------------------

test("the sample bids: every lot is ranked, one bid is excluded, one lot shows a rank reversal", () => {
  const { result, errors } = evaluateSpec(spec2024, sampleBids);
  assert.deepEqual(errors, []);
  const r = result!;
  assert.deepEqual(r.delkontrakter.map((l) => l.delkontrakt), ["udsatte", "sygemeldte", "hjerneskade"]);
  for (const lot of r.delkontrakter) {
    assert.ok(lot.bud.length >= 4 && lot.bud.length <= 5, lot.delkontrakt);
    assert.equal(lot.rangfølge.length, lot.bud.filter((b) => b.placering !== null).length);
    assert.ok(lot.rangfølge.length >= 4);
    for (const b of lot.bud) for (const k of b.kriterier.filter((k) => k.type === "kvalitet")) assert.ok(k.bedømmelser.length >= 2);
  }
  const excluded = r.delkontrakter.flatMap((l) => l.bud.filter((b) => b.placering === null));
  assert.deepEqual(excluded.map((b) => [b.tilbudsgiver, b.afvist]), [["MentalSund Rådgivning ApS", ["gruppeaktiviteter"]]]);
  const reversals = r.delkontrakter.filter((l) => l.rangomvending.length);
  assert.deepEqual(reversals.map((l) => l.delkontrakt), ["hjerneskade"]);
  assert.deepEqual(reversals[0].rangomvending[0], {
    fjernet: "Fremdrift & Trivsel ApS",
    før: ["NeuroJob ApS", "Hjernekraft Rehabilitering", "Kompetencecenter Amager"],
    efter: ["NeuroJob ApS", "Kompetencecenter Amager", "Hjernekraft Rehabilitering"],
  });
  // Every price lies inside its corridor: no corridor warnings.
  assert.ok(!r.delkontrakter.some((l) => l.advarsler.some((a) => /priskorridoren/.test(a))));
});

test("CLI: udbud evaluate --json exits 0 and ranks every lot", async () => {
  const r = await cli("evaluate", "specs/kk-2024-udsatte-sygemeldte", "--bids", "specs/kk-2024-udsatte-sygemeldte/bud.yaml", "--json");
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as EvaluationResult;
  assert.deepEqual(Object.keys(j), ["udbud", "titel", "delkontrakter"]);
  assert.equal(j.udbud, "kk-2024-udsatte-sygemeldte");
  assert.equal(j.delkontrakter.length, 3);
  for (const lot of j.delkontrakter) {
    assert.ok(lot.rangfølge.length > 0);
    for (const k of ["delkontrakt", "titel", "prismodel", "lavestBedst", "bud", "rangfølge", "advarsler", "rangomvending", "vægtfølsomhed", "formel", "prisvægt", "kvalitetsvægt", "lavestePris", "tildeles"]) assert.ok(k in lot, k);
    for (const b of lot.bud) for (const k of ["tilbudsgiver", "evalueringspris", "prispoint", "kriterier", "kvalitetspoint", "samlet", "placering", "afvist", "lighed"]) assert.ok(k in b, k);
  }
  const same = await cli("evaluate", "specs/kk-2024-udsatte-sygemeldte", "--bids", "specs/kk-2024-udsatte-sygemeldte/bud.yaml", "--format", "json");
  assert.equal(same.stdout, r.stdout);
});

test("CLI: the terminal report is a Danish ranking table per lot", async () => {
  const r = await cli("evaluate", spec2024, "--bids", sampleBids);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Evaluering af tilbud: /);
  for (const n of [1, 2, 3]) assert.match(r.stdout, new RegExp(`Delkontrakt ${n}: `));
  assert.match(r.stdout, /Plac\. +Tilbudsgiver +Evalueringspris +Pris-point +Kvalitetspoint +Samlet/);
  assert.match(r.stdout, /\n {2}1 +NeuroJob ApS +5\.460\.000 kr\. +5,11 +8,23 +7,60\n/);
  assert.match(r.stdout, /afvist +MentalSund Rådgivning ApS/);
  assert.match(r.stdout, /Rangomvending: uden tilbuddet fra 'Fremdrift & Trivsel ApS'/);
});

test("CLI: bad bids exit 1 with file:line:column; usage errors exit 2", async () => {
  const dir = writeFiles({ "bud.yaml": `bud:\n${GOOD_BID.replace("point: 8", "point: 80")}` });
  const r = await cli("evaluate", spec2024, "--bids", path.join(dir, "bud.yaml"));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bud\.yaml:8:42: fejl: 80 point for 'progression' ligger uden for pointskalaen 0-10\. \[bud\[0\]\.kvalitet\[0\]\.point\]/);
  assert.match(r.stderr, /✗ 1 fejl; tilbuddene er ikke evalueret\./);
  const j = await cli("evaluate", spec2024, "--bids", path.join(dir, "bud.yaml"), "--json");
  assert.equal(j.code, 1);
  assert.equal(JSON.parse(j.stdout).errors[0].line, 8);
  const noBids = await cli("evaluate", spec2024);
  assert.equal(noBids.code, 2);
  assert.match(noBids.stderr, /fejl: tilvalget '--bids <fil>' skal angives/);
  const fmt = await cli("evaluate", spec2024, "--bids", sampleBids, "--format", "xlsx", "--out", tmpDir());
  assert.equal(fmt.code, 2);
  assert.match(fmt.stderr, /ukendt format 'xlsx'\. Mulige formater: docx, pdf, html, md\./);
  const noOut = await cli("evaluate", spec2024, "--bids", sampleBids, "--format", "pdf");
  assert.equal(noOut.code, 2);
  assert.match(noOut.stderr, /--format vælger evalueringsnotatets formater; angiv også --out/);
  const { dir: badSpec } = mutated((s) => (s.tildeling.underkriterier[0].vægt = 70));
  const bs = await cli("evaluate", badSpec, "--bids", sampleBids);
  assert.equal(bs.code, 1);
  assert.match(bs.stderr, /Vægtene for underkriterierne giver 90 %/);
  assert.ok(fs.existsSync(sampleBids));
});

test("udbud evaluate --out writes the evaluation record in every format", async () => {
  const { cli, repoRoot, tmpDir } = await import("./helpers.js");
  const fs = await import("node:fs");
  const path = await import("node:path");
  const out = tmpDir();
  const spec = path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte");
  const r = await cli("evaluate", spec, "--bids", path.join(spec, "bud.yaml"), "--out", out);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(fs.readdirSync(out).sort(), ["evalueringsnotat.docx", "evalueringsnotat.html", "evalueringsnotat.md", "evalueringsnotat.pdf"]);
  const md = fs.readFileSync(path.join(out, "evalueringsnotat.md"), "utf8");
  assert.match(md, /Nordvest Beskæftigelse A\/S/);
  assert.match(md, /MentalSund Rådgivning ApS/);
});
