/**
 * The SDK's metadata that the tool reads at run time: Danish labels (fields, groups, codes),
 * the fields and nodes with their XPaths (fields.json) and the notice form (notice-types/NN.json).
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface SdkField {
  id: string;
  parentNodeId: string;
  xpathAbsolute: string;
  xpathRelative: string;
  type: string;
  codeList?: { value: { id: string; parentId?: string } };
}

export interface SdkNode {
  id: string;
  parentId?: string;
  xpathAbsolute: string;
  repeatable?: boolean;
}

export interface FormItem {
  contentType: "group" | "field";
  id: string;
  nodeId?: string;
  _repeatable?: boolean;
  content?: FormItem[];
}

export interface SdkData {
  labels: Map<string, string>;
  fields: Map<string, SdkField>;
  nodes: Map<string, SdkNode>;
  form(subtype: string): FormItem[];
}

const cache = new Map<string, SdkData>();

function readEntries(file: string, into: Map<string, string>): void {
  const text = fs.readFileSync(file, "utf8");
  for (const m of text.matchAll(/<entry key="([^"]+)">([^<]*)<\/entry>/g)) into.set(m[1], decode(m[2]));
}

function decode(s: string): string {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}

export function loadSdkData(sdk: string): SdkData {
  const hit = cache.get(sdk);
  if (hit) return hit;
  const labels = new Map<string, string>();
  for (const f of ["field_da.xml", "group_da.xml", "code_da.xml"]) readEntries(path.join(sdk, "translations", f), labels);
  const json = JSON.parse(fs.readFileSync(path.join(sdk, "fields", "fields.json"), "utf8")) as { fields: SdkField[]; xmlStructure: SdkNode[] };
  const forms = new Map<string, FormItem[]>();
  const data: SdkData = {
    labels,
    fields: new Map(json.fields.map((f) => [f.id, f])),
    nodes: new Map(json.xmlStructure.map((n) => [n.id, n])),
    form(subtype: string) {
      let f = forms.get(subtype);
      if (!f) {
        f = (JSON.parse(fs.readFileSync(path.join(sdk, "notice-types", `${subtype}.json`), "utf8")) as { content: FormItem[] }).content;
        forms.set(subtype, f);
      }
      return f;
    },
  };
  cache.set(sdk, data);
  return data;
}

/** The Danish name of a field (`BT-131(d)-Lot`), falling back to its id. */
export function fieldLabel(data: SdkData, id: string): string {
  return data.labels.get(`field|name|${id}`) ?? id;
}

/** The field id a rule's `diagnostics` names: `ND-Lot_BT-630_d_-Lot` → `BT-630(d)-Lot`. */
export function fieldOfDiagnostic(diag: string): string {
  const m = /(?:^|_)((?:BT|OPT|OPP|OPA)-.*)$/.exec(diag);
  if (!m) return diag;
  return m[1].replace(/_([a-z0-9]+)_/g, "($1)");
}
