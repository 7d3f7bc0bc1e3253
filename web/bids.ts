/**
 * The bids file as tables for the studio's evaluation view: one table per lot, a row per bid, a
 * column per price (indsats or element) and per quality score (kriterium × bedømmer), exactly as the
 * file has them. An edit in the table becomes a text edit of the file: only the edited value's
 * characters are replaced (comments and layout kept; the file is never re-serialised). A value
 * written in a way a text edit cannot safely replace (an alias, an anchor, a tag, a quoted or block
 * scalar where a number belongs) is shown locked, with the reason, to be edited in the editor.
 */
import { isMap, isScalar, isSeq, parseDocument, type Scalar, type YAMLMap } from "yaml";

export interface BidCell {
  /** Column key: `pris:indsats:T1`, `pris:element:PSY`, `kvalitet:progression:AJ`. */
  key: string;
  value: string;
  /** Why the cell cannot be edited here (absent when it can). */
  locked?: string;
}

export interface BidRow {
  /** Position of the bid in the file's `bud` list. */
  index: number;
  tilbudsgiver: BidCell;
  cells: Map<string, BidCell>;
}

export interface BidColumn {
  key: string;
  /** Column heading: the indsats/element id, or the criterion and the evaluator. */
  label: string;
  group: "pris" | "kvalitet";
}

export interface BidTable {
  lot: string;
  columns: BidColumn[];
  rows: BidRow[];
}

export interface TextEdit {
  from: number;
  to: number;
  insert: string;
}

function bidItems(text: string): { items: unknown[] } | { error: string } {
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  if (doc.errors.length) return { error: `Budfilen kan ikke læses som YAML (${doc.errors[0].message.split("\n")[0]}); ret den i editoren.` };
  const root = doc.contents;
  const bud = isMap(root) ? root.get("bud", true) : undefined;
  if (!isSeq(bud)) return { error: "Budfilen har ingen liste 'bud:'; ret den i editoren." };
  return { items: bud.items };
}

function lockReason(node: unknown, numeric: boolean): string | undefined {
  if (!isScalar(node)) return "værdien er ikke en enkelt værdi (fx et alias)";
  if (node.anchor || node.tag) return "værdien har et anker eller en type-markering";
  if (!node.range) return "værdien har ingen plads i teksten";
  if (numeric && (node.type !== "PLAIN" || typeof node.value !== "number")) return "værdien er ikke skrevet som et tal";
  if (!numeric && node.type !== "PLAIN" && node.type !== "QUOTE_DOUBLE" && node.type !== "QUOTE_SINGLE") return "værdien er skrevet som en tekstblok";
  return undefined;
}

function cell(key: string, node: unknown, numeric: boolean): BidCell {
  const locked = lockReason(node, numeric);
  const value = isScalar(node) ? String(node.value ?? "") : "";
  return locked ? { key, value, locked } : { key, value };
}

/** The bid's values with their column keys and nodes (in file order). */
function bidValues(item: YAMLMap): { key: string; label: string; group: BidColumn["group"]; node: unknown }[] {
  const out: { key: string; label: string; group: BidColumn["group"]; node: unknown }[] = [];
  const priser = item.get("priser", true);
  if (isSeq(priser)) {
    for (const p of priser.items) {
      if (!isMap(p)) continue;
      const kind = p.has("indsats") ? "indsats" : p.has("element") ? "element" : undefined;
      if (!kind) continue;
      const id = String(p.get(kind) ?? "");
      out.push({ key: `pris:${kind}:${id}`, label: id, group: "pris", node: p.get("pris", true) });
    }
  }
  const kvalitet = item.get("kvalitet", true);
  if (isSeq(kvalitet)) {
    for (const q of kvalitet.items) {
      if (!isMap(q)) continue;
      const k = String(q.get("kriterium") ?? "");
      const who = q.has("bedømmer") ? String(q.get("bedømmer")) : "";
      out.push({ key: `kvalitet:${k}:${who}`, label: who ? `${k} (${who})` : k, group: "kvalitet", node: q.get("point", true) });
    }
  }
  return out;
}

/** The bids file's bids as one table per lot, or why it cannot be shown. */
export function bidTables(text: string): { tables: BidTable[] } | { error: string } {
  const read = bidItems(text);
  if ("error" in read) return read;
  const tables = new Map<string, BidTable>();
  read.items.forEach((item, index) => {
    if (!isMap(item)) return;
    const lot = String(item.get("delkontrakt") ?? "");
    let t = tables.get(lot);
    if (!t) tables.set(lot, (t = { lot, columns: [], rows: [] }));
    const row: BidRow = { index, tilbudsgiver: cell("tilbudsgiver", item.get("tilbudsgiver", true), false), cells: new Map() };
    for (const v of bidValues(item)) {
      if (row.cells.has(v.key)) continue; // a repeated value: the first is shown, the reader reports the repeat
      row.cells.set(v.key, cell(v.key, v.node, true));
      if (!t.columns.some((c) => c.key === v.key)) t.columns.push({ key: v.key, label: v.label, group: v.group });
    }
    t.rows.push(row);
  });
  for (const t of tables.values()) t.columns.sort((a, b) => (a.group === b.group ? 0 : a.group === "pris" ? -1 : 1));
  return { tables: [...tables.values()] };
}

/** A number typed by a user: Danish (3.100,50) or plain (3100.5). */
export function parseAmount(s: string): number | undefined {
  const t = s.trim().replace(/\s|kr\.?$/g, "");
  if (!t) return undefined;
  const plain = t.includes(",") ? t.replace(/\./g, "").replace(",", ".") : /^\d{1,3}(\.\d{3})+$/.test(t) ? t.replace(/\./g, "") : t;
  if (!/^-?\d+(\.\d+)?$/.test(plain)) return undefined;
  const n = Number(plain);
  return Number.isFinite(n) ? n : undefined;
}

/** A bidder's name as a YAML scalar: plain when that reads back as the same text, else double-quoted. */
export function yamlText(s: string): string {
  const plainOk = /^[\p{L}\p{N}][\p{L}\p{N} .,&'()/+-]*$/u.test(s) && !/[ ]$/.test(s) && !/^(true|false|null|yes|no|on|off|~)$/i.test(s) && !/^[-+]?[\d.]+$/.test(s);
  return plainOk ? s : JSON.stringify(s);
}

/** The text edit that sets one cell (or the bidder's name) of bid `index`; or why it cannot be made. */
export function cellEdit(text: string, index: number, key: string, input: string): TextEdit | { error: string } {
  const read = bidItems(text);
  if ("error" in read) return read;
  const item = read.items[index];
  if (!isMap(item)) return { error: "Buddet findes ikke længere i budfilen." };
  let node: unknown;
  let insert: string;
  if (key === "tilbudsgiver") {
    node = item.get("tilbudsgiver", true);
    const name = input.trim();
    if (!name) return { error: "Tilbudsgiveren skal have et navn." };
    insert = yamlText(name);
  } else {
    node = bidValues(item).find((v) => v.key === key)?.node;
    const n = parseAmount(input);
    if (n === undefined || n < 0) return { error: `'${input.slice(0, 40)}' er ikke et tal (skriv fx 3100 eller 3.100,50).` };
    insert = String(n);
  }
  const why = lockReason(node, key !== "tilbudsgiver");
  if (why) return { error: `Feltet kan ikke ændres i tabellen, fordi ${why}; ret det i editoren.` };
  const [from, to] = (node as Scalar).range!;
  return { from, to, insert };
}

/**
 * A new bid in the same lot: the text of bid `index` copied below it (its comments and layout
 * with it), with the bidder named `name`. Checked by reading the result back.
 */
export function addBidEdit(text: string, index: number, name: string): TextEdit | { error: string } {
  const read = bidItems(text);
  if ("error" in read) return read;
  const item = read.items[index];
  if (!isMap(item) || !item.range) return { error: "Buddet findes ikke længere i budfilen." };
  const start = text.lastIndexOf("\n", item.range[0] - 1) + 1;
  const prefix = text.slice(start, item.range[0]);
  if (!/^\s*-\s+$/.test(prefix)) return { error: "Buddet står ikke på sin egen linje i listen; tilføj det nye bud i editoren." };
  // The end of the line the bid's last value is on (a new line right after it, or the file's end).
  let end = text.indexOf("\n", Math.max(item.range[1] - 1, item.range[0]));
  if (end < 0) end = text.length;
  const name0 = item.get("tilbudsgiver", true);
  if (lockReason(name0, false)) return { error: "Tilbudsgiverens navn er skrevet på en måde, tabellen ikke kan kopiere; tilføj det nye bud i editoren." };
  const [nf, nt] = (name0 as Scalar).range!;
  if (nf < start || nt > end) return { error: "Buddet kan ikke kopieres; tilføj det nye bud i editoren." };
  const block = text.slice(start, nf) + yamlText(name) + text.slice(nt, end);
  const edit: TextEdit = { from: end, to: end, insert: "\n" + block };
  const after = text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
  const back = bidItems(after);
  if ("error" in back || back.items.length !== read.items.length + 1 || !isMap(back.items[index + 1]) || String((back.items[index + 1] as YAMLMap).get("tilbudsgiver")) !== name) {
    return { error: "Det nye bud kunne ikke indsættes uden at ændre resten af filen; tilføj det i editoren." };
  }
  return edit;
}
