/**
 * Numbering and cross-references: headings get "1", "1.1", "1.1.1"; `{ref:id}` becomes "pkt. 6.4".
 * Runs after clause overrides, so references stay right when clauses are added or removed.
 */
import { Block, DocumentTree, Heading, Inline, inlineText } from "./ast.js";

export interface NumberingProblem {
  kind: "unknown-ref" | "duplicate-id";
  id: string;
}

function* allInlines(blocks: Block[]): Generator<Inline> {
  const walk = function* (xs: Inline[]): Generator<Inline> {
    for (const x of xs) {
      yield x;
      if (x.type === "strong" || x.type === "emph" || x.type === "link") yield* walk(x.content);
    }
  };
  for (const b of blocks) {
    switch (b.type) {
      case "heading":
      case "paragraph":
        yield* walk(b.content);
        break;
      case "list":
        for (const item of b.items) yield* allInlines(item);
        break;
      case "blockquote":
        yield* allInlines(b.content);
        break;
      case "figure":
        yield* walk(b.caption);
        break;
      case "table":
        for (const c of b.header) yield* walk(c.content);
        for (const r of b.rows) for (const c of r) yield* walk(c.content);
        break;
      default:
    }
  }
}

/** Numbers the headings and resolves references in place. Returns what could not be resolved. */
export function numberDocument(doc: DocumentTree): NumberingProblem[] {
  const problems: NumberingProblem[] = [];
  const counters: number[] = [];
  const byId = new Map<string, Heading>();
  for (const b of doc.blocks) {
    if (b.type !== "heading") continue;
    if (b.numbered) {
      const i = b.level - 1;
      while (counters.length < i) counters.push(0);
      counters.length = i + 1;
      counters[i] = (counters[i] ?? 0) + 1;
      b.number = counters.map((n) => String(n)).join(".");
    } else {
      delete b.number;
    }
    if (b.id) {
      if (byId.has(b.id)) problems.push({ kind: "duplicate-id", id: b.id });
      else byId.set(b.id, b);
    }
  }
  for (const x of allInlines(doc.blocks)) {
    if (x.type !== "ref") continue;
    const h = byId.get(x.target);
    if (!h) {
      problems.push({ kind: "unknown-ref", id: x.target });
      x.text = `[ukendt henvisning: ${x.target}]`;
    } else if (h.number) {
      x.text = x.form === "nr" ? h.number : `pkt. ${h.number}`;
    } else {
      x.text = `afsnittet ”${inlineText(h.content)}”`;
    }
  }
  return problems;
}
