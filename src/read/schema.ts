/**
 * Schema validation with Danish messages, locations and suggestions.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Diagnostic, joinPointer, pointerToPath } from "../diagnostics.js";
import { schemasDir } from "../paths.js";
import { hint } from "../suggest.js";
import { SourceMap } from "./source.js";

type Schema = Record<string, any>;

let cached: { validate: ValidateFunction; schema: Schema } | undefined;
/** Compiled validators of other schemas (e.g. the scenario schema), by schema object. */
const compiledOther = new WeakMap<Schema, ValidateFunction>();

/** Validates a calendar date written ÅÅÅÅ-MM-DD. */
export function isValidDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** The editor schema allows `$inkluder` objects in place of a delkontrakt; after loading they are gone. */
function collapseIncludes(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(collapseIncludes);
  if (node && typeof node === "object") {
    const o = node as Schema;
    if (Array.isArray(o.anyOf) && o.anyOf.some((s: Schema) => s.$ref === "#/definitions/inkludering")) {
      const rest = o.anyOf.filter((s: Schema) => s.$ref !== "#/definitions/inkludering");
      const { anyOf: _drop, ...others } = o;
      return collapseIncludes(rest.length === 1 ? { ...others, ...rest[0] } : { ...others, anyOf: rest });
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, collapseIncludes(v)]));
  }
  return node;
}

let schemaText: string | undefined;

/** The tender schema (a fresh copy each call; the file is read once). */
export function loadSchema(): Schema {
  schemaText ??= fs.readFileSync(path.join(schemasDir, "udbud.schema.json"), "utf8");
  return JSON.parse(schemaText);
}

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
  ajv.addFormat("date", isValidDate);
  return ajv;
}

function compiled(): { validate: ValidateFunction; schema: Schema } {
  if (!cached) {
    const schema = collapseIncludes(loadSchema()) as Schema;
    cached = { validate: newAjv().compile(schema), schema };
  }
  return cached;
}

const schemaFiles = new Map<string, Schema>();

/** Another schema file in `schemas/` (e.g. `scenarie.schema.json`), parsed once and shared: do not modify it. */
export function loadSchemaFile(name: string): Schema {
  let s = schemaFiles.get(name);
  if (!s) {
    s = JSON.parse(fs.readFileSync(path.join(schemasDir, name), "utf8")) as Schema;
    schemaFiles.set(name, s);
  }
  return s;
}

function resolveRef(root: Schema, s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; cur && cur.$ref && i < 10; i++) {
    const target = String(cur.$ref).replace(/^#\//, "").split("/").reduce<any>((o, k) => o?.[k], root);
    cur = { ...target, ...Object.fromEntries(Object.entries(cur).filter(([k]) => k !== "$ref")) };
  }
  return cur;
}

const TYPE_NAMES: Record<string, string> = {
  string: "tekst",
  number: "et tal",
  integer: "et helt tal",
  boolean: "true eller false",
  object: "en gruppe af felter",
  array: "en liste (linjer der starter med '- ')",
  null: "tom",
};

function actualType(v: unknown): string {
  if (v === null || v === undefined) return "tom";
  if (Array.isArray(v)) return "en liste";
  if (typeof v === "object") return "en gruppe af felter";
  if (typeof v === "number") return Number.isInteger(v) ? "et helt tal" : `${String(v).replace(".", ",")}`;
  if (typeof v === "boolean") return "true/false";
  return "tekst";
}

function show(v: unknown): string {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function label(s: Schema | undefined): string {
  return s?.title ? `${s.title}: ` : "";
}

/**
 * An optional fix-it tip a schema can carry in `x-hjælp` (ignored by editors and by ajv), appended
 * to type and range messages, e.g. "Skriv sandsynligheden som et decimaltal mellem 0 og 1".
 */
function tip(s: Schema | undefined): string {
  return typeof s?.["x-hjælp"] === "string" ? ` ${s["x-hjælp"]}` : "";
}

function message(e: ErrorObject, root: Schema): { text: string; pointer: string; preferKey: boolean } {
  const ps = e.parentSchema as Schema | undefined;
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case "required": {
      const prop = resolveRef(root, ps?.properties?.[p.missingProperty]);
      const what = prop?.title ? ` (${prop.title}${prop.description ? `: ${prop.description}` : ""})` : "";
      return {
        text: `${label(ps)}feltet '${p.missingProperty}' mangler${what}.`,
        pointer: e.instancePath,
        preferKey: true,
      };
    }
    case "additionalProperties": {
      const allowed = Object.keys(ps?.properties ?? {});
      const list = allowed.length <= 14 ? ` Tilladte felter her: ${allowed.join(", ")}.` : "";
      return {
        text: `Ukendt felt '${p.additionalProperty}'${ps?.title ? ` i ${ps.title}` : ""}.${hint(p.additionalProperty, allowed)}${list}`,
        pointer: joinPointer(e.instancePath, p.additionalProperty),
        preferKey: true,
      };
    }
    case "enum": {
      const allowed = (p.allowedValues as unknown[]).map(String);
      return {
        text: `${label(ps)}'${show(e.data)}' er ikke en tilladt værdi.${hint(String(e.data), allowed)} Tilladte værdier: ${allowed.join(", ")}.`,
        pointer: e.instancePath,
        preferKey: false,
      };
    }
    case "type": {
      const want = String(p.type).split(",").map((t) => TYPE_NAMES[t] ?? t).join(" eller ");
      let extra = "";
      if (String(p.type).includes("string") && typeof e.data === "number") extra = ` Sæt værdien i anførselstegn: '${e.data}'.`;
      if (p.type === "number" && typeof e.data === "string" && /\d/.test(e.data)) {
        const share = typeof ps?.maximum === "number" && ps.maximum <= 1;
        if (/^\s*-?\d+,\d+\s*$/.test(e.data)) extra = ` Brug punktum som decimaltegn: ${e.data.trim().replace(",", ".")}.`;
        else if (/%/.test(e.data)) extra = share ? " Skriv andelen som et decimaltal mellem 0 og 1, fx 0.8 for 80 %." : " Skriv procent som et tal uden %-tegn, fx 10.";
        else extra = tip(ps) || " Skriv beløb og tal uden punktummer, enheder og 'kr.', fx 10000000.";
      }
      if (p.type === "array" && e.data && typeof e.data === "object") extra = " Skriv hvert element på sin egen linje, der starter med '- '.";
      return { text: `${label(ps)}skal være ${want}, men er ${actualType(e.data)}.${extra || tip(ps)}`, pointer: e.instancePath, preferKey: false };
    }
    case "minimum":
    case "exclusiveMinimum":
    case "maximum":
    case "exclusiveMaximum": {
      const words: Record<string, string> = {
        minimum: "mindst",
        exclusiveMinimum: "større end",
        maximum: "højst",
        exclusiveMaximum: "mindre end",
      };
      return { text: `${label(ps)}skal være ${words[e.keyword]} ${p.limit}, men er ${show(e.data)}.${tip(ps)}`, pointer: e.instancePath, preferKey: false };
    }
    case "minItems":
    case "maxItems": {
      const n = Array.isArray(e.data) ? e.data.length : 0;
      if (ps?.minItems !== undefined && ps.minItems === ps.maxItems)
        return { text: `${label(ps)}listen skal have præcis ${p.limit} ${p.limit === 1 ? "element" : "elementer"}, men har ${n}.${tip(ps)}`, pointer: e.instancePath, preferKey: true };
      if (e.keyword === "minItems")
        return { text: `${label(ps)}listen skal have mindst ${p.limit} ${p.limit === 1 ? "element" : "elementer"}.`, pointer: e.instancePath, preferKey: true };
      return { text: `${label(ps)}listen må højst have ${p.limit} elementer.`, pointer: e.instancePath, preferKey: true };
    }
    case "minProperties":
      return {
        text: `${label(ps)}skal indeholde mindst ${p.limit} ${p.limit === 1 ? "felt" : "felter"}.${ps?.description ? ` ${ps.description}` : ""}`,
        pointer: e.instancePath,
        preferKey: true,
      };
    case "minLength":
      return { text: `${label(ps)}må ikke være tom.`, pointer: e.instancePath, preferKey: false };
    case "maxLength":
      return { text: `${label(ps)}må højst være ${p.limit} tegn lang.`, pointer: e.instancePath, preferKey: false };
    case "pattern":
      return {
        text: `${label(ps)}'${show(e.data)}' har ikke det rigtige format.${ps?.description ? ` ${ps.description}` : ""}`,
        pointer: e.instancePath,
        preferKey: false,
      };
    case "format":
      return {
        text: p.format === "date"
          ? `${label(ps)}'${show(e.data)}' er ikke en gyldig dato. Skriv ÅÅÅÅ-MM-DD, fx 2024-07-01.`
          : `${label(ps)}'${show(e.data)}' har ikke formatet ${p.format}.`,
        pointer: e.instancePath,
        preferKey: false,
      };
    default:
      return { text: `${label(ps)}ugyldig værdi (${e.keyword}).`, pointer: e.instancePath, preferKey: false };
  }
}

/** Schema-validates the loaded data. Returns Danish diagnostics located in the source files. */
export function validateSchema(data: unknown, map: SourceMap): Diagnostic[] {
  return validateSchemaDetailed(data, map).diagnostics;
}

/**
 * Like `validateSchema`, plus the JSON pointers of the values that are wrong or missing (a missing
 * field's own pointer), so that rule checks can run on the parts that are schema-valid.
 */
export function validateSchemaDetailed(data: unknown, map: SourceMap): { diagnostics: Diagnostic[]; invalid: string[] } {
  const { validate, schema } = compiled();
  const invalid: string[] = [];
  return { diagnostics: diagnose(validate, schema, data, map, invalid), invalid };
}

/**
 * Validates data against another JSON Schema (draft-07) with the same Danish messages, "Mente du"
 * hints and file:line:column locations as the tender schema. The compiled validator is cached per
 * schema object, so pass the same object each time (e.g. from `loadSchemaFile`).
 */
export function validateAgainst(schema: Schema, data: unknown, map: SourceMap): Diagnostic[] {
  let validate = compiledOther.get(schema);
  if (!validate) {
    validate = newAjv().compile(schema);
    compiledOther.set(schema, validate);
  }
  return diagnose(validate, schema, data, map);
}

function diagnose(validate: ValidateFunction, schema: Schema, data: unknown, map: SourceMap, invalid: string[] = []): Diagnostic[] {
  if (validate(data)) return [];
  for (const e of validate.errors ?? []) {
    if (e.keyword === "anyOf" || e.keyword === "oneOf" || e.keyword === "if") continue;
    const missing = e.keyword === "required" ? (e.params as { missingProperty?: string }).missingProperty : undefined;
    invalid.push(missing !== undefined ? joinPointer(e.instancePath, missing) : e.keyword === "additionalProperties" ? joinPointer(e.instancePath, (e.params as { additionalProperty: string }).additionalProperty) : e.instancePath);
  }
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of validate.errors ?? []) {
    if (e.keyword === "anyOf" || e.keyword === "oneOf" || e.keyword === "if") continue;
    const m = message(e, schema);
    const key = `${m.pointer}\u0000${m.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const where = map.locate(m.pointer, m.preferKey);
    out.push({ severity: "fejl", ...where, path: pointerToPath(m.pointer), message: m.text, code: `schema.${e.keyword}` });
  }
  return out;
}
