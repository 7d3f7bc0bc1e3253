/**
 * `--tjek`: the notice against the XSD and its subtype's Schematron phase, reported in Danish
 * as diagnostics: the field's Danish label from the SDK, the rule id, and the spec field the
 * value comes from (file, line, column). XSD errors point into the XML file itself.
 */
import type { Diagnostic } from "../diagnostics.js";
import { pointerToPath } from "../diagnostics.js";
import type { SourceMap } from "../read/source.js";
import type { NoticeFacts } from "./facts.js";
import { fieldLabel, fieldOfDiagnostic, loadSdkData } from "./sdk-data.js";
import { specPointer } from "./sources.js";
import { validateSchematron, validateXsd, type RuleResult } from "./validate.js";

export interface CheckResult {
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** The raw rule results, for tests and JSON output. */
  rules: RuleResult[];
  xsdErrors: number;
}

/** Element names of a path without predicates or positions: `/a/b[2]/c[@x='y']` → `a/b/c`. */
function steps(xpath: string): string {
  return xpath.replace(/\[[^\]]*\]/g, "").replace(/^\/\*?\/?/, "").replace(/^ContractNotice\//, "").replace(/^\//, "");
}

/**
 * A code-list or format rule names no field in `diagnostics`; its id does (`BR-BT-00507-0205` →
 * BT-507), and the failing node's path picks the field among that term's variants.
 */
function fieldOfRule(data: ReturnType<typeof loadSdkData>, ruleId: string, xpath: string): string {
  const m = /^BR-(BT|OPT|OPP)-0*(\d+)-/.exec(ruleId);
  if (!m) return "";
  const term = `${m[1]}-${m[2].padStart(m[1] === "BT" ? 2 : 3, "0")}`;
  const at = steps(xpath);
  const candidates = [...data.fields.values()].filter((f) => f.id.startsWith(`${term}-`) || f.id.startsWith(`${term}(`));
  const hit = candidates.find((f) => at.endsWith(steps(f.xpathAbsolute)) || steps(f.xpathAbsolute).endsWith(at));
  return hit?.id ?? candidates[0]?.id ?? term;
}

export async function checkNotice(xml: string, facts: NoticeFacts, map: SourceMap, sdk: string, xmlFile: string): Promise<CheckResult> {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const xsd = validateXsd(xml, sdk);
  for (const e of xsd) {
    errors.push({ severity: "fejl", file: xmlFile, line: e.line, column: 1, path: "", message: `Bekendtgørelsen overholder ikke eForms' XML-skema: ${e.message}. Det er en fejl i værktøjet; rapportér den gerne.`, code: "bekendtgørelse.xsd" });
  }
  const rules = await validateSchematron(xml, sdk, facts.subtype);
  const data = loadSdkData(sdk);
  for (const r of rules) {
    if (r.severity === "INFO") continue;
    const field = r.field ? fieldOfDiagnostic(r.field) : fieldOfRule(data, r.ruleId, r.xpath);
    const lot = r.lotId ? facts.lots.find((l) => l.id === r.lotId) : undefined;
    const org = /efac:Organization\[2\]/.test(r.xpath) ? "/procedure/klageorgan" : /efac:Organization/.test(r.xpath) ? "/ordregiver" : undefined;
    const pointer = specPointer(field, { lot: lot?.index, org }, (p) => map.get(p) !== undefined) ?? (lot ? lot.pointer : "");
    const at = map.locate(pointer, true);
    const where = lot ? ` i delkontrakt ${lot.number} (${lot.title})` : "";
    const label = field ? `'${fieldLabel(data, field)}' (${field})` : "bekendtgørelsen";
    const kind = r.severity === "WARN" ? "advarsel" : "fejl";
    const message = `eForms-reglen ${r.ruleId} er ikke opfyldt for feltet ${label}${where}. ${r.value !== undefined ? `Værdien '${r.value}'` : "Værdien"} kommer fra ${pointerToPath(pointer) || "udbuddet"}.`;
    (kind === "fejl" ? errors : warnings).push({ severity: kind, file: at.file, line: at.line, column: at.column, path: pointerToPath(pointer), message, code: `eforms.${r.ruleId}` });
  }
  return { errors, warnings, rules, xsdErrors: xsd.length };
}
