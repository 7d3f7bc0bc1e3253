/**
 * `udbud indlæs`: a lawyer's Word edits back into the spec. The edited DOCX (rendered from the
 * spec, then edited in Word; tracked changes are read as accepted, comments are not read) is
 * compared with a fresh render of the same spec through the same DOCX writer and reader, so only
 * the lawyer's edits differ. The result is a proposal, never a change of the spec:
 *
 *  - a changed number that the spec supplies (a percentage, an amount, a number of days) becomes a
 *    proposed change of that spec field, with its file and line — found by trying it: the field is
 *    set to the lawyer's number, the document rendered again, and the field is proposed only when
 *    that render comes closer to the lawyer's text;
 *  - every other change of a clause's text becomes a `klausuler` override (erstat; udelad for a
 *    deleted clause; tilføj-efter for a new one) with the lawyer's text, references to other
 *    clauses rewritten as `{ref:id}` / `{nr:id}` so they follow later renumbering.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { DocumentTree } from "../doc/ast.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Klausul, Udbud } from "../model/types.js";
import { readSpec } from "../read/index.js";
import type { SourceMap } from "../read/source.js";
import { buildDocuments } from "../render/build.js";
import { bookmarkName, writeDocx } from "../write/docx.js";
import { countWords, diffDocuments, wordRuns } from "./align.js";
import { fromTree } from "./inputs.js";
import type { AlignedClause, Clause, ComparableDoc } from "./model.js";
import { DocxReadError, readDocx } from "./read-docx/index.js";
import { visible } from "../terminal.js";
import { loadChartsFor } from "../render/figures.js";

/** A proposed change of one spec field. */
export interface FieldChange {
  /** The spec file and the line of the field's value. */
  fil: string;
  linje: number;
  kolonne: number;
  /** The field as a dotted path ("kontraktvilkår.bod.forsinkelse_procent"). */
  felt: string;
  nuværende: number;
  foreslået: number;
  /** The clause where the lawyer changed it ("pkt. 6.4 Bod"). */
  klausul: string;
  /** Other clauses the field also changes when rendered again (the lawyer may not have meant those). */
  påvirker?: string[];
}

export interface ImportProposal {
  /** The document of the spec the DOCX was compared with. */
  dokument: string;
  klausuler: Klausul[];
  feltændringer: FieldChange[];
  /** What could not be carried back, in Danish (tables, changed tables' cells…). */
  bemærkninger: string[];
}

const NUMBER_TOKEN = /^\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^\d+(?:,\d+)?$/;

/** "1.234,5" → 1234.5; null for anything else. */
export function parseDanishNumber(s: string): number | null {
  const t = s.trim();
  if (!NUMBER_TOKEN.test(t)) return null;
  return Number(t.replace(/\./g, "").replace(",", "."));
}

/** Every numeric leaf of the model with its JSON pointer (in the model's own key order). */
function numericLeaves(value: unknown, pointer = "", out: { pointer: string; value: number }[] = []): { pointer: string; value: number }[] {
  if (typeof value === "number") out.push({ pointer, value });
  else if (Array.isArray(value)) value.forEach((v, i) => numericLeaves(v, `${pointer}/${i}`, out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) numericLeaves(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, out);
  return out;
}

function setPointer(root: unknown, pointer: string, v: number): void {
  const keys = pointer.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
  let cur = root as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  cur[keys[keys.length - 1]] = v;
}

const fieldPath = (pointer: string) => pointer.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~")).join(".");

const clauseName = (c: Clause) => [c.ref ? `pkt. ${c.ref}` : "", c.heading].filter(Boolean).join(" ") || "indledningen";

/** Changed number pairs (old → new) in a clause's word diff. */
function numberChanges(ac: AlignedClause): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (const b of ac.blocks) {
    if (b.op !== "modify") continue;
    const runs = b.cellRuns?.flat() ?? b.runs;
    for (let i = 0; i + 1 < runs.length; i++) {
      if (runs[i].op !== "delete" || runs[i + 1].op !== "insert") continue;
      const from = parseDanishNumber(runs[i].text);
      const to = parseDanishNumber(runs[i + 1].text);
      if (from !== null && to !== null && from !== to && !out.some((x) => x.from === from && x.to === to)) out.push({ from, to });
    }
  }
  return out;
}

/** Words that differ between two clauses' texts. */
function distance(a: Clause | undefined, b: Clause): number {
  const text = (c: Clause | undefined) => (c ? [c.heading, ...c.blocks.map((x) => x.text)].join("\n") : "");
  const w = countWords(wordRuns(text(a), text(b)));
  return w.added + w.removed;
}

/** Bookmark name → clause id, for every heading of the tree (as the DOCX writer names them). */
function bookmarkIds(tree: DocumentTree): Map<string, string> {
  const m = new Map<string, string>();
  for (const b of tree.blocks) if (b.type === "heading" && b.id) m.set(bookmarkName(b.id), b.id);
  return m;
}

/** Clause id (as in the spec) of a clause read from DOCX. */
function specId(c: Clause | null, ids: Map<string, string>): string | undefined {
  return c?.id ? ids.get(c.id) ?? (ids.has(c.id) ? c.id : undefined) : undefined;
}

const REF_IN_TEXT = /\b(pkt\.|punkt|afsnit)(\s+)(\d+(?:\.\d+)*)\b/g;

/** Plain text of a clause's blocks for an override, one paragraph per block, references as {ref:id}. */
function overrideText(c: Clause, refToId: Map<string, string>, notes: string[]): string {
  const paras: string[] = [];
  c.blocks.forEach((b, i) => {
    if (b.kind === "table-row") {
      const note = `Tabellen i ${clauseName(c)} er ført tilbage som tekst; gør den til en tabel i skabelonen, hvis den skal forblive en tabel.`;
      if (!notes.includes(note)) notes.push(note);
      paras.push(b.cells?.join(" – ") ?? b.text);
      return;
    }
    const text = b.text.replace(/\s*\n\s*/g, " ");
    // Consecutive list items: one paragraph of "- " lines (the overrides' bullet list).
    if (b.kind === "list-item") {
      if (i > 0 && c.blocks[i - 1].kind === "list-item") paras[paras.length - 1] += `\n- ${text}`;
      else paras.push(`- ${text}`);
      return;
    }
    paras.push(text);
  });
  return paras
    .map((p) =>
      p.replace(REF_IN_TEXT, (m, word: string, ws: string, n: string) => {
        const id = refToId.get(n);
        if (!id) return m;
        return word === "pkt." ? `{ref:${id}}` : `${word}${ws}{nr:${id}}`;
      }),
    )
    .join("\n\n");
}

/** A new clause's id from its heading: lower case, letters and digits with hyphens. */
function slug(heading: string, taken: Set<string>): string {
  const base =
    heading
      .toLocaleLowerCase("da")
      .normalize("NFC")
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "ny-klausul";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

function err(file: string, message: string, code: string): Diagnostic {
  return { severity: "fejl", file, line: 1, column: 1, path: "", message, code };
}

/** Which of the spec's documents the DOCX was rendered from: by title, else by shared clause ids. */
function chooseTree(trees: DocumentTree[], edited: ComparableDoc, want?: string): DocumentTree | undefined {
  if (want) return trees.find((t) => t.id === want);
  const ids = new Set(edited.clauses.map((c) => c.id).filter(Boolean));
  let best: DocumentTree | undefined;
  let bestScore = -1;
  for (const t of trees) {
    const shared = [...bookmarkIds(t).keys()].filter((b) => ids.has(b)).length;
    const score = shared * 2 + (t.title === edited.title ? 1 : 0);
    if (score > bestScore) {
      best = t;
      bestScore = score;
    }
  }
  return bestScore > 0 ? best : undefined;
}

function renderOne(u: Udbud, map: SourceMap, id: string): DocumentTree | undefined {
  return buildDocuments(u, map, { only: [id] }).trees.find((t) => t.id === id);
}

/** Compares an edited DOCX with a fresh render of the spec and proposes how to carry the edits back. */
export async function importDocx(docxPath: string, specPath: string, opts: { dokument?: string } = {}): Promise<{ proposal?: ImportProposal; errors: Diagnostic[] }> {
  const read = readSpec(specPath);
  if (!read.udbud) return { errors: read.errors };
  const u = read.udbud;
  await loadChartsFor(u);
  const built = buildDocuments(u, read.sourceMap);
  if (built.errors.length) return { errors: built.errors };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(docxPath);
  } catch {
    return { errors: [err(docxPath, `'${docxPath}' findes ikke.`, "indlaes.missing")] };
  }
  if (!stat.isFile() || path.extname(docxPath).toLowerCase() !== ".docx") return { errors: [err(docxPath, `'${docxPath}' er ikke en .docx-fil.`, "indlaes.type")] };
  let edited: ComparableDoc;
  try {
    edited = await readDocx(fs.readFileSync(docxPath), path.basename(docxPath, ".docx"));
  } catch (e) {
    if (e instanceof DocxReadError) return { errors: [err(docxPath, e.message, "indlaes.docx")] };
    throw e;
  }
  const tree = chooseTree(built.trees, edited, opts.dokument);
  if (!tree) {
    const known = built.trees.map((t) => t.id).join(", ");
    const message = opts.dokument
      ? `Dokumentet '${opts.dokument}' findes ikke i udbuddet. Dokumenter: ${known}.`
      : `Filen ligner ikke et af udbuddets dokumenter (ingen fælles klausul-id'er). Angiv dokumentet med --dokument (${known}).`;
    return { errors: [err(docxPath, message, "indlaes.document")] };
  }
  const fresh = await readDocx(await writeDocx(tree, { pageNumbers: false }), tree.id);
  const ids = bookmarkIds(tree);
  const d = diffDocuments(fresh, edited);
  // The tree's own clauses by spec id: the texts the field trials are measured on.
  const treeClauses = new Map(fromTree(tree).clauses.filter((c) => c.id).map((c) => [c.id!, c]));
  const refToId = new Map<string, string>();
  for (const c of edited.clauses) {
    const id = specId(c, ids);
    if (c.ref && id) refToId.set(c.ref, id);
  }
  const taken = new Set(ids.values());
  const proposal: ImportProposal = { dokument: tree.id, klausuler: [], feltændringer: [], bemærkninger: [] };
  const leaves = numericLeaves(u);
  const dok = tree.id === "rammeaftale" ? {} : { dokument: tree.id };
  let lastId: string | undefined;
  for (const ac of d.clauses) {
    const id = specId(ac.new ?? ac.old, ids);
    const changedText = ac.kinds.includes("modified") || ac.blocks.some((b) => b.move !== undefined);
    if (ac.kinds.includes("deleted")) {
      if (id) proposal.klausuler.push({ ...dok, id, handling: "udelad" });
      else proposal.bemærkninger.push(`${clauseName(ac.old!)} er slettet, men har intet klausul-id i skabelonen; slet den i skabelonen.`);
      continue;
    }
    if (ac.kinds.includes("inserted")) {
      const c = ac.new!;
      if (!lastId) {
        proposal.bemærkninger.push(`${clauseName(c)} er ny, men står før den første klausul med id; tilføj den i skabelonen.`);
        continue;
      }
      const nyt = slug(c.heading, taken);
      proposal.klausuler.push({ ...dok, id: lastId, handling: "tilføj-efter", nyt_id: nyt, titel: c.heading, tekst: overrideText(c, refToId, proposal.bemærkninger) });
      lastId = nyt;
      continue;
    }
    if (id) lastId = id;
    if (!changedText || !ac.new) continue;
    if (!id) {
      proposal.bemærkninger.push(`${clauseName(ac.new)} er ændret, men har intet klausul-id i skabelonen; ret teksten i skabelonen.`);
      continue;
    }
    // Numbers the spec supplies: try each field that holds the old number.
    let model: Udbud = u;
    let current = treeClauses.get(id);
    const fields: FieldChange[] = [];
    for (const { from, to } of numberChanges(ac)) {
      const cands = leaves.filter((l) => l.value === from);
      if (!cands.length || cands.length > 40) continue;
      let best: { pointer: string; model: Udbud; clause: Clause | undefined; tree: DocumentTree; dist: number } | undefined;
      const base = distance(current, ac.new);
      for (const l of cands) {
        const trial = structuredClone(model);
        setPointer(trial, l.pointer, to);
        const t = renderOne(trial, read.sourceMap, tree.id);
        if (!t) continue;
        const clause = fromTree(t).clauses.find((c) => c.id === id);
        const dist = distance(clause, ac.new);
        if (dist < base && (!best || dist < best.dist)) best = { pointer: l.pointer, model: trial, clause, tree: t, dist };
      }
      if (!best) continue;
      const loc = read.sourceMap.locate(best.pointer);
      const others = fromTree(best.tree).clauses.filter((c) => c.id && c.id !== id && treeClauses.has(c.id) && distance(treeClauses.get(c.id), c) > 0);
      fields.push({
        fil: loc.file,
        linje: loc.line,
        kolonne: loc.column,
        felt: fieldPath(best.pointer),
        nuværende: from,
        foreslået: to,
        klausul: clauseName(ac.new),
        ...(others.length ? { påvirker: others.map(clauseName) } : {}),
      });
      model = best.model;
      current = best.clause;
    }
    proposal.feltændringer.push(...fields);
    // The rest of the lawyer's edit (if any) is an override with the whole new text of the clause.
    const rest = current ? distance(current, ac.new) : 1;
    const headingChanged = ac.headingRuns.some((r) => r.op !== "equal");
    if (rest > 0 || headingChanged) {
      proposal.klausuler.push({ ...dok, id, handling: "erstat", ...(headingChanged ? { titel: ac.new.heading } : {}), tekst: overrideText(ac.new, refToId, proposal.bemærkninger) });
    }
  }
  return { proposal, errors: [] };
}

/** The proposal as YAML (`indlæsning.yaml`), with a Danish header saying how to use it. */
export async function proposalYaml(p: ImportProposal, opts: { docx: string; spec: string }): Promise<string> {
  const yaml = await import("js-yaml");
  const head = [
    `# Indlæsning af ${opts.docx}`,
    `# sammenlignet med en ny gengivelse af ${opts.spec} (dokumentet '${p.dokument}').`,
    "# Forslag: udbuddet er ikke ændret. Ret feltændringerne i de nævnte filer og linjer,",
    "# og flyt klausulerne ind under 'klausuler:' i udbud.yaml (samme id erstatter en eksisterende).",
    "",
  ].join("\n");
  const body: Record<string, unknown> = { dokument: p.dokument, feltændringer: p.feltændringer, klausuler: p.klausuler };
  if (p.bemærkninger.length) body.bemærkninger = p.bemærkninger;
  return head + yaml.dump(body, { lineWidth: 100, noRefs: true, sortKeys: false });
}

/** One line per proposal item, for the terminal. */
export function proposalSummary(p: ImportProposal): string {
  const lines = [`${p.klausuler.length} ${p.klausuler.length === 1 ? "klausul" : "klausuler"} og ${p.feltændringer.length} ${p.feltændringer.length === 1 ? "feltændring" : "feltændringer"} foreslået (dokumentet '${p.dokument}'):`];
  const fmt = (n: number) => String(n).replace(".", ",");
  for (const f of p.feltændringer) lines.push(`  = ${f.felt}: ${fmt(f.nuværende)} → ${fmt(f.foreslået)} (${f.fil}:${f.linje}; ${f.klausul}${f.påvirker?.length ? `; ændrer også ${f.påvirker.join(", ")}` : ""})`);
  const verb: Record<Klausul["handling"], string> = { erstat: "ny tekst", udelad: "udelades", "tilføj-efter": "ny klausul efter" };
  for (const k of p.klausuler) lines.push(`  ${k.handling === "udelad" ? "-" : k.handling === "erstat" ? "~" : "+"} ${k.handling === "tilføj-efter" ? `${k.titel} (${verb[k.handling]} '${k.id}')` : `'${k.id}': ${verb[k.handling]}`}`);
  for (const b of p.bemærkninger) lines.push(`  ! ${b}`);
  // Headings and ids come from the edited document: control and bidi characters are shown escaped.
  return lines.map(visible).join("\n") + "\n";
}
