/** The bundled examples validate and say what the seeds say. */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as path from "node:path";
import { readSpec } from "../src/read/index.js";
import type { Delkontrakt, Indsats, Udbud } from "../src/model/types.js";
import { repoRoot } from "./helpers.js";

function read(name: string): Udbud {
  const res = readSpec(path.join(repoRoot, "specs", name));
  assert.deepEqual(res.errors.map((e) => `${e.file}:${e.line}: ${e.message}`), [], `${name} has errors`);
  assert.deepEqual(res.warnings.map((e) => `${e.file}:${e.line}: ${e.message}`), [], `${name} has warnings`);
  return res.udbud!;
}

function offer(lot: Delkontrakt, id: string): Indsats {
  const hit = lot.indsatsspor.flatMap((s) => s.indsatser).find((i) => i.id === id);
  assert.ok(hit, `${lot.id} has offer ${id}`);
  return hit;
}

test("2020 example: valid and faithful to seed 003", () => {
  const u = read("kk-2020-udsatte-sygemeldte");
  assert.equal(u.delkontrakter.length, 4);
  const [l1, l2, l3, l4] = u.delkontrakter;
  assert.deepEqual(l1.indsatsspor.flatMap((s) => s.indsatser.map((i) => i.id)), ["1A", "1B", "1C", "1D", "2A", "2B", "3", "4", "5"]);
  assert.deepEqual(l2.indsatsspor.flatMap((s) => s.indsatser.map((i) => i.id)), ["1A", "1B", "1C", "2A", "2B", "3"]);
  assert.deepEqual(l1.elementer?.map((e) => e.id), ["E1", "E2", "E3"]);
  assert.deepEqual(l2.elementer?.map((e) => e.id), ["E1", "E2", "E3"]);
  assert.equal(l3.id, "hjerneskade");
  assert.equal(l4.id, "psykiske-lidelser");
  // Durations and weekly hours (A1 4.5-8, A2 4.5-6, A4 5).
  const hours: [Delkontrakt, string, number, number, number][] = [
    [l1, "1A", 26, 2, 4], [l1, "1B", 26, 5, 7], [l1, "1C", 26, 8, 14], [l1, "1D", 26, 15, 25],
    [l1, "2A", 12, 0.5, 0.5], [l1, "2B", 12, 1, 3], [l1, "3", 12, 5, 10], [l1, "4", 26, 1, 4], [l1, "5", 26, 5, 9],
    [l2, "1A", 13, 3, 5], [l2, "1B", 13, 4, 6], [l2, "1C", 13, 7, 15], [l2, "2A", 12, 0.5, 0.5], [l2, "2B", 12, 1, 3],
    [l2, "3", 6, 2, 6], [l4, "psykiske-lidelser", 10, 1, 1],
  ];
  for (const [lot, id, weeks, min, max] of hours) {
    const o = offer(lot, id);
    assert.equal(o.varighed?.uger, weeks, `${lot.id} ${id} weeks`);
    assert.deepEqual([o.ugentlige_timer?.min, o.ugentlige_timer?.max], [min, max], `${lot.id} ${id} hours`);
  }
  assert.equal(offer(l1, "1A").varighed?.forlængelse, true);
  assert.equal(offer(l3, "hjerneskade").varighed?.individuel, true);
  // Follow-up and company visits (A1 5.5).
  assert.equal(offer(l1, "2A").virksomhedsbesøg?.uger, 6);
  assert.equal(offer(l1, "2B").virksomhedsbesøg?.uger, 4);
  assert.equal(offer(l1, "2A").opfølgning?.dage, 7);
  assert.equal(offer(l1, "1C").matchfrist_uger, 6);
  // Mestringskursus under SDP § 13 c, stk. 6.
  const mestring = l2.indsatsspor.find((s) => s.id === "mestring")!;
  assert.ok([...(mestring.lovgrundlag ?? []), ...(offer(l2, "3").lovgrundlag ?? [])].some((l) => l.lov === "SDP" && /13 c/.test(l.paragraf ?? "")));
  // Contract: dates, extension, notices, bod, insurance, liability, payment.
  assert.equal(u.aftaleperiode.start, "2020-07-01");
  assert.equal(u.aftaleperiode.slut, "2023-06-30");
  assert.deepEqual(u.aftaleperiode.forlængelser?.map((f) => [f.måneder, f.varsel_måneder, f.pr_delkontrakt]), [[12, 3, true]]);
  assert.equal(u.aftaleperiode.opsigelse.ordregiver.måneder, 2);
  assert.equal(u.aftaleperiode.opsigelse.leverandør.måneder, 2);
  assert.equal(u.aftaleperiode.bestilling.afbestilling_dage_før_start, 1);
  const k = u.kontraktvilkår;
  assert.deepEqual([k.bod.forsinkelse_procent, k.bod.minimum_pr_arbejdsdag, k.bod.fakturering_procent, k.bod.fakturering_beløb_pr_arbejdsdag, k.bod.underleverandør_beløb], [10, 3000, 50, 10000, 10000]);
  assert.deepEqual([k.forsikring.personskade, k.forsikring.tingskade], [10_000_000, 500_000]);
  assert.deepEqual([k.ansvarsbegrænsning.tingskade_minimum, k.ansvarsbegrænsning.omsætning_gange], [1_000_000, 5]);
  assert.equal(k.betaling.frist_dage, 30);
  assert.deepEqual([k.force_majeure.redegørelse_dage, k.force_majeure.opsigelse_efter_dage, k.force_majeure.opsigelse_varsel_dage], [7, 30, 30]);
  assert.deepEqual([u.prisvilkår.prisreduktion!.budgetændring_procent, u.prisvilkår.prisreduktion!.maks_reduktion_procent], [20, 10]);
  assert.equal(u.procedure.regime, "afsnit-III");
  assert.equal(u.procedure.bekendtgørelse, "2020/S 016-034788");
  for (const lot of u.delkontrakter) assert.equal(lot.prismodel.type, "timepris");
  // B1 statistics survive: 9.839 aktivitetsparate kontanthjælpsmodtagere (tabel 1).
  assert.match(JSON.stringify(l1.målgruppe), /9\.839/);
  assert.match(JSON.stringify(l2.målgruppe), /5\.623/);
});

test("2024 example: ugepriser, broad 13-week offers, psychologist element, prækvalifikation, 80/20", () => {
  const u = read("kk-2024-udsatte-sygemeldte");
  assert.equal(u.procedure.prækvalifikation, true);
  assert.equal(u.aftaleperiode.start, "2024-07-01");
  for (const lot of u.delkontrakter) assert.equal(lot.prismodel.type, "ugepris", lot.id);
  const weights = Object.fromEntries(u.tildeling.underkriterier.map((k) => [k.type, k.vægt]));
  assert.deepEqual(weights, { kvalitet: 80, pris: 20 });
  const offers = u.delkontrakter.flatMap((l) => l.indsatsspor.flatMap((s) => s.indsatser));
  assert.ok(offers.some((o) => o.varighed?.uger === 13));
  const psych = u.delkontrakter.flatMap((l) => l.elementer ?? []).filter((e) => e.type === "psykolog");
  assert.ok(psych.length >= 1, "a psychologist element");
  assert.ok(offers.some((o) => (o.elementer ?? []).some((id) => psych.some((p) => p.id === id))), "an offer builds in the psychologist");
  const lot1 = u.delkontrakter[0];
  assert.ok(lot1.indsatsspor.length < 5, "fewer tracks than 2020's five");
  assert.ok(lot1.indsatsspor.some((s) => /tværfaglig/i.test(s.titel)));
  assert.ok(lot1.indsatsspor.some((s) => /virksomhedsrettet/i.test(s.titel)));
});
