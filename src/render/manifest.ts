/**
 * manifest.json: which tender (spec path and id) an output folder belongs to, and which documents
 * it holds. `--only` merges its documents into the manifest; rendering another tender into a
 * folder that belongs to a different one is refused unless `--out` and `--overskriv` are given.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import type { Format } from "./formats.js";

export interface ManifestEntry {
  id: string;
  title: string;
  files: Partial<Record<Format, string>>;
  sha256: Partial<Record<Format, string>>;
}

export interface Manifest {
  /** The tender the folder belongs to: its id and its spec (relative to the folder). */
  udbud?: { id: string; spec: string };
  documents: ManifestEntry[];
}

export const MANIFEST = "manifest.json";

/** The folder's manifest, or undefined when there is none or it cannot be read. */
export function readManifest(outDir: string): Manifest | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(outDir, MANIFEST), "utf8"));
    return m && typeof m === "object" && Array.isArray(m.documents) ? (m as Manifest) : undefined;
  } catch {
    return undefined;
  }
}

const slash = (p: string) => p.split(path.sep).join("/");

/** The spec as recorded: relative to the output folder, with forward slashes. */
export function specRef(outDir: string, specAbs: string): string {
  return slash(path.relative(outDir, specAbs)) || ".";
}

/**
 * An error when the folder belongs to another tender (another id or another spec file), unless
 * the user chose the folder with `--out` and confirmed with `--overskriv`.
 */
export function checkOwner(outDir: string, id: string, specAbs: string, opts: { explicitOut: boolean; overskriv: boolean }, entry: string): Diagnostic | undefined {
  const m = readManifest(outDir);
  if (!m?.udbud) return undefined;
  const ownerSpec = path.resolve(outDir, m.udbud.spec);
  if (m.udbud.id === id && ownerSpec === specAbs) return undefined;
  if (opts.explicitOut && opts.overskriv) return undefined;
  const copy = m.udbud.id === id ? ` Udbuddet i ${specAbs} ser ud til at være en kopi med samme id: giv det et nyt id i udbud.yaml.` : "";
  const fix = copy + " " + (opts.explicitOut
    ? "Tilføj --overskriv, hvis mappen skal bruges til dette udbud i stedet."
    : "Giv udbuddet sit eget id, eller vælg en anden mappe med --out (og --overskriv, hvis mappen skal genbruges).");
  return {
    severity: "fejl",
    file: entry,
    line: 1,
    column: 1,
    path: "",
    code: "render.foreign-output",
    message: `Outputmappen ${outDir} tilhører udbuddet '${m.udbud.id}' (${ownerSpec}), ikke '${id}' (${specAbs}). Intet er skrevet.${fix}`,
  };
}

/**
 * The manifest after this render: this run's documents, plus (with --only, for the same tender)
 * the documents already listed that this run did not touch, in a stable order.
 */
export function mergedManifest(outDir: string, id: string, specAbs: string, documents: ManifestEntry[], merge: boolean): Manifest {
  const prev = readManifest(outDir);
  const same = prev?.udbud?.id === id && path.resolve(outDir, prev.udbud.spec) === specAbs;
  const mine = new Map(documents.map((d) => [d.id, d]));
  const kept = merge && same ? prev!.documents.filter((d) => !mine.has(d.id)) : [];
  const byOrder = [...kept, ...documents];
  // Keep the previous order for documents that were there; new ones at the end.
  const order = new Map((same ? prev!.documents : []).map((d, i) => [d.id, i]));
  byOrder.sort((a, b) => (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9));
  return { udbud: { id, spec: specRef(outDir, specAbs) }, documents: byOrder.map((d) => mine.get(d.id) ?? d) };
}
