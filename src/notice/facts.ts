/**
 * The facts of a contract notice, derived once from the validated spec (the compute stage of the
 * notice). The eForms XML, the proof copy and the OCDS release are all built from these facts,
 * so they cannot disagree with each other; every fact carries the JSON pointer it came from, so
 * that a failed business rule can be reported at the spec field's file and line.
 */
import { createHash } from "node:crypto";
import type { Diagnostic } from "../diagnostics.js";
import { pointerToPath } from "../diagnostics.js";
import { supplierCount, type Adresse, type Delkontrakt, type Udbud, type Underkriterium } from "../model/types.js";
import type { SourceMap } from "../read/source.js";

export type Subtype = "16" | "20";

export interface Party {
  /** ORG-0001 … */
  id: string;
  name: string;
  cvr: string;
  address: Adresse;
  nuts: string;
  email: string;
  phone?: string;
  website?: string;
  contactName?: string;
  /** Pointer of the spec object the party comes from. */
  pointer: string;
}

export interface Criterion {
  type: "quality" | "price" | "cost";
  name: string;
  description: string;
  weight: number;
  pointer: string;
}

export interface Deadline {
  date: string;
  time: string;
  /** `+01:00` or `+02:00`: Danish time on that date. */
  offset: string;
  pointer: string;
}

export interface LotFacts {
  /** LOT-0001 … */
  id: string;
  index: number;
  number: number;
  title: string;
  description: string;
  cpv: string[];
  nuts: string;
  placeDescription?: string;
  estimatedValue?: number;
  maximumValue?: number;
  suppliers: number;
  criteria: Criterion[];
  optionsDescription?: string;
  pointer: string;
}

export interface NoticeFacts {
  subtype: Subtype;
  /** BT-11 buyer legal type: la, ra, cga or body-pl. */
  buyerType: string;
  noticeId: string;
  folderId: string;
  issueDate: string;
  issueOffset: string;
  internalId: string;
  title: string;
  description: string;
  procedureCode: string;
  procedureDescription?: string;
  buyer: Party;
  reviewBody: Party;
  cpv: string[];
  nuts: string;
  placeDescription?: string;
  estimatedValue: number;
  maximumValue?: number;
  currency: "DKK";
  documentsUrl: string;
  submissionUrl: string;
  start: string;
  end: string;
  renewals: number;
  renewalDescription?: string;
  shortList?: { min: number; max?: number };
  frameworkType: "fa-wo-rc" | "fa-w-rc" | "fa-mix";
  /** The tender deadline only for procedures without pre-qualification (eForms BR-BT-00131-0110). */
  deadlines: { tenders?: Deadline; invitations?: Deadline; requests?: Deadline; questions?: Deadline };
  lots: LotFacts[];
  languages: string[];
  /** Tender validity (vedståelsesfrist) in months: BT-98, required for open afsnit II procedures. */
  validityMonths?: number;
}

export interface FactsResult {
  facts?: NoticeFacts;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

const PROCEDURE_CODES: Record<string, string> = {
  "offentligt-udbud": "open",
  "begrænset-udbud": "restricted",
  "udbud-med-forhandling": "neg-w-call",
  "konkurrencepræget-dialog": "comp-dial",
  "innovationspartnerskab": "innovation",
};

const PROCEDURE_NAMES: Record<string, string> = {
  "offentligt-udbud": "Offentligt udbud",
  "begrænset-udbud": "Begrænset udbud",
  "udbud-med-forhandling": "Udbud med forhandling",
  "konkurrencepræget-dialog": "Konkurrencepræget dialog",
  "innovationspartnerskab": "Innovationspartnerskab",
  "egen-procedure": "Procedure tilrettelagt af ordregiver",
};

/** A UUID (version 4 layout) derived from a text: the same spec gives the same identifier. */
export function stableUuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** UTC offset of Danish time (Europe/Copenhagen) on a date at a time, as `+01:00`/`+02:00`. */
export function danishOffset(date: string, time = "12:00"): string {
  const at = new Date(`${date}T${time}:00Z`);
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Copenhagen", timeZoneName: "longOffset" }).formatToParts(at);
  const tz = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT+01:00";
  const m = /GMT([+-]\d{2}):?(\d{2})/.exec(tz);
  return m ? `${m[1]}:${m[2]}` : "+01:00";
}

/** The first paragraph of a text, without line breaks. */
function firstParagraph(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const p = text.trim().split(/\n\s*\n/)[0];
  return p.replace(/\s+/g, " ").trim() || undefined;
}

function cpvCode(kode: string): string {
  return kode.replace(/-\d$/, "");
}

function formatWeight(n: number): string {
  return String(n).replace(".", ",");
}

function criteria(list: Underkriterium[], pointer: string): Criterion[] {
  return list.map((k, i) => {
    const subs = k.underkriterier?.length
      ? " Delkriterier: " + k.underkriterier.map((s) => `${s.titel} (${formatWeight(s.vægt)} %)`).join(", ") + "."
      : "";
    const description = (firstParagraph(k.beskrivelse) ?? k.titel) + subs;
    return {
      type: k.type === "kvalitet" ? "quality" : k.type === "pris" ? "price" : "cost",
      name: k.titel,
      description,
      weight: k.vægt,
      pointer: `${pointer}/${i}`,
    } satisfies Criterion;
  });
}

/** Builds the notice facts. Missing facts that eForms requires become located Danish errors. */
export function noticeFacts(u: Udbud, map: SourceMap, opts: { issueDate?: string } = {}): FactsResult {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const diag = (severity: "fejl" | "advarsel", pointer: string, message: string, code: string) => {
    const at = map.locate(pointer, true);
    (severity === "fejl" ? errors : warnings).push({ severity, file: at.file, line: at.line, column: at.column, path: pointerToPath(pointer), message, code });
  };
  const missing = (pointer: string, what: string, example: string) =>
    diag("fejl", pointer, `Udbudsbekendtgørelsen kræver ${what}, men udbuddet angiver det ikke. Tilføj fx ${example}.`, "bekendtgørelse.mangler");

  let subtype: Subtype | undefined;
  if (u.procedure.regime === "afsnit-III") subtype = "20";
  else if (u.procedure.regime === "afsnit-II") subtype = "16";
  else diag("fejl", "/procedure/regime", `Der laves kun udbudsbekendtgørelse (eForms) for udbud efter afsnit II eller III, ikke for '${u.procedure.regime}'.`, "bekendtgørelse.regime");

  let procedureCode = PROCEDURE_CODES[u.procedure.type];
  if (!procedureCode) {
    if (subtype === "20") procedureCode = u.procedure.prækvalifikation ? "oth-mult" : "oth-single";
    else diag("fejl", "/procedure/type", "En udbudsbekendtgørelse efter afsnit II kræver en af udbudslovens procedurer; 'egen-procedure' findes kun under afsnit III.", "bekendtgørelse.procedure");
  }

  const o = u.ordregiver;
  if (!o.nuts) missing("/ordregiver", "ordregivers NUTS-kode (ordregiver.nuts)", "'nuts: DK011' under ordregiver");
  const authority = o.myndighedstype ?? (/\bKommune$/.test(o.navn) ? "kommune" : /^Region\b/.test(o.navn) ? "region" : undefined);
  if (!authority) missing("/ordregiver", "ordregivers myndighedstype (ordregiver.myndighedstype)", "'myndighedstype: stat' under ordregiver");
  const mainContact = o.kontaktpersoner?.find((k) => !k.delkontrakt && k.email) ?? o.kontaktpersoner?.find((k) => k.email);
  if (!o.telefon && !o.kontaktpersoner?.some((k) => k.telefon)) missing("/ordregiver", "ordregivers telefonnummer (ordregiver.telefon)", "'telefon: \"+45 33 66 33 66\"' under ordregiver");
  if (!mainContact) missing("/ordregiver", "en e-mailadresse hos ordregiver (ordregiver.kontaktpersoner[].email)", "en kontaktperson med 'email:'");
  const kl = u.procedure.klageorgan;
  if (!kl) missing("/procedure", "klageorganet (procedure.klageorgan), normalt Klagenævnet for Udbud", "'klageorgan:' med navn, cvr, adresse, nuts og email (se docs/bekendtgoerelse.md)");
  if (!u.procedure.udbudsmateriale_url) missing("/procedure", "adressen på udbudsmaterialet (procedure.udbudsmateriale_url)", "'udbudsmateriale_url: https://…'");
  const time = u.tidsplan.klokkeslæt;
  if (!time) missing("/tidsplan", "et klokkeslæt for fristerne (tidsplan.klokkeslæt)", "'klokkeslæt: \"12:00\"'");
  const twoStage = !!procedureCode && procedureCode !== "open" && procedureCode !== "oth-single";
  if (twoStage && !u.tidsplan.ansøgningsfrist) missing("/tidsplan", "en ansøgningsfrist (tidsplan.ansøgningsfrist), da proceduren har to faser (ansøgning, derefter tilbud)", "'ansøgningsfrist: 2024-02-12'");
  const place = (d: Delkontrakt | undefined) => d?.udførelsessted ?? u.udførelsessted;
  if (!u.udførelsessted && u.delkontrakter.some((d) => !d.udførelsessted)) missing("", "et udførelsessted med NUTS-kode (udførelsessted)", "'udførelsessted: {nuts: DK011, beskrivelse: Københavns Kommune}'");

  const lots: LotFacts[] = u.delkontrakter.map((d, i) => {
    const tildeling = d.tildeling ?? u.tildeling;
    const tp = d.tildeling ? `/delkontrakter/${i}/tildeling/underkriterier` : "/tildeling/underkriterier";
    const lotOptions = (u.optioner ?? []).map((op) => `${op.titel}${op.beskrivelse ? ": " + firstParagraph(op.beskrivelse) : ""}`);
    return {
      id: `LOT-${String(i + 1).padStart(4, "0")}`,
      index: i,
      number: d.nummer,
      title: d.titel,
      description: firstParagraph(d.indledning) ?? d.titel,
      cpv: (d.cpv ?? u.cpv).map((c) => cpvCode(c.kode)),
      nuts: place(d)?.nuts ?? "",
      placeDescription: place(d)?.beskrivelse,
      estimatedValue: d.værdi?.samlet,
      maximumValue: d.værdi?.maksimum,
      suppliers: supplierCount(d),
      criteria: criteria(tildeling.underkriterier, tp),
      optionsDescription: lotOptions.length ? lotOptions.join(" ") : undefined,
      pointer: `/delkontrakter/${i}`,
    };
  });

  if (subtype === "16" && procedureCode === "open" && u.procedure.vedståelsesfrist_måneder === undefined) missing("/procedure", "tilbuddenes vedståelsesfrist (procedure.vedståelsesfrist_måneder) for et offentligt udbud efter afsnit II", "'vedståelsesfrist_måneder: 3'");

  if (subtype === "16") {
    diag("advarsel", "/procedure/regime", "Underformular 16 kræver felter, som udbuddet ikke beskriver; værktøjet bruger faste værdier: ingen EU-midler, elektronisk fakturering påkrævet, ingen elektroniske kataloger, ingen elektronisk bestilling, elektronisk betaling, omfattet af GPA, ingen elektronisk auktion og intet dynamisk indkøbssystem. Ret dem i eNotices2, hvis de ikke passer (se docs/bekendtgoerelse.md).", "bekendtgørelse.standardværdier");
  }

  if (errors.length || !authority || !subtype || !procedureCode || !kl || !time || !mainContact) return { errors, warnings };

  const issueDate = opts.issueDate ?? u.tidsplan.offentliggørelse;
  const deadline = (date: string | undefined, pointer: string): Deadline | undefined =>
    date ? { date, time, offset: danishOffset(date, time), pointer } : undefined;
  // Open procedures (and a light-regime procedure without pre-qualification) have one stage:
  // the notice gives the tender deadline. Otherwise it gives the deadline for requests to participate.
  const oneStage = procedureCode === "open" || procedureCode === "oth-single";
  let questions = deadline(u.tidsplan.spørgefrist, "/tidsplan/spørgefrist");
  const firstDeadline = oneStage ? u.tidsplan.tilbudsfrist : u.tidsplan.ansøgningsfrist;
  if (questions && firstDeadline && questions.date > firstDeadline) {
    diag("advarsel", "/tidsplan/spørgefrist", `Spørgefristen (${questions.date}) ligger efter ${oneStage ? "tilbudsfristen" : "ansøgningsfristen"} (${firstDeadline}) og kommer derfor ikke med i udbudsbekendtgørelsen (eForms-regel BR-BT-01311-0153); den står i udbudsmaterialet.`, "bekendtgørelse.spørgefrist");
    questions = undefined;
  }
  const renewals = (u.aftaleperiode.forlængelser ?? []).reduce((n, f) => n + (f.gange ?? 1), 0);
  const ordering = u.aftaleperiode.bestilling.ordretildeling;
  const facts: NoticeFacts = {
    subtype,
    buyerType: { kommune: "la", region: "ra", stat: "cga", "offentligretligt-organ": "body-pl" }[authority],
    noticeId: stableUuid(`udbud:${u.id}:bekendtgørelse`),
    folderId: stableUuid(`udbud:${u.id}:procedure`),
    issueDate,
    issueOffset: danishOffset(issueDate),
    internalId: u.id,
    title: u.titel,
    description: u.delkontrakter.length > 1
      ? `${u.titel}. Udbuddet er opdelt i ${u.delkontrakter.length} delkontrakter: ${u.delkontrakter.map((d) => `${d.nummer}) ${d.titel}`).join("; ")}.`
      : u.titel,
    procedureCode,
    procedureDescription:
      firstParagraph(u.procedure.forhandling) ??
      `${PROCEDURE_NAMES[u.procedure.type]} efter ${u.procedure.hjemmel ?? (subtype === "20" ? "udbudslovens afsnit III" : "udbudslovens afsnit II")}${u.procedure.prækvalifikation ? ", med prækvalifikation" : ""}.`,
    buyer: {
      id: "ORG-0001",
      name: o.enhed ? `${o.navn}, ${o.enhed}` : o.navn,
      cvr: o.cvr,
      address: o.adresse,
      nuts: o.nuts!,
      email: mainContact.email!,
      phone: o.telefon ?? mainContact.telefon,
      website: o.internetadresse,
      contactName: mainContact.navn,
      pointer: "/ordregiver",
    },
    reviewBody: {
      id: "ORG-0002",
      name: kl.navn,
      cvr: kl.cvr,
      address: kl.adresse,
      nuts: kl.nuts,
      email: kl.email,
      phone: kl.telefon,
      website: kl.internetadresse,
      pointer: "/procedure/klageorgan",
    },
    cpv: u.cpv.map((c) => cpvCode(c.kode)),
    nuts: u.udførelsessted?.nuts ?? lots[0].nuts,
    placeDescription: u.udførelsessted?.beskrivelse,
    estimatedValue: u.værdi.samlet,
    maximumValue: u.værdi.maksimum,
    currency: "DKK",
    documentsUrl: u.procedure.udbudsmateriale_url!,
    submissionUrl: u.procedure.tilbudsportal_url ?? u.procedure.udbudsmateriale_url!,
    start: u.aftaleperiode.start,
    end: u.aftaleperiode.slut,
    renewals,
    renewalDescription: (u.aftaleperiode.forlængelser ?? []).length
      ? (u.aftaleperiode.forlængelser ?? [])
          .map((f) => `Rammeaftalen kan forlænges ${f.gange ?? 1} ${(f.gange ?? 1) === 1 ? "gang" : "gange"} med op til ${f.måneder} måneder${f.pr_delkontrakt ? " for hver delkontrakt for sig" : ""}.`)
          .join(" ")
      : undefined,
    shortList: u.procedure.prækvalifikation && u.procedure.antal_prækvalificerede ? u.procedure.antal_prækvalificerede : undefined,
    frameworkType: ordering === "miniudbud" ? "fa-w-rc" : "fa-wo-rc",
    deadlines: {
      tenders: oneStage ? deadline(u.tidsplan.tilbudsfrist, "/tidsplan/tilbudsfrist") : undefined,
      invitations: oneStage ? undefined : deadline(u.tidsplan.prækvalifikation, "/tidsplan/prækvalifikation"),
      requests: oneStage ? undefined : deadline(u.tidsplan.ansøgningsfrist, "/tidsplan/ansøgningsfrist"),
      questions,
    },
    lots,
    languages: ["DAN"],
    validityMonths: oneStage ? u.procedure.vedståelsesfrist_måneder : undefined, // BT-98 is for one-stage procedures only
  };
  return { facts, errors, warnings };
}
