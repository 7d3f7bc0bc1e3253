/**
 * Template engine: Handlebars templates in templates/ that produce Markdown.
 * Strict: an unknown helper, a missing variable or a broken reference is an error that names the
 * template file, line and column. A template set is compiled once per process and folder, and
 * reused while the files' texts are unchanged; templates precompiled by the build
 * (precompiled.ts) are used as they are.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type HandlebarsNs from "handlebars";
import { displayPath } from "../read/source.js";
import { HelperError, helpers } from "./helpers.js";
import { precompiledSpecs, templateFiles, templateKey } from "./precompiled.js";
import { exampleAware } from "../compute/example.js";

type Handlebars = typeof HandlebarsNs;
const requireHere = createRequire(import.meta.url);

export class TemplateError extends Error {
  constructor(
    public readonly file: string,
    public readonly line: number,
    public readonly column: number,
    message: string,
  ) {
    super(`${file}:${line}:${column}: fejl i skabelon: ${message}`);
    this.name = "TemplateError";
  }
}

const BUILTIN = ["if", "unless", "each", "with", "lookup", "log"];

export interface TemplateSet {
  dir: string;
  render(name: string, view: unknown): string;
  /** How many of the files came precompiled from the build (the rest were compiled now). */
  precompiled: number;
  /** Where `{ref:id}` / `{nr:id}` occur in the templates: id → "file:line" places. */
  refPlaces(id: string): string[];
}

/** Turns a Handlebars error into a TemplateError located in `file`. */
function locate(e: unknown, file: string): TemplateError {
  if (e instanceof TemplateError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  let line = 1;
  let column = 1;
  let text = msg;
  const parse = /^Parse error on line (\d+):/.exec(msg);
  const expecting = /^Expecting (.*), got (.*)$/m.exec(msg);
  const loc = / - (\d+):(\d+)$/.exec(msg);
  if (parse) {
    line = Number(parse[1]);
    text = expecting
      ? `syntaksfejl i Handlebars: forventede ${expecting[1]}, men fandt ${expecting[2]}. Tjek at {{ og }} passer sammen, og at {{#…}} lukkes med {{/…}}`
      : "syntaksfejl i Handlebars. Tjek at {{ og }} passer sammen, og at {{#…}} lukkes med {{/…}}";
  } else if (loc) {
    line = Number(loc[1]);
    column = Number(loc[2]) + 1;
    text = msg.slice(0, loc.index);
  }
  const missing = /^"(.+)" not defined in/.exec(text);
  const unknownHelper = /unknown helper (\S+)/.exec(text);
  if (missing) text = `værdien '${missing[1]}' findes ikke (en manglende værdi er en fejl, aldrig tom tekst)`;
  else if (unknownHelper) text = `ukendt hjælpefunktion '${unknownHelper[1]}'. Kendte: ${Object.keys(helpers).join(", ")}`;
  else if (e instanceof HelperError) text = `hjælpefunktion: ${msg}`;
  else if (/^The partial (.+) could not be found/.test(text)) text = `ukendt delskabelon '${/^The partial (.+) could not be found/.exec(text)![1]}'`;
  return new TemplateError(displayPath(file), line, column, text);
}

/** The compile options of every template (also the precompiled ones: part of their key). */
export function compileOptions(): CompileOptions {
  const knownHelpers = Object.fromEntries([...BUILTIN, ...Object.keys(helpers)].map((h) => [h, true]));
  return { strict: true, noEscape: true, knownHelpers, knownHelpersOnly: true, preventIndent: true };
}

const sets = new Map<string, { key: string; set: TemplateSet }>();

/**
 * The templates of a folder, compiled. Cached per folder: a later call returns the same set while
 * every file's text is unchanged (the files are re-read each call, which is cheap).
 * `precompiled: false` compiles everything now (for tests comparing with the precompiled ones).
 */
export function loadTemplates(dir: string, opts: { precompiled?: boolean } = {}): TemplateSet {
  const usePre = opts.precompiled !== false;
  const files = templateFiles(dir).map((file) => ({ file, text: fs.readFileSync(file, "utf8") }));
  const cacheKey = `${usePre}\u0000${files.map((f) => `${f.file}\u0000${f.text}`).join("\u0000")}`;
  const hit = sets.get(dir);
  if (hit && hit.key === cacheKey) return hit.set;
  const set = compileSet(dir, files, usePre);
  sets.set(dir, { key: cacheKey, set });
  return set;
}

function compileSet(dir: string, files: { file: string; text: string }[], usePre: boolean): TemplateSet {
  const options = compileOptions();
  const pre = usePre ? precompiledSpecs() : {};
  const specs = new Map(files.map((f) => [f.file, pre[templateKey(f.text, options)]] as const));
  // Only the run time when everything is precompiled; the compiler otherwise.
  const allPre = [...specs.values()].every((s) => s !== undefined);
  const hb = (allPre ? (requireHere("handlebars/runtime") as Handlebars) : (requireHere("handlebars") as Handlebars)).create();
  for (const [name, fn] of Object.entries(helpers)) hb.registerHelper(name, exampleAware(fn) as HandlebarsNs.HelperDelegate);
  const compiled = new Map<string, HandlebarsNs.TemplateDelegate>();
  const sources = new Map<string, { file: string; text: string }>();

  const compile = (file: string, text: string): HandlebarsNs.TemplateDelegate => {
    sources.set(file, { file, text });
    const spec = specs.get(file);
    let fn: HandlebarsNs.TemplateDelegate;
    try {
      fn = spec ? hb.template(spec as any) : hb.compile(text, structuredClone(options)); // compile modifies its options
    } catch (e) {
      throw locate(e, file);
    }
    return (ctx: unknown, opts?: HandlebarsNs.RuntimeOptions) => {
      try {
        return fn(ctx, opts);
      } catch (e) {
        throw locate(e, file);
      }
    };
  };

  const partialsDir = path.join(dir, "partials");
  for (const { file, text } of files) {
    const name = path.basename(file).replace(/\.md\.hbs$/, "");
    if (path.dirname(file) === partialsDir) hb.registerPartial(name, compile(file, text) as unknown as HandlebarsNs.Template);
    else compiled.set(name, compile(file, text));
  }

  return {
    dir,
    precompiled: [...specs.values()].filter((x) => x !== undefined).length,
    render(name, view) {
      const fn = compiled.get(name);
      if (!fn) throw new TemplateError(displayPath(path.join(dir, `${name}.md.hbs`)), 1, 1, `skabelonen '${name}' findes ikke`);
      const out = fn(view);
      const bad = /\b(undefined|NaN)\b|\[object Object\]/.exec(out);
      if (bad) {
        const line = out.slice(0, bad.index).split("\n").length;
        throw new TemplateError(displayPath(path.join(dir, `${name}.md.hbs`)), 1, 1, `outputtet indeholder '${bad[0]}' (linje ${line} i den genererede Markdown): en værdi mangler eller har forkert type`);
      }
      return out;
    },
    refPlaces(id) {
      const places: string[] = [];
      for (const { file, text } of sources.values()) {
        text.split("\n").forEach((l, i) => {
          if (l.includes(`{ref:${id}}`) || l.includes(`{nr:${id}}`)) places.push(`${displayPath(file)}:${i + 1}`);
        });
      }
      return places;
    },
  };
}
