/**
 * Types for the price simulation (`udbud simulate`, issue 5).
 *
 * Two layers:
 * - `ScenarieFil`: the scenario file as the planner writes it (YAML, `schemas/scenarie.schema.json`).
 *   Everything but the referrals is optional; missing values come from the spec (duration, weekly
 *   hours, prices, places, the price-reduction clause) or from documented built-in defaults.
 * - `SimuleringsInput`: the resolved input the engine runs on (scenario.ts builds it from a
 *   validated `Udbud` and a `ScenarieFil`): one `SimuleretYdelse` per offer (indsats) or element,
 *   with complete assumptions and the prices of every pricing model that can be simulated.
 */
import type { Afregningsform, Resultat } from "../model/types.js";

// ---------------------------------------------------------------------------------------------
// Distributions

/** Duration of a course in weeks (before extension and interruption). */
export type Varighedsfordeling =
  | { fordeling: "fast"; uger: number }
  /** Truncated normal, redrawn until inside [min, max]. */
  | { fordeling: "normal"; middel: number; sd: number; min: number; max: number }
  /** Discrete: probabilities sum to 1. */
  | { fordeling: "diskret"; udfald: { uger: number; sandsynlighed: number }[] };

/** Booked activity hours per week for one course (drawn once per course). */
export type Timefordeling =
  | { fordeling: "fast"; timer: number }
  | { fordeling: "normal"; middel: number; sd: number; min: number; max: number };

/** An outcome of a course; "ingen" = no result. The probabilities of a course sum to 1. */
export type Udfald = Resultat | "ingen";

// ---------------------------------------------------------------------------------------------
// The scenario file (what the planner writes)

/** Assumptions that can be set globally, per lot or per offer. All optional in the file. */
export interface AntagelserFil {
  henvisninger?: {
    /** Expected new referrals (orders) per month. */
    pr_måned?: number;
    /** poisson (default): random count per month; fast: exactly round(pr_måned × sæson) each month. */
    fordeling?: "poisson" | "fast";
    /** 12 seasonal factors, January first; normalised to mean 1. Default: all 1. */
    sæson?: number[];
  };
  /** A number (fixed weeks) or a distribution. Default: the indsats's `varighed.uger` in the spec. */
  varighed?: number | Varighedsfordeling;
  /** Extension: with this probability the course is extended by `uger` weeks. Default: none. */
  forlængelse?: { sandsynlighed: number; uger: number };
  /**
   * Interrupted courses (afbrudte forløb): with `sandsynlighed` the course stops early. `tidspunkt`
   * is when: "ligefordelt" (uniform over the planned duration, default) or a discrete distribution
   * over the share of the planned duration that was delivered.
   */
  afbrydelse?: {
    sandsynlighed: number;
    tidspunkt?: "ligefordelt" | { udfald: { andel: number; sandsynlighed: number }[] };
  };
  /** Booked hours per week: a number or a distribution. Default: midpoint of `ugentlige_timer`. */
  timer_pr_uge?: number | Timefordeling;
  /** Share of booked hours the citizen attends (0–1). Default 1. */
  fremmøde?: number;
  /**
   * Cancelled orders: with `sandsynlighed` an order is cancelled before start. Cancellation is free
   * until the spec's deadline (1 day before start); `sen_andel` of cancellations come later and
   * pay `sen_betaling_uger` weeks (default 1) of the course.
   */
  aflysning?: { sandsynlighed: number; sen_andel?: number; sen_betaling_uger?: number };
  /** Outcome probabilities per course; they must sum to 1 (use `ingen` for no result). */
  resultater?: Partial<Record<Udfald, number>>;
  /** The supplier's own cost per delivered activity hour (used for the risk split). */
  kostpris_pr_time?: number;
}

/** Prices of one offer under other pricing models than the spec's (or overriding the spec's). */
export interface PriserFil {
  timepris?: number;
  ugepris?: number;
  dagspris?: number;
  /** Price per place (helårsperson) per year. Needs `helårsperson.pladser`. */
  helårsperson?: number;
  /** Result-based: course price; `grundbetaling_procent` of it is paid regardless; bonus per result. */
  resultatbaseret?: { pris: number; grundbetaling_procent?: number; bonusser?: Partial<Record<Resultat, number>> };
}

export interface YdelseFil extends AntagelserFil {
  priser?: PriserFil;
  /** Helårsperson: places bought (default: the spec's `pladser`, else enough for the expected demand). */
  helårsperson?: { pladser?: number; belægning?: number };
}

export interface DelkontraktFil {
  standard?: AntagelserFil;
  /** Per indsats id. */
  indsatser?: Record<string, YdelseFil>;
  /** Per element id (elements priced on their own, e.g. PSY). */
  elementer?: Record<string, YdelseFil>;
}

export interface ScenarieFil {
  titel: string;
  beskrivelse?: string;
  /** Default number of simulated years (runs); `--runs` overrides. Default 10 000. */
  kørsler?: number;
  /** Default seed; `--seed` overrides. Default 1. */
  frø?: number;
  standard?: AntagelserFil;
  /** Budget changes (percent, negative = cut) for the price-reduction table. Default [0, -10, -20, -30]. */
  budgetændringer?: number[];
  /** Relative change (percent) of each driver in the tornado analysis. Default 20. */
  følsomhed_procent?: number;
  /**
   * Year-to-year uncertainty of the demand as a whole (percent): the standard deviation of a
   * factor with mean 1 (lognormal) multiplied onto every offer's referrals in a simulated year.
   * Default 0 (only the offers' independent Poisson variation).
   */
  efterspørgselsusikkerhed_procent?: number;
  /** Per lot id. Lots left out are not simulated. */
  delkontrakter: Record<string, DelkontraktFil>;
}

// ---------------------------------------------------------------------------------------------
// Resolved input (what the engine runs on)

/** Complete assumptions for one offer. */
export interface Forløbsantagelser {
  henvisninger: { pr_måned: number; fordeling: "poisson" | "fast"; /** 12 factors with mean 1. */ sæson: number[] };
  varighed: Varighedsfordeling;
  forlængelse: { sandsynlighed: number; uger: number };
  afbrydelse: { sandsynlighed: number; tidspunkt: "ligefordelt" | { udfald: { andel: number; sandsynlighed: number }[] } };
  timer_pr_uge: Timefordeling;
  fremmøde: number;
  aflysning: { sandsynlighed: number; sen_andel: number; sen_betaling_uger: number };
  /** Mutually exclusive outcomes (without "ingen"); the rest probability is "ingen". */
  resultater: { resultat: Resultat; sandsynlighed: number }[];
  /** Supplier's cost per delivered (booked) hour for the risk split. */
  kostpris_pr_time: number;
}

/** Where a price comes from: the spec's prismodel, the scenario, or computed break-even. */
export type Priskilde = "udbud" | "scenarie";

export interface Modelpriser {
  timepris?: number;
  ugepris?: number;
  dagspris?: number;
  helårsperson?: { pris: number; pladser: number };
  resultatbaseret?: { pris: number; grundbetaling_procent: number; bonusser: { resultat: Resultat; beløb: number }[] };
}

/** One simulated offer (indsats) or element on a lot. */
export interface SimuleretYdelse {
  delkontrakt: string;
  /** Indsats or element id, e.g. "T1" or "PSY". */
  id: string;
  art: "indsats" | "element";
  titel: string;
  /** An element bought on top of an indsats (spec: `selvstændig: false`): in totals its orders are not citizens or courses of their own. */
  tilkøb?: boolean;
  antagelser: Forløbsantagelser;
  priser: Modelpriser;
  priskilder: Partial<Record<Afregningsform, Priskilde>>;
}

export interface SimuleretDelkontrakt {
  id: string;
  nummer: number;
  titel: string;
  /** The spec's pricing model for this lot. */
  afregningsform: Afregningsform;
  ydelser: SimuleretYdelse[];
}

export interface SimuleringsInput {
  udbud: { id: string; titel: string; ordregiver: string };
  scenarie: { titel: string; beskrivelse?: string };
  delkontrakter: SimuleretDelkontrakt[];
  /** The spec's price-reduction clause. */
  /** The contract's price-reduction clause; null when the tender has none. */
  prisreduktion: { budgetændring_procent: number; maks_reduktion_procent: number } | null;
  budgetændringer: number[];
  følsomhed_procent: number;
  /** Standard deviation (fraction, e.g. 0.1) of the common yearly demand factor; 0 = none. */
  efterspørgselsusikkerhed: number;
  /** Defaults for runs and seed from the scenario file. */
  kørsler: number;
  frø: number;
}

export interface Simuleringsvalg {
  /** Number of simulated years (runs). */
  runs: number;
  seed: number;
  /** Called now and then with the share done (0–1), for progress on stderr. */
  fremdrift?: (andel: number) => void;
}
