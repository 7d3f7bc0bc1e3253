/**
 * The three specs the content tests read (the 2020 and 2024 examples and the small helårsperson
 * fixture), and their documents rendered once per test file as Markdown with links stripped.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli, repoRoot, tmpDir } from "./helpers.js";
import { stripLinks } from "./fidelity.js";

export const specs: Record<string, string> = {
  "2020": path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte"),
  "2024": path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte"),
  helårsperson: path.join(repoRoot, "tests", "fixtures", "helaarsperson"),
};

const rendered = new Map<string, Record<string, string>>();

/** Every document of a spec as Markdown (by document id); figures' data: URIs shortened to "(data:)". */
export async function docs(name: string): Promise<Record<string, string>> {
  const hit = rendered.get(name);
  if (hit) return hit;
  const out = tmpDir();
  const r = await cli("render", specs[name], "--out", out, "--format", "md");
  assert.equal(r.code, 0, r.stderr);
  const all: Record<string, string> = {};
  // Figures are data: URIs (base64 may end in "=="): left out of the text checks.
  for (const f of fs.readdirSync(out).filter((f) => f.endsWith(".md"))) all[f.replace(/\.md$/, "")] = stripLinks(fs.readFileSync(path.join(out, f), "utf8")).replace(/\(data:[^)]*\)/g, "(data:)");
  rendered.set(name, all);
  return all;
}
