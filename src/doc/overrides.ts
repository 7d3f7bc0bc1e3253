/**
 * Clause library: a spec changes clauses by id — replace, omit, or add after — without copying
 * templates. Works on the document tree before numbering, so numbers and references follow.
 */
import { escapeMarkdown } from "../compute/escape.js";
import type { Klausul } from "../model/types.js";
import type { Block, Heading } from "./ast.js";
import { parseMarkdown } from "./parse.js";

export interface OverrideProblem {
  index: number;
  field: "id" | "titel" | "nyt_id" | "tekst";
  message: string;
}

/** Index just past the clause starting at `i` (its sub-clauses included). */
function clauseEnd(blocks: Block[], i: number): number {
  const level = (blocks[i] as Heading).level;
  let j = i + 1;
  while (j < blocks.length) {
    const b = blocks[j];
    if (b.type === "heading" && b.level <= level) break;
    j++;
  }
  return j;
}

/**
 * An override's text is plain text (escaped, so it cannot become Markdown), with two exceptions:
 * `{ref:id}` and `{nr:id}` stay references (so they follow renumbering), and a paragraph whose
 * every line starts with "- " is a bullet list (one item per line).
 */
function textBlocks(tekst: string | undefined): Block[] {
  if (!tekst) return [];
  const protect = (t: string) => escapeMarkdown(t.replace(/\{((?:ref|nr):[\p{L}\p{N}_.-]+)\}/gu, "\u0000$1\u0001"));
  const md = tekst
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n+/)
    .map((para) => {
      const lines = para.split("\n").filter((l) => l.trim() !== "");
      if (lines.length && lines.every((l) => /^\s*- \S/.test(l))) return lines.map((l) => `- ${protect(l.replace(/^\s*- /, ""))}`).join("\n");
      return protect(para);
    })
    .filter((p) => p !== "")
    .join("\n\n");
  return parseMarkdown(md.replace(/\u0000((?:ref|nr):[^\u0001]*)\u0001/gu, (_, ref: string) => `{${ref.replace(/\\/g, "")}}`));
}

/** Applies the overrides for one document in order; returns problems with the override's index. */
export function applyOverrides(blocks: Block[], overrides: { k: Klausul; index: number }[]): { blocks: Block[]; problems: OverrideProblem[] } {
  let out = [...blocks];
  const problems: OverrideProblem[] = [];
  for (const { k, index } of overrides) {
    const at = out.findIndex((b) => b.type === "heading" && b.id === k.id);
    if (at < 0) {
      const ids = out.filter((b): b is Heading => b.type === "heading" && !!b.id).map((b) => b.id!);
      problems.push({ index, field: "id", message: `Klausulen '${k.id}' findes ikke i dokumentet '${k.dokument ?? "rammeaftale"}'.|${ids.join(",")}` });
      continue;
    }
    const heading = out[at] as Heading;
    const end = clauseEnd(out, at);
    if (k.handling === "udelad") {
      out = [...out.slice(0, at), ...out.slice(end)];
    } else if (k.handling === "erstat") {
      const h: Heading = k.titel ? { ...heading, content: [{ type: "text", text: k.titel }] } : heading;
      // Replace the clause's own text; keep its sub-clauses.
      let bodyEnd = at + 1;
      while (bodyEnd < end && out[bodyEnd].type !== "heading") bodyEnd++;
      out = [...out.slice(0, at), h, ...textBlocks(k.tekst), ...out.slice(bodyEnd)];
    } else {
      if (!k.titel) {
        problems.push({ index, field: "titel", message: "En ny klausul ('tilføj-efter') skal have en overskrift ('titel')." });
        continue;
      }
      if (k.nyt_id && out.some((b) => b.type === "heading" && b.id === k.nyt_id)) {
        problems.push({ index, field: "nyt_id", message: `Klausul-id'et '${k.nyt_id}' findes allerede i dokumentet.` });
        continue;
      }
      const h: Heading = { type: "heading", level: heading.level, numbered: heading.numbered, content: [{ type: "text", text: k.titel }], ...(k.nyt_id ? { id: k.nyt_id } : {}) };
      out = [...out.slice(0, end), h, ...textBlocks(k.tekst), ...out.slice(end)];
    }
  }
  return { blocks: out, problems };
}
