/**
 * Which spec field each eForms business term of our notice comes from: the basis of the field
 * table in docs/bekendtgoerelse.md and of locating a failed business rule in the spec.
 * `{lot}` stands for the lot's index in `delkontrakter`, `{org}` for the organisation's spec object.
 */
export interface FieldSource {
  /** Business term without level suffix, e.g. `BT-131`. */
  term: string;
  /** JSON pointer template into the spec. */
  pointer: string;
}

export const FIELD_SOURCES: FieldSource[] = [
  { term: "BT-500", pointer: "{org}/navn" },
  { term: "BT-501", pointer: "{org}/cvr" },
  { term: "BT-510", pointer: "{org}/adresse/gade" },
  { term: "BT-513", pointer: "{org}/adresse/by" },
  { term: "BT-512", pointer: "{org}/adresse/postnummer" },
  { term: "BT-507", pointer: "{org}/nuts" },
  { term: "BT-514", pointer: "{org}/adresse" },
  { term: "BT-506", pointer: "{org}/email" },
  { term: "BT-503", pointer: "{org}/telefon" },
  { term: "BT-505", pointer: "{org}/internetadresse" },
  { term: "BT-502", pointer: "{org}/kontaktpersoner" },
  { term: "BT-105", pointer: "/procedure/type" },
  { term: "BT-11", pointer: "/ordregiver/myndighedstype" },
  { term: "BT-88", pointer: "/procedure/forhandling" },
  { term: "BT-05", pointer: "/tidsplan/offentliggørelse" },
  { term: "BT-137", pointer: "/delkontrakter/{lot}" },
  { term: "BT-21", pointer: "/delkontrakter/{lot}/titel|/titel" },
  { term: "BT-22", pointer: "/delkontrakter/{lot}/nummer|/id" },
  { term: "BT-24", pointer: "/delkontrakter/{lot}/indledning|/titel" },
  { term: "BT-27", pointer: "/delkontrakter/{lot}/værdi/samlet|/værdi/samlet" },
  { term: "BT-271", pointer: "/delkontrakter/{lot}/værdi/maksimum|/værdi/maksimum" },
  { term: "BT-262", pointer: "/delkontrakter/{lot}/cpv|/cpv" },
  { term: "BT-263", pointer: "/delkontrakter/{lot}/cpv|/cpv" },
  { term: "BT-5071", pointer: "/delkontrakter/{lot}/udførelsessted|/udførelsessted" },
  { term: "BT-728", pointer: "/delkontrakter/{lot}/udførelsessted|/udførelsessted" },
  { term: "BT-113", pointer: "/delkontrakter/{lot}/antal_leverandører" },
  { term: "BT-765", pointer: "/aftaleperiode/bestilling/ordretildeling" },
  { term: "BT-539", pointer: "/tildeling/underkriterier" },
  { term: "BT-540", pointer: "/tildeling/underkriterier" },
  { term: "BT-541", pointer: "/tildeling/underkriterier" },
  { term: "BT-734", pointer: "/tildeling/underkriterier" },
  { term: "BT-131", pointer: "/tidsplan/tilbudsfrist" },
  { term: "BT-1311", pointer: "/tidsplan/ansøgningsfrist" },
  { term: "BT-130", pointer: "/tidsplan/prækvalifikation" },
  { term: "BT-13", pointer: "/tidsplan/spørgefrist" },
  { term: "BT-50", pointer: "/procedure/antal_prækvalificerede" },
  { term: "BT-51", pointer: "/procedure/antal_prækvalificerede" },
  { term: "BT-15", pointer: "/procedure/udbudsmateriale_url" },
  { term: "BT-18", pointer: "/procedure/tilbudsportal_url" },
  { term: "BT-536", pointer: "/aftaleperiode/start" },
  { term: "BT-537", pointer: "/aftaleperiode/slut" },
  { term: "BT-57", pointer: "/aftaleperiode/forlængelser" },
  { term: "BT-58", pointer: "/aftaleperiode/forlængelser" },
  { term: "BT-54", pointer: "/optioner" },
  { term: "BT-98", pointer: "/procedure/vedståelsesfrist_måneder" },
];

/** `BT-131(d)-Lot` → `BT-131`. */
export function termOf(field: string): string {
  return /^((?:BT|OPT|OPP|OPA)-\d+)/.exec(field)?.[1] ?? field;
}

/**
 * The spec pointer for a field of the notice: the lot-level alternative when the field is in a
 * lot, else the procedure-level one; `exists` tells which pointers the spec has.
 */
export function specPointer(field: string, ctx: { lot?: number; org?: string }, exists: (p: string) => boolean): string | undefined {
  const src = FIELD_SOURCES.find((s) => s.term === termOf(field));
  if (!src) return undefined;
  const options = src.pointer.split("|").filter((p) => (p.includes("{lot}") ? ctx.lot !== undefined : true)).filter((p) => (p.includes("{org}") ? ctx.org !== undefined : true));
  const filled = options.map((p) => p.replace("{lot}", String(ctx.lot)).replace("{org}", ctx.org ?? ""));
  return filled.find(exists) ?? filled[0];
}
