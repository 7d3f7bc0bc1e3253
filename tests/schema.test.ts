/** The JSON Schema is the editor's help text: every property carries a Danish title and description. */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadSchema } from "../src/read/schema.js";
import { lotSchemaText } from "../src/read/lot-schema.js";
import { repoRoot, resolveRef as resolveRefIn } from "./helpers.js";

const schema = loadSchema();

const resolve = (s: any): any => resolveRefIn(schema, s);

test("every property has a title and a description", () => {
  const missing: string[] = [];
  const visit = (s: any, where: string) => {
    if (!s || typeof s !== "object") return;
    for (const [name, prop] of Object.entries<any>(s.properties ?? {})) {
      const r = resolve(prop);
      if (!r.title || !r.description) missing.push(`${where}.${name}`);
      if (r.items && !r.items.$ref && !r.items.anyOf) {
        if (!r.items.title || !r.items.description) missing.push(`${where}.${name}[]`);
      }
    }
  };
  visit(schema, "udbud");
  for (const [name, def] of Object.entries<any>(schema.definitions)) {
    if (!def.title || !def.description) missing.push(`definitions.${name}`);
    visit(def, name);
  }
  assert.deepEqual(missing, []);
});

test("texts are Danish (spot check: common English words do not occur)", () => {
  const text = JSON.stringify(schema);
  const titles = [...text.matchAll(/"(?:title|description)":"([^"]*)"/g)].map((m) => m[1]);
  assert.ok(titles.length > 300, `many texts (${titles.length})`);
  const english = titles.filter((t) => /\b(the|must|should|value|number of|price)\b/i.test(t));
  assert.deepEqual(english, []);
});

test("every object forbids unknown keys, so typos are caught", () => {
  const open: string[] = [];
  for (const [name, def] of Object.entries<any>(schema.definitions)) {
    if (def.type === "object" && def.additionalProperties !== false) open.push(name);
    for (const [p, prop] of Object.entries<any>(def.properties ?? {})) {
      if (prop.type === "object" && prop.additionalProperties !== false) open.push(`${name}.${p}`);
    }
  }
  assert.deepEqual(open, []);
});

test("the per-lot schema is generated from the main schema and refers to nothing outside itself", () => {
  const text = fs.readFileSync(path.join(repoRoot, "schemas", "delkontrakt.schema.json"), "utf8");
  const udbud = fs.readFileSync(path.join(repoRoot, "schemas", "udbud.schema.json"), "utf8");
  assert.equal(text, lotSchemaText(udbud), "schemas/delkontrakt.schema.json is stale: run npm run build");
  const lot = JSON.parse(text);
  assert.equal(lot.$ref, "#/definitions/delkontrakt");
  assert.deepEqual(lot.definitions.delkontrakt, schema.definitions.delkontrakt);
  const refs = [...text.matchAll(/"\$ref": "([^"]*)"/g)].map((m) => m[1]);
  assert.ok(refs.length > 10 && refs.every((r) => r.startsWith("#/definitions/")), "only local references");
  for (const f of ["udbud.schema.json", "delkontrakt.schema.json", "scenarie.schema.json"]) {
    const s = JSON.parse(fs.readFileSync(path.join(repoRoot, "schemas", f), "utf8"));
    assert.equal(s.$id, undefined, `${f}: no absolute $id that editors would resolve against`);
  }
});

test("example specs carry the editor schema hint", () => {
  for (const spec of ["kk-2020-udsatte-sygemeldte", "kk-2024-udsatte-sygemeldte"]) {
    const dir = path.join(repoRoot, "specs", spec);
    // Spec files (the entry and the lots) and the simulation scenario; bids files (bud*.yaml) are not specs.
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".yaml") && !x.startsWith("bud"))) {
      const first = fs.readFileSync(path.join(dir, f), "utf8").split("\n")[0];
      const want = f === "udbud.yaml" ? "udbud.schema.json" : f === "scenarie.yaml" ? "scenarie.schema.json" : "delkontrakt.schema.json";
      assert.equal(first, `# yaml-language-server: $schema=../../schemas/${want}`, `${spec}/${f}`);
    }
  }
});

test("Danish editor messages (errorMessage) name the allowed values the schema really has", () => {
  const stale: string[] = [];
  let count = 0;
  for (const f of ["udbud.schema.json", "scenarie.schema.json"]) {
    const s = JSON.parse(fs.readFileSync(path.join(repoRoot, "schemas", f), "utf8"));
    const visit = (n: any, where: string) => {
      if (!n || typeof n !== "object") return;
      if (typeof n.errorMessage === "string") {
        count++;
        const m = /Tilladte værdier: (.*?)\. Tryk/.exec(n.errorMessage);
        if (Array.isArray(n.enum) && n.enum.length > 1 && (!m || m[1] !== n.enum.join(", "))) stale.push(`${f} ${where}`);
        if (Array.isArray(n.enumDescriptions) && n.enumDescriptions.length !== n.enum?.length) stale.push(`${f} ${where} (enumDescriptions)`);
        if (/[A-Za-z]+ (is|must|should)\b/.test(n.errorMessage)) stale.push(`${f} ${where}: English`);
        // A limit the message states must be the schema's (a limit it leaves out is only less helpful).
        const dk = (x: number) => String(x).replace(".", ",");
        const said = (word: string) => new RegExp(`${word} (-?[\\d,]+)`).exec(n.errorMessage)?.[1];
        if (said("mindst") !== undefined && said("mindst") !== dk(n.minimum)) stale.push(`${f} ${where}: mindst`);
        if (said("højst") !== undefined && said("højst") !== dk(n.maximum)) stale.push(`${f} ${where}: højst`);
      }
      for (const [k, v] of Object.entries(n)) visit(v, `${where}/${k}`);
    };
    visit(s, "");
  }
  assert.ok(count > 150, `many messages (${count})`);
  assert.deepEqual(stale, [], "update errorMessage/enumDescriptions next to the enum you changed");
});
