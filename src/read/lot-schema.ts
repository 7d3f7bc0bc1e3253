/**
 * schemas/delkontrakt.schema.json, the editor schema of a lot file, is generated from
 * udbud.schema.json: the lot definition as root with every definition copied in, so the file
 * refers to nothing outside itself. (A `$ref` into udbud.schema.json works in a lot file, but
 * yaml-language-server then mutates its cached copy of udbud.schema.json, and udbud.yaml opened
 * afterwards gets no help: "Maximum call stack size exceeded".) Build and `npm test` regenerate it;
 * tests/schema.test.ts checks that it is up to date.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { schemasDir } from "../paths.js";

export const LOT_SCHEMA = "delkontrakt.schema.json";

/** The lot schema's text for a tender schema's text. */
export function lotSchemaText(udbudSchemaText: string): string {
  const s = JSON.parse(udbudSchemaText);
  const lot = {
    $schema: s.$schema,
    $comment: "Genereret fra udbud.schema.json (src/read/lot-schema.ts). Ret i udbud.schema.json, ikke her.",
    title: "Delkontrakt (udbudsområde)",
    description: "Én delkontrakt i sin egen fil. Inkluderes fra udbud.yaml med '- $inkluder: filnavn.yaml' under delkontrakter.",
    $ref: "#/definitions/delkontrakt",
    definitions: s.definitions,
  };
  return JSON.stringify(lot, null, 2) + "\n";
}

/** Writes schemas/delkontrakt.schema.json when it differs; returns whether it changed. */
export function writeLotSchema(dir = schemasDir): boolean {
  const want = lotSchemaText(fs.readFileSync(path.join(dir, "udbud.schema.json"), "utf8"));
  const file = path.join(dir, LOT_SCHEMA);
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === want) return false;
  fs.writeFileSync(file, want);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (writeLotSchema()) process.stdout.write(`skrev schemas/${LOT_SCHEMA}\n`);
}
