/**
 * Evaluation (tildeling) types shared by the scoring engine (evaluate.ts), the bids reader
 * (bids.ts), the CLI and the evaluation documents (templates evaluering-*.md.hbs).
 * The evaluation model itself lives in the spec: `tildeling` (and a lot's own `tildeling`).
 */

/** One bid for one lot, as read from the bids file (YAML or CSV). */
export interface Bid {
  /** Bidder's name, unique per lot. */
  tilbudsgiver: string;
  /** Lot id (delkontrakt). */
  delkontrakt: string;
  /** Unit prices per offer/element of the lot, kr. excl. moms. */
  priser: { indsats?: string; element?: string; pris: number }[];
  /** Quality scores per (sub-)criterion id on the spec's scale; several evaluators allowed. */
  kvalitet: { kriterium: string; point: number; bedømmer?: string; begrundelse?: string }[];
  /** Minimum requirements not met (ids from tildeling.mindstekrav). */
  mindstekrav_ikke_opfyldt?: string[];
}

export interface CriterionScore {
  /** Criterion id (leaf quality criterion, or the price criterion). */
  id: string;
  titel: string;
  /** Effective weight in % of the total (product of the weights down the tree). */
  vægt: number;
  /** Score on the spec's scale (average over evaluators, or consensus). */
  point: number;
  /** point × vægt / 100 (weighted points). */
  vægtet: number;
  /** 'pris' / 'omkostninger' (points from the price model) or 'kvalitet' (points from evaluators). */
  type: "pris" | "omkostninger" | "kvalitet";
  /** Quality criteria: the individual evaluators' scores (empty for price criteria). */
  bedømmelser: { bedømmer?: string; point: number; begrundelse?: string }[];
  /** Quality criteria: true when `point` is a consensus score (bedømmer: konsensus), not an average. */
  konsensus: boolean;
}

/** One line of the evaluation price: unit price × published volume. */
export interface PriceLineResult {
  indsats?: string;
  element?: string;
  pris: number;
  /** Published volume (1 when a lot with a single price has none). */
  mængde: number;
  /** pris × mængde. */
  beløb: number;
}

export interface ScoredBid {
  tilbudsgiver: string;
  /** Evaluation price: Σ unit price × published volume (or the single price). */
  evalueringspris: number;
  /** Price points (0..S). 0 for the conversion models (pris-pr-kvalitetspoint, prisomregning-*), which award none. */
  prispoint: number;
  /** Leaf criteria in tree order: quality leaves and (for point models) the price criterion. */
  kriterier: CriterionScore[];
  /** Quality points Q on the scale: weighted average of the quality leaves' scores (0 without quality criteria). */
  kvalitetspoint: number;
  /** The weighted total that ranks the bids (higher is better; for price-per-quality-point models, lower is better and `lavestBedst` is true). */
  samlet: number;
  /** 1 = best. Bids that fail a minimum requirement have no rank (null). */
  placering: number | null;
  /** Ids of minimum requirements not met, or quality thresholds missed. */
  afvist: string[];
  /** True when the bid shares its total with another bid. */
  lighed: boolean;
  /** Danish reasons for the exclusion, one per entry of `afvist` (same order). */
  afvisningsgrunde: string[];
  /** The evaluation price line by line. */
  prislinjer: PriceLineResult[];
}

export interface LotEvaluation {
  delkontrakt: string;
  titel: string;
  prismodel: string;
  lavestBedst: boolean;
  bud: ScoredBid[];
  /** Bidders in ranking order (accepted bids only). */
  rangfølge: string[];
  /** Danish warnings: lowest-bid dependence, rank reversals, ties, … */
  advarsler: string[];
  /** Would removing one bidder reorder the others? One entry per reversal found. */
  rangomvending: { fjernet: string; før: string[]; efter: string[] }[];
  /**
   * Smallest change of a top-level weight (in percentage points) that changes the winner, per
   * top-level quality criterion and direction: `ændring` > 0 moves weight from price to
   * `kriterium`, < 0 from `kriterium` to price. At exactly `ændring` the new winner ties with the
   * old one; any larger change makes it win. Sorted by |ændring|.
   */
  vægtfølsomhed: { kriterium: string; ændring: number; nyVinder: string }[];
  /** Lot number (delkontrakt.nummer). */
  nummer: number;
  /** The model's formula in Danish, with its parameters. */
  formel: string;
  /** Maximum points S (top of the spec's pointskala; 10 without one). */
  maksPoint: number;
  /** Effective weight (%) of the price criteria and of the quality criteria. */
  prisvægt: number;
  kvalitetsvægt: number;
  /** Lowest evaluation price among the accepted bids (Pmin); null without accepted bids. */
  lavestePris: number | null;
  /** How many suppliers the lot is awarded to (delkontrakt.antal_leverandører). */
  antalLeverandører: number;
  /** The best `antalLeverandører` accepted bidders (more if bids tie at the boundary). */
  tildeles: string[];
}

export interface EvaluationResult {
  udbud: string;
  /** Title of the tender. */
  titel: string;
  delkontrakter: LotEvaluation[];
}
