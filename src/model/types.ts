/**
 * The typed tender model. It mirrors `schemas/udbud.schema.json`; a value of type `Udbud` has
 * passed schema validation (see read/index.ts). Domain nouns keep their Danish names.
 */
export type Tekst = string;
export type Dato = string; // ÅÅÅÅ-MM-DD

export interface Udbud {
  id: string;
  titel: string;
  /** Short title for running headers. */
  kort_titel?: string;
  borgergruppe?: string;
  dato?: Dato;
  ordregiver: Ordregiver;
  procedure: Procedure;
  cpv: CpvKode[];
  værdi: Værdi;
  tidsplan: Tidsplan;
  aftaleperiode: Aftaleperiode;
  optioner?: Option[];
  delkontrakter: Delkontrakt[];
  prisvilkår: Prisvilkår;
  tildeling: Tildeling;
  kontraktvilkår: Kontraktvilkår;
  definitioner?: { begreb: string; definition: string }[];
  øvrige_bilag?: { id: string; titel: string }[];
  klausuler?: Klausul[];
  udførelsessted?: Udførelsessted;
}

export interface Klausul {
  dokument?: string;
  id: string;
  handling: "erstat" | "udelad" | "tilføj-efter";
  titel?: string;
  tekst?: string;
  nyt_id?: string;
}

export interface Adresse { gade: string; postnummer: string; by: string; land?: string }
export interface Kontaktperson { delkontrakt?: string; navn: string; stilling?: string; telefon?: string; email?: string }
export interface Ordregiver {
  navn: string; enhed?: string; adresse: Adresse; cvr: string; ean?: string; underskriftsby?: string;
  kontaktpersoner?: Kontaktperson[];
  /** NUTS code of the buyer's address (eForms BT-507), e.g. DK011. */
  nuts?: string;
  myndighedstype?: "kommune" | "region" | "stat" | "offentligretligt-organ";
  internetadresse?: string;
  telefon?: string;
}
/** The review body named in the contract notice (eForms BT-784/OPT-301 ReviewOrg). */
export interface Klageorgan { navn: string; cvr: string; adresse: Adresse; nuts: string; email: string; telefon?: string; internetadresse?: string }
/** Place of performance (eForms BT-5071 and BT-728). */
export interface Udførelsessted { nuts: string; beskrivelse?: string }

export type Regime = "afsnit-II" | "afsnit-III" | "tilbudsloven" | "ingen";
export type ProcedureType =
  | "offentligt-udbud" | "begrænset-udbud" | "udbud-med-forhandling" | "konkurrencepræget-dialog"
  | "innovationspartnerskab" | "egen-procedure";
export interface Interval { min: number; max?: number }
export interface Procedure {
  regime: Regime; type: ProcedureType; prækvalifikation: boolean; antal_prækvalificerede?: Interval;
  hjemmel?: string; bekendtgørelse?: string; forhandling?: string;
  /** Where the tender documents can be downloaded (eForms BT-15). */
  udbudsmateriale_url?: string;
  /** Where tenders and requests to participate are submitted electronically (eForms BT-18). */
  tilbudsportal_url?: string;
  klageorgan?: Klageorgan;
  /** How long tenders must stay valid, in months (eForms BT-98). */
  vedståelsesfrist_måneder?: number;
}
export interface CpvKode { kode: string; beskrivelse?: string }
export interface Mængde { antal: number; enhed: string }
export interface Værdi { grundperiode: number; samlet: number; maksimum?: number; maksimal_mængde?: Mængde; forklaring?: string }
export interface Tidsplan {
  offentliggørelse: Dato; ansøgningsfrist?: Dato; prækvalifikation?: Dato; spørgefrist?: Dato; tilbudsfrist: Dato;
  tildeling?: Dato; kontraktunderskrift?: Dato; ikrafttræden: Dato;
  /** Time of day of every deadline (HH:MM, Danish time); the notice needs one. */
  klokkeslæt?: string;
}
export interface Forlængelse {
  måneder: number; gange?: number; pr_delkontrakt?: boolean; varsel_måneder: number; estimeret_værdi?: number; evalueres?: boolean;
}
export interface Varsel { måneder: number; til_udløbet_af?: "måned" | "kvartal" }
export interface Opsigelse { ordregiver: Varsel; ordregiver_omstrukturering?: Varsel; leverandør: Varsel; ordrer_uden_varsel?: boolean }
export interface Bestilling {
  bilag?: string; afbestilling_dage_før_start: number; afbestilling_vederlagsfri?: boolean; lukkedage_varsel_måneder?: number;
  ordretildeling?: "faglig-vurdering" | "kaskade" | "miniudbud" | "borgerens-valg";
}
export interface Aftaleperiode {
  start: Dato; slut: Dato; forlængelser?: Forlængelse[]; begrundelse_over_4_år?: string; opsigelse: Opsigelse; bestilling: Bestilling;
}
export interface Option { id: string; titel: string; beskrivelse?: Tekst; estimeret_værdi: number; evalueres?: boolean }

export interface Mål { formål: string; resultatmål?: string[]; delresultatmål?: string[] }
export interface Tabel { id?: string; titel?: string; kolonner: string[]; rækker: (string | number)[][]; kilde?: string; note?: string }
/** A bar chart from numbers in the spec; writers number it "Figur N" in document order. */
export interface Figur {
  id: string; titel: string; kategorier: string[]; serier: { navn: string; værdier: number[] }[]; enhed?: "pct" | "antal"; akse?: string; kilde?: string; note?: string;
}
export interface Afsnit {
  id?: string; titel: string; unummereret?: boolean; opstillingsnummer?: number; tekst?: Tekst; punkter?: string[]; mål?: Mål[]; tabeller?: Tabel[]; efter_tekst?: Tekst; afsnit?: Afsnit[];
  /** The section's blocks in order (the spec decides the outline); when given, the slot fields above are not used. */
  indhold?: Blok[];
}
/** One block of a section: exactly one field. */
export interface Blok {
  tekst?: Tekst; punkter?: string[]; nummererede_punkter?: string[]; tabel?: Tabel; figur?: Figur; mål?: Mål[]; afsnit?: Afsnit;
  /** A generated block placed by the spec: "indsatsoversigt", "delområder", "elementoversigt", "priser", "indsats:ID". */
  indsæt?: string | { blok: string; titel?: string };
}
export interface Lovhenvisning { lov: "LAB" | "SDP" | "andet"; kapitel?: number; paragraf?: string; betegnelse: string }
export interface Dokumentation { tekst?: Tekst; afsluttende_rapport?: string[]; case_i_løsningsbeskrivelse?: boolean; frist_arbejdsdage?: number }
export type Støttebehov = "særligt-stort" | "meget-stort" | "stort" | "meget" | "nogen" | "mindre" | "lidt" | "begrænset";
export interface Varighed { uger?: number; forlængelse?: boolean; maks_uger?: number; individuel?: boolean; tekst?: Tekst }
export interface Hyppighed { dage?: number; uger?: number; tekst?: string }
export interface Indsats {
  id: string; titel: string; støttebehov?: Støttebehov; målgruppe?: Tekst; beskrivelse?: Tekst; mål?: Mål[]; aktiviteter?: string[];
  lovgrundlag?: Lovhenvisning[]; varighed?: Varighed; ugentlige_timer?: Interval; timer_tekst?: string; opfølgning?: Hyppighed;
  virksomhedsbesøg?: Hyppighed; matchfrist_uger?: number; dokumentation?: Dokumentation; elementer?: string[];
}
export interface Indsatsspor {
  id: string; nummer: number; titel: string; målgruppe?: Tekst; ramme?: Tekst; tilrettelæggelse?: Afsnit[]; mål?: Mål[];
  dokumentation?: Dokumentation; lovgrundlag?: Lovhenvisning[]; indsatser: Indsats[];
}
export type ElementType = "individuel-tid" | "individuel-tid-lavintensiv" | "psykolog" | "mentor" | "holdforløb" | "andet";
export interface Element {
  id: string; nummer?: number; titel: string; type: ElementType; beskrivelse?: Tekst; aktiviteter?: string[]; lovgrundlag?: Lovhenvisning[];
  ugentlige_timer?: Interval; kan_kombineres_med?: string[]; selvstændig?: boolean; dokumentation?: Dokumentation; bemærkning?: Tekst;
}
export interface Elementeksempel { titel: string; tekst?: Tekst; indsats?: string; elementer: string[] }
export interface Delområde { id: string; titel: string; beskrivelse?: Tekst; indsatsspor: string[]; antal_leverandører?: number }
export interface Målgruppe { titel?: string; beskrivelse?: Tekst; disposition?: Afsnit[]; ydelsesgrupper?: string[]; kilder?: string[]; afsnit?: Afsnit[] }

export type Afregningsform = "timepris" | "ugepris" | "dagspris" | "helårsperson" | "resultatbaseret";
export interface Pris { indsats?: string; element?: string; beløb: number; min?: number; max?: number; pladser?: number; bemærkning?: string }
export type Resultat = "ordinære-timer" | "job" | "uddannelse" | "fleksjob" | "afklaring";
export interface Bonus { resultat: Resultat; beløb: number; betingelse?: string }
export interface Fakturering { hyppighed?: "månedlig" | "kvartalsvis" | "ved-afslutning" | "løbende"; grundlag?: string; regler?: string[] }
export interface Prismodel {
  type: Afregningsform; priser: Pris[]; grundbetaling_procent?: number; bonusser?: Bonus[];
  afbrudte_forløb?: "leverede-timer" | "påbegyndte-uger" | "påbegyndte-dage" | "forholdsmæssigt" | "fuld-pris";
  fakturering?: Fakturering; bemærkning?: Tekst;
}
export interface Delkontrakt {
  id: string; nummer: number; titel: string; kravspecifikation_titel?: string; indledning?: Tekst; antal_leverandører: number | { højst: number };
  /** helårsperson: places each supplier provides (else total ÷ suppliers when it divides). */
  pladser_pr_leverandør?: number;
  værdi?: Værdi; delområder?: Delområde[]; målgruppe?: Målgruppe; generelle_krav?: Afsnit[]; indsatsspor: Indsatsspor[];
  elementer?: Element[]; elementregler?: string[]; elementeksempler?: Elementeksempel[]; prismodel: Prismodel;
  tildeling?: Tildeling; leveringssted?: Tekst; øvrige_afsnit?: Afsnit[];
  /** Bilag A's own outline: when given, the kravspecifikation is exactly these sections. */
  disposition?: Afsnit[];
  /** CPV codes of this lot; the tender's when absent. */
  cpv?: CpvKode[];
  udførelsessted?: Udførelsessted;
}

export interface Prisreduktion { budgetændring_procent: number; maks_reduktion_procent: number; grundlag?: string }
export interface Prisvilkår { valuta?: "DKK"; faste_priser: boolean; prisregulering?: string; prisreduktion?: Prisreduktion }

export type Tildelingskriterium = "pris" | "omkostninger" | "bedste-forhold-mellem-pris-og-kvalitet";
export interface Underkriterium {
  id: string; titel: string; type: "pris" | "omkostninger" | "kvalitet"; vægt: number; beskrivelse?: Tekst; dokumentation?: string;
  /** The evaluation aspects ("der lægges vægt på …"). */
  lægges_vægt_på?: string[];
  minimumspoint?: number; underkriterier?: Underkriterium[];
}
export type Prispointmodel =
  | "lineær" | "proportional" | "interpolation" | "pris-pr-kvalitetspoint" | "prisomregning-beløb" | "prisomregning-procent";
export interface Vægtmængde { delkontrakt?: string; indsats?: string; element?: string; mængde: number }
export interface Prisevaluering {
  model: Prispointmodel; spænd_procent?: number; ankerpris_lav?: number; ankerpris_høj?: number; beløb_pr_point?: number;
  procent_pr_point?: number; evalueringsteknisk_pris?: { mængder: Vægtmængde[] }; beskrivelse?: Tekst;
}
export interface Pointskala { min: number; max: number; ankre?: { point: number; betegnelse: string; beskrivelse?: string }[] }
export interface Tildeling {
  kriterium: Tildelingskriterium; underkriterier: Underkriterium[]; prisevaluering?: Prisevaluering; pointskala?: Pointskala;
  mindstekrav?: { id: string; tekst: string; delkontrakter?: string[] }[];
}

export interface Kontraktvilkår {
  dokumentation: { frist_arbejdsdage: number; forlængelse_arbejdsdage: number; redegørelse_arbejdsdage: number };
  samarbejde: { kontaktperson_varsel_arbejdsdage: number; overdragelse_varsel_måneder: number; underleverandører_eu_eøs?: boolean; medarbejderkrav_bilag_e_pkt?: number };
  betaling: { frist_dage: number; fakturakrav_varsel_arbejdsdage?: number };
  forsikring: { personskade: number; tingskade: number };
  ansvarsbegrænsning: { tingskade_minimum: number; omsætning_gange: number; personskade_ubegrænset?: boolean };
  bod: {
    forsinkelse_procent: number; minimum_pr_arbejdsdag: number; fakturering_procent: number; fakturering_beløb_pr_arbejdsdag: number;
    skærpet_kontrol_efter_gange?: number; underleverandør_beløb: number;
  };
  ophævelse: { regulering_frist_arbejdsdage: number; opløsning_frist_arbejdsdage: number; betalingspåkrav_dage: number };
  ændringer: { løsningsforslag_arbejdsdage: number; regulering_opsigelse_måneder: number };
  force_majeure: { redegørelse_dage: number; opsigelse_efter_dage: number; opsigelse_varsel_dage: number };
  tvister: { forhandling_varsel_arbejdsdage: number; forhandlingsmøder: number; værneting: string };
  eksemplarer?: number;
}

/** The number of suppliers a lot is awarded to (the ceiling when the spec gives { højst: N }). */
export function supplierCount(lot: Pick<Delkontrakt, "antal_leverandører">): number {
  return typeof lot.antal_leverandører === "number" ? lot.antal_leverandører : lot.antal_leverandører.højst;
}
