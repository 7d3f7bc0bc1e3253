/**
 * Input types for the price simulation (`udbud simulate`, issue 5): the offered prices per lot and
 * offer, and a scenario describing the courses (forløb) the planner expects on the lot.
 */
import type { Afregningsform, Resultat } from "../model/types.js";

/** Duration of a course in weeks. */
export type Varighedsfordeling =
  | { type: "fast"; uger: number }
  | { type: "normal"; middel: number; sd: number; min: number; max: number }
  | { type: "diskret"; udfald: { uger: number; sandsynlighed: number }[] };

/** One offer's prices. Only pricing models with a price are simulated. */
export interface Tilbudspriser {
  tilbudsgiver: string;
  /**
   * Price per unit: timepris per booked hour, ugepris per started week, dagspris per started
   * weekday, helårsperson per place per year, resultatbaseret per course (the full course price,
   * of which `grundbetaling_procent` is paid regardless of result).
   */
  priser: Partial<Record<Afregningsform, number>>;
  /** Resultatbaseret: share of the course price paid as base payment, in percent (default 100). */
  grundbetaling_procent?: number;
  /** Resultatbaseret: bonus per achieved result. */
  bonusser?: { resultat: Resultat; beløb: number }[];
}

/** The offers on one lot (optionally one indsats within it). */
export interface Delkontraktpriser {
  delkontrakt: string;
  indsats?: string;
  tilbud: Tilbudspriser[];
}

/** Assumptions about the courses that may differ per offer (e.g. an offer's planned hours). */
export interface Forløbsantagelser {
  varighed: Varighedsfordeling;
  /** Probability that a course is interrupted; the time is uniform over the planned duration. */
  afbrydelse_sandsynlighed: number;
  /** Booked (ordered) activity hours per week. */
  timer_pr_uge: number;
  /** Share of booked hours the citizen actually attends (0-1); gives effective activity hours. */
  fremmøde_andel: number;
  /** Mutually exclusive results per course with their probabilities (sum ≤ 1). */
  resultater: { resultat: Resultat; sandsynlighed: number }[];
}

/** The scenario for one lot. */
export interface Scenarie extends Forløbsantagelser {
  delkontrakt: string;
  indsats?: string;
  /**
   * Referrals (new courses) per month. "poisson": the year's count is Poisson with mean
   * 12 × pr_måned; "fast": exactly round(12 × pr_måned) courses every year.
   */
  henvisninger: { pr_måned: number; fordeling: "poisson" | "fast" };
  /** Helårsperson: places bought and the planned occupancy (0-1); cost does not depend on occupancy. */
  helårsperson?: { pladser: number; belægning: number };
  /** Per-offer overrides keyed by `tilbudsgiver`. */
  tilbud?: Record<string, Partial<Forløbsantagelser>>;
}

export interface Simuleringsvalg {
  /** Number of simulated years (runs). */
  runs: number;
  seed: number;
}

/** Summary of one offer under one pricing model. */
export interface Modelresultat {
  model: Afregningsform;
  /** Annual cost across runs. */
  årlig: { middel: number; p10: number; p50: number; p90: number; sd: number };
  /** Mean annual cost / mean courses per year. */
  pr_forløb: number;
  /** Mean annual cost / mean effective activity hours per year (attended hours). */
  pr_effektiv_time: number;
  /** Mean annual cost / mean results per year (NaN-free: Infinity when no results occur). */
  pr_resultat: number;
}

export interface Tilbudsresultat {
  tilbudsgiver: string;
  modeller: Modelresultat[];
  /** Mean courses, started weeks, effective hours and results per year. */
  mængder: { forløb: number; påbegyndte_uger: number; effektive_timer: number; resultater: number };
  /** Helårsperson: delivered course-weeks / (places × 52), when places are given. */
  udnyttelse?: number;
}

export interface Simuleringsresultat {
  delkontrakt: string;
  indsats?: string;
  runs: number;
  seed: number;
  tilbud: Tilbudsresultat[];
}
