/**
 * The scenario file of `udbud simulate`: the schema (Danish help texts, closed objects), the two
 * example scenarios, the precedence of assumptions, spec-derived values and defaults, prices and
 * their sources, helårsperson places, and every bad input with its Danish message and place.
 */
import { test } from "vitest";
import { resolveRef as resolveRefIn } from "./helpers.js";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../src/diagnostics.js";
import type { Udbud } from "../src/model/types.js";
import { readSpec } from "../src/read/index.js";
import { loadSchemaFile } from "../src/read/schema.js";
import type { SourceMap } from "../src/read/source.js";
import type { SimuleringsInput } from "../src/simulate/model.js";
import {
  derivePlaces, findDefaultScenario, meanVarighed, normalMass, readScenario, resolveScenario, truncatedNormalMean,
} from "../src/simulate/scenario.js";

// Own helpers (tests/helpers.ts pulls in the CLI, which is being edited elsewhere).
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const spec2024 = path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte");
const spec2020 = path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte");
const minimalDir = path.join(repoRoot, "tests", "fixtures", "minimal");

function specOf(dir: string): { udbud: Udbud; map: SourceMap } {
  const r = readSpec(dir);
  assert.deepEqual(r.errors, [], `spec ${dir} reads`);
  return { udbud: r.udbud!, map: r.sourceMap };
}
/** A fresh copy of the minimal spec (lot 'mentor': indsatser 1A, 1B; element E1; ugepris). */
function minimalSpec(): { udbud: Udbud; map: SourceMap } {
  const s = specOf(minimalDir);
  return { udbud: structuredClone(s.udbud), map: s.map };
}

/** Writes a scenario file into a fresh folder; returns its absolute path. */
function scenarioFile(text: string | Buffer, name = "scenarie.yaml"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "udbud-scenarie-"));
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

/** Line and column (1-based) of the n-th occurrence of `needle` in `text`. */
function at(text: string, needle: string, n = 1): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k < n; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`'${needle}' (${n}) not found`);
  }
  const before = text.slice(0, i).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function assertAt(d: Diagnostic | undefined, file: string, where: { line: number; column: number }, label = ""): void {
  assert.ok(d, `diagnostic expected ${label}`);
  assert.equal(d.file, file, `file ${label}`);
  assert.deepEqual({ line: d.line, column: d.column }, where, `${label}: ${d.message}`);
}

/** Reads the scenario text; expects it to read cleanly and resolves it against a spec. */
function resolveText(text: string, spec: { udbud: Udbud; map: SourceMap }) {
  const file = scenarioFile(text);
  const read = readScenario(file);
  assert.deepEqual(read.errors, [], "scenario reads");
  const res = resolveScenario(spec.udbud, read.fil!, read.sourceMap, spec.map);
  return { file, read, res };
}

function resolvedOk(text: string, spec = minimalSpec()): SimuleringsInput {
  const { res } = resolveText(text, spec);
  assert.deepEqual(res.errors, [], "resolves");
  return res.input!;
}

const ydelse = (input: SimuleringsInput, id: string) => {
  const y = input.delkontrakter.flatMap((l) => l.ydelser).find((x) => x.id === id);
  assert.ok(y, `offer ${id} simulated`);
  return y;
};

// ---------------------------------------------------------------------------------------------
// The schema

const schema = loadSchemaFile("scenarie.schema.json");

const resolveRef = (s: any): any => resolveRefIn(schema, s);

test("schema: every property, list item and definition has a Danish title and description", () => {
  const missing: string[] = [];
  let count = 0;
  const visit = (s: any, where: string) => {
    if (!s || typeof s !== "object") return;
    for (const [name, prop] of Object.entries<any>(s.properties ?? {})) {
      const r = resolveRef(prop);
      count++;
      if (!r.title || !r.description) missing.push(`${where}.${name}`);
      if (r.items && !r.items.$ref && (!r.items.title || !r.items.description)) missing.push(`${where}.${name}[]`);
      if (!prop.$ref) visit(prop, `${where}.${name}`);
    }
  };
  visit(schema, "scenarie");
  for (const [name, def] of Object.entries<any>(schema.definitions)) {
    if (!def.title || !def.description) missing.push(`definitions.${name}`);
    visit(def, name);
  }
  assert.deepEqual(missing, []);
  assert.ok(count > 80, `many properties (${count})`);
  const texts = [...JSON.stringify(schema).matchAll(/"(?:title|description|x-hjælp)":"([^"]*)"/g)].map((m) => m[1]);
  const english = texts.filter((t) => /\b(the|must|should|value|number of|price|probability|weeks?)\b/i.test(t));
  assert.deepEqual(english, []);
  assert.equal(schema.$schema, "http://json-schema.org/draft-07/schema#");
});

test("schema: every object forbids unknown keys (maps by id and number-or-distribution unions excepted)", () => {
  const open: string[] = [];
  const check = (s: any, where: string) => {
    const types = ([] as string[]).concat(s.type ?? []);
    if (!types.includes("object")) return;
    const isMap = typeof s.additionalProperties === "object";
    const isUnion = Array.isArray(s.allOf) && s.allOf.every((b: any) => b.if && b.then);
    const isStringOrObject = s.if && s.else;
    if (s.additionalProperties !== false && !isMap && !isUnion && !isStringOrObject) open.push(where);
  };
  check(schema, "scenarie");
  for (const [name, def] of Object.entries<any>(schema.definitions)) {
    check(def, name);
    for (const [p, prop] of Object.entries<any>(def.properties ?? {})) check(prop, `${name}.${p}`);
  }
  for (const [p, prop] of Object.entries<any>(schema.properties)) check(prop, `scenarie.${p}`);
  assert.deepEqual(open, []);
  // The maps and unions are exactly these.
  assert.deepEqual(schema.properties.delkontrakter.additionalProperties, { $ref: "#/definitions/delkontrakt" });
  assert.deepEqual(Object.keys(schema.definitions.resultater.properties), ["ordinære-timer", "job", "uddannelse", "fleksjob", "afklaring", "ingen"]);
  assert.deepEqual(schema.definitions.varighed.properties.fordeling.enum, ["fast", "normal", "diskret"]);
  assert.deepEqual(schema.definitions.timer_pr_uge.properties.fordeling.enum, ["fast", "normal"]);
});

// ---------------------------------------------------------------------------------------------
// The example scenarios

test("the 2024 example scenario reads and resolves without errors or warnings", () => {
  const spec = specOf(spec2024);
  const file = findDefaultScenario(spec2024);
  assert.equal(file, path.join(spec2024, "scenarie.yaml"));
  const first = fs.readFileSync(file!, "utf8").split("\n")[0];
  assert.equal(first, "# yaml-language-server: $schema=../../schemas/scenarie.schema.json");
  const read = readScenario(file!);
  assert.deepEqual([...read.errors, ...read.warnings], []);
  const res = resolveScenario(spec.udbud, read.fil!, read.sourceMap, spec.map);
  assert.deepEqual([...res.errors, ...res.warnings], []);
  const input = res.input!;
  assert.deepEqual(input.delkontrakter.map((l) => [l.id, l.nummer, l.afregningsform, l.ydelser.map((y) => y.id)]), [
    ["udsatte", 1, "ugepris", ["T1", "T2", "V1", "V2", "M", "PSY"]],
    ["sygemeldte", 2, "ugepris", ["T1", "T2", "V1", "V2", "MK", "PSY"]],
    ["hjerneskade", 3, "ugepris", ["H1", "H2"]],
  ]);
  assert.equal(input.kørsler, 10000);
  assert.equal(input.frø, 2025);
  assert.deepEqual(input.prisreduktion, { budgetændring_procent: 20, maks_reduktion_procent: 10 });
  assert.deepEqual(input.udbud, { id: "kk-2024-udsatte-sygemeldte", titel: spec.udbud.titel, ordregiver: "Københavns Kommune" });
  // Every offer: the spec's ugepris and a 2020-style timepris; every pricing model appears somewhere.
  const all = input.delkontrakter.flatMap((l) => l.ydelser);
  for (const y of all) {
    assert.equal(y.priskilder.ugepris, "udbud", y.id);
    assert.equal(y.priskilder.timepris, "scenarie", y.id);
    assert.equal(y.antagelser.kostpris_pr_time, y.priser.timepris, `${y.id}: cost = timepris`);
    const sum = y.antagelser.resultater.reduce((s, r) => s + r.sandsynlighed, 0);
    assert.ok(sum <= 1 + 1e-9, `${y.id} outcomes`);
    const mean = y.antagelser.henvisninger.sæson.reduce((s, x) => s + x, 0) / 12;
    assert.ok(Math.abs(mean - 1) < 1e-12, `${y.id} season mean 1`);
  }
  const models = new Set(all.flatMap((y) => Object.keys(y.priser)));
  assert.deepEqual([...models].sort(), ["dagspris", "helårsperson", "resultatbaseret", "timepris", "ugepris"]);
  const t1 = input.delkontrakter[0].ydelser[0];
  assert.deepEqual(t1.priser, { ugepris: 3200, timepris: 650 });
  assert.equal(t1.antagelser.henvisninger.pr_måned, 32);
  assert.deepEqual(t1.antagelser.varighed, { fordeling: "fast", uger: 13 }, "duration from the spec");
  assert.deepEqual(t1.antagelser.timer_pr_uge, { fordeling: "normal", middel: 5, sd: 1.5, min: 3, max: 6 });
  assert.deepEqual(t1.antagelser.forlængelse, { sandsynlighed: 0.25, uger: 13 }, "from the lot standard");
  assert.deepEqual(t1.antagelser.aflysning, { sandsynlighed: 0.08, sen_andel: 0.25, sen_betaling_uger: 1 }, "from the file standard");
  assert.equal(t1.antagelser.fremmøde, 0.8);
  assert.ok(Math.abs(t1.antagelser.henvisninger.sæson[6] - (0.5 * 12) / 11.9) < 1e-12, "July");
  const v1 = ydelse(input, "V1");
  assert.deepEqual(v1.priser.resultatbaseret, {
    pris: 42000, grundbetaling_procent: 60,
    bonusser: [{ resultat: "ordinære-timer", beløb: 15000 }, { resultat: "job", beløb: 40000 }, { resultat: "uddannelse", beløb: 30000 }],
  });
  const h1 = input.delkontrakter[2].ydelser[0];
  assert.deepEqual(h1.priser.helårsperson, { pris: 250000, pladser: 16 });
  assert.equal(h1.antagelser.varighed.fordeling, "diskret");
  const mk = input.delkontrakter[1].ydelser.find((y) => y.id === "MK")!;
  assert.equal(mk.priser.dagspris, 360);
  assert.deepEqual(mk.antagelser.varighed, { fordeling: "fast", uger: 6 });
  const psy = input.delkontrakter[0].ydelser[5];
  assert.equal(psy.art, "element");
  assert.deepEqual(psy.antagelser.timer_pr_uge, { fordeling: "fast", timer: 1 }, "element hours from the spec");
  assert.deepEqual(psy.antagelser.resultater, []);
});

test("the 2020 example scenario reads and resolves without errors or warnings", () => {
  const spec = specOf(spec2020);
  const file = findDefaultScenario(path.join(spec2020, "udbud.yaml"));
  assert.equal(file, path.join(spec2020, "scenarie.yaml"));
  const read = readScenario(file!);
  assert.deepEqual([...read.errors, ...read.warnings], []);
  const res = resolveScenario(spec.udbud, read.fil!, read.sourceMap, spec.map);
  assert.deepEqual([...res.errors, ...res.warnings], []);
  const input = res.input!;
  assert.deepEqual(input.delkontrakter.map((l) => [l.id, l.afregningsform, l.ydelser.map((y) => y.id)]), [
    ["udsatte", "timepris", ["1A", "1B", "1C", "1D", "2A", "2B", "3", "4", "5", "E1", "E2", "E3"]],
  ]);
  const a = ydelse(input, "1A");
  assert.deepEqual(a.priser, { timepris: 780, ugepris: 2340 });
  assert.deepEqual(a.priskilder, { timepris: "udbud", ugepris: "scenarie" });
  assert.deepEqual(a.antagelser.timer_pr_uge, { fordeling: "fast", timer: 3 }, "midpoint of 2-4");
  assert.deepEqual(a.antagelser.varighed, { fordeling: "fast", uger: 26 });
  assert.deepEqual(ydelse(input, "2A").antagelser.timer_pr_uge, { fordeling: "fast", timer: 0.5 });
  // ugepris = timepris × hours for the compared offers
  for (const id of ["1A", "1B", "1C", "3"]) {
    const y = ydelse(input, id);
    const t = y.antagelser.timer_pr_uge;
    assert.equal(y.priser.ugepris, y.priser.timepris! * (t.fordeling === "fast" ? t.timer : NaN), id);
  }
  assert.deepEqual(ydelse(input, "1D").priskilder, { timepris: "udbud" });
});

test("findDefaultScenario: none when the folder has no scenarie.yaml", () => {
  assert.equal(findDefaultScenario(minimalDir), undefined);
  assert.equal(findDefaultScenario(path.join(minimalDir, "findes-ikke")), undefined);
});

// ---------------------------------------------------------------------------------------------
// Precedence, spec-derived values, defaults

test("precedence: offer > lot standard > file standard > spec > built-in default", () => {
  const text = `titel: Forrang
standard:
  henvisninger: {pr_måned: 1}
  varighed: 10
  timer_pr_uge: 7
  fremmøde: 0.5
delkontrakter:
  mentor:
    standard:
      varighed: 11
      fremmøde: 0.6
    indsatser:
      1A:
        varighed: 12
        henvisninger: {pr_måned: 4}
      1B: {}
    elementer:
      E1: {timer_pr_uge: 1}
`;
  const input = resolvedOk(text);
  const a = ydelse(input, "1A").antagelser;
  const b = ydelse(input, "1B").antagelser;
  const e = ydelse(input, "E1").antagelser;
  assert.deepEqual([a.varighed, b.varighed, e.varighed], [
    { fordeling: "fast", uger: 12 }, { fordeling: "fast", uger: 11 }, { fordeling: "fast", uger: 11 },
  ]);
  assert.deepEqual([a.henvisninger.pr_måned, b.henvisninger.pr_måned], [4, 1], "offer, then file standard");
  assert.deepEqual([a.fremmøde, b.fremmøde], [0.6, 0.6], "lot standard over file standard");
  assert.deepEqual([a.timer_pr_uge, e.timer_pr_uge], [{ fordeling: "fast", timer: 7 }, { fordeling: "fast", timer: 1 }], "file standard over spec");
  // Without the standards: the spec, then the built-in defaults.
  const input2 = resolvedOk(`titel: Udbuddet
delkontrakter:
  mentor:
    indsatser:
      1A: {henvisninger: {pr_måned: 2}}
      1B: {henvisninger: {pr_måned: 3}}
`);
  const a2 = ydelse(input2, "1A").antagelser;
  assert.deepEqual(a2.varighed, { fordeling: "fast", uger: 13 }, "spec varighed.uger");
  assert.deepEqual(a2.timer_pr_uge, { fordeling: "fast", timer: 1.5 }, "midpoint of 1-2");
  assert.deepEqual(ydelse(input2, "1B").antagelser.timer_pr_uge, { fordeling: "fast", timer: 4 }, "midpoint of 3-5");
  assert.deepEqual(a2.henvisninger, { pr_måned: 2, fordeling: "poisson", sæson: new Array(12).fill(1) });
  assert.deepEqual(a2.forlængelse, { sandsynlighed: 0, uger: 0 });
  assert.deepEqual(a2.afbrydelse, { sandsynlighed: 0, tidspunkt: "ligefordelt" });
  assert.equal(a2.fremmøde, 1);
  assert.deepEqual(a2.aflysning, { sandsynlighed: 0, sen_andel: 0, sen_betaling_uger: 1 });
  assert.deepEqual(a2.resultater, []);
  assert.equal(a2.kostpris_pr_time, 1500 / 1.5, "ugepris per booked hour");
  assert.deepEqual(input2.budgetændringer, [0, -10, -20, -30]);
  assert.equal(input2.følsomhed_procent, 20);
  assert.equal(input2.kørsler, 10000);
  assert.equal(input2.frø, 1);
  assert.deepEqual(input2.scenarie, { titel: "Udbuddet" });
  assert.deepEqual(input2.prisreduktion, { budgetændring_procent: 20, maks_reduktion_procent: 10 });
});

test("precedence: grouped assumptions merge field by field; a spec without max uses min", () => {
  const spec = minimalSpec();
  spec.udbud.delkontrakter[0].indsatsspor[0].indsatser[0].ugentlige_timer = { min: 2 };
  const input = resolvedOk(`titel: Fletning
standard:
  henvisninger: {sæson: [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], fordeling: fast}
  aflysning: {sandsynlighed: 0.1, sen_andel: 0.5}
  afbrydelse: {sandsynlighed: 0.2, tidspunkt: {udfald: [{andel: 0.5, sandsynlighed: 1}]}}
delkontrakter:
  mentor:
    indsatser:
      1A:
        henvisninger: {pr_måned: 5}
        aflysning: {sandsynlighed: 0.3}
        afbrydelse: {sandsynlighed: 0.4}
`, spec);
  const a = ydelse(input, "1A").antagelser;
  assert.equal(a.henvisninger.fordeling, "fast");
  assert.deepEqual(a.aflysning, { sandsynlighed: 0.3, sen_andel: 0.5, sen_betaling_uger: 1 });
  assert.deepEqual(a.afbrydelse, { sandsynlighed: 0.4, tidspunkt: { udfald: [{ andel: 0.5, sandsynlighed: 1 }] } });
  assert.deepEqual(a.timer_pr_uge, { fordeling: "fast", timer: 2 });
  // Season normalised to mean 1, proportions kept.
  const s = a.henvisninger.sæson;
  assert.equal(s.length, 12);
  assert.ok(Math.abs(s.reduce((x, y) => x + y, 0) - 12) < 1e-12);
  assert.ok(Math.abs(s[0] - 24 / 13) < 1e-12 && Math.abs(s[1] - 12 / 13) < 1e-12);
});

test("outcomes become a list in a fixed order without 'ingen'; output order follows the spec, not the YAML", () => {
  const spec = minimalSpec();
  const second = structuredClone(spec.udbud.delkontrakter[0]);
  second.id = "anden";
  second.nummer = 2;
  spec.udbud.delkontrakter.push(second);
  const input = resolvedOk(`titel: Orden
standard:
  henvisninger: {pr_måned: 1}
  resultater: {ingen: 0.5, afklaring: 0.1, job: 0.2, ordinære-timer: 0.15, fleksjob: 0, uddannelse: 0.05}
delkontrakter:
  anden:
    indsatser: {1B: {}}
  mentor:
    elementer: {E1: {varighed: 4, timer_pr_uge: 1}}
    indsatser: {1B: {}, 1A: {}}
`, spec);
  assert.deepEqual(input.delkontrakter.map((l) => [l.id, l.ydelser.map((y) => y.id)]), [["mentor", ["1A", "1B", "E1"]], ["anden", ["1B"]]]);
  assert.deepEqual(input.delkontrakter[0].ydelser[0].antagelser.resultater, [
    { resultat: "ordinære-timer", sandsynlighed: 0.15 },
    { resultat: "job", sandsynlighed: 0.2 },
    { resultat: "uddannelse", sandsynlighed: 0.05 },
    { resultat: "afklaring", sandsynlighed: 0.1 },
  ]);
});

test("prices: the spec's price is 'udbud', the scenario adds models or overrides ('scenarie'); cost per hour", () => {
  const input = resolvedOk(`titel: Priser
standard:
  henvisninger: {pr_måned: 2}
delkontrakter:
  mentor:
    indsatser:
      1A:
        priser: {ugepris: 1800, dagspris: 300}
      1B:
        priser:
          timepris: 700
          resultatbaseret: {pris: 40000, bonusser: {afklaring: 1000, job: 5000}}
      1A-ekstra-ikke: null
`.replace("      1A-ekstra-ikke: null\n", ""));
  const a = ydelse(input, "1A");
  assert.deepEqual(a.priser, { ugepris: 1800, dagspris: 300 });
  assert.deepEqual(a.priskilder, { ugepris: "scenarie", dagspris: "scenarie" });
  assert.equal(a.antagelser.kostpris_pr_time, 1800 / 1.5, "the spec model (ugepris) per booked hour");
  const b = ydelse(input, "1B");
  assert.deepEqual(b.priser, {
    ugepris: 3500, timepris: 700,
    resultatbaseret: { pris: 40000, grundbetaling_procent: 100, bonusser: [{ resultat: "job", beløb: 5000 }, { resultat: "afklaring", beløb: 1000 }] },
  });
  assert.deepEqual(b.priskilder, { ugepris: "udbud", timepris: "scenarie", resultatbaseret: "scenarie" });
  assert.equal(b.antagelser.kostpris_pr_time, 700, "timepris when there is one");
  // A dagspris spec: 5 days a week per booked hour; an explicit cost wins.
  const spec = minimalSpec();
  spec.udbud.delkontrakter[0].prismodel.type = "dagspris";
  const input2 = resolvedOk(`titel: Dagspris
standard: {henvisninger: {pr_måned: 2}}
delkontrakter:
  mentor:
    indsatser:
      1A: {}
      1B: {kostpris_pr_time: 123}
`, spec);
  assert.deepEqual(ydelse(input2, "1A").priser, { dagspris: 1500 });
  assert.equal(ydelse(input2, "1A").antagelser.kostpris_pr_time, (1500 * 5) / 1.5);
  assert.equal(ydelse(input2, "1B").antagelser.kostpris_pr_time, 123);
});

test("helårsperson places: the scenario's, else the spec's, else derived from the demand", () => {
  const text = `titel: Pladser
standard:
  henvisninger: {pr_måned: 8}
  aflysning: {sandsynlighed: 0.1}
  forlængelse: {sandsynlighed: 0.2, uger: 13}
  afbrydelse: {sandsynlighed: 0.5}
delkontrakter:
  mentor:
    indsatser:
      1A:
        priser: {helårsperson: 200000}
      1B:
        priser: {helårsperson: 200000}
        helårsperson: {belægning: 0.8}
    elementer:
      E1:
        varighed: 13
        timer_pr_uge: 1
        priser: {helårsperson: 100000}
        helårsperson: {pladser: 7}
`;
  const input = resolvedOk(text);
  // 12 × 8 × (1 − 0,1) × (13 + 0,2 × 13) = 1.347,84 course weeks a year; ÷ 52 = 25,92 places in use
  // (interruptions ignored); ÷ 0,9 = 28,8 → 29; ÷ 0,8 = 32,4 → 33.
  assert.deepEqual(ydelse(input, "1A").priser.helårsperson, { pris: 200000, pladser: 29 });
  assert.deepEqual(ydelse(input, "1B").priser.helårsperson, { pris: 200000, pladser: 33 });
  assert.deepEqual(ydelse(input, "E1").priser.helårsperson, { pris: 100000, pladser: 7 });
  assert.equal(derivePlaces(ydelse(input, "1A").antagelser), 29);
  assert.equal(ydelse(input, "1A").antagelser.kostpris_pr_time, 1500 / 1.5, "spec ugepris still gives the cost");
  // The spec's places, when the spec's model is helårsperson.
  const spec = minimalSpec();
  const lot = spec.udbud.delkontrakter[0];
  lot.prismodel.type = "helårsperson";
  lot.prismodel.priser[0].pladser = 20;
  const input2 = resolvedOk(`titel: Udbuddets pladser
standard: {henvisninger: {pr_måned: 8}}
delkontrakter: {mentor: {indsatser: {1A: {}, 1B: {}}}}
`, spec);
  assert.deepEqual(ydelse(input2, "1A").priser.helårsperson, { pris: 1500, pladser: 20 });
  assert.deepEqual(ydelse(input2, "1A").priskilder, { helårsperson: "udbud" });
  // 1B: no places in the spec → 12 × 8 × 13 / 52 / 0,9 = 26,7 → 27
  assert.deepEqual(ydelse(input2, "1B").priser.helårsperson, { pris: 3500, pladser: 27 });
  assert.equal(ydelse(input2, "1B").antagelser.kostpris_pr_time, 0, "no per-hour basis");
});

test("unlisted offers: not simulated with a warning, unless the lot's standard gives the referrals", () => {
  const text = `titel: Delvist
delkontrakter:
  mentor:
    indsatser:
      1A: {henvisninger: {pr_måned: 3}}
`;
  const { file, res } = resolveText(text, minimalSpec());
  assert.deepEqual(res.errors, []);
  assert.deepEqual(res.warnings.map((w) => w.message), [
    "Elementet E1 i delkontrakten mentor indgår ikke i scenariet og simuleres ikke. Angiv det under `elementer:` for at simulere det.",
    "Indsatsen 1B i delkontrakten mentor indgår ikke i scenariet og simuleres ikke. Angiv den under `indsatser:` for at simulere den.",
  ]);
  assertAt(res.warnings[0], file, at(text, "mentor:"));
  assert.deepEqual(res.input!.delkontrakter[0].ydelser.map((y) => y.id), ["1A"]);
  // The lot standard's referrals simulate every offer; the element then needs a duration.
  const text2 = `titel: Alle
delkontrakter:
  mentor:
    standard:
      henvisninger: {pr_måned: 3}
`;
  const r2 = resolveText(text2, minimalSpec());
  assert.equal(r2.res.errors.length, 2, r2.res.errors.map((e) => e.message).join("\n"));
  const [hours, duration] = r2.res.errors; // same place: sorted by message
  assert.match(duration.message, /^Angiv varighed for elementet E1 i delkontrakten 'mentor' \(fx `varighed: 8` for 8 uger\) under `elementer: E1:` i delkontrakten, i delkontraktens `standard:` eller i scenariets `standard:`; elementer har ingen varighed i udbuddet\.$/);
  assert.match(hours.message, /^Angiv timer_pr_uge for elementet 'E1'.*udbuddet angiver ingen ugentlige timer\.$/);
  assertAt(duration, r2.file, at(text2, "mentor:"));
  const input3 = resolvedOk(text2.replace("pr_måned: 3}", "pr_måned: 3}\n      varighed: 6\n      timer_pr_uge: 1"));
  assert.deepEqual(input3.delkontrakter[0].ydelser.map((y) => [y.id, y.antagelser.varighed]), [
    ["1A", { fordeling: "fast", uger: 6 }], ["1B", { fordeling: "fast", uger: 6 }], ["E1", { fordeling: "fast", uger: 6 }],
  ]);
});

test("numbers: normal mass and truncated mean", () => {
  assert.ok(Math.abs(normalMass(0, 1, -1.96, 1.96) - 0.95) < 1e-4);
  assert.equal(normalMass(5, 0, 5, 5), 1);
  assert.equal(normalMass(5, 2, 5, 5), 0);
  assert.ok(normalMass(0, 1, -1e-7, 1e-7) > 0 && normalMass(0, 1, -1e-7, 1e-7) < 1e-6);
  assert.equal(truncatedNormalMean(5, 1, 0, 10), 5);
  assert.ok(Math.abs(truncatedNormalMean(0, 1, 0, 100) - Math.sqrt(2 / Math.PI)) < 1e-6, "half-normal mean");
  assert.equal(meanVarighed({ fordeling: "diskret", udfald: [{ uger: 13, sandsynlighed: 0.5 }, { uger: 26, sandsynlighed: 0.5 }] }), 19.5);
});

// ---------------------------------------------------------------------------------------------
// Bad input: Danish messages at the right place

/** Reads a scenario that must fail; returns the file and its errors. */
function readBad(text: string | Buffer): { file: string; errors: Diagnostic[] } {
  const file = scenarioFile(text);
  const r = readScenario(file);
  assert.ok(r.errors.length > 0, "errors expected");
  assert.equal(r.fil, undefined);
  return { file, errors: r.errors };
}

const BASE = `titel: Fejl
delkontrakter:
  mentor:
    indsatser:
      1A:
`;

test("bad input: a probability above 1", () => {
  const text = `${BASE}        henvisninger: {pr_måned: 3}
        fremmøde: 1.2
        resultater: {job: 1.5, ingen: 0}
`;
  const { file, errors } = readBad(text);
  assert.equal(errors.length, 2);
  assert.equal(errors[0].message, "Fremmøde: skal være højst 1, men er 1.2. Skriv andelen som et decimaltal mellem 0 og 1, fx 0.8 for 80 %.");
  assertAt(errors[0], file, at(text, "1.2"));
  assert.equal(errors[1].message, "Job: skal være højst 1, men er 1.5. Skriv sandsynligheden som et decimaltal mellem 0 og 1, fx 0.25 for 25 %.");
  assertAt(errors[1], file, at(text, "1.5"));
  assert.equal(errors[1].path, "delkontrakter.mentor.indsatser.1A.resultater.job");
  assert.equal(errors[1].code, "schema.maximum");
});

test("bad input: outcomes that sum to 0,95 (and above 1)", () => {
  const text = `${BASE}        henvisninger: {pr_måned: 3}
        resultater:
          job: 0.25
          afklaring: 0.7
`;
  const { file, errors } = readBad(text);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].message, "Sandsynlighederne for resultaterne summerer til 0,95; de skal summere til 1. Tilføj fx `ingen: 0.05` for de forløb, der ikke giver et resultat.");
  assertAt(errors[0], file, at(text, "resultater:"));
  assert.equal(errors[0].code, "scenarie.sum");
  const over = readBad(`${BASE}        resultater: {job: 0.6, ingen: 0.5}\n`);
  assert.equal(over.errors[0].message, "Sandsynlighederne for resultaterne summerer til 1,1; de skal summere til 1. Ret fx `ingen: 0.5` til `ingen: 0.4`.");
  const over2 = readBad(`${BASE}        resultater: {job: 0.6, afklaring: 0.5}\n`);
  assert.match(over2.errors[0].message, /summerer til 1,1; .* Sænk fx `job` til 0\.5\.$/);
  // Within the tolerance: fine (0.1 + 0.2 + 0.7 is not exactly 1 in floating point).
  const ok = readScenario(scenarioFile(`${BASE}        resultater: {job: 0.1, afklaring: 0.2, ingen: 0.7}\n`));
  assert.deepEqual(ok.errors, []);
});

test("bad input: discrete duration and interruption times that do not sum to 1", () => {
  const text = `titel: Fejl
standard:
  varighed:
    fordeling: diskret
    udfald:
      - {uger: 13, sandsynlighed: 0.6}
      - {uger: 26, sandsynlighed: 0.3}
  afbrydelse:
    sandsynlighed: 0.2
    tidspunkt:
      udfald: [{andel: 0.5, sandsynlighed: 0.5}, {andel: 0.9, sandsynlighed: 0.6}]
delkontrakter: {mentor: {}}
`;
  const { file, errors } = readBad(text);
  assert.equal(errors.length, 2);
  assert.equal(errors[0].message, "Sandsynlighederne for varighedens udfald summerer til 0,9; de skal summere til 1. Ret fx det sidste udfald (26 uger) til `sandsynlighed: 0.4`.");
  assertAt(errors[0], file, at(text, "udfald:"));
  assert.equal(errors[0].path, "standard.varighed.udfald");
  assert.equal(errors[1].message, "Sandsynlighederne for afbrydelsestidspunktets udfald summerer til 1,1; de skal summere til 1. Ret fx det sidste udfald (andel 0,9) til `sandsynlighed: 0.5`.");
  assertAt(errors[1], file, at(text, "udfald:", 2));
});

test("bad input: negative referrals, whole runs, an empty season", () => {
  const text = `titel: Fejl
kørsler: 2.5
frø: -1
standard:
  henvisninger:
    pr_måned: -3
    sæson: [1, 1]
delkontrakter: {mentor: {}}
`;
  const { file, errors } = readBad(text);
  const by = (needle: string) => errors.find((e) => e.message.includes(needle));
  assert.equal(by("Henvisninger pr. måned")?.message, "Henvisninger pr. måned: skal være mindst 0, men er -3. Angiv det forventede antal som et tal, fx 31 eller 3.5.");
  assertAt(by("Henvisninger pr. måned"), file, at(text, "-3"));
  assert.equal(by("Kørsler")?.message, "Kørsler: skal være et helt tal, men er 2,5. Skriv et helt tal uden punktummer, fx 10000.");
  assertAt(by("Kørsler"), file, at(text, "2.5"));
  assertAt(by("Frø"), file, at(text, "-1"));
  assert.equal(by("Sæson")?.message, "Sæson: listen skal have præcis 12 elementer, men har 2.");
  assertAt(by("Sæson"), file, at(text, "sæson"));
  const big = readBad("titel: x\nkørsler: 2000000\ndelkontrakter: {mentor: {}}\n");
  assert.equal(big.errors[0].message, "Kørsler: skal være højst 1000000, men er 2000000. Skriv et helt tal uden punktummer, fx 10000.");
  const zeros = `titel: Fejl
standard:
  henvisninger:
    sæson: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
delkontrakter: {mentor: {}}
`;
  const z = readBad(zeros);
  assert.equal(z.errors[0].message, "Sæsonfaktorerne er alle 0, men mindst én måned skal have henvisninger. Skriv 1 for en normal måned og fx 0.5 for en måned med halvt så mange henvisninger.");
  assertAt(z.errors[0], z.file, at(zeros, "sæson"));
});

test("bad input: impossible normal distributions", () => {
  const text = `titel: Fejl
standard:
  varighed: {fordeling: normal, middel: 14, sd: 3, min: 26, max: 8}
delkontrakter:
  mentor:
    standard:
      timer_pr_uge: {fordeling: normal, middel: 40, sd: 1, min: 1, max: 5}
    indsatser:
      1A:
        varighed: {fordeling: normal, middel: 13, sd: 4, min: 13, max: 13}
`;
  const { file, errors } = readBad(text);
  assert.equal(errors.length, 3, errors.map((e) => e.message).join("\n"));
  assert.equal(errors[0].message, "Umulig fordeling: min (26 uger) er større end max (8 uger). Byt om på min og max, eller ret en af dem.");
  assertAt(errors[0], file, at(text, "min: 26"));
  assert.equal(errors[1].message, "Umulig fordeling: middelværdien 40 timer ligger uden for intervallet fra min 1 til max 5 timer, så timetallet kan ikke trækkes omkring den. Ret middel, så den ligger mellem min og max, eller ret min og max.");
  assertAt(errors[1], file, at(text, "middel: 40"));
  assert.equal(errors[2].message, "Umulig fordeling: intervallet fra min 13 til max 13 uger er så smalt i forhold til spredningen (sd 4), at varigheden næsten aldrig lander i det. Gør intervallet bredere eller sd mindre. Skal varigheden altid være 13 uger, så skriv blot tallet 13.");
  assertAt(errors[2], file, at(text, "varighed", 2));
  // Negative sd and a wrong kind of distribution are schema errors.
  const t2 = `${BASE}        timer_pr_uge: {fordeling: normall, middel: 2}\n        varighed: {fordeling: normal, middel: 2, sd: -1, min: 1, max: 3}\n`;
  const bad = readBad(t2);
  assert.equal(bad.errors.length, 2, bad.errors.map((e) => e.message).join("\n"));
  assert.equal(bad.errors[0].message, "Fordeling: 'normall' er ikke en tilladt værdi. Mente du 'normal'? Tilladte værdier: fast, normal.");
  assertAt(bad.errors[0], bad.file, at(t2, "normall"));
  assert.equal(bad.errors[1].message, "Spredning (sd): skal være mindst 0, men er -1.");
});

test("bad input: a distribution with a missing or unknown field", () => {
  const text = `${BASE}        varighed: {fordeling: normal, middel: 14, sd: 3, min: 8, maks: 26}\n        timer_pr_uge: 5 timer\n`;
  const { file, errors } = readBad(text);
  assert.equal(errors.length, 3, errors.map((e) => e.message).join("\n"));
  const missing = errors.find((e) => e.code === "schema.required");
  assert.match(missing!.message, /^Normalfordelt varighed: feltet 'max' mangler \(Højst: Længste varighed i uger\.\)\.$/);
  const unknown = errors.find((e) => e.code === "schema.additionalProperties");
  assert.match(unknown!.message, /^Ukendt felt 'maks' i Normalfordelt varighed\. Mente du 'max'\?/);
  assertAt(unknown, file, at(text, "maks"));
  const type = errors.find((e) => e.code === "schema.type");
  assert.equal(type!.message, "Timer pr. uge: skal være et tal eller en gruppe af felter, men er tekst. Skriv timer som et tal, fx 5, eller en fordeling, fx {fordeling: normal, middel: 5, sd: 1.5, min: 3, max: 6}.");
  assertAt(type, file, at(text, "5 timer"));
});

test("bad input: a typo'd key gets 'Mente du'", () => {
  const text = `titel: Fejl
delkontrakter:
  mentor:
    indsatser:
      1A:
        henvisnigner: {pr_måned: 3}
`;
  const { file, errors } = readBad(text);
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /^Ukendt felt 'henvisnigner' i Indsats eller element i scenariet\. Mente du 'henvisninger'\? Tilladte felter her: henvisninger, varighed, /);
  assertAt(errors[0], file, at(text, "henvisnigner"));
  const top = `titel: Fejl\nkørlser: 10\ndelkontrakter: {mentor: {}}\n`;
  const t = readBad(top);
  assert.match(t.errors[0].message, /^Ukendt felt 'kørlser' i Scenarie til prissimulering\. Mente du 'kørsler'\?/);
  assertAt(t.errors[0], t.file, at(top, "kørlser"));
  const missing = readBad("titel: Fejl\n");
  assert.match(missing.errors[0].message, /^Scenarie til prissimulering: feltet 'delkontrakter' mangler \(Delkontrakter: /);
});

test("bad input: unknown lot and offer ids get 'Mente du' at the key", () => {
  const spec = specOf(spec2024);
  const text = `titel: Fejl
delkontrakter:
  udsate:
    indsatser: {T1: {henvisninger: {pr_måned: 1}}}
  "1":
    standard: {henvisninger: {pr_måned: 1}}
  sygemeldte:
    indsatser:
      T11: {henvisninger: {pr_måned: 1}}
      PSY: {henvisninger: {pr_måned: 1}}
    elementer:
      PSI: {varighed: 8}
      T2: {varighed: 8}
`;
  const { file, res } = resolveText(text, spec);
  assert.equal(res.input, undefined);
  const msgs = res.errors.map((e) => e.message);
  assert.equal(msgs[0], "Delkontrakten 'udsate' findes ikke i udbuddet 'kk-2024-udsatte-sygemeldte'. Delkontrakterne er: 'udsatte', 'sygemeldte', 'hjerneskade'. Mente du 'udsatte'?");
  assertAt(res.errors[0], file, at(text, "udsate:"));
  assert.equal(msgs[1], "Delkontrakter angives med deres id, ikke nummer: skriv 'udsatte' i stedet for '1'.");
  assertAt(res.errors[1], file, at(text, '"1"'));
  assert.equal(msgs[2], "Indsatsen 'T11' findes ikke i delkontrakten 'sygemeldte'. Indsatserne er: 'T1', 'T2', 'V1', 'V2', 'MK'. Mente du 'T1'?");
  assertAt(res.errors[2], file, at(text, "T11"));
  assert.equal(msgs[3], "'PSY' er et element i delkontrakten 'sygemeldte', ikke en indsats. Flyt det fra `indsatser:` til `elementer:`.");
  assertAt(res.errors[3], file, at(text, "PSY:"));
  assert.equal(msgs[4], "Elementet 'PSI' findes ikke i delkontrakten 'sygemeldte'. Elementerne er: 'PSY'. Mente du 'PSY'?");
  assertAt(res.errors[4], file, at(text, "PSI"));
  assert.equal(msgs[5], "'T2' er en indsats i delkontrakten 'sygemeldte', ikke et element. Flyt den fra `elementer:` til `indsatser:`.");
  assertAt(res.errors[5], file, at(text, "T2:"));
  assert.equal(res.errors.length, 6);
  assert.ok(res.errors.every((e) => e.severity === "fejl" && e.code.startsWith("scenarie.")));
});

test("bad input: an offer without referrals", () => {
  const text = `titel: Fejl
standard:
  fremmøde: 0.9
delkontrakter:
  mentor:
    indsatser:
      1A: {henvisninger: {pr_måned: 2}}
      1B:
        varighed: 10
    elementer:
      E1: {henvisninger: {pr_måned: 1}, varighed: 4, timer_pr_uge: 1}
`;
  const { file, res } = resolveText(text, minimalSpec());
  assert.equal(res.errors.length, 1);
  assert.equal(res.errors[0].message, "Indsatsen '1B' i delkontrakten 'mentor' mangler antal henvisninger. Angiv fx `henvisninger: {pr_måned: 10}` under indsatsen, i delkontraktens `standard:` eller i scenariets `standard:`.");
  assertAt(res.errors[0], file, at(text, "1B:"));
  assert.equal(res.errors[0].path, "delkontrakter.mentor.indsatser.1B");
  // An empty entry ('1B:' with nothing under it) is allowed and means "defaults".
  const input = resolvedOk(text.replace("        varighed: 10\n", "").replace("1B:", "1B:\n   ").replace("fremmøde: 0.9", "henvisninger: {pr_måned: 5}"));
  assert.equal(ydelse(input, "1B").antagelser.henvisninger.pr_måned, 5);
});

test("bad input: an offer with no price at all points to the spec's prismodel and to `priser:`", () => {
  const spec = minimalSpec();
  spec.udbud.delkontrakter[0].prismodel.priser = spec.udbud.delkontrakter[0].prismodel.priser.filter((p) => p.indsats !== "1B");
  const text = `titel: Fejl
standard:
  henvisninger: {pr_måned: 2}
delkontrakter:
  mentor:
    indsatser:
      1A: {}
      1B:
        helårsperson: {pladser: 3}
`;
  const { file, res } = resolveText(text, spec);
  assert.equal(res.errors.length, 1);
  const specText = fs.readFileSync(path.join(minimalDir, "udbud.yaml"), "utf8");
  const line = at(specText, "prismodel:").line;
  assert.match(res.errors[0].message, new RegExp(`^Indsatsen '1B' i delkontrakten 'mentor' har ingen pris under nogen afregningsform: angiv en pris i udbuddets prismodel \\(udbuddets prismodel for delkontrakten står i .*udbud\\.yaml, linje ${line}\\) eller under \`priser:\` i scenariet, fx \`priser: \\{ugepris: 3200\\}\`\\.$`));
  assertAt(res.errors[0], file, at(text, "1B:"));
  const places = res.warnings.find((w) => w.code === "scenarie.places-unused");
  assert.equal(places?.message, "`helårsperson:` (pladser og belægning) bruges kun med en helårspersonpris, og indsatsen '1B' har ingen. Angiv `priser: {helårsperson: …}`, eller fjern `helårsperson:`.");
  assertAt(places, file, at(text, "helårsperson:"));
});

test("bad input: malformed YAML, duplicate keys, an empty file, a folder", () => {
  const text = "titel: Fejl\ndelkontrakter:\n  mentor:\n    indsatser:\n      1A:\n        henvisninger\n          pr_måned: 2\n";
  const { file, errors } = readBad(text);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].message, "YAML-fejl: En nøgle må ikke strække sig over flere linjer. Mangler der et kolon, eller skal teksten i anførselstegn?");
  assertAt(errors[0], file, at(text, "henvisninger"));
  const tab = "titel: Fejl\ndelkontrakter:\n  mentor:\n\tindsatser: {}\n";
  const t = readBad(tab);
  assert.equal(t.errors[0].message, "YAML-fejl: Tabulator bruges som indrykning. YAML kræver mellemrum.");
  assertAt(t.errors[0], t.file, { line: 4, column: 1 });
  const dup = "titel: Fejl\ntitel: Igen\ndelkontrakter: {mentor: {}}\n";
  const d = readBad(dup);
  assert.equal(d.errors[0].message, "YAML-fejl: Samme nøgle står to gange i samme gruppe. Slet eller omdøb den ene.");
  assertAt(d.errors[0], d.file, at(dup, "titel", 2));
  const empty = readBad("# kun en kommentar\n");
  assert.match(empty.errors[0].message, /^Scenariefilen er tom\./);
  // A folder means its scenarie.yaml.
  const f = scenarioFile("titel: I mappen\ndelkontrakter: {mentor: {indsatser: {1A: {henvisninger: {pr_måned: 1}}}}}\n");
  const r = readScenario(path.dirname(f));
  assert.deepEqual(r.errors, []);
  assert.equal(r.fil!.titel, "I mappen");
  const none = readScenario(path.join(os.tmpdir(), "udbud-findes-ikke", "scenarie.yaml"));
  assert.match(none.errors[0].message, /findes ikke/);
});

test("bad input: a file that is not UTF-8", () => {
  const latin1 = Buffer.from("titel: Forløb\ndelkontrakter: {mentor: {}}\n", "latin1");
  const { file, errors } = readBad(latin1);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].message, "Filen er ikke gyldig UTF-8 (fx gemt som Windows-1252/Latin-1, så æ, ø og å er ødelagt). Gem den som UTF-8.");
  assertAt(errors[0], file, { line: 1, column: 12 }); // the ø of "Forløb"
});

test("bad input: nothing to simulate", () => {
  const text = "titel: Tomt\ndelkontrakter:\n  mentor: {}\n";
  const { file, res } = resolveText(text, minimalSpec());
  assert.equal(res.input, undefined);
  assert.equal(res.errors.length, 1);
  assert.match(res.errors[0].message, /^Scenariet simulerer ingen indsatser\./);
  assertAt(res.errors[0], file, at(text, "delkontrakter:"));
  assert.equal(res.warnings.length, 3, "one per unlisted offer");
});
