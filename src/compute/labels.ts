/** Danish labels for model values that documents print (never a raw key). */

/** "Indsats 1A: Titel" for short offer codes ("1A", "3", "T1", "MK": up to four letters or digits, with a digit or in capitals); a word id ("psykiske-lidelser") is a handle, not a label: the title alone. */
export function offerLabel(id: string, titel: string): string {
  return /^(?=.{1,4}$)(?=.*\d|[A-ZÆØÅ\d]+$)[A-Za-zÆØÅæøå\d]+$/.test(id) ? `Indsats ${id}: ${titel}` : titel;
}

/** The support-need enum as Danish words. */
export const STØTTEBEHOV: Record<string, string> = {
  "særligt-stort": "særligt stort",
  "meget-stort": "meget stort",
  stort: "stort",
  meget: "meget",
  nogen: "nogen",
  mindre: "mindre",
  lidt: "lidt",
  begrænset: "begrænset",
};
