/** Danish labels for model values that documents print (never a raw key). */

/** "Indsats 1A: Titel" for short offer ids ("1A", "3"); a word id ("psykiske-lidelser") is a handle, not a label: the title alone. */
export function offerLabel(id: string, titel: string): string {
  return /^\d+[A-Za-zÆØÅæøå]?$/.test(id) ? `Indsats ${id}: ${titel}` : titel;
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
