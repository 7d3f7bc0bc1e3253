/**
 * Where the eForms SDK lives at run time. udbud does not ship the SDK (its XSDs and Schematron
 * rules are 15 MB): `--sdk <dir>` names it, else the environment variable UDBUD_EFORMS_SDK, else
 * `../shared/eforms` beside the package (the layout of the development checkout and CI).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../paths.js";

export class SdkError extends Error {}

const MARKER = path.join("schemas", "maindoc", "UBL-ContractNotice-2.3.xsd");

export function findSdk(explicit?: string): string {
  const candidates = explicit ? [explicit] : [process.env.UDBUD_EFORMS_SDK, path.join(packageRoot, "..", "shared", "eforms")].filter((c): c is string => !!c);
  for (const c of candidates) {
    const dir = path.resolve(c);
    if (fs.existsSync(path.join(dir, MARKER))) return dir;
  }
  const tried = candidates.map((c) => path.resolve(c)).join(", ") || "(ingen)";
  throw new SdkError(
    `eForms-SDK'et (version 1.15) blev ikke fundet (prøvede: ${tried}). Hent SDK'et fra Publikationskontoret (github.com/OP-TED/eForms-SDK) og angiv mappen med --sdk <mappe> eller miljøvariablen UDBUD_EFORMS_SDK.`,
  );
}
