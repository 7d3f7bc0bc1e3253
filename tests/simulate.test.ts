/** The price simulation core: seeded RNG, Monte Carlo engine, closed forms and break-even. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../src/simulate/rng.js";
import { breakEvenUgepris, closedForm, simulate } from "../src/simulate/engine.js";
import type { Delkontraktpriser, Scenarie } from "../src/simulate/model.js";

const lot: Delkontraktpriser = {
  delkontrakt: "udsatte",
  indsats: "T1",
  tilbud: [
    {
      tilbudsgiver: "Jobhuset ApS",
      priser: { timepris: 650, ugepris: 3100, dagspris: 640, helårsperson: 150000, resultatbaseret: 30000 },
      grundbetaling_procent: 60,
      bonusser: [{ resultat: "job", beløb: 10000 }, { resultat: "uddannelse", beløb: 8000 }],
    },
    { tilbudsgiver: "Nordvest Beskæftigelse A/S", priser: { timepris: 700, ugepris: 3600 } },
  ],
};

/** No variance: fixed count, fixed duration, no interruption, results with probability 0 or 1. */
function deterministisk(): Scenarie {
  return {
    delkontrakt: "udsatte", indsats: "T1",
    henvisninger: { pr_måned: 10, fordeling: "fast" },
    varighed: { type: "fast", uger: 13 },
    afbrydelse_sandsynlighed: 0,
    timer_pr_uge: 5,
    fremmøde_andel: 0.8,
    resultater: [{ resultat: "job", sandsynlighed: 1 }],
    helårsperson: { pladser: 40, belægning: 0.9 },
    tilbud: { "Nordvest Beskæftigelse A/S": { timer_pr_uge: 6 } },
  };
}

function stokastisk(): Scenarie {
  return {
    ...deterministisk(),
    henvisninger: { pr_måned: 10, fordeling: "poisson" },
    varighed: { type: "normal", middel: 14, sd: 4, min: 4, max: 26 },
    afbrydelse_sandsynlighed: 0.25,
    resultater: [{ resultat: "job", sandsynlighed: 0.2 }, { resultat: "uddannelse", sandsynlighed: 0.1 }],
  };
}

test("rng: same seed gives the same sequence; uniform in [0,1); normal has mean 0 and sd 1", () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xs = Array.from({ length: 5 }, () => a.nextUint32());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.nextUint32()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.nextUint32()));
  const r = new Rng(1);
  let s = 0, ss = 0, n = 200000, min = 1, max = 0;
  for (let i = 0; i < n; i++) { const u = r.uniform(); if (u < min) min = u; if (u > max) max = u; }
  assert.ok(min >= 0 && max < 1);
  for (let i = 0; i < n; i++) { const z = r.standardNormal(); s += z; ss += z * z; }
  assert.ok(Math.abs(s / n) < 0.01);
  assert.ok(Math.abs(Math.sqrt(ss / n) - 1) < 0.01);
  for (const lambda of [3, 120]) {
    let t = 0;
    for (let i = 0; i < n; i++) t += r.poisson(lambda);
    assert.ok(Math.abs(t / n - lambda) < 0.02 * lambda, `poisson(${lambda}) mean ${t / n}`);
  }
});

test("deterministic inputs: the simulated mean equals the closed form exactly for every pricing model", () => {
  const s = deterministisk();
  const res = simulate(lot, s, { runs: 50, seed: 7 });
  for (const t of res.tilbud) {
    const offer = lot.tilbud.find((x) => x.tilbudsgiver === t.tilbudsgiver)!;
    const cf = closedForm(offer, s);
    assert.deepEqual(t.modeller.map((m) => m.model).sort(), Object.keys(cf).sort());
    for (const m of t.modeller) {
      assert.equal(m.årlig.middel, cf[m.model], `${t.tilbudsgiver} ${m.model}`);
      assert.equal(m.årlig.p10, cf[m.model]);
      assert.equal(m.årlig.p90, cf[m.model]);
      assert.equal(m.årlig.sd, 0);
    }
  }
  const j = res.tilbud[0]!.modeller;
  const byModel = Object.fromEntries(j.map((m) => [m.model, m.årlig.middel]));
  // 120 courses × 13 weeks: the formulas from issue 5 written out.
  assert.equal(byModel.timepris, 120 * 13 * 5 * 650);
  assert.equal(byModel.ugepris, 120 * 13 * 3100);
  assert.equal(byModel.dagspris, 120 * 65 * 640);
  assert.equal(byModel.helårsperson, 40 * 150000);
  assert.equal(byModel.resultatbaseret, 120 * 30000 * 0.6 + 1 * 10000 * 120);
  assert.equal(j.find((m) => m.model === "timepris")!.pr_forløb, 13 * 5 * 650);
  assert.equal(j.find((m) => m.model === "ugepris")!.pr_effektiv_time, (13 * 3100) / (13 * 5 * 0.8));
  assert.equal(res.tilbud[1]!.modeller.find((m) => m.model === "timepris")!.årlig.middel, 120 * 13 * 6 * 700);
});

test("closed form with interruptions and discrete durations agrees with a large simulation", () => {
  const s: Scenarie = { ...stokastisk(), varighed: { type: "diskret", udfald: [{ uger: 8, sandsynlighed: 0.3 }, { uger: 13.5, sandsynlighed: 0.7 }] } };
  const res = simulate(lot, s, { runs: 20000, seed: 3 });
  const cf = closedForm(lot.tilbud[0]!, s);
  for (const m of res.tilbud[0]!.modeller) {
    const se = m.årlig.sd / Math.sqrt(20000);
    assert.ok(Math.abs(m.årlig.middel - cf[m.model]!) < 4 * se + 1e-9, `${m.model}: ${m.årlig.middel} vs ${cf[m.model]}`);
  }
});

test("Monte Carlo standard error shrinks like 1/√N (N vs 16N → ratio ≈ 4)", () => {
  const s = stokastisk();
  const sdOfMeans = (runs: number): number => {
    const means: number[] = [];
    for (let seed = 1; seed <= 60; seed++) {
      means.push(simulate({ ...lot, tilbud: [lot.tilbud[0]!] }, s, { runs, seed }).tilbud[0]!.modeller.find((m) => m.model === "ugepris")!.årlig.middel);
    }
    const m = means.reduce((a, b) => a + b, 0) / means.length;
    return Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / (means.length - 1));
  };
  const ratio = sdOfMeans(20) / sdOfMeans(320);
  assert.ok(ratio > 2.8 && ratio < 5.6, `ratio ${ratio}`);
});

test("the same seed gives identical output; another seed differs", () => {
  const s = stokastisk();
  const a = simulate(lot, s, { runs: 200, seed: 11 });
  const b = simulate(lot, s, { runs: 200, seed: 11 });
  const c = simulate(lot, s, { runs: 200, seed: 12 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.tilbud[0]!.modeller[0]!.årlig, c.tilbud[0]!.modeller[0]!.årlig);
});

test("break-even ugepris: the simulated ugepris cost equals the timepris cost", () => {
  for (const uger of [13, 12.5]) {
    const s: Scenarie = { ...deterministisk(), varighed: { type: "fast", uger } };
    const u = breakEvenUgepris(650, 5, s);
    if (uger === 13) assert.equal(u, 650 * 5);
    const res = simulate({ delkontrakt: "udsatte", tilbud: [{ tilbudsgiver: "X", priser: { timepris: 650, ugepris: u } }] }, s, { runs: 10, seed: 1 });
    const [tp, up] = ["timepris", "ugepris"].map((k) => res.tilbud[0]!.modeller.find((m) => m.model === k)!.årlig.middel);
    assert.ok(Math.abs(tp! - up!) <= 1e-9 * tp!, `${uger} uger: ${tp} vs ${up}`);
  }
  // With interruptions the break-even holds in expectation (common random numbers, large N).
  const s = { ...stokastisk(), varighed: { type: "fast" as const, uger: 13 } };
  const u = breakEvenUgepris(650, 5, s);
  assert.ok(u < 650 * 5); // interrupted courses pay whole started weeks
  const cf = closedForm({ tilbudsgiver: "X", priser: { timepris: 650, ugepris: u } }, s);
  assert.ok(Math.abs(cf.timepris! - cf.ugepris!) < 1e-6 * cf.timepris!);
  const res = simulate({ delkontrakt: "udsatte", tilbud: [{ tilbudsgiver: "X", priser: { timepris: 650, ugepris: u } }] }, s, { runs: 5000, seed: 5 });
  const [tp, up] = ["timepris", "ugepris"].map((k) => res.tilbud[0]!.modeller.find((m) => m.model === k)!.årlig.middel);
  assert.ok(Math.abs(tp! - up!) < 0.01 * tp!, `${tp} vs ${up}`);
});

test("closed form refuses a normal duration", () => {
  assert.throws(() => closedForm(lot.tilbud[0]!, stokastisk()), /fast eller diskret varighed/);
});
