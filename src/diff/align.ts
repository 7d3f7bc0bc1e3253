/**
 * Alignment first, words second: pair clauses (by id, then unique text anchors, then unique
 * headings, then similarity), detect moves (clauses outside the longest in-order chain), pair
 * blocks inside each clause, and only then diff words. Renumbering alone is `renumbered`, never a
 * text change. Time is bounded by the alignment: word diffs only ever run inside one paired block.
 */
import { diffArrays } from "diff";
import { AlignedClause, Block, BlockDiff, BlockMove, ChangeKind, Clause, ComparableDoc, DocDiff, Run, StaleRef, mergeRuns } from "./model.js";
import { CompareOptions, DEFAULT_COMPARE, isWord, normalise, tokenize } from "./tokenize.js";

/** Word bag similarity (Dice) of two texts, 0..1. */
export function similarity(a: string, b: string): number {
  const bag = (t: string) => {
    const m = new Map<string, number>();
    for (const w of tokenize(t.toLocaleLowerCase("da"))) if (isWord(w)) m.set(w, (m.get(w) ?? 0) + 1);
    return m;
  };
  const A = bag(a);
  const B = bag(b);
  let inter = 0;
  let na = 0;
  let nb = 0;
  for (const v of A.values()) na += v;
  for (const v of B.values()) nb += v;
  for (const [w, v] of A) inter += Math.min(v, B.get(w) ?? 0);
  return na + nb === 0 ? 1 : (2 * inter) / (na + nb);
}

/**
 * Word diff of two texts. Whitespace between two changes joins the change, and within a change
 * deletions come before insertions, so the result reads like a lawyer's redline.
 */
/**
 * Bounded work (issue 18): the word-level diff runs on at most this many tokens (words, spaces and
 * punctuation of both sides together) and this many edits. Above either, the block is compared
 * sentence by sentence; above the same bounds in sentences, as one replaced block. A 50.000-word
 * paragraph then takes a second, not minutes.
 */
export const MAX_WORD_DIFF_TOKENS = 20_000;
export const MAX_WORD_DIFF_EDITS = 2_000;

/** Sentences with their trailing whitespace, so that joining them gives the text back. */
function sentences(text: string): string[] {
  return text.match(/[^.!?;:\n]*(?:[.!?;:\n]+|$)\s*/g)?.filter((s) => s !== "") ?? [text];
}

type Part = { added?: boolean; removed?: boolean; value: string[] };

/** The diff of two texts at the finest level the bounds allow: words, else sentences, else whole. */
function boundedParts(a: string, b: string, key: (t: string) => string, sentenceKey: (t: string) => string): Part[] {
  const ta = tokenize(a);
  const tb = tokenize(b);
  if (ta.length + tb.length <= MAX_WORD_DIFF_TOKENS) {
    const words = diffArrays(ta, tb, { comparator: (x: string, y: string) => key(x) === key(y), maxEditLength: MAX_WORD_DIFF_EDITS }) as Part[] | undefined;
    if (words) return words;
  }
  const sa = sentences(a);
  const sb = sentences(b);
  if (sa.length + sb.length <= MAX_WORD_DIFF_TOKENS) {
    // Keys computed once (normalising in the comparator made this the slow part).
    const ka = sa.map(sentenceKey);
    const kb = sb.map(sentenceKey);
    const keyed = diffArrays(ka, kb, { maxEditLength: MAX_WORD_DIFF_EDITS });
    if (keyed) {
      let i = 0;
      let j = 0;
      return keyed.map((p) => {
        const n = p.value.length;
        if (p.removed) return { removed: true, value: sa.slice(i, (i += n)) };
        if (p.added) return { added: true, value: sb.slice(j, (j += n)) };
        i += n;
        return { value: sb.slice(j, (j += n)) };
      });
    }
  }
  return sentenceKey(a) === sentenceKey(b) ? [{ value: [a] }] : [{ removed: true, value: [a] }, { added: true, value: [b] }];
}

export function wordRuns(a: string, b: string, o: CompareOptions = DEFAULT_COMPARE): Run[] {
  const key = (t: string) => (o.ignoreWhitespace && /^\s+$/.test(t) ? " " : o.ignoreCase ? t.toLocaleLowerCase("da") : t);
  const parts = boundedParts(a, b, key, (t) => normalise(t, o));
  const raw: Run[] = parts.map((p) => ({ op: p.added ? "insert" : p.removed ? "delete" : "equal", text: p.value.join("") }));
  // Whitespace-only equal runs between changes become part of the change.
  for (let i = 1; i < raw.length - 1; i++) {
    if (raw[i].op === "equal" && /^\s+$/.test(raw[i].text) && raw[i - 1].op !== "equal" && raw[i + 1].op !== "equal") {
      raw.splice(i, 1, { op: "delete", text: raw[i].text }, { op: "insert", text: raw[i].text });
    }
  }
  // Within each change hunk: all deletions, then all insertions.
  const out: Run[] = [];
  let del = "";
  let ins = "";
  const flush = () => {
    if (del) out.push({ op: "delete", text: del });
    if (ins) out.push({ op: "insert", text: ins });
    del = ins = "";
  };
  for (const r of raw) {
    if (r.op === "delete") del += r.text;
    else if (r.op === "insert") ins += r.text;
    else {
      flush();
      out.push(r);
    }
  }
  flush();
  return mergeRuns(out);
}

export function countWords(runs: Run[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const r of runs) {
    if (r.op === "equal") continue;
    const n = tokenize(r.text).filter(isWord).length;
    if (r.op === "insert") added += n;
    else removed += n;
  }
  return { added, removed };
}

/** Rewrites "pkt. 5.6.3" in old text to the new number of that clause, so references that only follow renumbering compare equal. */
export type RefMap = Map<string, string>;
const REF = /\b(pkt\.|punkt|punkterne|afsnit)(\s+)(\d+(?:\.\d+)*)/g;
export function mapRefs(text: string, refs: RefMap): string {
  return refs.size ? text.replace(REF, (m, word, ws, n) => (refs.has(n) ? `${word}${ws}${refs.get(n)}` : m)) : text;
}

function blockKey(b: Block, o: CompareOptions, refs?: RefMap): string {
  return `${b.kind}\u0000${normalise(refs ? mapRefs(b.text, refs) : b.text, o)}`;
}

function modifyBlock(a: Block, b: Block, o: CompareOptions): BlockDiff {
  const d: BlockDiff = { op: "modify", old: a, new: b, runs: wordRuns(a.text, b.text, o) };
  if (a.cells && b.cells) {
    const n = Math.max(a.cells.length, b.cells.length);
    d.cellRuns = Array.from({ length: n }, (_, i) => wordRuns(a.cells![i] ?? "", b.cells![i] ?? "", o));
  }
  return d;
}

/** A header cell naming an identity column: offer id, element id, nr. */
const KEY_HEADER = /^(id|nr\.?|indsats|element|tilbud|kode|bilag)\b/i;

/**
 * The key column of each table row in a block list: a table is a run of table rows (a header row
 * starts a new one); its key column is the one whose header names an identity (offer id, element
 * id, nr.), else the first column — used only when its values are unique and non-empty in the
 * table. Returns, per block index, the row's key (undefined for blocks without a usable key).
 */
export function rowKeys(blocks: Block[], o: CompareOptions = DEFAULT_COMPARE): (string | undefined)[] {
  const keys: (string | undefined)[] = blocks.map(() => undefined);
  let i = 0;
  while (i < blocks.length) {
    if (blocks[i].kind !== "table-row") {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < blocks.length && blocks[j].kind === "table-row" && !blocks[j].header) j++;
    const rows = blocks.slice(i, j);
    const head = rows[0].header ? rows[0].cells ?? [] : [];
    const named = head.findIndex((c) => KEY_HEADER.test(c.trim()));
    const col = named >= 0 ? named : 0;
    const body = rows.map((r, k) => ({ r, k })).filter(({ r }) => !r.header);
    const vals = body.map(({ r }) => normalise(r.cells?.[col] ?? "", o));
    if (vals.length && vals.every((v) => v !== "") && new Set(vals).size === vals.length) body.forEach(({ k }, n) => (keys[i + k] = `${col}\u0000${vals[n]}`));
    i = j;
  }
  return keys;
}

/**
 * How well two blocks pair. Table rows with keys pair only by an equal key (an inserted offer is
 * one inserted row, never "M changed to V3"); other blocks by similarity.
 */
function pairable(a: Block, b: Block, o: CompareOptions, ka?: string, kb?: string): number {
  if (a.kind !== b.kind) return 0;
  if (a.kind === "table-row" && a.cells?.length && b.cells?.length) {
    if (ka !== undefined && kb !== undefined) return ka === kb ? 1 : 0;
    return normalise(a.cells[0], o) === normalise(b.cells[0], o) ? 1 : similarity(a.text, b.text) * 0.8;
  }
  return similarity(a.text, b.text);
}

/** Aligns the blocks of two versions of a clause. */
export function diffBlocks(oldBlocks: Block[], newBlocks: Block[], o: CompareOptions = DEFAULT_COMPARE, refs: RefMap = new Map()): BlockDiff[] {
  const out: BlockDiff[] = [];
  const oldKeys = rowKeys(oldBlocks, o);
  const newKeys = rowKeys(newBlocks, o);
  const keyOf = new Map<Block, string | undefined>();
  oldBlocks.forEach((b, i) => keyOf.set(b, oldKeys[i]));
  newBlocks.forEach((b, j) => keyOf.set(b, newKeys[j]));
  // Keyed rows are equal only with equal keys, so diffArrays never lines up two offers.
  const keysAgree = (x: Block, y: Block) => {
    const kx = keyOf.get(x);
    const ky = keyOf.get(y);
    return kx === undefined || ky === undefined || kx === ky;
  };
  const comparator = (x: Block, y: Block) => blockKey(x, o, refs) === blockKey(y, o) && keysAgree(x, y);
  const parts = diffArrays(oldBlocks, newBlocks, { comparator });
  let removed: Block[] = [];
  let added: Block[] = [];
  const flush = () => {
    // Pair removed and added blocks in order, by similarity.
    const pairOf = new Map<number, number>();
    let from = 0;
    for (let i = 0; i < removed.length; i++) {
      let best = -1;
      let bestSim = 0.35;
      for (let j = from; j < added.length; j++) {
        const s = pairable(removed[i], added[j], o, keyOf.get(removed[i]), keyOf.get(added[j]));
        if (s > bestSim) {
          bestSim = s;
          best = j;
        }
      }
      if (best >= 0) {
        pairOf.set(best, i);
        from = best + 1;
      }
    }
    // Deletions come before insertions at the same place; paired blocks keep their order.
    let i = 0;
    const nextPartner = (from: number) => {
      for (let k = from; k < added.length; k++) if (pairOf.has(k)) return pairOf.get(k)!;
      return removed.length;
    };
    for (let j = 0; j < added.length; j++) {
      const partner = pairOf.get(j);
      for (const limit = partner ?? nextPartner(j); i < limit; i++) out.push({ op: "delete", old: removed[i], runs: [{ op: "delete", text: removed[i].text }] });
      if (partner !== undefined) {
        out.push(modifyBlock(removed[partner], added[j], o));
        i = partner + 1;
      } else {
        out.push({ op: "insert", new: added[j], runs: [{ op: "insert", text: added[j].text }] });
      }
    }
    for (; i < removed.length; i++) out.push({ op: "delete", old: removed[i], runs: [{ op: "delete", text: removed[i].text }] });
    removed = [];
    added = [];
  };
  let oi = 0;
  let ni = 0;
  for (const p of parts) {
    const n = p.count ?? p.value.length;
    if (p.removed) {
      removed.push(...oldBlocks.slice(oi, oi + n));
      oi += n;
    } else if (p.added) {
      added.push(...newBlocks.slice(ni, ni + n));
      ni += n;
    } else {
      flush();
      // Equal under the comparison options, or after following renumbered references.
      for (let k = 0; k < n; k++) {
        const a = oldBlocks[oi + k];
        const b = newBlocks[ni + k];
        if (blockKey(a, o) === blockKey(b, o)) out.push({ op: "equal", old: a, new: b, runs: [{ op: "equal", text: b.text }] });
        else out.push({ ...modifyBlock(a, b, o), refsOnly: true });
      }
      oi += n;
      ni += n;
    }
  }
  flush();
  return out;
}

function clauseKey(c: Clause, o: CompareOptions): string {
  return `${normalise(c.heading, o)}\u0000${c.blocks.map((b) => normalise(b.text, o)).join("\u0001")}`;
}

/** Indices of a longest strictly increasing subsequence. */
function lis(xs: number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(xs.length).fill(-1);
  xs.forEach((x, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[tails[mid]] < x) lo = mid + 1;
      else hi = mid;
    }
    prev[i] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = i;
  });
  const keep = new Set<number>();
  let k = tails.length ? tails[tails.length - 1] : -1;
  while (k >= 0) {
    keep.add(k);
    k = prev[k];
  }
  return keep;
}

/** Pairs clauses: new index → old index. */
export function alignClauses(oldC: Clause[], newC: Clause[], o: CompareOptions = DEFAULT_COMPARE): Map<number, number> {
  const pairs = new Map<number, number>();
  const usedOld = new Set<number>();
  const pair = (j: number, i: number) => {
    pairs.set(j, i);
    usedOld.add(i);
  };
  const uniqueIndex = (list: Clause[], key: (c: Clause) => string | undefined, skip: (i: number) => boolean) => {
    const m = new Map<string, number>();
    const dup = new Set<string>();
    list.forEach((c, i) => {
      if (skip(i)) return;
      const k = key(c);
      if (k === undefined) return;
      if (m.has(k)) dup.add(k);
      else m.set(k, i);
    });
    for (const d of dup) m.delete(d);
    return m;
  };
  const byKey = (key: (c: Clause) => string | undefined) => {
    const oldIdx = uniqueIndex(oldC, key, (i) => usedOld.has(i));
    const newIdx = uniqueIndex(newC, key, (j) => pairs.has(j));
    for (const [k, j] of newIdx) {
      const i = oldIdx.get(k);
      if (i !== undefined) pair(j, i);
    }
  };
  byKey((c) => c.id);
  byKey((c) => clauseKey(c, o));
  byKey((c) => (c.heading ? `h\u0000${normalise(c.heading, o)}` : undefined));
  // Similarity pairing for the rest, best pairs first.
  const restOld = oldC.map((_, i) => i).filter((i) => !usedOld.has(i));
  const restNew = newC.map((_, j) => j).filter((j) => !pairs.has(j));
  const texts = (c: Clause) => `${c.heading}\n${c.blocks.map((b) => b.text).join("\n")}`;
  const candidates: [number, number, number][] = [];
  const window = restOld.length * restNew.length > 250_000 ? 60 : Infinity;
  for (const j of restNew) {
    for (const i of restOld) {
      if (Math.abs(i / Math.max(1, oldC.length) - j / Math.max(1, newC.length)) * Math.max(oldC.length, newC.length) > window) continue;
      const s = similarity(texts(oldC[i]), texts(newC[j]));
      if (s >= 0.5) candidates.push([s, i, j]);
    }
  }
  candidates.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  for (const [, i, j] of candidates) if (!usedOld.has(i) && !pairs.has(j)) pair(j, i);
  return pairs;
}

const PRIORITY: ChangeKind[] = ["inserted", "deleted", "moved", "modified", "henvisning", "renumbered"];

export function primaryKind(kinds: ChangeKind[]): ChangeKind | undefined {
  return PRIORITY.find((k) => kinds.includes(k));
}

/** Sets a paired clause's kinds and word counts; blocks moved elsewhere do not count. */
function classify(ac: AlignedClause, moved: boolean): void {
  const old = ac.old!;
  const c = ac.new!;
  const own = ac.blocks.filter((b) => b.move === undefined);
  const kinds: ChangeKind[] = [];
  if (moved) kinds.push("moved");
  const changed = ac.headingRuns.some((r) => r.op !== "equal") || own.some((b) => b.op !== "equal" && !b.refsOnly);
  if (changed) kinds.push("modified");
  if (ac.staleRefs?.length) kinds.push("henvisning");
  const refsFollow = own.some((b) => b.refsOnly);
  if (!moved && ((old.ref ?? "") !== (c.ref ?? "") || (refsFollow && !changed))) kinds.push("renumbered");
  ac.kinds = kinds;
  ac.words = countWords([...ac.headingRuns, ...own.filter((b) => !b.refsOnly).flatMap((b) => b.runs)]);
}

interface StaleCtx {
  /** Old numbers of clauses that were deleted. */
  deletedRefs: Set<string>;
  /** New number → clause of the new document. */
  newByRef: Map<string, Clause>;
  /** Numbers that some paired clause has in both versions: a citation of one may mean that clause. */
  keptRefs: Set<string>;
}

/**
 * References in a paired clause's new text that still cite a number its target no longer has:
 * the old text cited the same number, and that number's clause was renumbered (or deleted).
 */
export function staleRefs(blocks: BlockDiff[], refs: RefMap, ctx: StaleCtx): StaleRef[] {
  const out: StaleRef[] = [];
  const seen = new Set<string>();
  for (const b of blocks) {
    if (!b.old || !b.new || b.move !== undefined) continue;
    const oldCites = [...b.old.text.matchAll(REF)].map((m) => m[3]);
    const cited = new Set(oldCites);
    // What the old citations read once they followed their clauses ("pkt. 2.8" → "pkt. 2.9"): a
    // new citation that one of them explains is not stale, even if its number was renumbered too
    // (a chain: old 2.8 → 2.9 and old 2.9 → 2.10 both followed).
    const followed = new Map<string, number>();
    for (const n of oldCites) {
      if (ctx.deletedRefs.has(n) && !refs.has(n)) continue;
      const to = refs.get(n) ?? n;
      followed.set(to, (followed.get(to) ?? 0) + 1);
    }
    for (const m of b.new.text.matchAll(REF)) {
      const n = m[3];
      const f = followed.get(n) ?? 0;
      if (f > 0) {
        followed.set(n, f - 1);
        continue;
      }
      if (!cited.has(n) || seen.has(n) || ctx.keptRefs.has(n)) continue;
      const nowRef = refs.get(n);
      const gone = ctx.deletedRefs.has(n);
      if (nowRef === undefined && !gone) continue;
      seen.add(n);
      const other = ctx.newByRef.get(n);
      out.push({ text: `${m[1]} ${n}`, cited: n, nowRef: nowRef ?? null, ...(other ? { nowOther: { ref: n, heading: other.heading } } : {}) });
    }
  }
  return out;
}

/** Least words for a block to count as moved (shorter ones are too common to tell apart). */
const MOVE_MIN_WORDS = 4;
/** Least share of equal words for a deleted and an inserted block to be one moved block. */
const MOVE_SIMILARITY = 0.9;

/**
 * Blocks that left one clause and reappear in another (or far away in the same clause): a deleted
 * and an inserted block of the same kind with ≥ 90 % of their words in common. Marks both block
 * diffs with the move's index and returns the moves in reading order of their new place.
 */
export function findBlockMoves(clauses: AlignedClause[], o: CompareOptions = DEFAULT_COMPARE): BlockMove[] {
  type Cand = { ci: number; bi: number; block: Block; words: number };
  const dels: Cand[] = [];
  const ins: Cand[] = [];
  const wordCount = (t: string) => tokenize(t).filter(isWord).length;
  clauses.forEach((ac, ci) =>
    ac.blocks.forEach((b, bi) => {
      if (b.op === "delete" && b.old && !ac.kinds.includes("moved")) dels.push({ ci, bi, block: b.old, words: wordCount(b.old.text) });
      if (b.op === "insert" && b.new && !ac.kinds.includes("moved")) ins.push({ ci, bi, block: b.new, words: wordCount(b.new.text) });
    }),
  );
  const cands: [number, Cand, Cand][] = [];
  if (dels.length * ins.length > 250_000) return [];
  for (const a of dels) {
    if (a.words < MOVE_MIN_WORDS) continue;
    for (const b of ins) {
      if (b.words < MOVE_MIN_WORDS || a.block.kind !== b.block.kind || a.block.header || b.block.header) continue;
      // From a deleted clause into an inserted one is a replaced clause, not a move.
      if (!clauses[a.ci].new && !clauses[b.ci].old) continue;
      if (Math.min(a.words, b.words) / Math.max(a.words, b.words) < MOVE_SIMILARITY) continue;
      const sim = similarity(normalise(a.block.text, o), normalise(b.block.text, o));
      if (sim >= MOVE_SIMILARITY) cands.push([sim, a, b]);
    }
  }
  cands.sort((x, y) => y[0] - x[0] || x[2].ci - y[2].ci || x[2].bi - y[2].bi || x[1].ci - y[1].ci || x[1].bi - y[1].bi);
  const usedDel = new Set<Cand>();
  const usedIns = new Set<Cand>();
  const found: [Cand, Cand][] = [];
  for (const [, a, b] of cands) {
    if (usedDel.has(a) || usedIns.has(b)) continue;
    usedDel.add(a);
    usedIns.add(b);
    found.push([a, b]);
  }
  found.sort((x, y) => x[1].ci - y[1].ci || x[1].bi - y[1].bi);
  return found.map(([a, b], k) => {
    const from = clauses[a.ci];
    const to = clauses[b.ci];
    from.blocks[a.bi] = { ...from.blocks[a.bi], move: k };
    to.blocks[b.bi] = { ...to.blocks[b.bi], move: k };
    const runs = wordRuns(a.block.text, b.block.text, o);
    const fc = from.old!;
    const tc = to.new!;
    return { from: { ref: fc.ref, heading: fc.heading, clauseIndex: a.ci }, to: { ref: tc.ref, heading: tc.heading, clauseIndex: b.ci }, old: a.block, new: b.block, runs, words: countWords(runs) };
  });
}

/** Clause-level structure for documents without headings: every block becomes its own unit. */
function units(doc: ComparableDoc): Clause[] {
  const headings = doc.clauses.filter((c) => c.level > 0).length;
  if (headings >= 1) return doc.clauses;
  return doc.clauses.flatMap((c) => [
    ...(c.level > 0 ? [{ ...c, blocks: [] }] : []),
    ...c.blocks.map((b) => ({ ref: null, heading: "", level: 0, blocks: [b] })),
  ]);
}

/** Compares two versions of a document. */
export function diffDocuments(oldDoc: ComparableDoc, newDoc: ComparableDoc, o: CompareOptions = DEFAULT_COMPARE): DocDiff {
  const oldC = units(oldDoc);
  const newC = units(newDoc);
  const pairs = alignClauses(oldC, newC, o);
  const ordered = [...pairs.entries()].sort((a, b) => a[0] - b[0]);
  const stable = lis(ordered.map(([, i]) => i));
  const moved = new Set<number>(ordered.filter((_, k) => !stable.has(k)).map(([j]) => j));
  const oldPaired = new Set(pairs.values());
  // Old number → new number for every paired clause that was renumbered.
  const refs: RefMap = new Map();
  for (const [j, i] of pairs) if (oldC[i].ref && newC[j].ref && oldC[i].ref !== newC[j].ref) refs.set(oldC[i].ref!, newC[j].ref!);
  const deleted = oldC.map((_, i) => i).filter((i) => !oldPaired.has(i));
  const staleCtx: StaleCtx = {
    deletedRefs: new Set(deleted.map((i) => oldC[i].ref).filter((r): r is string => !!r)),
    newByRef: new Map(newC.filter((c) => c.ref).map((c) => [c.ref!, c])),
    keptRefs: new Set([...pairs].filter(([j, i]) => oldC[i].ref && oldC[i].ref === newC[j].ref).map(([, i]) => oldC[i].ref!)),
  };
  const clauses: AlignedClause[] = [];
  let d = 0;
  const flushDeleted = (before: number) => {
    while (d < deleted.length && deleted[d] < before) {
      const c = oldC[deleted[d]];
      const blocks = c.blocks.map((b): BlockDiff => ({ op: "delete", old: b, runs: [{ op: "delete", text: b.text }] }));
      const runs = [{ op: "delete" as const, text: c.heading }, ...blocks.flatMap((b) => b.runs)];
      clauses.push({ kinds: ["deleted"], old: c, new: null, headingRuns: c.heading ? [{ op: "delete", text: c.heading }] : [], blocks, words: countWords(runs), oldIndex: deleted[d] });
      d++;
    }
  };
  newC.forEach((c, j) => {
    const i = pairs.get(j);
    if (i === undefined) {
      const blocks = c.blocks.map((b): BlockDiff => ({ op: "insert", new: b, runs: [{ op: "insert", text: b.text }] }));
      const runs = [{ op: "insert" as const, text: c.heading }, ...blocks.flatMap((b) => b.runs)];
      clauses.push({ kinds: ["inserted"], old: null, new: c, headingRuns: c.heading ? [{ op: "insert", text: c.heading }] : [], blocks, words: countWords(runs), newIndex: j });
      return;
    }
    if (!moved.has(j)) flushDeleted(i);
    const old = oldC[i];
    const headingRuns = normalise(old.heading, o) === normalise(c.heading, o) ? (c.heading ? [{ op: "equal" as const, text: c.heading }] : []) : wordRuns(old.heading, c.heading, o);
    // A block whose words are all equal (only a stale reference made it differ) is not a change.
    const blocks = diffBlocks(old.blocks, c.blocks, o, refs).map((b) => (b.op === "modify" && !b.refsOnly && !b.runs.some((r) => r.op !== "equal") && !b.cellRuns?.some((rs) => rs.some((r) => r.op !== "equal")) ? { ...b, op: "equal" as const } : b));
    const ac: AlignedClause = { kinds: [], old, new: c, headingRuns, blocks, words: { added: 0, removed: 0 }, oldIndex: i, newIndex: j, ...(moved.has(j) ? { movedFrom: old.ref } : {}) };
    const stale = staleRefs(blocks, refs, staleCtx);
    if (stale.length) ac.staleRefs = stale;
    classify(ac, moved.has(j));
    clauses.push(ac);
  });
  flushDeleted(Infinity);
  const moves = findBlockMoves(clauses, o);
  for (const ac of clauses) if (ac.old && ac.new && ac.blocks.some((b) => b.move !== undefined)) classify(ac, ac.kinds.includes("moved"));
  const summary = { inserted: 0, deleted: 0, modified: 0, moved: 0, henvisning: 0, renumbered: 0 };
  for (const c of clauses) {
    const k = primaryKind(c.kinds);
    if (k) summary[k]++;
  }
  summary.moved += moves.length;
  return { id: newDoc.id, title: newDoc.title, clauses, ...(moves.length ? { moves } : {}), summary, ...(newDoc.headingNumbers ? { headingNumbers: newDoc.headingNumbers } : {}) };
}
