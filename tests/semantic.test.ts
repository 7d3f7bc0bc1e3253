/** Every semantic rule has a failing spec here; the minimal fixture itself is valid. */
import { test } from "vitest";
import assert from "node:assert/strict";
import { lineOf, minimalDir, mutated, validateJson } from "./helpers.js";
import { monthsBetween } from "../src/validate/semantic.js";
import { lightRegimeThreshold } from "../src/validate/thresholds.js";

async function check(mutate: (s: any) => void) {
  const { dir, text } = mutated(mutate);
  const { code, json } = await validateJson(dir);
  return { code, json, text };
}

function find(list: { code: string; message: string }[], code: string, re?: RegExp) {
  const hit = list.find((e) => e.code === code && (!re || re.test(e.message)));
  assert.ok(hit, `expected ${code}${re ? ` ${re}` : ""} in ${JSON.stringify(list.map((e) => `${e.code}: ${e.message}`), null, 1)}`);
  return hit as any;
}

test("the minimal fixture is valid without warnings", async () => {
  const { code, json } = await validateJson(minimalDir);
  assert.equal(code, 0, JSON.stringify(json.errors));
  assert.deepEqual(json.warnings, []);
});

test("unique ids: offers within a lot", async () => {
  const { code, json, text } = await check((s) => (s.delkontrakter[0].indsatsspor[0].indsatser[1].id = "1A"));
  assert.equal(code, 1);
  const e = find(json.errors, "semantic.duplicate-id", /Indsatsen '1A' bruger et id, der allerede findes/);
  assert.equal(e.line, lineOf(text, "id: 1A", lineOf(text, "id: 1A")));
});

test("unique ids: lots, lot numbers, criteria, options, minimum requirements", async () => {
  const { json } = await check((s) => {
    s.delkontrakter.push(structuredClone(s.delkontrakter[0]));
    s.tildeling.underkriterier[0].underkriterier[1].id = "k1";
    s.optioner = [
      { id: "o1", titel: "A", estimeret_værdi: 0, evalueres: false },
      { id: "o1", titel: "B", estimeret_værdi: 0, evalueres: false },
    ];
    s.tildeling.mindstekrav = [{ id: "m", tekst: "a" }, { id: "m", tekst: "b" }];
  });
  find(json.errors, "semantic.duplicate-id", /Delkontrakten bruger id 'mentor'/);
  find(json.errors, "semantic.duplicate-number", /nummer 1/);
  find(json.errors, "semantic.duplicate-id", /Kriteriet bruger id 'k1'/);
  find(json.errors, "semantic.duplicate-id", /Optionen bruger id 'o1'/);
  find(json.errors, "semantic.duplicate-id", /Mindstekravet bruger id 'm'/);
});

test("references resolve, with a suggestion", async () => {
  const { json } = await check((s) => {
    s.delkontrakter[0].prismodel.priser[0].indsats = "1a";
    s.ordregiver.kontaktpersoner[0].delkontrakt = "mentr";
    s.delkontrakter[0].elementer[0].kan_kombineres_med = ["mentorspr"];
    s.delkontrakter[0].delområder = [{ id: "d1", titel: "Alt", indsatsspor: ["xyz"] }];
    s.delkontrakter[0].elementeksempler = [{ titel: "Eks", indsats: "1B", elementer: ["E9"] }];
  });
  find(json.errors, "semantic.unresolved-ref", /Indsatsen '1a' findes ikke i delkontrakten 'mentor'\. Mente du '1A'\?/);
  find(json.errors, "semantic.unresolved-ref", /Delkontrakten 'mentr' findes ikke i udbuddet\. Mente du 'mentor'\?/);
  find(json.errors, "semantic.unresolved-ref", /Id'et 'mentorspr' findes ikke.*Mente du 'mentorspor'\?/);
  find(json.errors, "semantic.unresolved-ref", /Indsatssporet 'xyz' findes ikke/);
  find(json.errors, "semantic.unresolved-ref", /Elementet 'E9' findes ikke/);
});

test("criterion weights sum to 100", async () => {
  const { code, json, text } = await check((s) => (s.tildeling.underkriterier[1].vægt = 30));
  assert.equal(code, 1);
  const e = find(json.errors, "semantic.weights", /giver 110 %, men skal give 100 %/);
  assert.equal(e.line, lineOf(text, "underkriterier:"));
});

test("sub-criterion weights sum to 100", async () => {
  const { json } = await check((s) => (s.tildeling.underkriterier[0].underkriterier[1].vægt = 30));
  find(json.errors, "semantic.weights", /delkriterierne under 'Kvalitet' giver 90 %/);
});

test("min ≤ max: weekly hours, price corridor, price inside corridor, anchor prices", async () => {
  const { json } = await check((s) => {
    s.delkontrakter[0].indsatsspor[0].indsatser[0].ugentlige_timer = { min: 4, max: 2 };
    s.delkontrakter[0].prismodel.priser[0] = { indsats: "1A", beløb: 3000, min: 1000, max: 2500 };
    s.delkontrakter[0].prismodel.priser[1] = { indsats: "1B", beløb: 3500, min: 5000, max: 4000 };
    s.tildeling.prisevaluering = { model: "interpolation", ankerpris_lav: 900, ankerpris_høj: 500, evalueringsteknisk_pris: s.tildeling.prisevaluering.evalueringsteknisk_pris };
  });
  find(json.errors, "semantic.min-max", /Ugentlige timer for indsats 1A: min \(4\) er større end max \(2\)/);
  find(json.errors, "semantic.min-max", /Prisen for '1A' \(3\.000 kr\.\) ligger over priskorridorens maksimalpris \(2\.500 kr\.\)/);
  find(json.errors, "semantic.min-max", /Priskorridoren for '1B': mindstepris \(5\.000 kr\.\) er større end maksimalpris/);
  find(json.errors, "semantic.min-max", /Nedre ankerpris \(900 kr\.\) skal være lavere end øvre ankerpris \(500 kr\.\)/);
});

test("dates in order", async () => {
  const { json, text } = await check((s) => {
    s.tidsplan.spørgefrist = "2024-04-01";
    s.aftaleperiode.slut = "2024-06-30";
  });
  const e = find(json.errors, "semantic.date-order", /spørgefristen \(2024-04-01\) ligger før|tilbudsfristen \(2024-03-15\) ligger før spørgefristen/);
  assert.equal(e.line, lineOf(text, "tilbudsfrist:"));
  find(json.errors, "semantic.date-order", /Aftaleperiodens slut \(2024-06-30\) ligger ikke efter starten/);
});

test("every offer and element has a price under the lot's pricing model", async () => {
  const { json, text } = await check((s) => {
    s.delkontrakter[0].prismodel.priser = [{ indsats: "1A", beløb: 1500 }];
    s.tildeling.prisevaluering.evalueringsteknisk_pris.mængder = [{ indsats: "1A", mængde: 1 }];
  });
  const e = find(json.errors, "semantic.unpriced", /Indsats 1B har ingen pris under delkontraktens prismodel \(ugepris\)\. Tilføj '- indsats: 1B' med 'beløb' \(kr\. pr\. uge\)/);
  assert.equal(e.line, lineOf(text, "id: 1B"));
  find(json.errors, "semantic.unpriced", /Element E1 har ingen pris/);
});

test("pricing-model specifics: helårsperson needs places, resultatbaseret needs base share and bonus", async () => {
  const h = await check((s) => (s.delkontrakter[0].prismodel.type = "helårsperson"));
  find(h.json.errors, "semantic.price-places", /skal angive antal pladser/);
  const r = await check((s) => (s.delkontrakter[0].prismodel.type = "resultatbaseret"));
  find(r.json.errors, "semantic.result-model", /grundbetaling_procent/);
  find(r.json.errors, "semantic.result-model", /mindst én bonus/);
});

test("estimated value includes extensions and options (§ 30)", async () => {
  const { json } = await check((s) => {
    s.værdi.samlet = 30000000;
    s.optioner = [{ id: "nye", titel: "Nye indsatser", estimeret_værdi: 2000000, evalueres: false }];
  });
  find(json.errors, "semantic.value-options", /\(30\.000\.000 kr\.\) er mindre end summen .* \(38\.000\.000 kr\.: grundperiode 24\.000\.000 kr\. \+ forlængelse 1 12\.000\.000 kr\. \(forholdsmæssigt\) \+ option 'nye' 2\.000\.000 kr\.\).*§ 30/);
});

test("light-regime threshold: below is a warning under afsnit III, above without a procedure is an error", async () => {
  const low = await check((s) => {
    s.værdi = { grundperiode: 2000000, samlet: 3000000, maksimum: 3000000 };
  });
  assert.equal(low.code, 0, "warnings do not fail validation");
  find(low.json.warnings, "semantic.threshold", /under tærskelværdien for light-regimet 5\.581\.350 kr\. \(2024-2025\)/);
  const none = await check((s) => (s.procedure.regime = "ingen"));
  find(none.json.errors, "semantic.threshold", /overstiger tærskelværdien for light-regimet/);
});

test("threshold table is dated", () => {
  assert.deepEqual(lightRegimeThreshold("2025-06-01"), { amount: 5_581_350, exact: true, period: "2024-2025" });
  assert.equal(lightRegimeThreshold("2017-03-01").amount, 5_592_375);
  assert.equal(lightRegimeThreshold("2020-01-23").exact, false);
});

test("over 4 years: error under afsnit II (§ 95, stk. 2), warning under afsnit III unless justified", async () => {
  const long = (s: any) => (s.aftaleperiode.forlængelser = [{ måneder: 12, gange: 3, varsel_måneder: 3, evalueres: false }]);
  const a2 = await check((s) => {
    long(s);
    s.procedure.regime = "afsnit-II";
    s.værdi.samlet = 60000000;
    s.værdi.maksimum = 60000000;
  });
  find(a2.json.errors, "semantic.duration", /i alt 5 år .* højst løbe 4 år \(§ 95, stk\. 2\)/);
  const a3 = await check((s) => {
    long(s);
    s.værdi.samlet = 60000000;
    s.værdi.maksimum = 60000000;
  });
  assert.equal(a3.code, 0);
  find(a3.json.warnings, "semantic.duration", /kræver en skriftlig begrundelse/);
  const justified = await check((s) => {
    long(s);
    s.værdi.samlet = 60000000;
    s.værdi.maksimum = 60000000;
    s.aftaleperiode.begrundelse_over_4_år = "Lang opbygning af virksomhedsnetværk.";
  });
  assert.deepEqual(justified.json.warnings, []);
});

test("months between dates", () => {
  assert.equal(monthsBetween("2020-07-01", "2023-06-30"), 36);
  assert.equal(monthsBetween("2024-07-01", "2026-06-30"), 24);
});

test("the framework's maximum value or quantity is stated", async () => {
  const { json } = await check((s) => delete s.værdi.maksimum);
  find(json.errors, "semantic.framework-max", /maksimale værdi eller mængde er ikke angivet/);
  const qty = await check((s) => {
    delete s.værdi.maksimum;
    s.værdi.maksimal_mængde = { antal: 5000, enhed: "forløb" };
  });
  assert.equal(qty.code, 0);
});

test("every option says whether it is evaluated", async () => {
  const { json } = await check((s) => {
    delete s.aftaleperiode.forlængelser[0].evalueres;
    s.optioner = [{ id: "nye", titel: "Nye indsatser", estimeret_værdi: 0 }];
  });
  find(json.errors, "semantic.option-evaluated", /Forlængelsesoptionen skal angive, om den indgår i evalueringen/);
  find(json.errors, "semantic.option-evaluated", /Optionen 'nye' skal angive/);
});

test("§ 160: every bid-dependent parameter is fixed in advance", async () => {
  const noSpread = await check((s) => delete s.tildeling.prisevaluering.spænd_procent);
  find(noSpread.json.errors, "semantic.evaluation-model", /Pointmodellen 'lineær' kræver 'spænd_procent'.*§ 160/);
  const noVolumes = await check((s) => delete s.tildeling.prisevaluering.evalueringsteknisk_pris);
  find(noVolumes.json.errors, "semantic.evaluation-model", /3 enhedspriser, men ingen evalueringsteknisk pris/);
  const missingVolume = await check((s) => s.tildeling.prisevaluering.evalueringsteknisk_pris.mængder.pop());
  find(missingVolume.json.errors, "semantic.evaluation-model", /'E1' i delkontrakten 'mentor' har en pris, men ingen offentliggjort mængde/);
  const noModel = await check((s) => delete s.tildeling.prisevaluering);
  find(noModel.json.errors, "semantic.evaluation-model", /Prisevalueringen mangler/);
  const noScale = await check((s) => delete s.tildeling.pointskala);
  find(noScale.json.errors, "semantic.evaluation-model", /ingen pointskala/);
  const conversion = await check((s) => (s.tildeling.prisevaluering = { model: "prisomregning-beløb", evalueringsteknisk_pris: s.tildeling.prisevaluering.evalueringsteknisk_pris }));
  find(conversion.json.errors, "semantic.evaluation-model", /'beløb_pr_point'/);
});

test("criterion types match the award criterion", async () => {
  const noPrice = await check((s) => {
    s.tildeling.underkriterier = [{ ...s.tildeling.underkriterier[0], vægt: 100 }];
  });
  find(noPrice.json.errors, "semantic.criteria", /intet underkriterium af typen 'pris'/);
  const priceOnly = await check((s) => (s.tildeling.kriterium = "pris"));
  find(priceOnly.json.errors, "semantic.criteria", /Tildelingskriteriet er 'pris', men der er kvalitetskriterier/);
});

test("tables have as many cells per row as columns", async () => {
  const { json } = await check((s) => {
    s.delkontrakter[0].målgruppe = {
      beskrivelse: "Udsatte borgere.",
      afsnit: [{ titel: "Fakta", tabeller: [{ titel: "Alder", kolonner: ["Gruppe", "Antal"], rækker: [["30-39", 100], ["40-49"]] }] }],
    };
  });
  find(json.errors, "semantic.table-shape", /Rækken har én celle, men tabellen har 2 kolonner/);
});
