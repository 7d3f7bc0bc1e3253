/**
 * The studio's page: files, a CodeMirror editor with the spec's JSON Schema (completion and hover
 * in Danish) and udbud's own diagnostics, a live HTML preview of any document, the simulation with
 * sliders, the evaluation with a what-if for the weights, and the comparison with the saved
 * version. Talks only to its own server (same origin); shows spec text as text, never as HTML
 * (the previews are our writers' HTML in sandboxed frames without scripts).
 */
import { EditorView, basicSetup } from "codemirror";
import { EditorState, type Extension } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { yaml, yamlLanguage } from "@codemirror/lang-yaml";
import { setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { yamlCompletion, yamlSchemaHover } from "codemirror-json-schema/yaml";
import { stateExtensions, updateSchema } from "codemirror-json-schema";
import { hoverTooltip } from "@codemirror/view";
import type { TextEdit } from "./bids.js";
import { renderBids } from "./bids-view.js";

type Kind = "udbud" | "delkontrakt" | "scenarie" | "bud" | "andet";
interface FileInfo { name: string; kind: Kind; version: string }
interface Diag { severity: "fejl" | "advarsel"; line: number; column: number; message: string; path: string; code: string }
interface Check { files: Record<string, Diag[]>; errors: number; warnings: number; documents: { id: string; title: string }[]; html?: string; previewError?: string }
interface SimParam { id: string; label: string; min: number; max: number; step: number }
interface State { folder: string; files: FileInfo[]; revisions: { rev: string; title: string }[]; simParams: SimParam[]; others: { id: string; name: string }[] }

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const nonce = (document.querySelector('meta[name="udbud-nonce"]') as HTMLMetaElement).content;
const KIND_LABEL: Record<Kind, string> = { udbud: "udbud", delkontrakt: "delkontrakt", scenarie: "scenarie", bud: "bud", andet: "fil" };
const kr = (n: number) => `${Math.round(n).toLocaleString("da-DK")} kr.`;
const MODEL_LABEL: Record<string, string> = { timepris: "Timepris", ugepris: "Ugepris", dagspris: "Dagspris", "helårsperson": "Helårsperson", resultatbaseret: "Resultatbaseret" };

// --- Server -----------------------------------------------------------------------------------

class HttpError extends Error {
  constructor(message: string, readonly status: number, readonly body: any) { super(message); }
}

async function api<T = any>(url: string, body?: unknown, raw = false): Promise<T> {
  const res = await fetch(url, body === undefined ? { credentials: "same-origin" } : { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (raw && res.ok) return (await res.blob()) as T;
  const type = res.headers.get("content-type") ?? "";
  const data = type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) throw new HttpError(typeof data === "object" && data?.error ? data.error : String(data), res.status, data);
  return data as T;
}

// --- Buffers: the editor's texts, kept in the browser until saved --------------------------------

interface Buffer { name: string; kind: Kind; base: string | null; text: string; saved: string; state?: EditorState }
const buffers = new Map<string, Buffer>();
let current: Buffer | undefined;
let state: State;
const storeKey = (name: string) => `udbud-studio:${state.folder}:${name}`;

function dirty(b: Buffer) { return b.text !== b.saved; }
function unsaved(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const b of buffers.values()) if (dirty(b) || b.base === null) out[b.name] = b.text;
  return out;
}
function remember(b: Buffer) {
  if (dirty(b) || b.base === null) localStorage.setItem(storeKey(b.name), JSON.stringify({ text: b.text, base: b.base, kind: b.kind }));
  else localStorage.removeItem(storeKey(b.name));
}

// --- Banner and status --------------------------------------------------------------------------

function banner(text: string, actions: { label: string; run: () => void }[] = []) {
  const el = $("banner");
  el.replaceChildren();
  const p = document.createElement("span");
  p.textContent = text;
  el.append(p);
  for (const a of actions) {
    const btn = document.createElement("button");
    btn.type = "button";
    btn.textContent = a.label;
    btn.addEventListener("click", () => { el.hidden = true; a.run(); });
    el.append(btn);
  }
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "Luk";
  close.setAttribute("aria-label", "Luk beskeden");
  close.addEventListener("click", () => (el.hidden = true));
  el.append(close);
  el.hidden = false;
}

function setStatus(text: string) { $("status").textContent = text; }

// --- Editor -------------------------------------------------------------------------------------

const schemas = new Map<string, unknown>();
async function schemaFor(kind: Kind): Promise<unknown | undefined> {
  const k = kind === "udbud" || kind === "delkontrakt" || kind === "scenarie" ? kind : undefined;
  if (!k) return undefined;
  if (!schemas.has(k)) schemas.set(k, await api(`/api/schema?kind=${k}`));
  return schemas.get(k);
}

function hoverTexts(data: { schema: any; pointer: string }) {
  const s = data.schema ?? {};
  const title = s.title ? `${s.title}` : data.pointer.split("/").pop() ?? "";
  const allowed = Array.isArray(s.enum) ? `Tilladte værdier: ${s.enum.join(", ")}` : "";
  return { message: [title, s.description].filter(Boolean).join(" — "), typeInfo: allowed };
}

let view: EditorView;
let checkTimer: number | undefined;

function extensions(): Extension[] {
  return [
    basicSetup,
    yaml(),
    EditorView.cspNonce.of(nonce),
    EditorView.contentAttributes.of({ "aria-label": "YAML-editor", tabindex: "0" }),
    yamlLanguage.data.of({ autocomplete: yamlCompletion() }),
    hoverTooltip(yamlSchemaHover({ getHoverTexts: hoverTexts as any })),
    stateExtensions(),
    keymap.of([{ key: "Mod-s", preventDefault: true, run: () => { void save(); return true; } }]),
    EditorView.updateListener.of((u) => {
      if (!u.docChanged || !current) return;
      current.text = u.state.doc.toString();
      remember(current);
      renderFiles();
      scheduleCheck();
    }),
  ];
}

/** The buffer of a file, read from the server the first time. */
async function ensureBuffer(name: string): Promise<Buffer> {
  let b = buffers.get(name);
  if (!b) {
    const info = state.files.find((f) => f.name === name)!;
    const disk = await api<{ text: string; version: string }>(`/api/file?name=${encodeURIComponent(name)}`);
    b = buffers.get(name) ?? { name, kind: info.kind, base: disk.version, text: disk.text, saved: disk.text };
    buffers.set(name, b);
  }
  return b;
}

/** A text edit of a buffer (from the bid tables): through the editor when the file is open there, so undo works. */
function applyEdit(b: Buffer, e: TextEdit) {
  if (current === b) {
    view.dispatch({ changes: e });
    return;
  }
  b.state = (b.state ?? EditorState.create({ doc: b.text, extensions: extensions() })).update({ changes: e }).state;
  b.text = b.state.doc.toString();
  remember(b);
  renderFiles();
  scheduleCheck();
}

async function open(name: string) {
  if (current) current.state = view.state;
  const b = await ensureBuffer(name);
  current = b;
  if (!b.state) {
    b.state = EditorState.create({ doc: b.text, extensions: extensions() });
  }
  view.setState(b.state);
  const schema = await schemaFor(b.kind);
  if (schema) updateSchema(view, schema as any);
  $("current-file").textContent = name;
  renderFiles();
  showProblems();
  const nummer = b.kind === "delkontrakt" ? /^nummer:\s*(\d+)/m.exec(b.text)?.[1] : undefined;
  const sel = $<HTMLSelectElement>("doc");
  const annex = nummer ? [...sel.options].find((o) => o.value.startsWith(`bilag-a${nummer}-`)) : undefined;
  if (annex && sel.value !== annex.value) {
    sel.value = annex.value;
    void refreshPreview();
  }
}

function renderFiles() {
  const ul = $("files");
  ul.replaceChildren();
  const names = new Set([...state.files.map((f) => f.name), ...buffers.keys()]);
  for (const name of names) {
    const b = buffers.get(name);
    const kind = b?.kind ?? state.files.find((f) => f.name === name)?.kind ?? "andet";
    const li = document.createElement("li");
    const btn = document.createElement("button");
    btn.type = "button";
    btn.className = "file";
    btn.dataset.file = name;
    if (current?.name === name) btn.setAttribute("aria-current", "true");
    const n = lastCheck?.files[name]?.filter((d) => d.severity === "fejl").length ?? 0;
    btn.textContent = `${name}${b && dirty(b) ? " •" : ""}`;
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = ` ${KIND_LABEL[kind]}${n ? `, ${n} fejl` : ""}`;
    btn.append(meta);
    btn.setAttribute("aria-label", `${name}, ${KIND_LABEL[kind]}${b && dirty(b) ? ", ikke gemt" : ""}${n ? `, ${n} fejl` : ""}`);
    btn.addEventListener("click", () => void open(name));
    li.append(btn);
    ul.append(li);
  }
}

// --- Diagnostics and preview --------------------------------------------------------------------

let lastCheck: Check | undefined;
let checking = false;
let again = false;

function scheduleCheck(delay = 25) {
  clearTimeout(checkTimer);
  checkTimer = window.setTimeout(() => void runCheck(), delay);
}

async function runCheck() {
  if (checking) { again = true; return; }
  checking = true;
  try {
    const doc = $<HTMLSelectElement>("doc").value || undefined;
    lastCheck = await api<Check>("/api/check", { buffers: unsaved(), preview: doc });
    setStatus(lastCheck.errors ? `${lastCheck.errors} fejl, ${lastCheck.warnings} advarsler` : `Ingen fejl${lastCheck.warnings ? `, ${lastCheck.warnings} advarsler` : ""}`);
    showProblems();
    renderFiles();
    renderDocs();
    if (lastCheck.html !== undefined && doc === $<HTMLSelectElement>("doc").value) showHtml($<HTMLIFrameElement>("preview"), lastCheck.html);
    else await refreshPreview();
  } catch (e) {
    setStatus(`Kunne ikke tjekke: ${(e as Error).message}`);
  } finally {
    checking = false;
    if (again) { again = false; scheduleCheck(0); }
  }
}

function toCm(d: Diag, doc: EditorState["doc"]): CmDiagnostic {
  const line = doc.line(Math.min(Math.max(1, d.line), doc.lines));
  const from = Math.min(line.from + Math.max(0, d.column - 1), line.to);
  const to = from < line.to ? line.to : from;
  return { from, to, severity: d.severity === "fejl" ? "error" : "warning", message: d.message, source: "udbud" };
}

function showProblems() {
  if (!current || !view) return;
  const ds = lastCheck?.files[current.name] ?? [];
  view.dispatch(setDiagnostics(view.state, ds.map((d) => toCm(d, view.state.doc))));
  const ul = $("problems");
  ul.replaceChildren();
  for (const d of ds) {
    const li = document.createElement("li");
    li.className = d.severity;
    const btn = document.createElement("button");
    btn.type = "button";
    btn.textContent = `Linje ${d.line}, kolonne ${d.column}: ${d.severity}: ${d.message}`;
    btn.addEventListener("click", () => {
      const line = view.state.doc.line(Math.min(d.line, view.state.doc.lines));
      view.dispatch({ selection: { anchor: Math.min(line.from + d.column - 1, line.to) }, scrollIntoView: true });
      view.focus();
    });
    li.append(btn);
    ul.append(li);
  }
  if (!ds.length) {
    const li = document.createElement("li");
    li.className = "ok";
    li.textContent = "Ingen fejl eller advarsler i filen.";
    ul.append(li);
  }
}

function renderDocs() {
  const sel = $<HTMLSelectElement>("doc");
  const docs = lastCheck?.documents ?? [];
  if (!docs.length) return;
  const keep = sel.value;
  if (sel.options.length === docs.length && [...sel.options].every((o, i) => o.value === docs[i].id)) return;
  sel.replaceChildren(...docs.map((d) => new Option(`${d.title} (${d.id})`, d.id)));
  if (docs.some((d) => d.id === keep)) sel.value = keep;
}

/**
 * Shows our writer's HTML in a sandboxed frame (no scripts), keeping its scroll position. When the
 * frame already shows a document with the same styles, only the changed parts of the body are
 * replaced in place (no reload: no re-layout of the whole document, no flash, scroll kept);
 * otherwise the frame loads the document anew.
 */
function showHtml(frame: HTMLIFrameElement, html: string) {
  const fresh = new DOMParser().parseFromString(html, "text/html");
  const styles = [...fresh.head.querySelectorAll("style")].map((s) => s.textContent).join("\n");
  const doc = frame.contentDocument;
  if (doc?.body && doc.readyState === "complete" && frame.dataset.styles === styles) {
    if (doc.title !== fresh.title) doc.title = fresh.title;
    patchChildren(doc, doc.body, fresh.body);
    return;
  }
  frame.dataset.styles = styles;
  const y = frame.contentWindow?.scrollY ?? 0;
  frame.addEventListener("load", () => frame.contentWindow?.scrollTo(0, y), { once: true });
  frame.srcdoc = html.replace(/<style>/g, `<style nonce="${nonce}">`);
}

function sameAttributes(a: Element, b: Element): boolean {
  if (a.tagName !== b.tagName || a.attributes.length !== b.attributes.length) return false;
  for (const at of a.attributes) if (b.getAttribute(at.name) !== at.value) return false;
  return true;
}

/** Makes `old`'s children equal to `fresh`'s: equal runs at both ends are kept, the middle replaced (recursing into a lone changed element). */
function patchChildren(doc: Document, old: Node, fresh: Node) {
  const a = [...old.childNodes];
  const b = [...fresh.childNodes];
  let start = 0;
  while (start < a.length && start < b.length && a[start].isEqualNode(b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1].isEqualNode(b[endB - 1])) { endA--; endB--; }
  if (endA - start === 1 && endB - start === 1) {
    const x = a[start];
    const y = b[start];
    if (x instanceof Element && y instanceof Element && sameAttributes(x, y) && x.childNodes.length > 1) return patchChildren(doc, x, y);
  }
  const before = a[endA] ?? null;
  for (let i = start; i < endA; i++) old.removeChild(a[i]);
  for (let i = start; i < endB; i++) old.insertBefore(doc.importNode(b[i], true), before);
}

/**
 * A click in the preview jumps to the YAML the text came from: the spec's text is printed
 * literally, so the clicked paragraph's words are looked up in the open files (block scalars wrap
 * lines, so the search runs on words, not on lines). Generated text that has no source is said so.
 */
function wireSourceJump(frame: HTMLIFrameElement) {
  frame.addEventListener("load", () => {
    const doc = frame.contentDocument;
    if (!doc) return;
    doc.addEventListener("click", (ev) => {
      const el = (ev.target as Element | null)?.closest("p, li, td, th, h1, h2, h3, h4, h5, h6, figcaption");
      const text = (el?.textContent ?? "").replace(/\s+/g, " ").trim();
      if (text) void jumpToSource(text);
    });
  });
}

function words(s: string): string[] {
  return s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

async function jumpToSource(text: string) {
  const want = words(text);
  if (want.length === 0) return;
  // Candidate needles: the paragraph's first 8 words, then any run of 6 (numbered headings and
  // generated lead-ins put words before the spec's own text).
  const needles: string[][] = [];
  for (let i = 0; i + Math.min(6, want.length) <= want.length && needles.length < 40; i++) needles.push(want.slice(i, i + Math.min(8, want.length)));
  const names = [...new Set([...state.files.map((f) => f.name), ...buffers.keys()])];
  for (const needle of needles) {
    for (const name of names) {
      let b = buffers.get(name);
      const textOf = b?.text ?? (await api<{ text: string }>(`/api/file?name=${encodeURIComponent(name)}`)).text;
      const lines = textOf.split("\n");
      // Words of the file with the line each word is on.
      const flat: { w: string; line: number }[] = [];
      lines.forEach((l, i) => { for (const w of words(l.replace(/#.*$/, ""))) flat.push({ w, line: i + 1 }); });
      for (let i = 0; i + needle.length <= flat.length; i++) {
        let ok = true;
        for (let j = 0; j < needle.length && ok; j++) ok = flat[i + j].w === needle[j];
        if (!ok) continue;
        await open(name);
        const line = view.state.doc.line(flat[i].line);
        view.dispatch({ selection: { anchor: line.from, head: line.to }, scrollIntoView: true });
        view.focus();
        setStatus(`Teksten står i ${name}, linje ${flat[i].line}.`);
        b = buffers.get(name);
        return;
      }
    }
  }
  setStatus("Teksten kommer fra skabelonen, ikke fra udbuddets YAML.");
}

async function refreshPreview() {
  const doc = $<HTMLSelectElement>("doc").value;
  if (!doc || !lastCheck || lastCheck.errors) return;
  try {
    const r = await api<{ html: string }>("/api/preview", { buffers: unsaved(), doc });
    showHtml($<HTMLIFrameElement>("preview"), r.html);
  } catch (e) {
    setStatus(`Forhåndsvisningen kunne ikke laves: ${(e as Error).message}`);
  }
}

async function downloadBlob(url: string, body: unknown, name: string) {
  try {
    const blob = await api<Blob>(url, body, true);
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  } catch (e) {
    banner(`Filen kunne ikke hentes: ${(e as Error).message}`);
  }
}

// --- Saving and changes on disk -----------------------------------------------------------------

async function save(force = false, b: Buffer | undefined = current) {
  if (!b) return;
  try {
    const r = await api<{ version: string }>("/api/save", { name: b.name, text: b.text, baseVersion: b.base, force });
    b.base = r.version;
    b.saved = b.text;
    remember(b);
    if (!state.files.some((f) => f.name === b.name)) state.files.push({ name: b.name, kind: b.kind, version: r.version });
    renderFiles();
    setStatus(`${b.name} er gemt.`);
  } catch (e) {
    if (e instanceof HttpError && e.status === 409) {
      banner(`${b.name} er ændret på disken, siden du åbnede den. Gemmer du, overskrives den anden ændring.`, [
        { label: "Overskriv med min version", run: () => void save(true, b) },
        { label: "Indlæs versionen fra disken", run: () => reload(b.name, e.body.diskText, e.body.diskVersion) },
      ]);
    } else banner(`Filen kunne ikke gemmes: ${(e as Error).message}`);
  }
}

function reload(name: string, text: string, version: string) {
  const b = buffers.get(name);
  if (!b) return;
  b.text = text;
  b.saved = text;
  b.base = version;
  b.state = EditorState.create({ doc: text, extensions: extensions() });
  remember(b);
  if (current?.name === name) {
    current = undefined;
    void open(name);
  }
  scheduleCheck(0);
}

function listenForChanges() {
  const es = new EventSource("/api/events");
  es.addEventListener("changed", async (ev) => {
    const { name, version } = JSON.parse((ev as MessageEvent).data) as { name: string; version: string | null };
    const b = buffers.get(name);
    const fresh = await api<State>("/api/state");
    state.files = fresh.files;
    renderFiles();
    if (!b || version === null || version === b.base) return;
    const disk = await api<{ text: string; version: string }>(`/api/file?name=${encodeURIComponent(name)}`);
    if (disk.text === b.text) { b.base = disk.version; b.saved = disk.text; remember(b); return; }
    banner(`${name} er ændret uden for studiet.${dirty(b) ? " Du har også ikke-gemte ændringer i filen." : ""}`, [
      { label: "Indlæs ændringen fra disken", run: () => reload(name, disk.text, disk.version) },
      { label: "Behold min version", run: () => { b.base = disk.version; b.saved = "\u0000"; remember(b); renderFiles(); } },
    ]);
  });
}

function restoreUnsaved() {
  const restored: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i)!;
    if (!key.startsWith(`udbud-studio:${state.folder}:`)) continue;
    const name = key.slice(`udbud-studio:${state.folder}:`.length);
    try {
      const v = JSON.parse(localStorage.getItem(key)!);
      const info = state.files.find((f) => f.name === name);
      buffers.set(name, { name, kind: v.kind ?? info?.kind ?? "andet", base: v.base ?? null, text: v.text, saved: v.base && info && info.version === v.base ? "\u0000" : "\u0000" });
      restored.push(name);
    } catch { localStorage.removeItem(key); }
  }
  if (restored.length) banner(`Ikke-gemte ændringer fra sidst er gendannet i ${restored.join(", ")}. Gem dem, eller indlæs filen fra disken igen.`);
}

// --- New lot ------------------------------------------------------------------------------------

function newLot() {
  const numbers = [...new Set([...state.files.map((f) => f.name), ...buffers.keys()])].map((n) => /udbudsomraade-(\d+)\.yaml/.exec(n)?.[1]).filter(Boolean).map(Number);
  const n = (numbers.length ? Math.max(...numbers) : 0) + 1;
  const name = `udbudsomraade-${n}.yaml`;
  const text = `# yaml-language-server: $schema=${schemaHint()}delkontrakt.schema.json
# Ny delkontrakt. Udfyld felterne; editoren foreslår nøgler og værdier (Ctrl+mellemrum).
id: delkontrakt-${n}
nummer: ${n}
titel: Ny delkontrakt
indsatsspor: []
prismodel:
  type: ugepris
  priser: []
`;
  buffers.set(name, { name, kind: "delkontrakt", base: null, text, saved: "" });
  const udbud = [...buffers.values()].find((b) => b.kind === "udbud") ?? undefined;
  void (async () => {
    if (!buffers.has("udbud.yaml")) await open("udbud.yaml");
    const u = buffers.get("udbud.yaml")!;
    const lines = u.text.split("\n");
    let at = -1;
    lines.forEach((l, i) => { if (/^\s*-\s*\$inkluder:\s*\S+/.test(l)) at = i; });
    if (at >= 0) {
      const indent = /^(\s*)/.exec(lines[at])![1];
      lines.splice(at + 1, 0, `${indent}- $inkluder: ${name}`);
      u.text = lines.join("\n");
      u.state = EditorState.create({ doc: u.text, extensions: extensions() });
      remember(u);
    }
    void udbud;
    await open(name);
    scheduleCheck(0);
    banner(`${name} er oprettet og tilføjet under delkontrakter i udbud.yaml. Gem begge filer for at beholde dem.`);
  })();
}

function schemaHint(): string {
  const first = buffers.get("udbud.yaml")?.text.split("\n", 1)[0] ?? "";
  const m = /\$schema=(.*)udbud\.schema\.json/.exec(first);
  return m ? m[1] : "";
}

// --- Simulation ---------------------------------------------------------------------------------

const factors: Record<string, number> = {};
let simSeq = 0;
function renderSliders() {
  const box = $("sliders");
  box.replaceChildren();
  for (const p of state.simParams) {
    factors[p.id] = 100;
    const row = document.createElement("div");
    row.className = "slider";
    const label = document.createElement("label");
    label.htmlFor = `sim-${p.id}`;
    label.textContent = p.label;
    const input = document.createElement("input");
    input.type = "range";
    input.id = `sim-${p.id}`;
    input.min = String(p.min);
    input.max = String(p.max);
    input.step = String(p.step);
    input.value = "100";
    const out = document.createElement("output");
    out.htmlFor.add(input.id);
    out.textContent = "100 %";
    input.setAttribute("aria-valuetext", "100 % af scenariets værdi");
    input.addEventListener("input", () => {
      factors[p.id] = Number(input.value);
      out.textContent = `${input.value} %`;
      input.setAttribute("aria-valuetext", `${input.value} % af scenariets værdi`);
      scheduleSim(500, 120);
    });
    input.addEventListener("change", () => scheduleSim(10000, 0));
    row.append(label, input, out);
    box.append(row);
  }
}

let simTimer: number | undefined;
function scheduleSim(runs: number, delay: number) {
  clearTimeout(simTimer);
  simTimer = window.setTimeout(() => void runSim(runs), delay);
}

/** Simulations coalesce: while one runs, only the newest request waits (no queue of stale ones). */
let simBusy = false;
let simPending: number | undefined;
async function runSim(runs: number) {
  simPending = runs;
  if (simBusy) return;
  simBusy = true;
  try {
    while (simPending !== undefined) {
      const n = simPending;
      simPending = undefined;
      await simulateOnce(n);
    }
  } finally {
    simBusy = false;
  }
}

async function simulateOnce(runs: number) {
  const seq = ++simSeq;
  const full = runs >= 10000;
  $("sim-status").textContent = `Simulerer ${runs.toLocaleString("da-DK")} år …`;
  try {
    const r = await api<{ runs: number; totals: { model: string; middel: number; p10: number; p90: number }[]; afregning: string[]; html: string }>("/api/simulate", { buffers: unsaved(), factors, runs, report: full });
    if (seq !== simSeq) return;
    const tbody = ($("sim-totals") as HTMLTableElement).tBodies[0];
    tbody.replaceChildren();
    for (const t of r.totals) {
      const tr = document.createElement("tr");
      if (r.afregning.includes(t.model)) tr.className = "own";
      for (const [i, v] of [MODEL_LABEL[t.model] ?? t.model, kr(t.middel), kr(t.p10), kr(t.p90)].entries()) {
        const td = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) td.setAttribute("scope", "row");
        td.textContent = v;
        if (i === 1) td.dataset.total = t.model;
        tr.append(td);
      }
      tbody.append(tr);
    }
    $("sim-status").textContent = `${r.runs.toLocaleString("da-DK")} simulerede år${full ? "" : " (foreløbigt; det fulde antal følger, når du slipper)"}.`;
    if (r.html) showHtml($<HTMLIFrameElement>("sim-report"), r.html);
  } catch (e) {
    if (seq === simSeq) $("sim-status").textContent = `Simuleringen kunne ikke køre: ${(e as Error).message}`;
  }
}

// --- Evaluation ---------------------------------------------------------------------------------

function bidsName(): string | undefined {
  const names = [...new Set([...state.files.map((f) => f.name), ...buffers.keys()])];
  return names.find((n) => n === "bud.yaml") ?? names.find((n) => /^bud.*\.ya?ml$/i.test(n));
}

async function showBids() {
  const box = $("bids");
  const name = bidsName();
  if (!name) {
    const p = document.createElement("p");
    p.textContent = "Der er ingen budfil (bud.yaml) i udbuddets mappe.";
    box.replaceChildren(p);
    return;
  }
  const b = await ensureBuffer(name);
  renderBids(box, name, { text: () => b.text, apply: (e) => applyEdit(b, e), changed: () => scheduleEval(), save: () => void save(false, b) });
}

let evalTimer: number | undefined;
let evalBusy = false;
let evalAgain = false;
/** The ranking follows the bid tables as you type: one evaluation at a time, the newest text next. */
function scheduleEval(delay = 120) {
  clearTimeout(evalTimer);
  evalTimer = window.setTimeout(async () => {
    if (evalBusy) { evalAgain = true; return; }
    evalBusy = true;
    try { await runEval(); } finally {
      evalBusy = false;
      if (evalAgain) { evalAgain = false; scheduleEval(0); }
    }
  }, delay);
}

let weights: Record<string, number> = {};
async function runEval(first = false) {
  try {
    const r = await api<{ weights: { id: string; titel: string; vægt: number }[]; lots: any[] }>("/api/evaluate", { buffers: unsaved(), weights: first ? {} : weights });
    if (first) renderWeights(r.weights);
    const sum = r.weights.reduce((s, w) => s + w.vægt, 0);
    $("eval-status").textContent = `Vægtene giver ${sum} %.`;
    const box = $("eval-results");
    box.replaceChildren();
    for (const lot of r.lots) {
      const h = document.createElement("h2");
      h.textContent = `Delkontrakt ${lot.nummer}: ${lot.titel}`;
      const table = document.createElement("table");
      const cap = document.createElement("caption");
      cap.textContent = `Rangfølge (${lot.prismodel})`;
      table.append(cap);
      const head = table.createTHead().insertRow();
      for (const c of ["Placering", "Tilbudsgiver", "Evalueringspris", "Prispoint", "Kvalitetspoint", "Samlet"]) {
        const th = document.createElement("th");
        th.scope = "col";
        th.textContent = c;
        head.append(th);
      }
      const body = table.createTBody();
      const bids = [...lot.bud].sort((a: any, b: any) => (a.placering ?? 99) - (b.placering ?? 99));
      for (const b of bids) {
        const tr = body.insertRow();
        const dec = (n: number) => n.toLocaleString("da-DK", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        for (const [i, v] of [b.placering ?? "afvist", b.tilbudsgiver, kr(b.evalueringspris), dec(b.prispoint), dec(b.kvalitetspoint), dec(b.samlet)].entries()) {
          const td = tr.insertCell();
          if (i === 1) td.className = "text";
          td.textContent = String(v);
        }
      }
      box.append(h, table);
      const notes = [...lot.advarsler, ...lot.rangomvending.map((x: any) => `Fjernes ${x.fjernet}, ændres rækkefølgen: ${x.før.join(", ")} → ${x.efter.join(", ")}.`)];
      const ul = document.createElement("ul");
      for (const n of notes.length ? notes : ["Ingen rangomvending: rækkefølgen holder, når et tilbud fjernes."]) {
        const li = document.createElement("li");
        li.textContent = n;
        ul.append(li);
      }
      box.append(ul);
    }
  } catch (e) {
    $("eval-status").textContent = `Evalueringen kunne ikke laves: ${(e as Error).message}`;
  }
}

function renderWeights(ws: { id: string; titel: string; vægt: number }[]) {
  const box = $("weight-fields");
  box.replaceChildren();
  weights = Object.fromEntries(ws.map((w) => [w.id, w.vægt]));
  for (const w of ws) {
    const row = document.createElement("div");
    row.className = "weight";
    const label = document.createElement("label");
    label.htmlFor = `w-${w.id}`;
    label.textContent = `${w.titel} (%)`;
    const input = document.createElement("input");
    input.type = "number";
    input.id = `w-${w.id}`;
    input.min = "0";
    input.max = "100";
    input.step = "1";
    input.value = String(w.vægt);
    input.addEventListener("change", () => {
      weights[w.id] = Number(input.value);
      // Two criteria: the other follows, so the weights keep summing to 100.
      if (ws.length === 2) {
        const other = ws.find((x) => x.id !== w.id)!;
        weights[other.id] = 100 - Number(input.value);
        ($(`w-${other.id}`) as HTMLInputElement).value = String(weights[other.id]);
      }
      void runEval();
    });
    row.append(label, input);
    box.append(row);
  }
}

// --- Compare ------------------------------------------------------------------------------------

function renderAgainst() {
  const sel = $<HTMLSelectElement>("against");
  sel.replaceChildren(new Option("den gemte version", "gemt"), ...state.revisions.map((r) => new Option(`git ${r.rev}: ${r.title}`, `git:${r.rev}`)), ...state.others.map((o) => new Option(`mappen ${o.name}`, o.id)));
}

async function runCompare() {
  try {
    const r = await api<{ html: string; counts: string; changes: { kind: string; heading: string; text: string }[] }>("/api/compare", { buffers: unsaved(), against: $<HTMLSelectElement>("against").value });
    $("compare-counts").textContent = r.counts;
    const ul = $("changes");
    ul.replaceChildren();
    for (const c of r.changes) {
      const li = document.createElement("li");
      li.textContent = `${c.kind}: ${c.heading}${c.text ? ` — ${c.text.slice(0, 160)}` : ""}`;
      ul.append(li);
    }
    if (!r.changes.length) {
      const li = document.createElement("li");
      li.textContent = "Ingen ændringer.";
      ul.append(li);
    }
    showHtml($<HTMLIFrameElement>("compare-report"), r.html);
  } catch (e) {
    $("compare-counts").textContent = `Sammenligningen kunne ikke laves: ${(e as Error).message}`;
  }
}

// --- Tabs (keyboard: arrows, Home, End) ---------------------------------------------------------

const started = new Set<string>();
function selectTab(tab: HTMLElement) {
  const tabs = [...document.querySelectorAll<HTMLElement>('[role="tab"]')];
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")!).hidden = !on;
  }
  const id = tab.id;
  if (id === "tab-simulering" && !started.has(id)) { started.add(id); void runSim(10000); }
  if (id === "tab-evaluering") void runEval(!started.has(id)), void showBids(), started.add(id);
  if (id === "tab-sammenligning") void runCompare();
}

function wireTabs() {
  const tabs = [...document.querySelectorAll<HTMLElement>('[role="tab"]')];
  for (const t of tabs) {
    t.addEventListener("click", () => selectTab(t));
    t.addEventListener("keydown", (e) => {
      const i = tabs.indexOf(t);
      const next = e.key === "ArrowRight" ? tabs[(i + 1) % tabs.length] : e.key === "ArrowLeft" ? tabs[(i - 1 + tabs.length) % tabs.length] : e.key === "Home" ? tabs[0] : e.key === "End" ? tabs[tabs.length - 1] : undefined;
      if (next) { e.preventDefault(); next.focus(); selectTab(next); }
    });
  }
}

// --- Start --------------------------------------------------------------------------------------

async function start() {
  state = await api<State>("/api/state");
  $("folder").textContent = state.folder;
  document.title = `udbud studio – ${state.folder}`;
  view = new EditorView({ parent: $("editor"), state: EditorState.create({ doc: "", extensions: extensions() }) });
  restoreUnsaved();
  wireTabs();
  renderSliders();
  renderAgainst();
  $("save").addEventListener("click", () => void save());
  $("new-lot").addEventListener("click", newLot);
  $("doc").addEventListener("change", () => void refreshPreview());
  wireSourceJump($<HTMLIFrameElement>("preview"));
  $("compare-run").addEventListener("click", () => void runCompare());
  $("redline").addEventListener("click", () => void downloadBlob("/api/redline", { buffers: unsaved(), against: $<HTMLSelectElement>("against").value }, "redline.docx"));
  for (const btn of document.querySelectorAll<HTMLButtonElement>(".downloads button")) {
    btn.addEventListener("click", () => {
      const doc = $<HTMLSelectElement>("doc").value;
      void downloadBlob("/api/download", { buffers: unsaved(), doc, format: btn.dataset.format }, `${doc}.${btn.dataset.format}`);
    });
  }
  window.addEventListener("beforeunload", (e) => { if ([...buffers.values()].some(dirty)) e.preventDefault(); });
  listenForChanges();
  await open(state.files.find((f) => f.kind === "udbud")?.name ?? state.files[0].name);
  await runCheck();
}

void start();
