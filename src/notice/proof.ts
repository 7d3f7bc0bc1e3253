/**
 * The proof copy: the notice as a Danish document for proofreading before upload. It reads the
 * values back out of the XML with the SDK's own XPaths (fields.json) and lays them out the way
 * the notice form (notice-types/NN.json) groups them, with the SDK's Danish labels for fields,
 * groups and codes. What the proof copy shows is therefore what the XML says.
 */
import fontoxpath from "fontoxpath";
import * as slimdom from "slimdom";
import type { Block, DocumentTree, TableCell } from "../doc/ast.js";
import { formatDate, formatKr } from "../format.js";
import type { NoticeFacts } from "./facts.js";
import { fieldLabel, loadSdkData, type FormItem, type SdkData, type SdkField } from "./sdk-data.js";

const NS: Record<string, string> = {
  cac: "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
  cbc: "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
  ext: "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
  efac: "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
  efbc: "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
  efext: "http://data.europa.eu/p27/eforms-ubl-extensions/1",
  cn: "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2",
};
const options = { namespaceResolver: (p: string | null) => (p ? NS[p] ?? null : null) };

type Node = slimdom.Node;

function contains(ancestor: Node, n: Node): boolean {
  for (let x: Node | null = n; x; x = x.parentNode ?? ((x as unknown as { ownerElement?: Node }).ownerElement ?? null)) if (x === ancestor) return true;
  return false;
}

function select(xpath: string, doc: slimdom.Document, within: Node): Node[] {
  let nodes: Node[];
  try {
    nodes = fontoxpath.evaluateXPathToNodes(xpath, doc, null, {}, options) as Node[];
  } catch {
    return [];
  }
  return within === doc ? nodes : nodes.filter((n) => contains(within, n));
}

function textOf(n: Node): string {
  return (n.nodeType === 2 ? (n as unknown as slimdom.Attr).value : n.textContent ?? "").trim();
}

function display(data: SdkData, field: SdkField, n: Node): string {
  const raw = textOf(n);
  if (!raw) return "";
  const el = n as slimdom.Element;
  const list = field.codeList?.value.id ?? (n.nodeType === 1 ? el.getAttribute("listName") ?? undefined : undefined);
  if (field.type === "code" && list) {
    const label = data.labels.get(`code|name|${list}.${raw}`);
    // CPV and NUTS codes are read by their number too.
    return label ? (/^(cpv|nuts)/.test(list) ? `${raw} ${label}` : label) : raw;
  }
  if (field.type === "indicator") return raw === "true" ? "ja" : "nej";
  if (field.type === "date") return formatDate(raw.slice(0, 10));
  if (field.type === "time") return raw.slice(0, 5);
  if (field.type === "amount") {
    const currency = el.getAttribute?.("currencyID") ?? "DKK";
    return currency === "DKK" ? formatKr(Number(raw)) : `${raw} ${currency}`;
  }
  return raw;
}

interface Walk {
  data: SdkData;
  doc: slimdom.Document;
  blocks: Block[];
}

function cell(text: string): TableCell {
  return { content: [{ type: "text", text }] };
}

/** Renders one form item in a context node; returns whether anything was written. */
function renderGroup(w: Walk, g: FormItem, ctx: Node, level: number, suffix = ""): void {
  const rows: TableCell[][] = [];
  const before = w.blocks.length;
  const headingAt = w.blocks.length;
  let wroteHeading = false;
  const heading = () => {
    if (wroteHeading || level === 0) return;
    const label = w.data.labels.get(`group|name|${g.id}`) ?? g.id;
    w.blocks.splice(headingAt, 0, { type: "heading", level: Math.min(level, 4), numbered: false, content: [{ type: "text", text: label + suffix }] });
    wroteHeading = true;
  };
  const flush = () => {
    if (!rows.length) return;
    heading();
    w.blocks.push({ type: "table", header: [cell("Felt"), cell("Værdi")], rows: rows.splice(0) });
  };
  for (const item of g.content ?? []) {
    if (item.contentType === "field") {
      const field = w.data.fields.get(item.id);
      if (!field) continue;
      const values = select(field.xpathAbsolute, w.doc, ctx).map((n) => display(w.data, field, n)).filter(Boolean);
      if (values.length) rows.push([cell(fieldLabel(w.data, item.id)), cell(values.join("; "))]);
      continue;
    }
    flush();
    const node = item.nodeId ? w.data.nodes.get(item.nodeId) : undefined;
    if (node && item._repeatable) {
      const instances = select(node.xpathAbsolute, w.doc, ctx);
      instances.forEach((inst, i) => renderGroup(w, item, inst, level + 1, instances.length > 1 ? ` ${i + 1}` : ""));
    } else {
      renderGroup(w, item, ctx, level + 1);
    }
  }
  flush();
  if (w.blocks.length > before && !wroteHeading) heading();
}

/** The proof copy's document tree (Danish), ready for the document engine's writers. */
export function buildProofTree(xml: string, facts: NoticeFacts, sdk: string): DocumentTree {
  const data = loadSdkData(sdk);
  const doc = slimdom.parseXmlDocument(xml);
  const w: Walk = { data, doc, blocks: [] };
  const kind = facts.subtype === "20" ? "Udbudsbekendtgørelse, light-regime (eForms-underformular 20)" : "Udbudsbekendtgørelse (eForms-underformular 16)";
  w.blocks.push({
    type: "paragraph",
    content: [{ type: "text", text: `Korrekturudgave af ${kind.toLowerCase()} til kontrol før upload til TED eSender/eNotices2. Felternes betegnelser er EU's danske, fra eForms-SDK 1.15. Værdierne er læst direkte fra XML-filen.` }],
  });
  renderGroup(w, { contentType: "group", id: "notice", content: data.form(facts.subtype) }, doc, 0);
  return {
    id: "bekendtgoerelse",
    title: facts.title,
    subtitle: [kind, facts.buyer.name],
    label: "Udbudsbekendtgørelse",
    lang: "da",
    date: facts.issueDate,
    author: facts.buyer.name,
    blocks: w.blocks,
  } as DocumentTree;
}
