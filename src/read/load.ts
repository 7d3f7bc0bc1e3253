/**
 * read: YAML files → one plain JS value with a source map.
 *
 * Handles `$inkluder` (includes inside the spec folder, no cycles), aliases (counted, so alias
 * bombs stop at a limit), duplicate keys, and Danish messages for YAML syntax errors.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import type { Document, Node as YamlNode } from "yaml";
import { Diagnostic, joinPointer } from "../diagnostics.js";
import { loadFast, type ParseCache } from "./fast.js";
import { LIMITS } from "./limits.js";
import { Location, SourceFile, SourceMap, displayPath, readSourceFile } from "./source.js";

export const INCLUDE_KEY = "$inkluder";

/**
 * `yaml` is loaded only when the fast path (fast.ts) gives up, i.e. for input with a problem to
 * explain: a well-formed spec never pays for loading it.
 */
let yamlLib: typeof import("yaml") | undefined;
const yaml = (): typeof import("yaml") => (yamlLib ??= createRequire(import.meta.url)("yaml") as typeof import("yaml"));

/** Keys whose scalar values (or list items) are ids or references: a bare number is read as text. */
const ID_KEYS = new Set([
  "id", "delkontrakt", "indsats", "element", "indsatsspor", "kan_kombineres_med", "elementer",
]);

export interface LoadResult {
  /** The resolved spec, or undefined when a file could not be read or parsed. */
  data: unknown;
  sourceMap: SourceMap;
  diagnostics: Diagnostic[];
  /** The spec folder: includes must stay inside it. */
  root: string;
}

class Budget {
  nodes = 0;
  /** Nodes produced inside alias expansions, and how many expansions are open now. */
  aliasNodes = 0;
  aliasDepth = 0;
  files = 0;
  exceeded = false;
}

interface Ctx {
  file: SourceFile;
  doc: Document;
  root: string;
  stack: string[];
  budget: Budget;
  map: SourceMap;
  diags: Diagnostic[];
}

const YAML_MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: "Samme nøgle står to gange i samme gruppe. Slet eller omdøb den ene.",
  TAB_AS_INDENT: "Tabulator bruges som indrykning. YAML kræver mellemrum.",
  BAD_INDENT: "Forkert indrykning. Felter på samme niveau skal stå lige under hinanden.",
  MISSING_CHAR: "Et tegn mangler (typisk et afsluttende anførselstegn, ']' eller '}').",
  MULTILINE_IMPLICIT_KEY: "En nøgle må ikke strække sig over flere linjer. Mangler der et kolon, eller skal teksten i anførselstegn?",
  BLOCK_AS_IMPLICIT_KEY: "Forkert indrykning eller manglende kolon efter en nøgle.",
  UNEXPECTED_TOKEN: "Uventet tegn. Tjek kolon efter nøgler, indrykning og anførselstegn.",
  MULTIPLE_DOCS: "Filen indeholder flere YAML-dokumenter ('---'). Brug ét dokument pr. fil.",
  BAD_ALIAS: "Henvisningen (*alias) peger på et anker (&navn), der ikke findes.",
  BAD_DQ_ESCAPE: "Ugyldig escape-sekvens i tekst i dobbelte anførselstegn. Brug enkelte anførselstegn eller '|'.",
  BAD_SCALAR_START: "En værdi må ikke starte med dette tegn uden anførselstegn. Sæt teksten i anførselstegn.",
  TAG_RESOLVE_FAILED: "YAML-tags (fx '!include') understøttes ikke. Brug '$inkluder: fil.yaml' til at inkludere filer.",
  KEY_OVER_1024_CHARS: "En nøgle er længere end 1024 tegn.",
  NON_STRING_KEY: "Nøgler skal være tekst.",
  BLOCK_IN_FLOW: "En blok-værdi kan ikke stå inde i [ ] eller { }.",
};

function yamlDiag(file: SourceFile, offset: number, code: string, english: string): Diagnostic {
  const pos = file.lines.linePos(offset);
  const known = YAML_MESSAGES[code];
  const detail = english.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  return {
    severity: "fejl",
    file: file.display,
    line: pos.line,
    column: pos.col,
    path: "",
    message: known ? `YAML-fejl: ${known}` : `YAML-fejl: ${detail}. Tjek indrykning, kolon efter nøgler og anførselstegn.`,
    code: `yaml.${code}`,
  };
}

const TOO_DEEP = (file: SourceFile, offset: number): Diagnostic => {
  const pos = file.lines.linePos(offset);
  return {
    severity: "fejl", file: file.display, line: pos.line, column: pos.col, path: "",
    message: `Strukturen er indlejret for dybt (over ${LIMITS.maxNesting} niveauer af grupper og lister, fx mange '[' eller '{' inden i hinanden). Et udbud har højst nogle få niveauer: tjek at parenteserne er lukket.`,
    code: "read.too-deep",
  };
};

function parseFile(file: SourceFile, diags: Diagnostic[]): Document | undefined {
  let doc: Document;
  try {
    doc = yaml().parseDocument(file.text, {
      uniqueKeys: true,
      prettyErrors: false,
      strict: true,
      version: "1.2",
    });
  } catch (e) {
    // The yaml composer recurses on nesting depth: very deep input ends here (or in doc.errors below).
    if (e instanceof RangeError) {
      diags.push(TOO_DEEP(file, 0));
      return undefined;
    }
    throw e;
  }
  let bad = false;
  const at = new Set<number>();
  for (const e of doc.errors) {
    bad = true;
    if (at.has(e.pos[0])) continue; // one message per place: the first is the most specific
    at.add(e.pos[0]);
    if (/call stack/i.test(e.message)) {
      diags.push(TOO_DEEP(file, e.pos[0]));
      break;
    }
    diags.push(yamlDiag(file, e.pos[0], e.code, e.message));
  }
  for (const w of doc.warnings) {
    if (w.code === "TAG_RESOLVE_FAILED") {
      diags.push(yamlDiag(file, w.pos[0], w.code, w.message));
      bad = true;
    }
  }
  return bad ? undefined : doc;
}

const aliasCache = new WeakMap<Document, Map<YamlNode, YamlNode>>();

/**
 * Every alias of a document → the node it names (the nearest anchor before it, as YAML says),
 * found in one pass. `Alias.resolve` walks the whole document on every call, which made an alias
 * bomb quadratic (26 s before the node budget stopped it).
 */
function aliasTargets(doc: Document): Map<YamlNode, YamlNode> {
  let map = aliasCache.get(doc);
  if (map) return map;
  map = new Map();
  const anchors = new Map<string, YamlNode>();
  const y = yaml();
  y.visit(doc, (_key, node) => {
    if (y.isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) map!.set(node, target);
      return;
    }
    if ((y.isScalar(node) || y.isMap(node) || y.isSeq(node)) && node.anchor) anchors.set(node.anchor, node);
  });
  aliasCache.set(doc, map);
  return map;
}

function error(ctx: Ctx, offset: number, message: string, code: string, pointer = ""): Diagnostic {
  const pos = ctx.file.lines.linePos(offset);
  return { severity: "fejl", file: ctx.file.display, line: pos.line, column: pos.col, path: pointer, message, code };
}

function isInside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

function countNode(ctx: Ctx, offset: number): boolean {
  if (ctx.budget.exceeded) return false;
  if (++ctx.budget.nodes > LIMITS.maxNodes) {
    ctx.budget.exceeded = true;
    ctx.diags.push(
      error(ctx, offset, `Udbuddet har for mange værdier (over ${LIMITS.maxNodes.toLocaleString("da-DK")}), fx på grund af mange *alias-henvisninger (alias-bombe). Læsningen er stoppet.`, "read.too-many-nodes"),
    );
    return false;
  }
  if (ctx.budget.aliasDepth > 0 && ++ctx.budget.aliasNodes > LIMITS.maxAliasNodes) {
    ctx.budget.exceeded = true;
    ctx.diags.push(
      error(ctx, offset, `*alias-henvisningerne folder sig ud til for mange værdier (over ${LIMITS.maxAliasNodes.toLocaleString("da-DK")}; en alias-bombe). Brug færre henvisninger, eller skriv værdierne ud. Læsningen er stoppet.`, "read.too-many-alias-nodes"),
    );
    return false;
  }
  return true;
}

function include(ctx: Ctx, rel: unknown, offset: number, pointer: string, depth: number): unknown {
  if (typeof rel !== "string" || rel.trim() === "") {
    ctx.diags.push(error(ctx, offset, "$inkluder skal være et filnavn, fx 'udbudsomraade-1.yaml'.", "include.bad-value"));
    return undefined;
  }
  if (path.isAbsolute(rel) || /^[a-z]+:/i.test(rel)) {
    ctx.diags.push(error(ctx, offset, `$inkluder skal være en relativ sti inde i spec-mappen, ikke '${rel}'.`, "include.absolute"));
    return undefined;
  }
  if (!/\.ya?ml$/i.test(rel)) {
    ctx.diags.push(error(ctx, offset, `Kun YAML-filer (.yaml eller .yml) kan inkluderes, ikke '${rel}'.`, "include.not-yaml"));
    return undefined;
  }
  const target = path.resolve(path.dirname(ctx.file.abs), rel);
  const at = { file: ctx.file.display, ...(({ line, col }) => ({ line, column: col }))(ctx.file.lines.linePos(offset)) };
  let real: string;
  try {
    real = fs.realpathSync(target);
  } catch {
    ctx.diags.push(error(ctx, offset, `Den inkluderede fil '${rel}' findes ikke (ledte efter ${displayPath(target)}).`, "include.missing"));
    return undefined;
  }
  if (!isInside(real, ctx.root)) {
    ctx.diags.push(error(ctx, offset, `'${rel}' ligger uden for spec-mappen. Inkluderede filer skal ligge i samme mappe som udbud.yaml eller en undermappe.`, "include.outside"));
    return undefined;
  }
  if (ctx.stack.includes(real)) {
    const chain = [...ctx.stack.slice(ctx.stack.indexOf(real)), real].map((f) => path.basename(f)).join(" → ");
    ctx.diags.push(error(ctx, offset, `Inkluderingerne danner en løkke: ${chain}. Fjern en af dem.`, "include.cycle"));
    return undefined;
  }
  if (ctx.stack.length >= LIMITS.maxIncludeDepth) {
    ctx.diags.push(error(ctx, offset, `Inkluderinger er kædet for dybt (over ${LIMITS.maxIncludeDepth} niveauer).`, "include.too-deep"));
    return undefined;
  }
  if (++ctx.budget.files > LIMITS.maxFiles) {
    ctx.diags.push(error(ctx, offset, `Udbuddet består af for mange filer (over ${LIMITS.maxFiles}).`, "include.too-many"));
    return undefined;
  }
  const read = readSourceFile(real, at);
  if ("error" in read) {
    ctx.diags.push(read.error);
    return undefined;
  }
  ctx.map.files.push(read.file);
  const doc = parseFile(read.file, ctx.diags);
  if (!doc) return undefined;
  const sub: Ctx = { ...ctx, file: read.file, doc, stack: [...ctx.stack, real] };
  if (doc.contents === null) {
    ctx.diags.push(error(sub, 0, `Den inkluderede fil '${rel}' er tom.`, "include.empty"));
    return undefined;
  }
  return walk(sub, doc.contents as YamlNode, pointer, depth, undefined, undefined);
}

function walk(
  ctx: Ctx,
  node: YamlNode | null | undefined,
  pointer: string,
  depth: number,
  parentKey: string | undefined,
  keyOffset: number | undefined,
): unknown {
  if (node === null || node === undefined) {
    if (keyOffset !== undefined) ctx.map.set(pointer, { file: ctx.file, offset: keyOffset, keyOffset });
    return null;
  }
  const offset = node.range?.[0] ?? keyOffset ?? 0;
  const loc: Location = { file: ctx.file, offset, keyOffset };
  if (!countNode(ctx, offset)) return undefined;
  if (depth > LIMITS.maxNesting) {
    ctx.budget.exceeded = true;
    ctx.diags.push(error(ctx, offset, `Strukturen er indlejret for dybt (over ${LIMITS.maxNesting} niveauer).`, "read.too-deep"));
    return undefined;
  }
  if (yaml().isAlias(node)) {
    const target = aliasTargets(ctx.doc).get(node);
    if (!target) {
      ctx.diags.push(error(ctx, offset, `Henvisningen *${node.source} peger på et anker, der ikke findes.`, "yaml.BAD_ALIAS"));
      return undefined;
    }
    ctx.budget.aliasDepth++;
    const value = walk(ctx, target as YamlNode, pointer, depth + 1, parentKey, keyOffset);
    ctx.budget.aliasDepth--;
    ctx.map.set(pointer, loc);
    return value;
  }
  ctx.map.set(pointer, loc);
  if (yaml().isScalar(node)) {
    const v = node.value;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) {
        ctx.diags.push(error(ctx, offset, "Uendelig eller ugyldig talværdi (.inf/.nan) er ikke tilladt.", "read.non-finite", pointer));
        return undefined;
      }
      if (parentKey !== undefined && ID_KEYS.has(parentKey)) return String(v);
    }
    if (typeof v === "bigint") return Number(v);
    return v;
  }
  if (yaml().isMap(node)) {
    const items = node.items;
    if (items.length === 1 && yaml().isScalar(items[0].key) && items[0].key.value === INCLUDE_KEY) {
      const valueNode = items[0].value as YamlNode | null;
      const vOffset = valueNode?.range?.[0] ?? offset;
      return include(ctx, yaml().isScalar(valueNode) ? valueNode.value : valueNode, vOffset, pointer, depth + 1);
    }
    const obj: Record<string, unknown> = {};
    for (const pair of items) {
      if (!yaml().isPair(pair)) continue;
      const k = pair.key as YamlNode | null;
      const kOffset = k?.range?.[0] ?? offset;
      if (!yaml().isScalar(k) || (typeof k.value !== "string" && typeof k.value !== "number")) {
        ctx.diags.push(error(ctx, kOffset, "Nøgler skal være enkle tekster (ikke lister eller grupper).", "read.complex-key", pointer));
        continue;
      }
      const key = String(k.value);
      const child = walk(ctx, pair.value as YamlNode | null, joinPointer(pointer, key), depth + 1, key, kOffset);
      Object.defineProperty(obj, key, { value: child, enumerable: true, writable: true, configurable: true });
      if (ctx.budget.exceeded) break;
    }
    return obj;
  }
  if (yaml().isSeq(node)) {
    const arr: unknown[] = [];
    node.items.forEach((item, i) => {
      if (ctx.budget.exceeded) return;
      arr.push(walk(ctx, item as YamlNode | null, joinPointer(pointer, i), depth + 1, parentKey, undefined));
    });
    return arr;
  }
  return undefined;
}

/**
 * Loads a spec: a folder containing `udbud.yaml`, or a single YAML file.
 * Never throws for bad input: problems come back as diagnostics.
 */
export function loadSpec(target: string, cache?: ParseCache): LoadResult {
  return loadWith(target, true, cache);
}

/** The careful path only (`yaml`, with Danish messages for every problem). For tests and diagnostics. */
export function loadCareful(target: string): LoadResult {
  return loadWith(target, false);
}

function loadWith(target: string, tryFast: boolean, cache?: ParseCache): LoadResult {
  const abs = path.resolve(target);
  const diags: Diagnostic[] = [];
  let entry = abs;
  let isDir = false;
  try {
    isDir = fs.statSync(abs).isDirectory();
  } catch {
    /* reported by readSourceFile */
  }
  if (isDir) entry = path.join(abs, "udbud.yaml");
  const map = new SourceMap(displayPath(entry));
  let root: string;
  try {
    root = fs.realpathSync(isDir ? abs : path.dirname(abs));
  } catch {
    root = isDir ? abs : path.dirname(abs);
  }
  if (isDir && !fs.existsSync(entry)) {
    diags.push({
      severity: "fejl", file: displayPath(entry), line: 1, column: 1, path: "",
      message: `Mappen '${displayPath(abs)}' indeholder ingen udbud.yaml. En spec er en mappe med udbud.yaml som indgang.`,
      code: "read.no-entry",
    });
    return { data: undefined, sourceMap: map, diagnostics: diags, root };
  }
  const fast = tryFast ? loadFast(entry, root, cache) : undefined;
  if (fast) return { data: fast.data, sourceMap: fast.sourceMap, diagnostics: [], root };
  const read = readSourceFile(entry);
  if ("error" in read) return { data: undefined, sourceMap: map, diagnostics: [read.error], root };
  map.files.push(read.file);
  const doc = parseFile(read.file, diags);
  if (!doc) return { data: undefined, sourceMap: map, diagnostics: diags, root };
  let real = entry;
  try {
    real = fs.realpathSync(entry);
  } catch {
    /* keep */
  }
  const ctx: Ctx = { file: read.file, doc, root, stack: [real], budget: new Budget(), map, diags };
  if (doc.contents === null) {
    diags.push(error(ctx, 0, "Filen er tom. Start med fx 'id: mit-udbud' og 'titel: …'.", "read.empty"));
    return { data: undefined, sourceMap: map, diagnostics: diags, root };
  }
  const data = walk(ctx, doc.contents as YamlNode, "", 0, undefined, undefined);
  const fatal = diags.some((d) => d.code.startsWith("yaml.") || d.code.startsWith("read.") || d.code.startsWith("include."));
  return { data: fatal ? undefined : data, sourceMap: map, diagnostics: diags, root };
}
