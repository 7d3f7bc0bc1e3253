/**
 * Checks on how the files are written rather than on the values: Danish number habits that YAML
 * reads differently (500.000 is 500; 0,5 in a flow list is two values), and `$schema` comments
 * that no longer point at a schema (the editor's help is then off).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Diagnostic, joinPointer, pointerToPath } from "../diagnostics.js";
import { schemasDir } from "../paths.js";
import type { SourceMap } from "../read/source.js";

function walk(v: unknown, ptr: string, visit: (v: unknown, ptr: string) => void): void {
  visit(v, ptr);
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, joinPointer(ptr, i), visit));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, joinPointer(ptr, k), visit);
}

/** `500.000`, `1.250.000` read as decimals, and `0,5` in a flow collection read as 0 and 5. */
export function checkNumberHabits(data: unknown, map: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  walk(data, "", (v, ptr) => {
    if (typeof v !== "number") return;
    const loc = map.get(ptr);
    if (!loc) return;
    const raw = loc.file.text.slice(loc.offset, loc.offset + 40);
    const at = map.locate(ptr);
    const thousands = /^-?[1-9]\d{0,2}(?:\.\d{3})+(?![\d.,])/.exec(raw);
    if (thousands) {
      const fixed = thousands[0].replace(/\./g, "");
      out.push({ severity: "advarsel", ...at, path: pointerToPath(ptr), code: "habit.thousands", message: `'${thousands[0]}' læses som ${String(v).replace(".", ",")}, fordi punktum er decimaltegn i YAML. Mener du ${Number(fixed).toLocaleString("da-DK")}, så skriv ${fixed} (uden punktummer).` });
      return;
    }
    const comma = /^-?\d+,\d+(?=\s*[,\]}]|\s*$)/m.exec(raw);
    if (comma) {
      const fixed = comma[0].replace(",", ".");
      out.push({ severity: "advarsel", ...at, path: pointerToPath(ptr), code: "habit.decimal-comma", message: `'${comma[0]}' læses som to værdier, fordi komma skiller værdierne i en liste eller gruppe i { } og [ ]. Skriv decimaltal med punktum: ${fixed}.` });
    }
  });
  return out;
}

const SCHEMA_COMMENT = /^#\s*yaml-language-server:\s*\$schema=(\S+)/m;

/** A `$schema` comment in a spec file whose target does not exist (from the file's folder). */
export function checkSchemaComments(map: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of map.files) {
    const head = f.text.slice(0, 2000);
    const m = SCHEMA_COMMENT.exec(head);
    if (!m) continue;
    const target = m[1];
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target) && !target.startsWith("file://")) continue; // a URL: not ours to check
    const file = target.startsWith("file://") ? decodeURIComponent(target.slice(7)) : path.resolve(path.dirname(f.abs), target);
    if (fs.existsSync(file)) continue;
    const name = path.basename(target);
    const want = path.join(schemasDir, fs.existsSync(path.join(schemasDir, name)) ? name : "udbud.schema.json");
    const rel = path.relative(path.dirname(f.abs), want).split(path.sep).join("/");
    const line = head.slice(0, m.index).split("\n").length;
    out.push({
      severity: "advarsel",
      file: f.display,
      line,
      column: 1,
      path: "",
      code: "habit.schema-comment",
      message: `Skemaet '${target}' i første linje findes ikke herfra, så editoren giver ingen hjælp i filen. Skriv: # yaml-language-server: $schema=${rel}`,
    });
  }
  return out;
}
