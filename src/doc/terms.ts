/**
 * Defined terms ("Arbejdsdag", "Ordregiver", …): a term used but not defined, or defined but not
 * used, is a warning. Definitions are the paragraphs of the clause with id `definitioner` that read
 * 'Ved ”X” forstås …'.
 */
import { Block, DocumentTree, inlineText } from "./ast.js";

function blockText(b: Block): string {
  switch (b.type) {
    case "heading":
    case "paragraph":
      return inlineText(b.content);
    case "list":
      return b.items.map((i) => i.map(blockText).join("\n")).join("\n");
    case "blockquote":
      return b.content.map(blockText).join("\n");
    case "figure":
      return inlineText(b.caption);
    case "table":
      return [b.header, ...b.rows].map((r) => r.map((c) => inlineText(c.content)).join(" ")).join("\n");
    default:
      return "";
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Endings a Danish noun or adjective takes: definite, plural, genitive, and the adjective's -e/-t. */
const ENDINGS = "(?:s|e|en|ens|er|erne|ernes|ne|nes|n|r|rs|es|et|ets|ene|enes|t|ede|ende)?";

/** One word of a term with its inflections: "forankret" also matches "forankrede", "lokalt" "lokale". */
function wordPattern(word: string): string {
  // Strip an ending the definition itself may carry, so that other forms of the stem match too.
  // Case is kept: a defined term is written with its capital letter.
  const stem = word.length > 4 ? word.replace(/(?:et|t|e)$/u, "") : word;
  return stem === word ? `${escapeRe(word)}${ENDINGS}` : `(?:${escapeRe(word)}|${escapeRe(stem)})${ENDINGS}`;
}

/** Danish inflections of a defined term, word by word: Ordre, Ordren, Ordrer, Ordrens, Lokalt forankrede projekter… */
export function termPattern(term: string): RegExp {
  const words = term.trim().split(/\s+/u);
  return new RegExp(`(?<![\\p{L}])${words.map(wordPattern).join("\\s+")}(?![\\p{L}])`, "u");
}

export interface TermReport {
  defined: string[];
  unused: string[];
  undefinedUsed: string[];
}

/**
 * Checks the definitions of `doc` against the text of `doc` and of `others` (the annexes: the
 * contract's definitions apply to them too).
 */
export function checkTerms(doc: DocumentTree, knownTerms: string[], others: DocumentTree[] = []): TermReport {
  const start = doc.blocks.findIndex((b) => b.type === "heading" && b.id === "definitioner");
  if (start < 0) return { defined: [], unused: [], undefinedUsed: [] };
  const level = (doc.blocks[start] as { level: number }).level;
  let end = start + 1;
  while (end < doc.blocks.length && !(doc.blocks[end].type === "heading" && (doc.blocks[end] as { level: number }).level <= level)) end++;
  const defined: string[] = [];
  for (const b of doc.blocks.slice(start + 1, end)) {
    const m = /^Ved ”([^”]+)” forstås/.exec(blockText(b));
    if (m) defined.push(m[1]);
  }
  const rest = [...doc.blocks.slice(0, start), ...doc.blocks.slice(end), ...others.flatMap((o) => o.blocks)].map(blockText).join("\n");
  const unused = defined.filter((t) => !termPattern(t).test(rest));
  const undefinedUsed = knownTerms.filter((t) => !defined.includes(t) && termPattern(t).test(rest));
  return { defined, unused, undefinedUsed };
}
