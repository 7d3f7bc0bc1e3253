/**
 * Benchmark: the eForms notice of the 2024 example — building the XML, and `--tjek`'s Schematron
 * phase 20 (loading the rules once, then validating). The SDK is read from ../shared/eforms.
 */
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { readSpec } from "../src/read/index.js";
import { buildNoticeXml } from "../src/notice/build.js";
import { noticeFacts } from "../src/notice/facts.js";
import { loadPhase, validateSchematron, validateXsd } from "../src/notice/validate.js";
import type { BenchResult } from "./validate.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchNotice(root: string): Promise<BenchResult[]> {
  const sdk = path.join(root, "..", "shared", "eforms");
  const spec = path.join(root, "specs", "kk-2024-udsatte-sygemeldte");
  const build = () => {
    const r = readSpec(spec);
    return buildNoticeXml(noticeFacts(r.udbud!, r.sourceMap).facts!);
  };
  const times: number[] = [];
  let xml = "";
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    xml = build();
    times.push(performance.now() - t);
  }
  const t0 = performance.now();
  await loadPhase(sdk, "eforms-20");
  const load = performance.now() - t0;
  const checks: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const res = await validateSchematron(xml, sdk, "20");
    if (res.some((r) => r.severity === "ERROR")) throw new Error("the example's notice has errors");
    checks.push(performance.now() - t);
  }
  const t1 = performance.now();
  validateXsd(xml, sdk);
  const xsd = performance.now() - t1;
  return [
    { name: "bekendtgørelse: spec → XML (2024)", detail: `${Buffer.byteLength(xml)} bytes XML`, coldMs: times[0], medianMs: median(times.slice(1)), runs: times.length - 1 },
    { name: "bekendtgørelse --tjek: Schematron eforms-20", detail: `indlæsning af reglerne ${load.toFixed(0)} ms (én gang), XSD med xmllint ${xsd.toFixed(0)} ms`, coldMs: checks[0], medianMs: median(checks), runs: checks.length },
  ];
}
