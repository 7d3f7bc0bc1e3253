/**
 * Template engine: Handlebars templates in templates/ that produce Markdown.
 * Strict: an unknown helper, a missing variable or a broken reference is an error that names the
 * template file, line and column. Templates are compiled once per environment.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Handlebars from "handlebars";
import { displayPath } from "../read/source.js";
import { HelperError, helpers } from "./helpers.js";
import { exampleAware } from "../compute/example.js";

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

export function loadTemplates(dir: string): TemplateSet {
  const hb = Handlebars.create();
  for (const [name, fn] of Object.entries(helpers)) hb.registerHelper(name, exampleAware(fn) as Handlebars.HelperDelegate);
  const knownHelpers = Object.fromEntries([...BUILTIN, ...Object.keys(helpers)].map((h) => [h, true]));
  const options: CompileOptions = { strict: true, noEscape: true, knownHelpers, knownHelpersOnly: true, preventIndent: true };
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  const sources = new Map<string, { file: string; text: string }>();

  const compile = (file: string): Handlebars.TemplateDelegate => {
    const text = fs.readFileSync(file, "utf8");
    sources.set(file, { file, text });
    let fn: Handlebars.TemplateDelegate;
    try {
      fn = hb.compile(text, options);
    } catch (e) {
      throw locate(e, file);
    }
    return (ctx: unknown, opts?: Handlebars.RuntimeOptions) => {
      try {
        return fn(ctx, opts);
      } catch (e) {
        throw locate(e, file);
      }
    };
  };

  const partialsDir = path.join(dir, "partials");
  if (fs.existsSync(partialsDir)) {
    for (const f of fs.readdirSync(partialsDir).filter((x) => x.endsWith(".md.hbs")).sort()) {
      const fn = compile(path.join(partialsDir, f));
      hb.registerPartial(f.replace(/\.md\.hbs$/, ""), fn as unknown as Handlebars.Template);
    }
  }
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".md.hbs")).sort()) {
    compiled.set(f.replace(/\.md\.hbs$/, ""), compile(path.join(dir, f)));
  }

  return {
    dir,
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
