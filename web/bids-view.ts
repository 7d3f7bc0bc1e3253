/**
 * The evaluation view's bid tables (see bids.ts): typed values become text edits of the bids
 * file's buffer (unsaved until the user saves), and the ranking is asked for again as you type.
 */
import { addBidEdit, bidTables, cellEdit, type BidCell, type BidTable, type TextEdit } from "./bids.js";

export interface BidsHost {
  /** The current text of the bids file (the editor's buffer). */
  text(): string;
  /** Applies a text edit to the bids file's buffer (and to the editor, if the file is open). */
  apply(edit: TextEdit): void;
  /** The ranking should follow the buffer. */
  changed(): void;
  save(): void;
}

export function renderBids(box: HTMLElement, name: string, host: BidsHost) {
  box.replaceChildren();
  const h = document.createElement("h2");
  h.id = "bids-title";
  h.textContent = `Bud (${name})`;
  const hint = document.createElement("p");
  hint.className = "hint";
  hint.textContent = `Ret en pris, et point eller et navn i tabellen: rangfølgen følger med, mens du skriver. Ændringen skrives i ${name} som tekst (kommentarer og opstilling bevares) og er ikke gemt, før du gemmer.`;
  const status = document.createElement("p");
  status.id = "bids-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  box.append(h, hint);
  const read = bidTables(host.text());
  if ("error" in read) {
    status.textContent = read.error;
    box.append(status);
    return;
  }
  for (const t of read.tables) box.append(...table(t, name, host, status, box));
  const save = document.createElement("button");
  save.type = "button";
  save.id = "bids-save";
  save.textContent = `Gem ${name}`;
  save.addEventListener("click", () => host.save());
  box.append(save, status);
}

function table(t: BidTable, name: string, host: BidsHost, status: HTMLElement, box: HTMLElement): HTMLElement[] {
  const wrap = document.createElement("div");
  wrap.className = "bids-wrap";
  const el = document.createElement("table");
  el.className = "bids";
  el.dataset.lot = t.lot;
  const cap = document.createElement("caption");
  cap.textContent = `Delkontrakt ${t.lot}: bud`;
  el.append(cap);
  const head = el.createTHead();
  const groups = head.insertRow();
  const th0 = document.createElement("th");
  th0.rowSpan = 2;
  th0.scope = "col";
  th0.textContent = "Tilbudsgiver";
  groups.append(th0);
  for (const [g, label] of [["pris", "Priser (kr.)"], ["kvalitet", "Kvalitetspoint"]] as const) {
    const n = t.columns.filter((c) => c.group === g).length;
    if (!n) continue;
    const th = document.createElement("th");
    th.colSpan = n;
    th.scope = "colgroup";
    th.textContent = label;
    groups.append(th);
  }
  const cols = head.insertRow();
  for (const c of t.columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = c.label;
    cols.append(th);
  }
  const body = el.createTBody();
  for (const row of t.rows) {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.append(field(row.tilbudsgiver, "Tilbudsgiver", row.index, host, status, false));
    tr.append(th);
    for (const c of t.columns) {
      const td = tr.insertCell();
      const v = row.cells.get(c.key);
      if (!v) {
        td.textContent = "–";
        td.title = "Ikke i buddet";
        continue;
      }
      td.append(field(v, `${row.tilbudsgiver.value}: ${c.group === "pris" ? "pris for" : "point for"} ${c.label}`, row.index, host, status, true));
    }
  }
  wrap.append(el);
  const add = document.createElement("button");
  add.type = "button";
  add.className = "add-bid";
  add.textContent = `Tilføj tilbudsgiver til ${t.lot}`;
  add.addEventListener("click", () => {
    const last = t.rows[t.rows.length - 1];
    const taken = new Set(t.rows.map((r) => r.tilbudsgiver.value));
    let n = 1;
    while (taken.has(`Ny tilbudsgiver ${n}`)) n++;
    const edit = addBidEdit(host.text(), last.index, `Ny tilbudsgiver ${n}`);
    if ("error" in edit) {
      status.textContent = edit.error;
      return;
    }
    host.apply(edit);
    renderBids(box, name, host);
    host.changed();
    const inputs = box.querySelectorAll<HTMLInputElement>(`table.bids[data-lot="${CSS.escape(t.lot)}"] tbody th input`);
    inputs[inputs.length - 1]?.focus();
    inputs[inputs.length - 1]?.select();
    (box.querySelector("#bids-status") as HTMLElement).textContent = `Ny tilbudsgiver ${n} er tilføjet med priserne og pointene fra ${last.tilbudsgiver.value}; ret dem i tabellen.`;
  });
  return [wrap, add];
}

function field(v: BidCell, label: string, index: number, host: BidsHost, status: HTMLElement, numeric: boolean): HTMLElement {
  if (v.locked) {
    const span = document.createElement("span");
    span.className = "locked";
    span.textContent = `${v.value} (låst)`;
    span.title = `Kan ikke ændres i tabellen, fordi ${v.locked}; ret den i editoren.`;
    return span;
  }
  const input = document.createElement("input");
  input.type = "text";
  if (numeric) {
    input.inputMode = "decimal";
    input.size = 6;
  }
  input.value = v.value;
  input.setAttribute("aria-label", label);
  input.dataset.key = v.key;
  input.dataset.bid = String(index);
  input.addEventListener("input", () => {
    const edit = cellEdit(host.text(), index, v.key, input.value);
    if ("error" in edit) {
      input.setAttribute("aria-invalid", "true");
      status.textContent = edit.error;
      return;
    }
    input.removeAttribute("aria-invalid");
    status.textContent = "";
    host.apply(edit);
    host.changed();
  });
  return input;
}
