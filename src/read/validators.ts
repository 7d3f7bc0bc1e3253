/**
 * Compiled JSON Schema validators, generated at build time.
 *
 * `npm run build` (src/build/generate.ts) writes one ajv *standalone* validator per schema into
 * `dist/generated/validators/<schema>.cjs`: plain JavaScript that validates without loading or
 * running ajv's compiler (saves ~0,2 s on every cold command). Each generated module records the
 * hash of the schema text and the ajv options it was made from; `validator()` uses it only when
 * that hash equals the current schema's, and otherwise compiles the schema with ajv at run time
 * (the tests run the TypeScript sources, so a missing or stale build never changes a result, it is
 * only slower). tests/validators.test.ts checks that the generated code and a fresh ajv compile
 * give the same errors on the examples and on bad inputs.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { ValidateFunction } from "ajv";
import { packageRoot, schemasDir } from "../paths.js";

type Schema = Record<string, any>;

/** The schemas that get a generated validator. */
export const VALIDATED_SCHEMAS = ["udbud.schema.json", "scenarie.schema.json"] as const;
export type SchemaName = (typeof VALIDATED_SCHEMAS)[number];

/** Where `npm run build` puts the generated validators. */
export const generatedDir = path.join(packageRoot, "dist", "generated", "validators");

/** ajv options shared by the generated and the run-time validators (part of the hash). */
const OPTIONS = { allErrors: true, verbose: true, strict: false } as const;

const requireHere = createRequire(import.meta.url);

/** Bump when a custom format's meaning changes (the formats are passed in at load, not generated). */
const FORMATS_VERSION = 1;
const formats = { date: isValidDate };

/** Validates a calendar date written ÅÅÅÅ-MM-DD. */
export function isValidDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** The editor schema allows `$inkluder` objects in place of a delkontrakt; after loading they are gone. */
export function collapseIncludes(node: unknown): unknown {
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

const texts = new Map<SchemaName, string>();

function schemaText(name: SchemaName): string {
  let t = texts.get(name);
  if (t === undefined) {
    t = fs.readFileSync(path.join(schemasDir, name), "utf8");
    texts.set(name, t);
  }
  return t;
}

/** The schema as validated: the tender schema without `$inkluder` alternatives, others as written. */
export function preparedSchema(name: SchemaName): Schema {
  const raw = JSON.parse(schemaText(name)) as Schema;
  return name === "udbud.schema.json" ? (collapseIncludes(raw) as Schema) : raw;
}

/** Identifies schema text, options, ajv version and date format: a generated validator is current iff its hash equals this. */
export function schemaHash(name: SchemaName): string {
  const ajvVersion = (requireHere("ajv/package.json") as { version: string }).version;
  return createHash("sha256")
    .update(JSON.stringify({ name, options: OPTIONS, ajvVersion, formats: FORMATS_VERSION }))
    .update("\n")
    .update(schemaText(name))
    .digest("hex");
}

function newAjv(code?: object): import("ajv").Ajv {
  const { Ajv } = requireHere("ajv") as typeof import("ajv");
  const ajv = new Ajv({ ...OPTIONS, ...(code ? { code } : {}) });
  ajv.addFormat("date", isValidDate);
  return ajv;
}

/** Compiles a schema with ajv now (the fallback, and the reference the tests compare against). */
export function compileAtRuntime(name: SchemaName): ValidateFunction {
  return newAjv().compile(preparedSchema(name));
}

type Generated = { schemaHash: string; create(formats: object): ValidateFunction };

/**
 * The source of a standalone validator module for a schema: CommonJS exporting `schemaHash` and
 * `create(formats)`, which returns the validator (the custom formats are passed in, so the
 * generated code does not depend on how our own code was compiled). It requires only ajv's small
 * run-time helpers.
 */
export function generateValidatorCode(name: SchemaName): string {
  const { _Code } = requireHere("ajv/dist/compile/codegen/code") as { _Code: new (code: string) => object };
  const standalone = requireHere("ajv/dist/standalone") as { default: (ajv: unknown, v: ValidateFunction) => string };
  const ajv = newAjv({ source: true, formats: new _Code("formats") });
  const code = standalone.default(ajv, ajv.compile(preparedSchema(name)));
  return [
    `// Generated by npm run build from schemas/${name}: do not edit.`,
    `"use strict";`,
    `exports.schemaHash = ${JSON.stringify(schemaHash(name))};`,
    `exports.create = function (formats) {`,
    `const module = { exports: {} };`,
    code,
    `return module.exports;`,
    `};`,
    ``,
  ].join("\n");
}

function create(mod: Generated): ValidateFunction {
  return mod.create(formats);
}

/** Evaluates generated validator code as a module whose `require` resolves from the package (for tests). */
export function instantiate(code: string): ValidateFunction & { schemaHash: string } {
  const mod: { exports: any } = { exports: {} };
  const req = createRequire(path.join(packageRoot, "package.json"));
  new Function("module", "exports", "require", code)(mod, mod.exports, req);
  return Object.assign(create(mod.exports as Generated), { schemaHash: (mod.exports as Generated).schemaHash });
}

/** Writes every generated validator (called by `npm run build`). Returns the files written. */
export function writeGeneratedValidators(dir = generatedDir): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return VALIDATED_SCHEMAS.map((name) => {
    const file = path.join(dir, name.replace(/\.json$/, ".cjs"));
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, generateValidatorCode(name));
    fs.renameSync(tmp, file);
    return file;
  });
}

/** The generated validator for a schema if it exists and is current, else undefined. */
export function loadGenerated(name: SchemaName, dir = generatedDir): ValidateFunction | undefined {
  const file = path.join(dir, name.replace(/\.json$/, ".cjs"));
  if (!fs.existsSync(file)) return undefined;
  const mod = requireHere(file) as Partial<Generated>;
  return mod.schemaHash === schemaHash(name) && typeof mod.create === "function" ? create(mod as Generated) : undefined;
}

const cache = new Map<SchemaName, { validate: ValidateFunction; generated: boolean }>();

/** The validator for a schema: the generated one when current, else compiled now. Cached. */
export function validator(name: SchemaName): { validate: ValidateFunction; generated: boolean } {
  let v = cache.get(name);
  if (!v) {
    const gen = loadGenerated(name);
    v = gen ? { validate: gen, generated: true } : { validate: compileAtRuntime(name), generated: false };
    cache.set(name, v);
  }
  return v;
}
