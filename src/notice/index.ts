/**
 * `udbud bekendtgørelse`: spec → notice facts → eForms XML (+ check) → proof copy and OCDS.
 * Nothing is written unless everything asked for succeeded.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import { packageRoot } from "../paths.js";
import { readSpec } from "../read/index.js";
import { buildNoticeXml } from "./build.js";
import type { CheckResult } from "./check.js";
import { noticeFacts, type NoticeFacts } from "./facts.js";

export const NOTICE_FORMATS = ["xml", "html", "pdf", "docx", "md", "ocds"] as const;
export type NoticeFormat = (typeof NOTICE_FORMATS)[number];

export interface NoticeOptions {
  out?: string;
  /** Issue date of the notice (BT-05), YYYY-MM-DD; default: tidsplan.offentliggørelse. */
  date?: string;
  check?: boolean;
  formats: NoticeFormat[];
  sdk?: string;
  /** Bids file: also write the OCDS award release from the evaluation. */
  bids?: string;
}

export interface NoticeResult {
  errors: Diagnostic[];
  warnings: Diagnostic[];
  files: string[];
  outDir?: string;
  facts?: NoticeFacts;
  xml?: string;
  check?: CheckResult;
  /** Set when a prerequisite (SDK, xmllint) is missing: a Danish message, exit code 1. */
  fatal?: string;
}

export const XML_NAME = "bekendtgoerelse.xml";

/** Where the OCDS schema and codelists are: beside the eForms SDK's shared folder, as in CI. */
export function findOcdsDir(): string | undefined {
  const candidates = [process.env.UDBUD_OCDS_SCHEMA, path.join(packageRoot, "..", "shared", "ocds")].filter((c): c is string => !!c);
  return candidates.find((c) => fs.existsSync(path.join(c, "release-schema-1.1.5.json")));
}

export async function runNotice(spec: string, opts: NoticeOptions): Promise<NoticeResult> {
  const read = readSpec(spec);
  if (!read.udbud) return { errors: read.errors, warnings: read.warnings, files: [] };
  const u = read.udbud;
  const built = noticeFacts(u, read.sourceMap, { issueDate: opts.date });
  const warnings = [...read.warnings, ...built.warnings];
  if (!built.facts) return { errors: built.errors, warnings, files: [] };
  const facts = built.facts;
  const xml = buildNoticeXml(facts);
  const outDir = path.resolve(opts.out ?? path.join("output", u.id));
  const files: { name: string; data: Buffer | string }[] = [];
  const result: NoticeResult = { errors: [], warnings, files: [], facts, xml };

  const needsSdk = opts.check || opts.formats.some((f) => f !== "xml" && f !== "ocds");
  let sdk: string | undefined;
  if (needsSdk) {
    const { findSdk, SdkError } = await import("./sdk.js");
    try {
      sdk = findSdk(opts.sdk);
    } catch (e) {
      if (e instanceof SdkError) return { ...result, fatal: e.message };
      throw e;
    }
  }
  if (opts.check) {
    const { checkNotice } = await import("./check.js");
    const { ValidatorError } = await import("./validate.js");
    try {
      result.check = await checkNotice(xml, facts, read.sourceMap, sdk!, path.join(outDir, XML_NAME));
    } catch (e) {
      if (e instanceof ValidatorError) return { ...result, fatal: e.message };
      throw e;
    }
    result.warnings = [...warnings, ...result.check.warnings];
    if (result.check.errors.length) return { ...result, errors: result.check.errors };
  }
  if (opts.formats.includes("xml")) files.push({ name: XML_NAME, data: xml });
  const proofFormats = opts.formats.filter((f): f is "html" | "pdf" | "docx" | "md" => f === "html" || f === "pdf" || f === "docx" || f === "md");
  if (proofFormats.length) {
    const { buildProofTree } = await import("./proof.js");
    const { renderTree } = await import("../render/write.js");
    const tree = buildProofTree(xml, facts, sdk!);
    for (const f of proofFormats) files.push({ name: `bekendtgoerelse.${f}`, data: await renderTree(tree, f) });
  }
  if (opts.formats.includes("ocds") || opts.bids) {
    const ocds = await import("./ocds.js");
    const releases: { name: string; release: Record<string, unknown> }[] = [];
    if (opts.formats.includes("ocds")) releases.push({ name: "ocds-tender.json", release: ocds.tenderRelease(facts) });
    if (opts.bids) {
      const { evaluateSpec } = await import("../evaluate/evaluate.js");
      const ev = evaluateSpec(spec, opts.bids);
      if (!ev.result) return { ...result, errors: ev.errors };
      releases.push({ name: "ocds-award.json", release: ocds.awardRelease(facts, ev.result, u.tidsplan.tildeling ?? facts.issueDate) });
    }
    const ocdsDir = opts.check ? findOcdsDir() : undefined;
    for (const r of releases) {
      if (ocdsDir) {
        const problems = await ocds.validateRelease(r.release, ocdsDir);
        if (problems.length) {
          return { ...result, fatal: `OCDS-udgivelsen ${r.name} er ikke gyldig efter OCDS 1.1.5: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}. Det er en fejl i værktøjet; rapportér den gerne.` };
        }
      }
      files.push({ name: r.name, data: JSON.stringify(r.release, null, 2) + "\n" });
    }
  }
  const inputs = new Set(read.sourceMap.files.map((f) => f.abs));
  for (const f of files) {
    if (inputs.has(path.join(outDir, f.name))) {
      return { ...result, errors: [{ severity: "fejl", file: path.join(outDir, f.name), line: 1, column: 1, path: "", message: "Outputtet ville overskrive en af udbuddets egne filer. Vælg en anden --out-mappe.", code: "bekendtgørelse.overwrite-input" }] };
    }
  }
  const { writeAtomic } = await import("../write/output.js");
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of files) writeAtomic(outDir, f.name, f.data);
  return { ...result, files: files.map((f) => path.join(outDir, f.name)), outDir };
}
