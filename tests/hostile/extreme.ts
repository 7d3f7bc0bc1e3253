/**
 * A spec "full of extreme-but-valid values": every number the schema bounds with a `maximum` is
 * set to that maximum (the rest of the spec unchanged), for the test that no writer prints
 * Infinity or NaN.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadCareful, loadSpec } from "../../src/read/load.js";
import { repoRoot } from "../helpers.js";

type Schema = Record<string, any>;

function deref(root: Schema, s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; cur && cur.$ref && i < 20; i++) {
    const ref: string = cur.$ref;
    if (ref.startsWith("#/")) cur = ref.slice(2).split("/").reduce((n: any, k) => n?.[k], root);
    else {
      const [file, frag] = ref.split("#");
      const other = JSON.parse(fs.readFileSync(path.join(repoRoot, "schemas", file), "utf8"));
      cur = frag ? frag.slice(1).split("/").reduce((n: any, k) => n?.[k], other) : other;
      root = other;
    }
  }
  return cur;
}

/** Sets every bounded number in `value` to its maximum; returns how many were set. */
export function maximise(value: any, schema: Schema, root: Schema, skip: (key: string) => boolean = () => false): number {
  const s = deref(root, schema);
  if (!s || value === null || typeof value !== "object") return 0;
  let n = 0;
  const branches: Schema[] = [s, ...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])].map((b) => deref(root, b)!).filter(Boolean);
  const entries: [string | number, any][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [k, v] of entries) {
    const sub = branches.map((b) => (Array.isArray(value) ? b.items : b.properties?.[k as string])).map((x) => deref(root, x)).find(Boolean);
    if (!sub) continue;
    if (typeof v === "number" && typeof sub.maximum === "number" && !skip(String(k))) {
      const max = sub.type === "integer" ? Math.floor(sub.maximum) : sub.maximum;
      if (v !== max) {
        value[k] = max;
        n++;
      }
    } else if (v && typeof v === "object") n += maximise(v, sub, root, skip);
  }
  return n;
}

/** The 2024 example spec with extreme values, as one plain object. */
export function extremeSpec(skip?: (key: string) => boolean): { data: any; changed: number } {
  const loaded = loadSpec(path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte"));
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, "schemas", "udbud.schema.json"), "utf8"));
  const data = structuredClone(loaded.data);
  const changed = maximise(data, schema, schema, skip);
  // The total must stay at least the sum of its parts (udbudsloven § 30): the largest allowed.
  const v = (data as any).værdi;
  if (v) for (const k of ["samlet", "maksimum"]) if (k in v) v[k] = 1_000_000_000_000;
  return { data, changed };
}

/** Keys left as they are: numbering must stay unique, weights must add to 100, min below max, parts below the total. */
export const KEEP = ["nummer", "vægt", "min", "grundperiode", "estimeret_værdi"];

/** The 2024 scenario with every bounded number at its maximum (few runs, so the test is quick). */
export function extremeScenario(): { data: any; changed: number } {
  const loaded = loadCareful(path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte", "scenarie.yaml"));
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, "schemas", "scenarie.schema.json"), "utf8"));
  const data = structuredClone(loaded.data) as any;
  const changed = maximise(data, schema, schema, (k) => ["kørsler", "frø", "min", "sandsynlighed", "andel", "sd"].includes(k) || /procent/.test(k));
  data.kørsler = 200;
  return { data, changed };
}
