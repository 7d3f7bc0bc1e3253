/**
 * Validating a notice offline against the official eForms SDK: the XML Schema with xmllint
 * (libxml2, a real validator) and the Schematron phase of the notice's subtype with
 * node-schematron (XPath 3.1 through fontoxpath), which reproduces the official SVRL reports.
 * Results carry the rule id, its severity (role ERROR/WARN in the rules) and the field it
 * names (the assertion's `diagnostics`).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import fontoxpath from "fontoxpath";
import nodeSchematron from "node-schematron";
import type { Schema } from "node-schematron";
import * as slimdom from "slimdom";

const { evaluateXPath, evaluateXPathToBoolean, evaluateXPathToNodes, createTypedValueFactory } = fontoxpath;
const nodeSequence = createTypedValueFactory("node()*");

export interface RuleResult {
  ruleId: string;
  severity: "ERROR" | "WARN" | "INFO";
  /** The field or node the rule is about, e.g. `BT-131(d)-Lot` or `ND-Lot`. */
  field: string;
  /** The lot (LOT-0001 …) the failing node belongs to, when it is inside one. */
  lotId?: string;
  /** Path of the failing node in the notice. */
  xpath: string;
  /** The failing node's value when it is a value (a leaf element or an attribute). */
  value?: string;
}

export interface XsdError {
  line: number;
  message: string;
}

export class ValidatorError extends Error {}

/** XSD validation with xmllint; throws ValidatorError (Danish) when xmllint is missing. */
export function validateXsd(xml: string, sdk: string): XsdError[] {
  const xsd = path.join(sdk, "schemas", "maindoc", "UBL-ContractNotice-2.3.xsd");
  const r = spawnSync("xmllint", ["--noout", "--nonet", "--schema", xsd, "-"], { input: xml, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new ValidatorError("xmllint blev ikke fundet. Installér libxml2-utils (Debian/Ubuntu: apt-get install libxml2-utils) for at tjekke bekendtgørelsen mod XML-skemaet.");
  const errors: XsdError[] = [];
  for (const line of r.stderr.split("\n")) {
    const m = /^-:(\d+): (.*)$/.exec(line);
    if (m) errors.push({ line: Number(m[1]), message: m[2] });
  }
  if (r.status !== 0 && errors.length === 0) errors.push({ line: 1, message: r.stderr.trim() || `xmllint endte med kode ${r.status}` });
  return errors;
}

interface RuleInfo {
  role: "ERROR" | "WARN" | "INFO";
  field: string;
}

interface LoadedPhase {
  schema: Schema;
  rules: Map<string, RuleInfo>;
}

const cache = new Map<string, Promise<LoadedPhase>>();

/** The stage files a phase activates, read from complete-validation.sch. */
function phaseFiles(main: string, phase: string): Set<string> {
  const m = new RegExp(`<phase id="${phase}">([\\s\\S]*?)</phase>`).exec(main);
  if (!m) throw new ValidatorError(`Schematron-fasen '${phase}' findes ikke i eForms-SDK'et.`);
  return new Set([...m[1].matchAll(/pattern="EFORMS-(validation-stage-[^"]+)"/g)].map((x) => `${x[1]}.sch`));
}

/** Loads (once per process) the Schematron rules of one phase; stage files outside the phase are left out. */
export function loadPhase(sdk: string, phase: string): Promise<LoadedPhase> {
  const key = `${sdk}\0${phase}`;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const dir = path.join(sdk, "schematrons", "static");
      const main = fs.readFileSync(path.join(dir, "complete-validation.sch"), "utf8");
      const active = phaseFiles(main, phase);
      const rules = new Map<string, RuleInfo>();
      const schema = await nodeSchematron.Schema.fromString(main, {
        fetchReference: (href: string) => {
          if (!active.has(href)) return `<pattern xmlns="http://purl.oclc.org/dsdl/schematron" id="inactive-${href}"/>`;
          const text = fs.readFileSync(path.join(dir, href), "utf8");
          for (const a of text.matchAll(/<assert\b([^>]*)>/g)) {
            const id = /\bid="([^"]+)"/.exec(a[1])?.[1];
            if (!id) continue;
            const role = (/\brole="([^"]+)"/.exec(a[1])?.[1] ?? "ERROR").toUpperCase();
            rules.set(id, { role: role === "WARN" ? "WARN" : role === "INFO" ? "INFO" : "ERROR", field: /\bdiagnostics="([^"]+)"/.exec(a[1])?.[1] ?? "" });
          }
          return text;
        },
      });
      return { schema, rules };
    })();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

type Node = slimdom.Node;
type Vars = Record<string, unknown>;

function xpathOf(node: Node): string {
  const parts: string[] = [];
  for (let n: Node | null = node; n && n.nodeType === 1; n = n.parentNode) {
    const siblings = Array.from(n.parentNode?.childNodes ?? []).filter((s) => s.nodeType === 1 && s.nodeName === n!.nodeName);
    parts.unshift(siblings.length > 1 ? `${n.nodeName}[${siblings.indexOf(n) + 1}]` : n.nodeName);
  }
  return "/" + parts.join("/");
}

function lotOf(node: Node): string | undefined {
  for (let n: Node | null = node; n; n = n.parentNode) {
    if (n.nodeName === "cac:ProcurementProjectLot") {
      const id = Array.from(n.childNodes).find((c) => c.nodeName === "cbc:ID");
      return id?.textContent?.trim() || undefined;
    }
  }
  return undefined;
}

function letVariables(context: unknown, vars: { name: string; value: string | null }[], options: object, initial: Vars): Vars {
  const out: Vars = { ...initial };
  for (const v of vars) {
    try {
      if (!v.value) {
        out[v.name] = context;
        continue;
      }
      const all = evaluateXPath(v.value, context, null, out, evaluateXPath.ALL_RESULTS_TYPE, options) as unknown[];
      // A sequence of nodes must stay a sequence: a plain JS array would become an XPath array.
      const nodes = all.length !== 1 && all.every((x) => typeof x === "object" && x !== null && "nodeType" in x);
      out[v.name] = nodes ? nodeSequence(all as object[], null as never) : evaluateXPath(v.value, context, null, out, undefined, options);
    } catch (e) {
      throw new ValidatorError(`Schematron-variablen $${v.name} (${v.value}) kunne ikke evalueres: ${(e as Error).message}`);
    }
  }
  return out;
}

/**
 * Runs one phase the way Schematron defines it: per pattern, each node is checked by the first
 * rule whose context matches it; every assert of that rule whose test is false is a result.
 * The rules are read by node-schematron (includes, lets, phases); the walk is ours, because
 * node-schematron's own walk evaluates absolute rule contexts once per node of the notice
 * (minutes for the eForms rules instead of seconds). An assertion whose test cannot be
 * evaluated is reported as failed, never skipped.
 */
function runPhase(schema: Schema, doc: slimdom.Document, phaseId: string): { node: Node; assertId: string }[] {
  const options = { namespaceResolver: schema.getNamespaceUriForPrefix.bind(schema) };
  const phase = schema.phases.find((p) => p.id === phaseId);
  if (!phase) throw new ValidatorError(`Schematron-fasen '${phaseId}' findes ikke i eForms-SDK'et.`);
  let vars = letVariables(doc, schema.variables, options, {});
  vars = letVariables(doc, phase.variables, options, vars);
  const results: { node: Node; assertId: string }[] = [];
  for (const patternId of phase.active) {
    const pattern = schema.patterns.find((p) => p.id === patternId);
    if (!pattern) continue;
    const pvars = letVariables(doc, pattern.variables, options, vars);
    const ruleOf = new Map<Node, number>();
    pattern.rules.forEach((rule, i) => {
      const ctx = rule.context.trim();
      const query = ctx.startsWith("/") && !ctx.includes("|") ? ctx : `//(${ctx})`;
      let nodes: Node[];
      try {
        nodes = evaluateXPathToNodes(query, doc, null, pvars, options) as Node[];
      } catch (e) {
        throw new ValidatorError(`Schematron-reglen med kontekst '${ctx}' i mønstret ${patternId} kunne ikke evalueres: ${(e as Error).message}`);
      }
      for (const n of nodes) if (!ruleOf.has(n)) ruleOf.set(n, i);
    });
    const check = (node: Node) => {
      const i = ruleOf.get(node);
      if (i !== undefined) {
        const rule = pattern.rules[i];
        const rvars = letVariables(node, rule.variables, options, pvars);
        for (const a of rule.asserts) {
          let ok: boolean;
          try {
            ok = evaluateXPathToBoolean(a.test, node, null, rvars, options);
          } catch {
            ok = false;
          }
          if (a.isReport ? ok : !ok) results.push({ node, assertId: a.id ?? "" });
        }
      }
    };
    // Document order; an element's attributes right after the element (rules may match attributes).
    const walk = (node: Node) => {
      check(node);
      if (node.nodeType === 1) for (const a of Array.from((node as slimdom.Element).attributes)) check(a as unknown as Node);
      for (const c of Array.from(node.childNodes)) walk(c);
    };
    walk(doc);
  }
  return results;
}

/** Runs the Schematron phase `eforms-<subtype>` on a notice; every failed assertion, in document order per pattern. */
export async function validateSchematron(xml: string, sdk: string, subtype: string): Promise<RuleResult[]> {
  const { schema, rules } = await loadPhase(sdk, `eforms-${subtype}`);
  const doc = slimdom.parseXmlDocument(xml);
  return runPhase(schema, doc, `eforms-${subtype}`).map((r) => {
    const info = rules.get(r.assertId);
    const leaf = r.node.nodeType === 2 || (r.node.nodeType === 1 && !Array.from(r.node.childNodes).some((c) => c.nodeType === 1));
    const value = leaf ? (r.node.nodeType === 2 ? (r.node as unknown as slimdom.Attr).value : r.node.textContent ?? "").trim() : undefined;
    return { ruleId: r.assertId, severity: info?.role ?? "ERROR", field: info?.field ?? "", lotId: lotOf(r.node), xpath: xpathOf(r.node), ...(value !== undefined ? { value } : {}) };
  });
}

/** The notice subtype written in a notice (efac:NoticeSubType/cbc:SubTypeCode). */
export function subtypeOf(xml: string): string | undefined {
  return /<cbc:SubTypeCode[^>]*>\s*([^<\s]+)\s*</.exec(xml)?.[1];
}
