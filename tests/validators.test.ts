/**
 * The ajv standalone validators generated at build time (src/read/validators.ts) give exactly the
 * errors of a fresh ajv compile: on the examples, the scenarios, the fixtures and many bad inputs.
 */
import { describe, test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import { loadCareful } from "../src/read/load.js";
import {
  VALIDATED_SCHEMAS, compileAtRuntime, generateValidatorCode, generatedDir, instantiate, loadGenerated, schemaHash, validator, type SchemaName,
} from "../src/read/validators.js";
import { minimal, repoRoot } from "./helpers.js";

const examples = ["kk-2020-udsatte-sygemeldte", "kk-2024-udsatte-sygemeldte"].map((s) => path.join(repoRoot, "specs", s));

function load(p: string): unknown {
  const r = loadCareful(p);
  assert.ok(r.data !== undefined, `${p} loads: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return r.data;
}

/** Every YAML file under tests/fixtures (bad-input fixtures included), loaded if it parses. */
function fixtures(): unknown[] {
  const out: unknown[] = [];
  const visit = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (/\.ya?ml$/.test(e.name)) {
        const r = loadCareful(p);
        if (r.data !== undefined) out.push(r.data);
      }
    }
  };
  visit(path.join(repoRoot, "tests", "fixtures"));
  return out;
}

/** Bad variants of a valid value: every n-th leaf replaced by a value of another type, keys removed and added. */
function mutations(valid: unknown, every: number): unknown[] {
  const leaves: (string | number)[][] = [];
  const objects: (string | number)[][] = [];
  const visit = (v: unknown, at: (string | number)[]) => {
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...at, i]));
    else if (v && typeof v === "object") {
      objects.push(at);
      for (const [k, x] of Object.entries(v)) visit(x, [...at, k]);
    } else leaves.push(at);
  };
  visit(valid, []);
  const at = (root: any, p: (string | number)[]) => p.slice(0, -1).reduce((o, k) => o[k], root);
  const out: unknown[] = [];
  const swap = (x: unknown): unknown => (typeof x === "string" ? (x.length % 2 ? 42 : "") : typeof x === "number" ? (x > 1 ? -1 : "1,5") : typeof x === "boolean" ? "ja" : "2021-02-30");
  for (let i = 0; i < leaves.length; i += every) {
    const copy = structuredClone(valid) as any;
    const p = leaves[i]!;
    at(copy, p)[p[p.length - 1]!] = swap(at(copy, p)[p[p.length - 1]!]);
    out.push(copy);
  }
  for (let i = 0; i < objects.length; i += every) {
    const copy = structuredClone(valid) as any;
    const p = objects[i]!;
    const o = p.length ? at(copy, p)[p[p.length - 1]!] : copy;
    const first = Object.keys(o)[0];
    if (first) delete o[first];
    o.ukendt_felt = { x: 1 };
    out.push(copy);
  }
  // Several problems at once.
  const many = structuredClone(valid) as any;
  for (let i = 0; i < leaves.length; i += 7) {
    const p = leaves[i]!;
    at(many, p)[p[p.length - 1]!] = swap(at(many, p)[p[p.length - 1]!]);
  }
  out.push(many, null, [], "tekst", 3);
  return out;
}

/** What a caller can see of a result: validity and every error field (schemas compared structurally). */
function outcome(v: ValidateFunction, data: unknown): { valid: boolean; errors: Partial<ErrorObject>[] } {
  const valid = v(structuredClone(data)) as boolean;
  return { valid, errors: (v.errors ?? []).map((e) => ({ ...e })) };
}

const inputs: Record<SchemaName, () => unknown[]> = {
  "udbud.schema.json": () => {
    const specs = [...examples.map(load), minimal(), ...fixtures()];
    return [...specs, ...mutations(specs[0], 11), ...mutations(specs[1], 13), ...mutations(minimal(), 3)];
  },
  "scenarie.schema.json": () => {
    const scenarios = examples.map((e) => load(path.join(e, "scenarie.yaml")));
    return [...scenarios, ...mutations(scenarios[0], 3), ...mutations(scenarios[1], 3)];
  },
};

describe("generated validators equal a fresh ajv compile", () => {
  for (const name of VALIDATED_SCHEMAS) {
    test(name, () => {
      const fresh = compileAtRuntime(name);
      const generated = instantiate(generateValidatorCode(name));
      assert.equal(generated.schemaHash, schemaHash(name));
      const all = inputs[name]();
      assert.ok(all.length > 40, `many inputs (${all.length})`);
      let invalid = 0;
      for (const [i, data] of all.entries()) {
        const a = outcome(fresh, data);
        const b = outcome(generated, data);
        assert.deepEqual(b, a, `input ${i}`);
        if (!a.valid) invalid++;
      }
      assert.ok(invalid > all.length / 2, `most mutations are invalid (${invalid} of ${all.length})`);
      assert.equal(outcome(generated, all[0]).valid, true, "the first example is valid");
    });
  }
});

test("the build's generated validators are current and used", () => {
  for (const name of VALIDATED_SCHEMAS) {
    const file = path.join(generatedDir, name.replace(/\.json$/, ".cjs"));
    assert.ok(fs.existsSync(file), `${file} exists (npm run build generates it; npm test builds first)`);
    assert.equal(fs.readFileSync(file, "utf8"), generateValidatorCode(name), `${file} is up to date`);
    assert.ok(loadGenerated(name), `${name}: hash matches`);
    assert.equal(validator(name).generated, true);
  }
});

test("a stale generated validator is not used", () => {
  const dir = fs.mkdtempSync(path.join(repoRoot, "dist", "generated-test-"));
  try {
    const name: SchemaName = "scenarie.schema.json";
    const code = generateValidatorCode(name).replace(schemaHash(name), "0".repeat(64));
    fs.writeFileSync(path.join(dir, "scenarie.schema.cjs"), code);
    assert.equal(loadGenerated(name, dir), undefined);
    assert.equal(loadGenerated(name, path.join(dir, "missing")), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
