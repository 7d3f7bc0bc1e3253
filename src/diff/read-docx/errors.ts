/** Limits and errors of the DOCX reader: the shared ZIP limits and one Danish error type. */
import { ZIP_LIMITS, type ZipLimits } from "../../read/zip.js";

/** The DOCX reader's limits are the shared package limits of `read/zip.ts` (one set for DOCX and XLSX). */
export type DocxLimits = ZipLimits;

/** Default limits: generous for real contracts (a 100-page contract is ~1–3 MB of XML, ~100k elements). */
export const DOCX_LIMITS: Readonly<DocxLimits> = ZIP_LIMITS;

/** The file can't be read as a DOCX: not a ZIP, damaged, over a limit, or hostile. Message in Danish. */
export class DocxReadError extends Error {
  override name = "DocxReadError";
}

export const invalid = (detail: string): DocxReadError => new DocxReadError(`Filen er ikke en gyldig DOCX (${detail})`);
