/** The price simulation core: seeded RNG, Monte Carlo engine, closed forms and break-even. */
import { test } from "vitest";
import assert from "node:assert/strict";
import { Rng } from "../src/simulate/rng.js";
import { forventning, simulerYdelse } from "../src/simulate/engine.js";
import { AFREGNINGSFORMER, forventetOmkostning, simulate, type Ydelsesresultat } from "../src/simulate/analysis.js";
import type { Forløbsantagelser, SimuleretYdelse, SimuleringsInput } from "../src/simulate/model.js";

/** No variance: fixed counts, fixed duration, extension and results with probability 0 or 1. */
function deterministisk(): Forløbsantagelser {
  return {
    henvisninger: { pr_måned: 10, fordeling: "fast", sæson: Array(12).fill(1) },
    varighed: { fordeling: "fast", uger: 13 },
    forlængelse: { sandsynlighed: 0, uger: 0 },
    afbrydelse: { sandsynlighed: 0, tidspunkt: "ligefordelt" },
    timer_pr_uge: { fordeling: "fast", timer: 5 },
    fremmøde: 0.8,
    aflysning: { sandsynlighed: 0, sen_andel: 0, sen_betaling_uger: 1 },
    resultater: [{ resultat: "job", sandsynlighed: 1 }],
    kostpris_pr_time: 650,
  };
}

function stokastisk(): Forløbsantagelser {
  return {
    ...deterministisk(),
    henvisninger: { pr_måned: 10, fordeling: "poisson", sæson: [1.2, 1.1, 1, 1, 1, 0.9, 0.5, 0.9, 1.1, 1.1, 1.1, 1] },
    varighed: { fordeling: "normal", middel: 14, sd: 4, min: 4, max: 26 },
    forlængelse: { sandsynlighed: 0.25, uger: 13 },
    afbrydelse: { sandsynlighed: 0.25, tidspunkt: "ligefordelt" },
    timer_pr_uge: { fordeling: "normal", middel: 5, sd: 1.5, min: 2, max: 8 },
    aflysning: { sandsynlighed: 0.1, sen_andel: 0.3, sen_betaling_uger: 1 },
    resultater: [{ resultat: "job", sandsynlighed: 0.2 }, { resultat: "uddannelse", sandsynlighed: 0.1 }],
  };
}

function ydelse(a: Forløbsantagelser, id = "T1"): SimuleretYdelse {
  return {
    delkontrakt: "udsatte", id, art: "indsats", titel: `Indsats ${id}`, antagelser: a,
    priser: {
      timepris: 650, ugepris: 3100, dagspris: 640, helårsperson: { pris: 150000, pladser: 40 },
      resultatbaseret: { pris: 30000, grundbetaling_procent: 60, bonusser: [{ resultat: "job", beløb: 10000 }, { resultat: "uddannelse", beløb: 8000 }] },
    },
    priskilder: { ugepris: "udbud", timepris: "scenarie", dagspris: "scenarie", helårsperson: "scenarie", resultatbaseret: "scenarie" },
  };
}

function input(ydelser: SimuleretYdelse[]): SimuleringsInput {
  return {
    udbud: { id: "test", titel: "Test", ordregiver: "Kommunen" },
    scenarie: { titel: "Test" },
    delkontrakter: [{ id: "udsatte", nummer: 1, titel: "Udsatte", afregningsform: "ugepris", ydelser }],
    prisreduktion: { budgetændring_procent: 20, maks_reduktion_procent: 10 },
    budgetændringer: [0, -10, -20, -30],
    følsomhed_procent: 20,
    efterspørgselsusikkerhed: 0,
    kørsler: 100,
    frø: 1,
  };
}

const model = (y: Ydelsesresultat, m: string) => y.modeller.find((x) => x.model === m)!;

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

test("deterministic inputs: every simulated year equals the closed form exactly, for every pricing model", () => {
  const y1 = ydelse(deterministisk());
  const y2 = { ...ydelse({ ...deterministisk(), timer_pr_uge: { fordeling: "fast" as const, timer: 6 } }, "T2"), priser: { timepris: 700, ugepris: 3600 } };
  const res = simulate(input([y1, y2]), { runs: 50, seed: 7 });
  for (const [y, r] of [[y1, res.delkontrakter[0]!.ydelser[0]!], [y2, res.delkontrakter[0]!.ydelser[1]!]] as const) {
    const f = forventning(y.antagelser);
    const priced = AFREGNINGSFORMER.filter((m) => forventetOmkostning(m, y, f) !== undefined);
    assert.deepEqual(r.modeller.map((m) => m.model), priced);
    for (const m of r.modeller) {
      const cf = forventetOmkostning(m.model, y, f)!;
      assert.equal(m.årlig.middel, cf, `${y.id} ${m.model}`);
      assert.equal(m.årlig.p10, cf);
      assert.equal(m.årlig.p90, cf);
      assert.equal(m.årlig.sd, 0);
    }
  }
  const j = res.delkontrakter[0]!.ydelser[0]!;
  // 120 courses × 13 weeks: the formulas from issue 5 written out.
  assert.equal(model(j, "timepris").årlig.middel, 120 * 13 * 5 * 650);
  assert.equal(model(j, "ugepris").årlig.middel, 120 * 13 * 3100);
  assert.equal(model(j, "dagspris").årlig.middel, 120 * 65 * 640);
  assert.equal(model(j, "helårsperson").årlig.middel, 40 * 150000);
  assert.equal(model(j, "resultatbaseret").årlig.middel, 120 * 30000 * 0.6 + 1 * 10000 * 120);
  assert.equal(model(j, "timepris").pr_forløb, 13 * 5 * 650);
  assert.equal(model(j, "ugepris").pr_effektiv_time, (13 * 3100) / (13 * 5 * 0.8));
  assert.equal(model(res.delkontrakter[0]!.ydelser[1]!, "timepris").årlig.middel, 120 * 13 * 6 * 700);
  // No variance: nobody carries risk; timepris at cost gives the supplier a zero margin.
  assert.equal(model(j, "timepris").risiko.kommune_andel, null);
  assert.equal(model(j, "timepris").risiko.leverandør_margin_middel, 0);
  // The lot total sums the offers for the models both have a price for.
  const total = res.delkontrakter[0]!.i_alt;
  assert.deepEqual(total.modeller.map((m) => m.model), ["timepris", "ugepris"]);
  assert.equal(total.modeller[0]!.årlig.middel, 120 * 13 * 5 * 650 + 120 * 13 * 6 * 700);
  assert.deepEqual(total.uden_pris.map((u) => u.model), ["dagspris", "helårsperson", "resultatbaseret"]);
});

test("monthly payments add up to the annual cost and follow the seasonality", () => {
  const a = { ...deterministisk(), henvisninger: { pr_måned: 10, fordeling: "fast" as const, sæson: [1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1].map((x) => (x * 12) / 11) } };
  const r = simulate(input([ydelse(a)]), { runs: 20, seed: 1 }).delkontrakter[0]!.ydelser[0]!;
  for (const m of r.modeller) {
    const sum = m.betalinger_pr_måned.reduce((s, x) => s + x, 0);
    assert.ok(Math.abs(sum - m.årlig.middel) < 1e-6 * m.årlig.middel, `${m.model}: ${sum} vs ${m.årlig.middel}`);
    assert.equal(m.betalinger_pr_måned.length, 12);
  }
  // No referrals in July: under resultatbaseret the base payment (paid at start) is 0 in July.
  const rb = model(r, "resultatbaseret").betalinger_pr_måned;
  assert.ok(rb[6]! < rb[5]!);
  // A 13-week course started in June still runs in July, so timepris pays something then.
  assert.ok(model(r, "timepris").betalinger_pr_måned[6]! > 0);
});

test("closed form with interruptions, extensions, cancellations and discrete durations agrees with a large simulation", () => {
  const a: Forløbsantagelser = { ...stokastisk(), varighed: { fordeling: "diskret", udfald: [{ uger: 8, sandsynlighed: 0.3 }, { uger: 13.5, sandsynlighed: 0.7 }] } };
  const y = ydelse(a);
  const r = simulate(input([y]), { runs: 20000, seed: 3 }).delkontrakter[0]!.ydelser[0]!;
  const f = forventning(a);
  for (const m of r.modeller) {
    const cf = forventetOmkostning(m.model, y, f)!;
    const se = m.årlig.sd / Math.sqrt(20000);
    assert.ok(Math.abs(m.årlig.middel - cf) < 4 * se + 1e-9, `${m.model}: ${m.årlig.middel} vs ${cf}`);
  }
});

test("Monte Carlo standard error shrinks like 1/√N (N vs 16N → ratio ≈ 4)", () => {
  const y = ydelse(stokastisk());
  const sdOfMeans = (runs: number): number => {
    const means: number[] = [];
    for (let seed = 1; seed <= 60; seed++) means.push(model(simulate(input([y]), { runs, seed }).delkontrakter[0]!.ydelser[0]!, "ugepris").årlig.middel);
    const m = means.reduce((a, b) => a + b, 0) / means.length;
    return Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / (means.length - 1));
  };
  const ratio = sdOfMeans(20) / sdOfMeans(320);
  assert.ok(ratio > 2.8 && ratio < 5.6, `ratio ${ratio}`);
});

test("the same seed gives identical output; another seed differs; offers have their own streams", () => {
  const inp = input([ydelse(stokastisk()), ydelse(stokastisk(), "T2")]);
  const a = simulate(inp, { runs: 200, seed: 11 });
  const b = simulate(inp, { runs: 200, seed: 11 });
  const c = simulate(inp, { runs: 200, seed: 12 });
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  assert.notDeepEqual(a.delkontrakter[0]!.ydelser[0]!.modeller[0]!.årlig, c.delkontrakter[0]!.ydelser[0]!.modeller[0]!.årlig);
  // Same assumptions, different offer ids: different courses (independent streams).
  assert.notDeepEqual(a.delkontrakter[0]!.ydelser[0]!.mængder, a.delkontrakter[0]!.ydelser[1]!.mængder);
  // Removing T2 leaves T1's result unchanged.
  const alone = simulate(input([ydelse(stokastisk())]), { runs: 200, seed: 11 });
  assert.deepEqual(alone.delkontrakter[0]!.ydelser[0], a.delkontrakter[0]!.ydelser[0]);
});

test("break-even ugepris and dagspris give the timepris cost; interruptions lower the break-even ugepris", () => {
  for (const uger of [13, 12.5]) {
    const y = ydelse({ ...deterministisk(), varighed: { fordeling: "fast", uger } });
    const r = simulate(input([y]), { runs: 10, seed: 1 }).delkontrakter[0]!.ydelser[0]!;
    assert.equal(r.breakeven.reference, "timepris");
    const be = r.breakeven.priser.find((p) => p.model === "ugepris")!;
    if (uger === 13) assert.equal(be.breakeven, 650 * 5);
    else assert.ok(Math.abs(be.breakeven - (650 * 5 * 12.5) / 13) < 1e-9);
    assert.equal(be.aktuel, 3100);
    assert.ok(Math.abs(be.forskel_procent! - ((3100 - be.breakeven) / be.breakeven) * 100) < 1e-9);
    const yb = { ...y, priser: { timepris: 650, ugepris: be.breakeven, dagspris: r.breakeven.priser.find((p) => p.model === "dagspris")!.breakeven } };
    const rb = simulate(input([yb]), { runs: 10, seed: 1 }).delkontrakter[0]!.ydelser[0]!;
    const tp = model(rb, "timepris").årlig.middel;
    for (const m of ["ugepris", "dagspris"]) assert.ok(Math.abs(model(rb, m).årlig.middel - tp) <= 1e-9 * tp, `${uger} uger ${m}`);
    // helårsperson break-even = timepris cost / places
    assert.equal(r.breakeven.priser.find((p) => p.model === "helårsperson")!.breakeven, tp / 40);
  }
  const y = ydelse({ ...stokastisk(), varighed: { fordeling: "fast", uger: 13 } });
  const r = simulate(input([y]), { runs: 2000, seed: 5 }).delkontrakter[0]!.ydelser[0]!;
  assert.ok(r.breakeven.priser.find((p) => p.model === "ugepris")!.breakeven < 650 * 5); // started weeks are paid whole
});

test("risk split: timepris at cost leaves the supplier no risk; helårsperson leaves the kommune none; ugepris shares it", () => {
  // Without late cancellations (their fee is margin without cost) timepris passes every variation on.
  const y = ydelse({ ...stokastisk(), aflysning: { sandsynlighed: 0.1, sen_andel: 0, sen_betaling_uger: 1 } });
  const r = simulate(input([y]), { runs: 3000, seed: 9 }).delkontrakter[0]!.ydelser[0]!;
  assert.equal(model(r, "timepris").risiko.leverandør_sd, 0);
  assert.equal(model(r, "timepris").risiko.kommune_andel, 1);
  assert.equal(model(r, "helårsperson").risiko.kommune_sd, 0);
  assert.equal(model(r, "helårsperson").risiko.kommune_andel, 0);
  const u = model(r, "ugepris").risiko.kommune_andel!;
  assert.ok(u > 0.3 && u < 1, `ugepris kommune share ${u}`);
  // Administrative burden: weekly hour registration under timepris exceeds start/stop under ugepris.
  assert.ok(model(r, "timepris").administration.registreringer > model(r, "ugepris").administration.registreringer);
  assert.equal(model(r, "helårsperson").administration.fakturalinjer, 12);
});

test("helårsperson occupancy: cost per course week falls as occupancy rises; demand above capacity is counted", () => {
  const y = ydelse(stokastisk());
  const r = simulate(input([y]), { runs: 500, seed: 2 }).delkontrakter[0]!.ydelser[0]!;
  const h = r.helårsperson!;
  assert.equal(h.pladser, 40);
  assert.equal(h.kurve[0]!.belægning, 0.5);
  assert.equal(h.kurve[0]!.pr_forløbsuge, 150000 / 26);
  assert.equal(h.kurve.at(-1)!.pr_forløbsuge, 150000 / 52);
  assert.ok(h.belægning.middel > 0 && h.belægning.middel <= 1);
  const small = { ...y, priser: { ...y.priser, helårsperson: { pris: 150000, pladser: 5 } } };
  const rs = simulate(input([small]), { runs: 200, seed: 2 }).delkontrakter[0]!.ydelser[0]!;
  assert.equal(rs.helårsperson!.andel_år_over_kapacitet, 1);
  assert.equal(rs.helårsperson!.belægning.p10, 1);
});

test("price-reduction clause: triggered at a 20 % cut, not at 10 %; keeps more courses within the budget", () => {
  const r = simulate(input([ydelse(deterministisk())]), { runs: 5, seed: 1 });
  const pr = r.delkontrakter[0]!.i_alt.prisreduktion!;
  assert.equal(pr.model, "ugepris");
  const [r0, r10, r20, r30] = pr.rækker;
  assert.equal(r0!.udløst, false);
  assert.equal(r10!.udløst, false);
  assert.equal(r20!.udløst, true);
  assert.equal(r30!.reduktion_procent, 10);
  assert.equal(r0!.budget, 120 * 13 * 3100);
  assert.ok(Math.abs(r20!.forløb_uden_klausul - 96) < 1e-9);
  assert.ok(Math.abs(r20!.forløb_med_klausul - 96 / 0.9) < 1e-9);
  assert.ok(Math.abs(r20!.besparelse - 0.8 * 120 * 13 * 3100 * 0.1) < 1e-6);
  assert.equal(r10!.besparelse, 0);
});

test("tornado: drivers move the expected cost the right way and are sorted by swing", () => {
  const y = ydelse(stokastisk());
  const r = simulate(input([y]), { runs: 10, seed: 1 }).delkontrakter[0]!.ydelser[0]!;
  const tp = r.tornado.find((t) => t.model === "timepris")!;
  const d = (id: string) => tp.drivere.find((x) => x.id === id)!;
  assert.ok(d("henvisninger").høj > tp.basis && d("henvisninger").lav < tp.basis);
  assert.ok(Math.abs(d("henvisninger").høj - 1.2 * tp.basis) < 1e-6 * tp.basis);
  assert.ok(Math.abs(d("pris").lav - 0.8 * tp.basis) < 1e-6 * tp.basis);
  assert.ok(d("timer").høj > tp.basis);
  assert.ok(d("aflysning").høj < tp.basis);
  const swings = tp.drivere.map((x) => Math.abs(x.høj - x.lav));
  assert.deepEqual(swings, [...swings].sort((a, b) => b - a));
  // Under ugepris the weekly hours do not matter; under helårsperson only the price does.
  const up = r.tornado.find((t) => t.model === "ugepris")!;
  assert.equal(up.drivere.find((x) => x.id === "timer")!.høj, up.basis);
  const hp = r.tornado.find((t) => t.model === "helårsperson")!;
  assert.deepEqual(hp.drivere.filter((x) => x.høj !== x.lav).map((x) => x.id), ["pris"]);
  // The simulated mean agrees with the tornado's base (closed form on a discretised normal).
  assert.ok(Math.abs(model(r, "timepris").årlig.middel - tp.basis) < 0.05 * tp.basis);
});

test("closed form refuses a normal duration; simulate refuses a bad run count", () => {
  assert.throws(() => forventning(stokastisk()), /fast eller diskret varighed/);
  assert.throws(() => simulate(input([ydelse(deterministisk())]), { runs: 0, seed: 1 }), /positivt heltal/);
  assert.ok(simulerYdelse(deterministisk(), 3, 1).forløb.every((x) => x === 120));
});

test("a truncated normal's middel is its mean after truncation (the average planners mean)", () => {
  // Hours 5 on average within 3–6 (asymmetric window): the booked hours per delivered week are 5.
  const a: Forløbsantagelser = { ...deterministisk(), timer_pr_uge: { fordeling: "normal", middel: 5, sd: 1.5, min: 3, max: 6 } };
  const f = forventning(a);
  assert.ok(Math.abs(f.bookedeTimer / f.leveredeUger - 5) < 1e-3, `${f.bookedeTimer / f.leveredeUger}`);
  const k = simulerYdelse(a, 400, 3);
  const sim = k.bookedeTimer.reduce((s, x) => s + x, 0) / k.leveredeUger.reduce((s, x) => s + x, 0);
  assert.ok(Math.abs(sim - 5) < 0.02, `simulated ${sim}`);
  // A duration of 18 weeks on average within 13–52 stays 18 on average.
  const d: Forløbsantagelser = { ...deterministisk(), varighed: { fordeling: "normal", middel: 18, sd: 6, min: 13, max: 52 } };
  const kd = simulerYdelse(d, 200, 4);
  const uger = kd.leveredeUger.reduce((s, x) => s + x, 0) / kd.forløb.reduce((s, x) => s + x, 0);
  assert.ok(Math.abs(uger - 18) < 0.1, `simulated ${uger}`);
});

test("common demand uncertainty: same expected cost, wider interval, offers move together; threads agree", async () => {
  const base = input([ydelse(stokastisk()), ydelse(stokastisk(), "T2")]);
  const med = { ...base, efterspørgselsusikkerhed: 0.15 };
  const a = simulate(base, { runs: 4000, seed: 21 }), b = simulate(med, { runs: 4000, seed: 21 });
  const ta = a.delkontrakter[0]!.i_alt.modeller.find((m) => m.model === "ugepris")!.årlig;
  const tb = b.delkontrakter[0]!.i_alt.modeller.find((m) => m.model === "ugepris")!.årlig;
  // Mean unchanged (lognormal factor with mean 1), within 4 standard errors.
  assert.ok(Math.abs(tb.middel - ta.middel) < 4 * tb.sd / Math.sqrt(4000), `${tb.middel} vs ${ta.middel}`);
  // The interval widens: sd² ≈ Poisson part + (0.15 × mean)², far more than the Poisson part alone.
  assert.ok(tb.sd > 2 * ta.sd, `${tb.sd} vs ${ta.sd}`);
  assert.ok(Math.abs(tb.sd / tb.middel - 0.15) < 0.03, `cv ${tb.sd / tb.middel}`);
  // Offers move together: the total's variance exceeds the sum of the offers' variances.
  const sds = b.delkontrakter[0]!.ydelser.map((y) => y.modeller.find((m) => m.model === "ugepris")!.årlig.sd);
  assert.ok(tb.sd ** 2 > 1.5 * sds.reduce((s, x) => s + x * x, 0));
  assert.equal(b.efterspørgselsusikkerhed_procent, 15);
  // Worker threads use the same factors (10 000 runs × 240 referrals is above the threshold for workers).
  const { simulateParallel } = await import("../src/simulate/analysis.js");
  const p = await simulateParallel(med, { runs: 10000, seed: 21, tråde: 2 });
  assert.equal(JSON.stringify(p), JSON.stringify(simulate(med, { runs: 10000, seed: 21 })));
});
