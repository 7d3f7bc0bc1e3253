/**
 * OCDS 1.1.5 releases from the same notice facts: a `tender` release (with the lots extension:
 * each delkontrakt a lot, items by CPV, award criteria with weights, values, the tender period,
 * the buyer and the review body in `parties`) and, after an evaluation, an `award` release with
 * the suppliers each lot is awarded to. Validation: the release schema (JSON Schema draft-04,
 * with ajv-draft-04) plus the closed codelists' codes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { EvaluationResult } from "../evaluate/types.js";
import { danishOffset, stableUuid, type NoticeFacts, type Party } from "./facts.js";

const METHOD: Record<string, string> = { open: "open", "oth-single": "open", restricted: "selective", "neg-w-call": "selective", "comp-dial": "selective", innovation: "selective", "oth-mult": "selective" };

function ocid(f: NoticeFacts): string {
  return `ocds-udbud-${f.internalId}`;
}

function party(p: Party, roles: string[]) {
  return {
    id: p.id,
    name: p.name,
    identifier: { scheme: "DK-CVR", id: p.cvr, legalName: p.name },
    address: { streetAddress: p.address.gade, locality: p.address.by, postalCode: p.address.postnummer, region: p.nuts, countryName: "Danmark" },
    contactPoint: { ...(p.contactName ? { name: p.contactName } : {}), email: p.email, ...(p.phone ? { telephone: p.phone } : {}), ...(p.website ? { url: p.website } : {}) },
    roles,
  };
}

function dateTime(d: { date: string; time: string; offset: string } | undefined): string | undefined {
  return d ? `${d.date}T${d.time}:00${d.offset}` : undefined;
}

const value = (amount: number | undefined, f: NoticeFacts) => (amount === undefined ? undefined : { amount, currency: f.currency });

/** The `tender` release. */
export function tenderRelease(f: NoticeFacts): Record<string, unknown> {
  const tenderEnd = dateTime(f.deadlines.tenders) ?? dateTime(f.deadlines.requests);
  return {
    ocid: ocid(f),
    id: `${ocid(f)}-tender-${f.issueDate}`,
    date: `${f.issueDate}T09:00:00${f.issueOffset}`,
    tag: ["tender"],
    initiationType: "tender",
    language: "da",
    parties: [party(f.buyer, ["buyer", "procuringEntity"]), party(f.reviewBody, ["reviewBody"])],
    buyer: { id: f.buyer.id, name: f.buyer.name },
    tender: {
      id: f.folderId,
      title: f.title,
      description: f.description,
      status: "active",
      procuringEntity: { id: f.buyer.id, name: f.buyer.name },
      items: f.lots.flatMap((l) =>
        l.cpv.map((c, i) => ({ id: `${l.id}-${i + 1}`, description: i === 0 ? l.title : `${l.title} (supplerende CPV-kode)`, classification: { scheme: "CPV", id: c }, relatedLot: l.id })),
      ),
      value: value(f.estimatedValue, f),
      procurementMethod: METHOD[f.procedureCode] ?? "selective",
      procurementMethodDetails: f.procedureDescription,
      mainProcurementCategory: "services",
      awardCriteria: f.lots.every((l) => l.criteria.every((c) => c.type === "price")) ? "priceOnly" : "ratedCriteria",
      submissionMethod: ["electronicSubmission"],
      submissionMethodDetails: f.submissionUrl,
      ...(tenderEnd ? { tenderPeriod: { endDate: tenderEnd } } : {}),
      ...(f.deadlines.questions ? { enquiryPeriod: { endDate: dateTime(f.deadlines.questions) } } : {}),
      contractPeriod: { startDate: `${f.start}T00:00:00${danishOffset(f.start, "00:00")}`, endDate: `${f.end}T23:59:59${danishOffset(f.end, "23:59")}` },
      documents: [{ id: "udbudsmateriale", documentType: "biddingDocuments", title: "Udbudsmateriale", url: f.documentsUrl, language: "da" }],
      lots: f.lots.map((l) => ({
        id: l.id,
        title: l.title,
        description: l.description,
        status: "active",
        value: value(l.estimatedValue, f),
        contractPeriod: { startDate: `${f.start}T00:00:00${danishOffset(f.start, "00:00")}`, endDate: `${f.end}T23:59:59${danishOffset(f.end, "23:59")}` },
        awardCriteria: {
          criteria: l.criteria.map((c) => ({ type: c.type, name: c.name, description: c.description, numbers: [{ number: c.weight, weight: "percentageExact" }] })),
        },
        maximumSuppliers: l.suppliers,
      })),
    },
  };
}

/** The `award` release after `udbud evaluate`: per lot, the suppliers the evaluation awards it to. */
export function awardRelease(f: NoticeFacts, ev: EvaluationResult, date: string): Record<string, unknown> {
  const suppliers = new Map<string, { id: string; name: string }>();
  const lotsById = new Map(f.lots.map((l) => [l.number, l]));
  const awards = ev.delkontrakter.map((lotEv) => {
    const l = lotsById.get(lotEv.nummer);
    const ids = lotEv.tildeles.map((name) => {
      let s = suppliers.get(name);
      if (!s) {
        s = { id: `TEN-${stableUuid(`udbud:${f.internalId}:tilbudsgiver:${name}`).slice(0, 8)}`, name };
        suppliers.set(name, s);
      }
      return s;
    });
    return {
      id: `${l?.id ?? `LOT-${lotEv.nummer}`}-tildeling`,
      title: `Tildeling af delkontrakt ${lotEv.nummer}: ${lotEv.titel}`,
      status: "pending",
      date: `${date}T12:00:00${danishOffset(date)}`,
      suppliers: ids.map((s) => ({ id: s.id, name: s.name })),
      relatedLots: [l?.id ?? `LOT-${lotEv.nummer}`],
    };
  });
  return {
    ocid: ocid(f),
    id: `${ocid(f)}-award-${date}`,
    date: `${date}T12:00:00${danishOffset(date)}`,
    tag: ["award"],
    initiationType: "tender",
    language: "da",
    parties: [party(f.buyer, ["buyer", "procuringEntity"]), ...[...suppliers.values()].map((s) => ({ id: s.id, name: s.name, roles: ["supplier", "tenderer"] }))],
    buyer: { id: f.buyer.id, name: f.buyer.name },
    awards,
  };
}

export interface OcdsProblem {
  path: string;
  message: string;
}

/** Validates a release against the OCDS release schema and its closed codelists. */
export async function validateRelease(release: unknown, ocdsDir: string): Promise<OcdsProblem[]> {
  // ajv-draft-04 is CommonJS: its module.exports is the Ajv class.
  const Ajv = ((await import("ajv-draft-04")) as unknown as { default: new (o: object) => import("ajv").default }).default;
  const schema = JSON.parse(fs.readFileSync(path.join(ocdsDir, "release-schema-1.1.5.json"), "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  ajv.addFormat("date-time", (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)));
  ajv.addFormat("uri", (s: string) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(s));
  ajv.addFormat("email", (s: string) => /^[^@\s]+@[^@\s]+$/.test(s));
  const validate = ajv.compile(schema);
  const problems: OcdsProblem[] = [];
  if (!validate(release)) for (const e of validate.errors ?? []) problems.push({ path: e.instancePath || "/", message: e.message ?? "ugyldig" });
  problems.push(...checkCodelists(release, ocdsDir));
  return problems;
}

function codes(ocdsDir: string, file: string): Set<string> | undefined {
  const p = path.join(ocdsDir, "codelists", file);
  if (!fs.existsSync(p)) return undefined;
  const lines = fs.readFileSync(p, "utf8").split(/\r?\n/);
  const header = lines[0].split(",");
  const col = header.indexOf("Code");
  const out = new Set<string>();
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    if (cells.length > col && /^[A-Za-z]+$/.test(cells[col] ?? "")) out.add(cells[col]);
  }
  return out;
}

/** The codelisted fields we write, checked against the codelists in the OCDS folder. */
function checkCodelists(release: unknown, ocdsDir: string): OcdsProblem[] {
  const r = release as Record<string, any>;
  const problems: OcdsProblem[] = [];
  const check = (file: string, v: unknown, at: string) => {
    const set = codes(ocdsDir, file);
    if (set && typeof v === "string" && !set.has(v)) problems.push({ path: at, message: `koden '${v}' findes ikke i ${file}` });
  };
  (r.tag ?? []).forEach((t: string, i: number) => check("releaseTag.csv", t, `/tag/${i}`));
  check("initiationType.csv", r.initiationType, "/initiationType");
  (r.parties ?? []).forEach((p: any, i: number) => (p.roles ?? []).forEach((x: string, j: number) => check("partyRole.csv", x, `/parties/${i}/roles/${j}`)));
  const t = r.tender;
  if (t) {
    check("tenderStatus.csv", t.status, "/tender/status");
    check("method.csv", t.procurementMethod, "/tender/procurementMethod");
    check("procurementCategory.csv", t.mainProcurementCategory, "/tender/mainProcurementCategory");
    check("awardCriteria.csv", t.awardCriteria, "/tender/awardCriteria");
    (t.submissionMethod ?? []).forEach((x: string, i: number) => check("submissionMethod.csv", x, `/tender/submissionMethod/${i}`));
    (t.documents ?? []).forEach((d: any, i: number) => check("documentType.csv", d.documentType, `/tender/documents/${i}/documentType`));
    check("currency.csv", t.value?.currency, "/tender/value/currency");
  }
  return problems;
}
