/**
 * `udbud ny`: a new tender folder — udbud.yaml with every required field and a Danish comment,
 * one lot file, a scenario, a bids template and editor wiring (`$schema` comments relative to the
 * installed package's schemas, and `.vscode/settings.json` with `yaml.schemas`) — or a copy of one
 * of the examples with a new id (`--fra`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot, schemasDir, templatesDir } from "../paths.js";

export interface NewResult {
  /** Absolute folder created. */
  dir: string;
  id: string;
  /** Files written, relative to `dir`. */
  files: string[];
}

/** A Danish error for the user (exit code 1 in the CLI). */
export class NewError extends Error {}

/** The examples shipped with the package (folders under specs/ with an udbud.yaml). */
export function examples(): string[] {
  const dir = path.join(packageRoot, "specs");
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "udbud.yaml"))).sort();
}

/** An id from a folder name: lower case, Danish letters transliterated, other characters to '-'. */
export function idFromName(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa")
    .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100);
  return id || "nyt-udbud";
}

/** The path to the schemas folder as written from `dir`, with forward slashes. */
export function schemaPathFrom(dir: string): string {
  const rel = path.relative(dir, schemasDir);
  const p = rel && !path.isAbsolute(rel) ? rel : schemasDir;
  return p.split(path.sep).join("/");
}

const SCHEMA_LINE = /^# yaml-language-server: \$schema=(.*)$/m;

/** The schema a file of a tender folder uses, by its name. */
function schemaFor(file: string, text: string): string | undefined {
  if (file === "scenarie.yaml" || /^(titel|kørsler|delkontrakter):/m.test(text) && /henvisninger/.test(text) && !/^ordregiver:/m.test(text)) return "scenarie.schema.json";
  if (/^udbud:/m.test(text) && /^bud:/m.test(text)) return undefined;
  if (/^ordregiver:/m.test(text)) return "udbud.schema.json";
  if (/^indsatsspor:/m.test(text)) return "delkontrakt.schema.json";
  return undefined;
}

function vscodeSettings(): string {
  // file:// URLs: yaml-language-server reads them on every platform, wherever the folder is opened.
  const abs = (name: string) => pathToFileURL(path.join(schemasDir, name)).href;
  const settings = {
    "yaml.schemas": {
      [abs("udbud.schema.json")]: ["udbud.yaml"],
      [abs("delkontrakt.schema.json")]: ["delkontrakt-*.yaml", "udbudsomraade-*.yaml"],
      [abs("scenarie.schema.json")]: ["scenarie*.yaml"],
    },
    "yaml.completion": true,
    "yaml.hover": true,
    "yaml.validate": true,
  };
  return JSON.stringify(settings, null, 2) + "\n";
}

function writeNew(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { flag: "wx" });
}

/** Creates the folder. Refuses a folder that exists and is not empty. */
export function createTender(target: string, opts: { fra?: string } = {}): NewResult {
  const dir = path.resolve(target);
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory()) throw new NewError(`'${target}' findes allerede og er ikke en mappe. Vælg et andet navn.`);
    if (fs.readdirSync(dir).length > 0) throw new NewError(`Mappen '${target}' findes allerede og er ikke tom. Vælg en ny mappe, så intet overskrives.`);
  }
  const id = idFromName(path.basename(dir));
  const schemas = schemaPathFrom(dir);
  const display = target.split(path.sep).join("/");
  const files = new Map<string, string>();
  if (opts.fra) {
    const known = examples();
    const name = opts.fra.replace(/[\\/]+$/, "");
    const src = known.includes(name) ? path.join(packageRoot, "specs", name) : path.resolve(name);
    if (!fs.existsSync(path.join(src, "udbud.yaml")))
      throw new NewError(`Eksemplet '${opts.fra}' findes ikke. Mulige eksempler: ${known.join(", ") || "(ingen)"}; eller en mappe med udbud.yaml.`);
    for (const f of fs.readdirSync(src).filter((x) => /\.ya?ml$/.test(x)).sort()) {
      let text = fs.readFileSync(path.join(src, f), "utf8");
      const schema = schemaFor(f, text);
      const line = schema ? `# yaml-language-server: $schema=${schemas}/${schema}` : undefined;
      if (line) text = SCHEMA_LINE.test(text) ? text.replace(SCHEMA_LINE, line) : `${line}\n${text}`;
      if (f === "udbud.yaml") text = text.replace(/^id:.*$/m, `id: ${id} # ny id, så dokumenterne ikke blandes med eksemplets ('${path.basename(src)}')`);
      if (/^udbud:/m.test(text)) text = text.replace(/^udbud:.*$/m, `udbud: ${id}`);
      files.set(f, text);
    }
  } else {
    const tdir = path.join(templatesDir, "ny");
    const titel = path.basename(dir).replace(/[-_]+/g, " ").replace(/^./, (c) => c.toUpperCase());
    for (const f of fs.readdirSync(tdir).sort()) {
      const text = fs.readFileSync(path.join(tdir, f), "utf8")
        .replace(/__SKEMAER__/g, schemas)
        .replace(/__MAPPE__/g, display)
        .replace(/__ID__/g, id)
        .replace(/__TITEL__/g, JSON.stringify(`Rammeaftale om ${titel}`).slice(1, -1).replace(/:/g, " -"));
      files.set(f, text);
    }
  }
  files.set(path.join(".vscode", "settings.json"), vscodeSettings());
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, text] of files) writeNew(path.join(dir, f), text);
  return { dir, id, files: [...files.keys()].map((f) => f.split(path.sep).join("/")) };
}
