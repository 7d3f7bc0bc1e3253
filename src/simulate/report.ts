/**
 * The simulation report (prissimulering): a `Simuleringsresultat` → a document tree through the
 * same template engine and Markdown pipeline as the tender documents
 * (templates/prissimulering.md.hbs → doc/parse.ts → numbering), with SVG charts from the chart
 * module (vega-lite) as figures. Writers are the usual ones (DOCX, PDF, HTML, Markdown). CSV and
 * JSON exports with a documented shape (docs/simulation.md) are here too.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { DocumentTree, FigureMap } from "../doc/ast.js";
import { markdownParser, parseMarkdown } from "../doc/parse.js";
import { escapeDeep } from "../compute/escape.js";
import { formatNumber } from "../format.js";
import type { Afregningsform, Resultat, Udbud } from "../model/types.js";
import { templatesDir as defaultTemplatesDir } from "../paths.js";
import { numberTree, templateDiag, treeFor } from "../render/build.js";
import type { DocumentPlan } from "../render/documents.js";
import { TemplateError, loadTemplates } from "../render/templates.js";
import { barChart, lineChart, monthChart, rangeChart, tornadoChart } from "../chart/index.js";
import {
  AFREGNINGSFORMER, ENHEDER, MODELNAVNE, type Modelresultat, type Samlet, type Simuleringsresultat, type Tornado, type Ydelsesresultat,
} from "./analysis.js";
import type { Forløbsantagelser, SimuleringsInput, Timefordeling, Varighedsfordeling } from "./model.js";

export const REPORT_ID = "prissimulering";
const MÅNEDER = ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."];
const RESULTATNAVNE: Record<Resultat, string> = {
  "ordinære-timer": "ordinære timer", job: "job", uddannelse: "uddannelse", fleksjob: "fleksjob", afklaring: "afklaring",
};

// ---------------------------------------------------------------------------------------------
// Danish formatting of results

/** Amount: "52,3 mio. kr." from 1 mio., else whole kroner "3.250 kr."; "–" for null. */
export function beløb(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  if (Math.abs(x) >= 1_000_000) return `${formatNumber(x / 1_000_000, 1)} mio. kr.`;
  return `${formatNumber(Math.round(x))} kr.`;
}
/** Unit price in whole kroner. */
export function enhedsbeløb(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  return `${formatNumber(Math.round(x))} kr.`;
}
export function procent(x: number | null | undefined, decimals = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  return `${formatNumber(x, decimals)} %`;
}
/** "87,5–93,1 mio. kr." or "3.100–4.200 kr." */
export function interval(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return "–";
  if (Math.abs(a) >= 1_000_000 && Math.abs(b) >= 1_000_000) return `${formatNumber(a / 1_000_000, 1)}–${formatNumber(b / 1_000_000, 1)} mio. kr.`;
  return `${formatNumber(Math.round(a))}–${formatNumber(Math.round(b))} kr.`;
}
function opremsning(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} og ${xs[xs.length - 1]}`;
}
function antal(x: number, decimals = 0): string {
  return formatNumber(decimals === 0 ? Math.round(x) : x, decimals || undefined);
}
/** "+6,7 %", "−0,9 %", "0,0 %" (a real minus sign; no negative zero). */
function fortegn(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "–";
  const r = Math.round(x * 10) / 10;
  return r === 0 ? procent(0) : `${r > 0 ? "+" : "−"}${procent(Math.abs(r))}`;
}

function ugerTekst(n: number): string {
  return `${formatNumber(n)} ${n === 1 ? "uge" : "uger"}`;
}
function varighedTekst(v: Varighedsfordeling): string {
  if (v.fordeling === "fast") return `${formatNumber(v.uger)} uger`;
  if (v.fordeling === "normal") return `normal, middel ${formatNumber(v.middel)} uger (sd ${formatNumber(v.sd)}; ${formatNumber(v.min)}–${formatNumber(v.max)})`;
  return v.udfald.map((u) => `${formatNumber(u.uger)} uger (${procent(u.sandsynlighed * 100, 0)})`).join(", ");
}
function timerTekst(t: Timefordeling): string {
  if (t.fordeling === "fast") return formatNumber(t.timer);
  return `middel ${formatNumber(t.middel)} (sd ${formatNumber(t.sd)}; ${formatNumber(t.min)}–${formatNumber(t.max)})`;
}
function resultaterTekst(a: Forløbsantagelser): string {
  if (!a.resultater.length) return "ingen";
  return a.resultater.map((r) => `${RESULTATNAVNE[r.resultat]} ${procent(r.sandsynlighed * 100, 0)}`).join(", ");
}

function modelNavn(m: Afregningsform): string {
  return MODELNAVNE[m];
}

// ---------------------------------------------------------------------------------------------
// The view

function modelRække(m: Modelresultat) {
  return {
    navn: modelNavn(m.model),
    kilde: m.priskilde === "udbud" ? "udbuddet" : m.priskilde === "scenarie" ? "scenariet" : "udbud og scenarie",
    enhedspris: m.enhedspris === null ? "–" : `${enhedsbeløb(m.enhedspris)} pr. ${ENHEDER[m.model]}`,
    middel: beløb(m.årlig.middel), p10: beløb(m.årlig.p10), p50: beløb(m.årlig.p50), p90: beløb(m.årlig.p90), interval: interval(m.årlig.p10, m.årlig.p90),
    pr_henvisning: enhedsbeløb(m.pr_henvisning), pr_forløb: enhedsbeløb(m.pr_forløb), pr_forløbsuge: enhedsbeløb(m.pr_forløbsuge),
    pr_effektiv_time: enhedsbeløb(m.pr_effektiv_time), pr_resultat: enhedsbeløb(m.pr_resultat),
    kommune_sd: beløb(m.risiko.kommune_sd), kommune_p90: beløb(m.risiko.kommune_p90_over_middel),
    leverandør_sd: beløb(m.risiko.leverandør_sd), leverandør_p10: beløb(m.risiko.leverandør_margin_p10),
    kommune_andel: m.risiko.kommune_andel === null ? "–" : procent(m.risiko.kommune_andel * 100, 0),
    leverandør_andel: m.risiko.kommune_andel === null ? "–" : procent((1 - m.risiko.kommune_andel) * 100, 0),
    registreringer: antal(m.administration.registreringer), fakturalinjer: antal(m.administration.fakturalinjer),
  };
}

function månedstabel(modeller: Modelresultat[]) {
  return {
    kolonner: modeller.map((m) => modelNavn(m.model)),
    rækker: MÅNEDER.map((navn, i) => ({ måned: navn, værdier: modeller.map((m) => beløb(m.betalinger_pr_måned[i]!)) })),
  };
}

function prisreduktionView(s: Samlet) {
  const p = s.prisreduktion;
  if (!p) return null;
  return {
    model: modelNavn(p.model).toLowerCase(), grænse: procent(p.budgetændring_grænse_procent, 0), maks: procent(p.maks_reduktion_procent, 0),
    rækker: p.rækker.map((r) => ({
      ændring: fortegn(r.budgetændring_procent).replace(",0 %", " %"),
      udløst: r.udløst ? "Ja" : "Nej", reduktion: procent(r.reduktion_procent, 0), budget: beløb(r.budget),
      forløb_uden: antal(r.forløb_uden_klausul), forløb_med: antal(r.forløb_med_klausul),
      ekstra: antal(r.forløb_med_klausul - r.forløb_uden_klausul), besparelse: beløb(r.besparelse),
    })),
  };
}

/** "Priserne for ugepris kommer fra udbuddet og for timepris fra scenariet." */
function kildetekst(modeller: Modelresultat[]): string {
  const del = (k: string) => modeller.filter((m) => m.priskilde === k).map((m) => modelNavn(m.model).toLowerCase());
  const dele = [["udbud", "udbuddets prismodel"], ["scenarie", "scenariet"], ["flere", "udbuddet og scenariet"]]
    .map(([k, t]) => ({ ms: del(k!), t })).filter((x) => x.ms.length).map((x) => `for ${opremsning(x.ms)} fra ${x.t}`);
  return dele.length ? `Priserne kommer ${opremsning(dele)}.` : "";
}

function samletView(s: Samlet) {
  return {
    modeller: s.modeller.map(modelRække),
    har_modeller: s.modeller.length > 0,
    kilder: kildetekst(s.modeller),
    måneder: månedstabel(s.modeller),
    prisreduktion: prisreduktionView(s),
    uden_pris: s.delvist_prissat.length ? s.delvist_prissat.map((d) => `${modelNavn(d.model).toLowerCase()} (kun prissat for ${opremsning(d.ydelser.map((y) => y.split("/")[1]!))})`).join("; ") : null,
    forløb: antal(s.mængder.forløb), henvisninger: antal(s.mængder.henvisninger), uger: antal(s.mængder.leverede_uger),
  };
}

function sammenligning(s: Samlet, spec: Afregningsform | undefined): string[] {
  const out: string[] = [];
  const base = s.modeller.find((m) => m.model === spec) ?? s.modeller[0];
  if (!base) return out;
  const med: Record<Afregningsform, string> = {
    timepris: "timepriserne", ugepris: "ugepriserne", dagspris: "dagspriserne", helårsperson: "betaling pr. helårsperson", resultatbaseret: "resultatbaseret betaling",
  };
  out.push(`Med ${med[base.model]}${base.priskilde === "udbud" ? " i udbuddet" : ""} koster de simulerede indsatser forventet ${beløb(base.årlig.middel)} om året: i ni år ud af ti under ${beløb(base.årlig.p90)} (P90), og i otte år ud af ti mellem ${beløb(base.årlig.p10)} og ${beløb(base.årlig.p90)}`.replace(/\.?$/, "."));
  for (const m of s.modeller) {
    if (m === base) continue;
    const d = ((m.årlig.middel - base.årlig.middel) / base.årlig.middel) * 100;
    out.push(`Med ${modelNavn(m.model).toLowerCase()} koster de samme forløb forventet ${beløb(m.årlig.middel)} om året, ${procent(Math.abs(d))} ${d >= 0 ? "mere" : "mindre"} end med ${modelNavn(base.model).toLowerCase()}.`);
  }
  return out;
}

function breakevenRækker(r: Simuleringsresultat) {
  return r.delkontrakter.flatMap((d) => d.ydelser.filter((y) => y.breakeven.priser.some((p) => p.model === "ugepris" || p.model === "dagspris")).map((y) => {
    const get = (m: Afregningsform) => y.breakeven.priser.find((p) => p.model === m);
    const u = get("ugepris"), dg = get("dagspris"), h = get("helårsperson");
    return {
      ydelse: `${d.nummer} ${y.id}`,
      reference: `${modelNavn(y.breakeven.reference).toLowerCase()} ${enhedsbeløb(y.breakeven.referencepris)}`,
      ugepris: u ? enhedsbeløb(u.breakeven) : "–", ugepris_aktuel: u?.aktuel != null ? enhedsbeløb(u.aktuel) : "–", ugepris_forskel: u ? fortegn(u.forskel_procent) : "–",
      dagspris: dg ? enhedsbeløb(dg.breakeven) : "–", dagspris_aktuel: dg?.aktuel != null ? enhedsbeløb(dg.aktuel) : "–",
      helårsperson: h ? enhedsbeløb(h.breakeven) : "–",
    };
  }));
}

function antagelserRækker(input: SimuleringsInput) {
  return input.delkontrakter.flatMap((d) => d.ydelser.map((y) => {
    const a = y.antagelser;
    return {
      ydelse: `${d.nummer} ${y.id}`, titel: y.titel,
      henvisninger: `${formatNumber(a.henvisninger.pr_måned)}${a.henvisninger.fordeling === "poisson" ? " (Poisson)" : ""}`,
      varighed: varighedTekst(a.varighed),
      forlængelse: a.forlængelse.sandsynlighed > 0 ? `${procent(a.forlængelse.sandsynlighed * 100, 0)} + ${formatNumber(a.forlængelse.uger)} uger` : "ingen",
      afbrydelse: a.afbrydelse.sandsynlighed > 0 ? `${procent(a.afbrydelse.sandsynlighed * 100, 0)}${a.afbrydelse.tidspunkt === "ligefordelt" ? " (ligefordelt)" : ""}` : "ingen",
      timer_uge: timerTekst(a.timer_pr_uge),
      fremmøde: procent(a.fremmøde * 100, 0),
      aflysning: a.aflysning.sandsynlighed > 0 ? `${procent(a.aflysning.sandsynlighed * 100, 0)} (${procent(a.aflysning.sen_andel * 100, 0)} sene, betaler ${ugerTekst(a.aflysning.sen_betaling_uger)})` : "ingen",
      resultater: resultaterTekst(a),
    };
  }));
}

function ydelseRækker(ydelser: Ydelsesresultat[]) {
  return ydelser.flatMap((y) => y.modeller.map((m, i) => ({
    ydelse: i === 0 ? `${y.id}` : "", model: modelNavn(m.model), enhedspris: enhedsbeløb(m.enhedspris),
    middel: beløb(m.årlig.middel), interval: interval(m.årlig.p10, m.årlig.p90), pr_forløb: enhedsbeløb(m.pr_forløb),
    kommune_andel: m.risiko.kommune_andel === null ? "–" : procent(m.risiko.kommune_andel * 100, 0),
  })));
}

// ---------------------------------------------------------------------------------------------
// Charts

const figId = (s: string): string => s.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

async function tornadoFigur(figurer: FigureMap, id: string, t: Tornado, hvad: string, f: number): Promise<{ id: string; titel: string }> {
  const titel = `Følsomhed: forventet årlig udgift med ${modelNavn(t.model).toLowerCase()}, ${hvad}, når hver antagelse ændres ±${formatNumber(f)} %`;
  figurer[id] = await tornadoChart({
    base: t.basis, xTitle: "Forventet årlig udgift", unit: "kr", alt: titel,
    drivers: t.drivere.filter((d) => d.lav !== t.basis || d.høj !== t.basis).map((d) => ({ name: d.navn, low: d.lav, high: d.høj, lowLabel: `−${formatNumber(f)} %`, highLabel: `+${formatNumber(f)} %` })),
  });
  return { id, titel };
}

// ---------------------------------------------------------------------------------------------

export interface ReportOptions {
  templatesDir?: string;
  /** Report date (ISO). Default: the tender's date, else its publication date. */
  dato?: string;
}

export interface ReportResult {
  tree: DocumentTree | null;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** Builds the view and the charts for the report. */
export async function reportView(u: Udbud, input: SimuleringsInput, r: Simuleringsresultat): Promise<{ view: Record<string, unknown>; figurer: FigureMap }> {
  const figurer: FigureMap = {};
  const fælles = r.delkontrakter.every((d) => d.afregningsform === r.delkontrakter[0]?.afregningsform) ? r.delkontrakter[0]?.afregningsform : undefined;
  const f = r.følsomhed_procent;
  const total = r.i_alt;

  // Overview: P10–P90 per lot and model.
  const modellerAlle = AFREGNINGSFORMER.filter((m) => r.delkontrakter.some((d) => d.i_alt.modeller.some((x) => x.model === m)));
  const lotNavn = (d: { nummer: number }) => `Område ${d.nummer}`;
  figurer["samlet"] = await rangeChart({
    categories: r.delkontrakter.map(lotNavn),
    series: modellerAlle.map((m) => ({
      name: modelNavn(m),
      values: r.delkontrakter.map((d) => {
        const x = d.i_alt.modeller.find((y) => y.model === m);
        return x ? { p10: x.årlig.p10, p50: x.årlig.p50, p90: x.årlig.p90, middel: x.årlig.middel } : { p10: NaN, p50: NaN, p90: NaN, middel: NaN };
      }),
    })),
    xTitle: "Årlig udgift (P10–P90, median og middel)", unit: "kr",
    alt: "Forventet årlig udgift pr. udbudsområde for hver afregningsform med usikkerhedsinterval fra P10 til P90.",
  });

  // Break-even ugepris vs the tender's ugepris per offer.
  const beYdelser = r.delkontrakter.flatMap((d) => d.ydelser.map((y) => ({ d, y, u: y.breakeven.priser.find((p) => p.model === "ugepris") }))).filter((x) => x.u);
  let breakevenFigur: { id: string; titel: string } | null = null;
  if (beYdelser.length) {
    const titel = "Ugepris i udbuddet og break-even ugepris (samme forventede udgift som timeprisen) pr. indsats";
    figurer["breakeven"] = await barChart({
      categories: beYdelser.map((x) => `${x.d.nummer}: ${x.y.id}`),
      series: [
        { name: "Ugepris", values: beYdelser.map((x) => x.u!.aktuel ?? NaN) },
        { name: "Break-even ugepris", values: beYdelser.map((x) => x.u!.breakeven) },
      ],
      yTitle: "Kr. pr. uge", unit: "kr", alt: titel,
    });
    breakevenFigur = { id: "breakeven", titel };
  }

  // Monthly payments, risk and administration for the whole tender.
  type Fig = { id: string; titel: string } | null;
  let månedFigur: Fig = null, risikoFigur: Fig = null, adminFigur: Fig = null;
  const tornadoer: { id: string; titel: string }[] = [];
  if (total.modeller.length) {
    månedFigur = { id: "betalinger", titel: "Forventede betalinger pr. måned i et driftsår" };
    figurer["betalinger"] = await monthChart({ series: total.modeller.map((m) => ({ name: modelNavn(m.model), values: m.betalinger_pr_måned })), yTitle: "Kr. pr. måned", unit: "kr", alt: månedFigur.titel });
    const rf = { id: "risiko", titel: "Usikkerhed (standardafvigelse) på kommunens udgift og på leverandørens dækningsbidrag" };
    risikoFigur = rf;
    figurer["risiko"] = await barChart({
      categories: total.modeller.map((m) => modelNavn(m.model)),
      series: [{ name: "Kommunen", values: total.modeller.map((m) => m.risiko.kommune_sd) }, { name: "Leverandøren", values: total.modeller.map((m) => m.risiko.leverandør_sd) }],
      yTitle: "Standardafvigelse pr. år", unit: "kr", alt: rf.titel,
    });
    const af = { id: "administration", titel: "Forventede registreringer og fakturalinjer pr. år" };
    adminFigur = af;
    figurer["administration"] = await barChart({
      categories: total.modeller.map((m) => modelNavn(m.model)),
      series: [{ name: "Registreringer", values: total.modeller.map((m) => m.administration.registreringer) }, { name: "Fakturalinjer", values: total.modeller.map((m) => m.administration.fakturalinjer) }],
      yTitle: "Antal pr. år", unit: "antal", alt: af.titel,
    });
    for (const t of total.tornado) tornadoer.push(await tornadoFigur(figurer, `tornado-${figId(t.model)}`, t, "hele udbuddet", f));
  }

  const delkontrakter = [];
  for (const d of r.delkontrakter) {
    const id = `omraade-${d.nummer}`;
    const titel = `Forventet årlig udgift pr. indsats i udbudsområde ${d.nummer} (P10–P90)`;
    const modeller = AFREGNINGSFORMER.filter((m) => d.ydelser.some((y) => y.modeller.some((x) => x.model === m)));
    figurer[id] = await rangeChart({
      categories: d.ydelser.map((y) => y.id),
      series: modeller.map((m) => ({
        name: modelNavn(m),
        values: d.ydelser.map((y) => {
          const x = y.modeller.find((z) => z.model === m);
          return x ? { p10: x.årlig.p10, p50: x.årlig.p50, p90: x.årlig.p90, middel: x.årlig.middel } : { p10: NaN, p50: NaN, p90: NaN, middel: NaN };
        }),
      })),
      xTitle: "Årlig udgift", unit: "kr", alt: titel,
    });
    const spec = d.i_alt.tornado.find((t) => t.model === d.afregningsform) ?? d.i_alt.tornado[0];
    delkontrakter.push({
      id: d.id, nummer: d.nummer, titel: d.titel, afregningsform: modelNavn(d.afregningsform).toLowerCase(),
      i_alt: samletView(d.i_alt), ydelser: ydelseRækker(d.ydelser),
      figur: { id, titel },
      tornado: spec ? await tornadoFigur(figurer, `tornado-${id}`, spec, `udbudsområde ${d.nummer}`, f) : null,
    });
  }

  const helårsperson = [];
  for (const d of r.delkontrakter) for (const y of d.ydelser) {
    const h = y.helårsperson;
    if (!h) continue;
    const id = `belaegning-${figId(`${d.nummer}-${y.id}`)}`;
    const titel = `Pris pr. leveret forløbsuge ved helårsperson for ${y.id} afhængigt af belægningen`;
    figurer[id] = await lineChart({
      x: h.kurve.map((k) => k.belægning * 100), xTitle: "Belægning", xUnit: "pct",
      series: [{ name: "Helårsperson: pris pr. forløbsuge", values: h.kurve.map((k) => k.pr_forløbsuge) }],
      yTitle: "Kr. pr. forløbsuge", unit: "kr",
      ...(h.sammenlign_ugepris !== null ? { reference: { value: h.sammenlign_ugepris, label: `Ugepris ${enhedsbeløb(h.sammenlign_ugepris)}` } } : {}),
      alt: titel,
    });
    helårsperson.push({
      delkontrakt: d.nummer, ydelse: y.id, titel: y.titel, pladser: antal(h.pladser), pris: enhedsbeløb(h.pris),
      belægning: procent(h.belægning.middel * 100, 0), belægning_p10: procent(h.belægning.p10 * 100, 0), belægning_p90: procent(h.belægning.p90 * 100, 0),
      over: procent(h.andel_år_over_kapacitet * 100, 0),
      ugepris: h.sammenlign_ugepris === null ? null : enhedsbeløb(h.sammenlign_ugepris),
      kurve: h.kurve.map((k) => ({ belægning: procent(k.belægning * 100, 0), pr_uge: enhedsbeløb(k.pr_forløbsuge), pr_forløb: enhedsbeløb(k.pr_forløb) })),
      figur: { id, titel },
    });
  }

  const view = escapeDeep({
    rapport: {
      udbud: r.udbud.titel, ordregiver: r.udbud.ordregiver,
      scenarie: r.scenarie.titel, beskrivelse: r.scenarie.beskrivelse ?? null,
      kørsler: antal(r.kørsler), frø: String(r.frø), følsomhed: procent(f, 0),
      usikkerhed: r.efterspørgselsusikkerhed_procent > 0 ? procent(r.efterspørgselsusikkerhed_procent, 0) : null,
      antal_ydelser: antal(r.delkontrakter.reduce((s, d) => s + d.ydelser.length, 0)),
      antal_delkontrakter: antal(r.delkontrakter.length),
      afregningsform: fælles ? modelNavn(fælles).toLowerCase() : null,
      hovedtal: sammenligning(total, fælles),
      i_alt: samletView(total),
      breakeven: breakevenRækker(r),
      delkontrakter, helårsperson,
      antagelser: antagelserRækker(input),
      sen_betaling: (() => {
        const us = [...new Set(input.delkontrakter.flatMap((d) => d.ydelser.map((y) => y.antagelser.aflysning.sen_betaling_uger)))];
        return us.length === 1 ? ugerTekst(us[0]!) : "det antal uger, scenariet angiver";
      })(),
      figurer: {
        samlet: { id: "samlet", titel: "Forventet årlig udgift pr. udbudsområde og afregningsform (P10–P90)" },
        breakeven: breakevenFigur, betalinger: månedFigur, risiko: risikoFigur, administration: adminFigur,
      },
      tornadoer,
    },
  });
  return { view, figurer };
}

/** Builds the report's document tree. No files are written. */
export async function buildSimulationReport(u: Udbud, input: SimuleringsInput, r: Simuleringsresultat, opts: ReportOptions = {}): Promise<ReportResult> {
  const errors: Diagnostic[] = [];
  const dir = opts.templatesDir ?? defaultTemplatesDir;
  let templates;
  try {
    templates = loadTemplates(dir);
  } catch (e) {
    if (e instanceof TemplateError) return { tree: null, errors: [templateDiag(e)], warnings: [] };
    throw e;
  }
  const plan: DocumentPlan = {
    id: REPORT_ID, template: REPORT_ID, title: "Prissimulering", label: "Prissimulering",
    subtitle: [u.titel, `Scenarie: ${input.scenarie.titel}`, u.ordregiver.navn],
  };
  const { view, figurer } = await reportView(u, input, r);
  let markdown: string;
  try {
    markdown = templates.render(plan.template, view);
  } catch (e) {
    if (e instanceof TemplateError) return { tree: null, errors: [templateDiag(e)], warnings: [] };
    throw e;
  }
  const dato = opts.dato ?? u.dato ?? u.tidsplan.offentliggørelse;
  const tree = treeFor(plan, dato, u.ordregiver.navn, parseMarkdown(markdown, markdownParser(), figurer));
  errors.push(...numberTree(tree, templates, plan.template));
  return { tree: errors.length ? null : tree, errors, warnings: [] };
}

// ---------------------------------------------------------------------------------------------
// CSV and JSON

/** JSON with non-finite numbers as null, 2-space indented, ending in a newline. */
export function resultJson(r: Simuleringsresultat): string {
  return `${JSON.stringify(r, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`;
}

function csvCell(v: string | number | null): string {
  if (v === null) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(Math.round(v * 100) / 100).replace(".", ",") : "";
  // Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) starts with ' instead.
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[;"\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csv(header: string[], rows: (string | number | null)[][]): string {
  // UTF-8 with BOM, semicolons and decimal commas: what Danish Excel opens directly.
  return `\ufeff${[header, ...rows].map((r) => r.map(csvCell).join(";")).join("\r\n")}\r\n`;
}

export const CSV_KOLONNER = [
  "niveau", "delkontrakt", "ydelse", "model", "priskilde", "enhedspris", "middel", "sd", "p10", "p50", "p90",
  "pr_henvisning", "pr_forloeb", "pr_forloebsuge", "pr_effektiv_time", "pr_resultat",
  "kommune_sd", "kommune_p90_over_middel", "leverandoer_sd", "leverandoer_margin_p10", "kommune_andel",
  "registreringer", "fakturalinjer", ...MÅNEDER.map((_, i) => `betaling_${String(i + 1).padStart(2, "0")}`),
] as const;

/** One row per (level, lot, offer, model): the numbers of the report, for Excel. */
export function resultCsv(r: Simuleringsresultat): string {
  const row = (niveau: string, d: string, y: string, m: Modelresultat): (string | number | null)[] => [
    niveau, d, y, m.model, m.priskilde, m.enhedspris, m.årlig.middel, m.årlig.sd, m.årlig.p10, m.årlig.p50, m.årlig.p90,
    m.pr_henvisning, m.pr_forløb, m.pr_forløbsuge, m.pr_effektiv_time, m.pr_resultat,
    m.risiko.kommune_sd, m.risiko.kommune_p90_over_middel, m.risiko.leverandør_sd, m.risiko.leverandør_margin_p10, m.risiko.kommune_andel,
    m.administration.registreringer, m.administration.fakturalinjer, ...m.betalinger_pr_måned,
  ];
  const rows: (string | number | null)[][] = [];
  for (const d of r.delkontrakter) {
    for (const y of d.ydelser) for (const m of y.modeller) rows.push(row("ydelse", d.id, y.id, m));
    for (const m of d.i_alt.modeller) rows.push(row("delkontrakt", d.id, "", m));
  }
  for (const m of r.i_alt.modeller) rows.push(row("i-alt", "", "", m));
  return csv([...CSV_KOLONNER], rows);
}

export const BREAKEVEN_KOLONNER = ["delkontrakt", "ydelse", "reference", "referencepris", "model", "breakeven", "aktuel", "forskel_procent"] as const;

/** One row per (offer, model): the break-even prices. */
export function breakevenCsv(r: Simuleringsresultat): string {
  const rows: (string | number | null)[][] = [];
  for (const d of r.delkontrakter) for (const y of d.ydelser) for (const p of y.breakeven.priser) {
    rows.push([d.id, y.id, y.breakeven.reference, y.breakeven.referencepris, p.model, p.breakeven, p.aktuel, p.forskel_procent]);
  }
  return csv([...BREAKEVEN_KOLONNER], rows);
}

// ---------------------------------------------------------------------------------------------
// Terminal summary

function pad(s: string, n: number, right = false): string {
  const len = [...s].length;
  return len >= n ? s : right ? " ".repeat(n - len) + s : s + " ".repeat(n - len);
}

/** A short summary for the terminal: totals per model and the break-even ugepris per offer. */
export function simulationTerminal(r: Simuleringsresultat): string {
  const out: string[] = [];
  out.push(`Prissimulering: ${r.udbud.titel}`);
  out.push(`Scenarie: ${r.scenarie.titel} (${formatNumber(r.kørsler)} simulerede år, frø ${r.frø}${r.efterspørgselsusikkerhed_procent > 0 ? `, fælles usikkerhed om efterspørgslen ${procent(r.efterspørgselsusikkerhed_procent, 0)}` : ""})`);
  out.push("");
  const tabel = (titel: string, s: Samlet) => {
    if (!s.modeller.length) return;
    out.push(titel);
    out.push(`  ${pad("Afregningsform", 16)}${pad("Forventet", 16, true)}${pad("P10", 16, true)}${pad("P90", 16, true)}${pad("Pr. forløb", 14, true)}${pad("Udsving (sd)", 16, true)}`);
    for (const m of s.modeller) {
      out.push(`  ${pad(modelNavn(m.model), 16)}${pad(beløb(m.årlig.middel), 16, true)}${pad(beløb(m.årlig.p10), 16, true)}${pad(beløb(m.årlig.p90), 16, true)}${pad(enhedsbeløb(m.pr_forløb), 14, true)}${pad(beløb(m.risiko.kommune_sd), 16, true)}`);
    }
    for (const d of s.delvist_prissat) out.push(`  Ikke med: ${modelNavn(d.model).toLowerCase()} (kun prissat for ${opremsning(d.ydelser.map((y) => y.split("/")[1]!))})`);
    out.push("");
  };
  tabel("Hele udbuddet, pr. år", r.i_alt);
  for (const d of r.delkontrakter) tabel(`Udbudsområde ${d.nummer}: ${d.titel}`, d.i_alt);
  const be = r.delkontrakter.flatMap((d) => d.ydelser.map((y) => ({ d, y, u: y.breakeven.priser.find((p) => p.model === "ugepris") }))).filter((x) => x.u && x.y.breakeven.reference !== "ugepris");
  if (be.length) {
    out.push("Break-even ugepris (samme forventede udgift som timeprisen):");
    for (const { d, y, u } of be) {
      const akt = u!.aktuel === null ? "" : `  ugepris ${enhedsbeløb(u!.aktuel)} (${fortegn(u!.forskel_procent)})`;
      out.push(`  ${pad(`${d.nummer} ${y.id}`, 10)}${pad(`${modelNavn(y.breakeven.reference).toLowerCase()} ${enhedsbeløb(y.breakeven.referencepris)}`, 22)}→ ${pad(enhedsbeløb(u!.breakeven), 11, true)} pr. uge${akt}`);
    }
    out.push("");
  }
  return `${out.join("\n")}\n`;
}
