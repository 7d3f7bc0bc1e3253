/**
 * Clause order in the redline: the new-visible items (paired, inserted, new copies of moves) in
 * DocDiff order, and the old-visible ones (paired, deleted, old copies of moves) in old order —
 * each old-only copy right after the clause that preceded it in the old document.
 */
import type { AlignedClause, Clause, DocDiff } from "./model.js";

/** Dotted refs compared numerically ("4.10" after "4.9"); null when not comparable. */
function compareRefs(a: string, b: string): number | null {
  const pa = a.split(".").filter(Boolean);
  const pb = b.split(".").filter(Boolean);
  if (![...pa, ...pb].every((p) => /^\d+$/.test(p))) return null;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = i < pa.length ? Number(pa[i]) : -1;
    const y = i < pb.length ? Number(pb[i]) : -1;
    if (x !== y) return x - y;
  }
  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Clause order: where each old-only copy goes                                                 */

export type Item =
  | { t: "paired"; ac: AlignedClause; o: Clause; n: Clause; key: number }
  | { t: "new"; ac: AlignedClause; n: Clause; comment?: string; move?: string }
  | { t: "old"; ac: AlignedClause; o: Clause; key: number; comment?: string; move?: string };

function refLabel(c: Clause): string {
  return c.ref ?? (c.heading ? `»${c.heading}«` : "?");
}

/**
 * Heaviest chain of items whose keys increase in sequence order (keys: distinct integers ≥ 0, the
 * old positions). O(n log n) with a Fenwick tree of prefix maxima over the keys.
 */
function heaviestIncreasing(keys: number[], weights: number[]): Set<number> {
  const n = keys.length;
  const size = keys.reduce((m, k) => Math.max(m, k), 0) + 2;
  const treeBest = new Array<number>(size).fill(0);
  const treeIdx = new Array<number>(size).fill(-1);
  const best = new Array<number>(n).fill(0);
  const prev = new Array<number>(n).fill(-1);
  let top = -1;
  for (let i = 0; i < n; i++) {
    // Best chain ending at a key < keys[i].
    let b = 0;
    let bi = -1;
    for (let x = keys[i]; x > 0; x -= x & -x) {
      if (treeBest[x] > b) {
        b = treeBest[x];
        bi = treeIdx[x];
      }
    }
    best[i] = b + weights[i];
    prev[i] = bi;
    for (let x = keys[i] + 1; x < size; x += x & -x) {
      if (best[i] > treeBest[x]) {
        treeBest[x] = best[i];
        treeIdx[x] = i;
      }
    }
    if (top < 0 || best[i] > best[top]) top = i;
  }
  const out = new Set<number>();
  for (let i = top; i >= 0; i = prev[i]) out.add(i);
  return out;
}

/**
 * The clause items in output order: the new-visible items (paired, inserted, new copies of moves)
 * in DocDiff order, and the old-visible ones (paired, deleted, old copies of moves) in old order.
 */
export function orderItems(diff: DocDiff): Item[] {
  const acs = diff.clauses.filter((ac) => ac.old || ac.new);
  const withOld = acs.filter((ac) => ac.old);
  const haveIndex = withOld.every((ac) => typeof ac.oldIndex === "number") && new Set(withOld.map((ac) => ac.oldIndex)).size === withOld.length;

  // Which paired clauses stay in place: not flagged as moved, and (with indices) on the heaviest
  // in-order chain of old positions, so the old-visible sequence is in old order.
  const stay = new Set<AlignedClause>();
  const keepDeleted = new Set<AlignedClause>();
  if (haveIndex) {
    const cand = acs.filter((ac) => ac.old && !(ac.new && ac.kinds.includes("moved")));
    const chain = heaviestIncreasing(
      cand.map((ac) => ac.oldIndex!),
      cand.map((ac) => (ac.new ? 2 : 1)),
    );
    cand.forEach((ac, i) => {
      if (!chain.has(i)) return;
      if (ac.new) stay.add(ac);
      else keepDeleted.add(ac);
    });
  } else {
    for (const ac of acs) {
      if (ac.old && ac.new && !ac.kinds.includes("moved")) stay.add(ac);
      if (ac.old && !ac.new) keepDeleted.add(ac);
    }
  }

  const items: Item[] = [];
  const pending: { t: "old"; ac: AlignedClause; o: Clause; key: number; comment?: string; move?: string; near?: Item }[] = [];
  acs.forEach((ac, seq) => {
    const key = haveIndex ? ac.oldIndex! : seq;
    if (ac.old && ac.new) {
      if (stay.has(ac)) {
        items.push({ t: "paired", ac, o: ac.old, n: ac.new, key });
        return;
      }
      const from = ac.movedFrom ?? ac.old.ref;
      const changed = ac.old.heading !== ac.new.heading || JSON.stringify(ac.old.blocks) !== JSON.stringify(ac.new.blocks);
      const move = `udbudFlytK${seq}`;
      const newItem: Item = { t: "new", ac, n: ac.new, comment: `Flyttet fra pkt. ${from ?? refLabel(ac.old)}${changed ? " (og ændret)" : ""}`, move };
      items.push(newItem);
      pending.push({ t: "old", ac, o: ac.old, key, comment: `Flyttet til pkt. ${refLabel(ac.new)}`, near: newItem, move });
    } else if (ac.new) {
      items.push({ t: "new", ac, n: ac.new });
    } else if (ac.old) {
      if (keepDeleted.has(ac)) items.push({ t: "old", ac, o: ac.old, key });
      else pending.push({ t: "old", ac, o: ac.old, key });
    }
  });

  const oldVisible = (it: Item): it is Extract<Item, { key: number }> => it.t !== "new";
  if (haveIndex) {
    pending.sort((a, b) => a.key - b.key);
    for (const p of pending) {
      let at = -1;
      let atKey = -Infinity;
      items.forEach((it, i) => {
        if (oldVisible(it) && it.key < p.key && it.key > atKey) {
          at = i;
          atKey = it.key;
        }
      });
      // Right after the clause that preceded it in the old document (or before everything).
      const { near: _near, ...item } = p;
      items.splice(at + 1, 0, item);
    }
  } else {
    // No old positions: after the last old-visible clause whose ref sorts before the old ref,
    // else just before the new copy.
    for (const p of pending) {
      const { near, ...item } = p;
      let at = -1;
      if (p.o.ref) {
        items.forEach((it, i) => {
          if (oldVisible(it) && it.o.ref) {
            const c = compareRefs(it.o.ref, p.o.ref!);
            if (c !== null && c < 0) at = i;
          }
        });
      }
      if (at < 0 && near) at = items.indexOf(near) - 1;
      items.splice(at + 1, 0, item);
    }
  }
  return items;
}

