/**
 * The clause ids of every document, with number and heading: what `klausuler:` overrides in a spec
 * can name (`udbud klausuler`, docs/klausuler.md). Without a spec, the tender `udbud ny` creates is
 * used, so the list shows the documents every tender has.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import type { Udbud } from "../model/types.js";
import type { SourceMap } from "../read/source.js";
import { inlineText, type Heading } from "../doc/ast.js";
import { readSpec } from "../read/index.js";
import { buildDocuments, overrideErrors } from "./build.js";

export interface ClauseInfo {
  id: string;
  /** Legal number ("6.4"), or "" for an unnumbered heading. */
  nummer: string;
  overskrift: string;
  niveau: number;
}

export interface DocumentClauses {
  dokument: string;
  titel: string;
  klausuler: ClauseInfo[];
}

export interface ClausesResult {
  documents: DocumentClauses[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

function withStarter<T>(fn: (spec: string) => T): T {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "udbud-klausuler-"));
  try {
    const dir = path.join(tmp, "udbud");
    createStarter(dir);
    return fn(dir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

let createStarter: (dir: string) => void = () => {
  throw new Error("createStarter not loaded");
};

/** Every clause id per document (or only `dokument`, an id or the beginning of one). */
export async function listClauses(spec?: string, dokument?: string): Promise<ClausesResult> {
  if (!spec) {
    const { createTender } = await import("../new/index.js");
    createStarter = (dir) => void createTender(dir);
    return withStarter((s) => collect(s, dokument));
  }
  return collect(spec, dokument);
}

function collect(spec: string, dokument?: string): ClausesResult {
  const read = readSpec(spec);
  if (!read.udbud) return { documents: [], errors: read.errors, warnings: read.warnings };
  const built = buildDocuments(read.udbud, read.sourceMap, dokument ? { only: [dokument] } : {});
  if (built.errors.length) return { documents: [], errors: built.errors, warnings: read.warnings };
  const documents = built.trees.map((t) => ({
    dokument: t.id,
    titel: t.title,
    klausuler: t.blocks
      .filter((b): b is Heading => b.type === "heading" && !!b.id)
      .map((h) => ({ id: h.id!, nummer: h.number ?? "", overskrift: inlineText(h.content), niveau: h.level })),
  }));
  return { documents, errors: [], warnings: read.warnings };
}

/** The list as Markdown (docs/klausuler.md and `udbud klausuler` on a terminal). */
export function clausesMarkdown(docs: DocumentClauses[], source: string): string {
  const out = [
    "# Klausul-id'er",
    "",
    `Id'erne, som \`klausuler:\` i \`udbud.yaml\` kan ændre (\`erstat\`, \`udelad\`, \`tilføj-efter\`), pr. dokument med nummer og overskrift. ${source}`,
    "Numrene afhænger af udbuddet (fx antallet af delkontrakter); id'erne gør ikke.",
    "",
  ];
  for (const d of docs) {
    out.push(`## ${d.titel} (\`${d.dokument}\`)`, "", "| Id | Nr. | Overskrift |", "| --- | --- | --- |");
    for (const k of d.klausuler) out.push(`| \`${k.id}\` | ${k.nummer} | ${k.overskrift.replace(/\|/g, "\\|")} |`);
    out.push("");
  }
  return out.join("\n");
}

/**
 * The `klausuler` overrides that name an unknown document or clause, with "Mente du …?" (for
 * `validate`): only the documents the overrides name are rendered (build.ts overrideErrors).
 * `examples`: readSpec's example-value pointers, when the caller has them.
 */
export function checkClauseIds(u: Udbud, map: SourceMap, examples?: readonly string[]): Diagnostic[] {
  return overrideErrors(u, map, { examples });
}
