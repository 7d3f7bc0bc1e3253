/**
 * Compares two sides (specs or document files): pairs documents by id, diffs each pair, and for
 * two specs adds the semantic change list from the models.
 */
import type { Diagnostic } from "../diagnostics.js";
import { diffDocuments } from "./align.js";
import { readSide, type Side } from "./inputs.js";
import type { ComparableDoc, DocDiff } from "./model.js";
import { semanticChanges } from "./semantic.js";
import { CompareOptions, DEFAULT_COMPARE } from "./tokenize.js";

export interface Comparison {
  old: Side;
  new: Side;
  docs: DocDiff[];
  semantic: string[];
}

const EMPTY = (d: ComparableDoc): ComparableDoc => ({ id: d.id, title: d.title, clauses: [] });

/** Pairs documents: by id; a single document on each side is compared whatever its name. */
export function pairDocuments(a: ComparableDoc[], b: ComparableDoc[]): [ComparableDoc, ComparableDoc][] {
  if (a.length === 1 && b.length === 1) return [[a[0], b[0]]];
  if (a.length === 1 || b.length === 1) {
    // A document against a spec: compare with the spec's document of the same id, else its contract.
    const [one, many, flip] = a.length === 1 ? [a[0], b, false] : [b[0], a, true];
    const match = many.find((d) => d.id === one.id) ?? many.find((d) => d.id === "rammeaftale") ?? many[0];
    return [flip ? [match, one] : [one, match]];
  }
  const pairs: [ComparableDoc, ComparableDoc][] = [];
  for (const nd of b) pairs.push([a.find((d) => d.id === nd.id) ?? EMPTY(nd), nd]);
  for (const od of a) if (!b.some((d) => d.id === od.id)) pairs.push([od, EMPTY(od)]);
  return pairs;
}

export function compareSides(oldSide: Side, newSide: Side, o: CompareOptions = DEFAULT_COMPARE): Comparison {
  const docs = pairDocuments(oldSide.docs, newSide.docs).map(([x, y]) => diffDocuments(x, y, o));
  const semantic = oldSide.udbud && newSide.udbud ? semanticChanges(oldSide.udbud, newSide.udbud) : [];
  return { old: oldSide, new: newSide, docs, semantic };
}

export async function compareInputs(oldPath: string, newPath: string, o: CompareOptions = DEFAULT_COMPARE): Promise<{ comparison?: Comparison; errors: Diagnostic[] }> {
  const [a, b] = await Promise.all([readSide(oldPath), readSide(newPath)]);
  const errors = [...a.errors, ...b.errors];
  if (errors.length || !a.side || !b.side) return { errors };
  return { comparison: compareSides(a.side, b.side, o), errors: [] };
}
