/**
 * Semantic change list for two versions of a spec, in Danish, from the model rather than the text:
 * "Ugepris for indsats 1B (udbudsområde 1): 1.200 kr. → 1.350 kr.", "Ny forlængelsesoption: 12
 * måneder", "Nyt underkriterium: Kvalitet (80 %)". Lists are aligned by their identity (id, indsats,
 * element, …); labels come from the schema's Danish titles, with hand-written sentences for the
 * changes planners and lawyers ask about most.
 */
import { formatDate, formatKr, formatNumber, formatPercent } from "../format.js";
import type { Udbud } from "../model/types.js";
import { loadSchema } from "../read/schema.js";

type S = Record<string, any>;

const UNIT_PRICE: Record<string, string> = {
  timepris: "Timepris",
  ugepris: "Ugepris",
  dagspris: "Dagspris",
  helårsperson: "Pris pr. helårsplads",
  resultatbaseret: "Forløbspris",
};

function deref(root: S, node: S | undefined): S | undefined {
  let cur = node;
  for (let i = 0; cur?.$ref && i < 10; i++) {
    const target = String(cur.$ref).replace(/^#\//, "").split("/").reduce<any>((o, k) => o?.[k], root);
    cur = { ...target, ...Object.fromEntries(Object.entries(cur).filter(([k]) => k !== "$ref")) };
  }
  if (cur?.anyOf) cur = cur.anyOf.map((x: S) => deref(root, x)).find((x: S) => x?.properties && !x.properties.$inkluder) ?? cur;
  return cur;
}

/** The identity of a list item, for aligning versions of a list. */
function identity(item: unknown): string | undefined {
  if (!item || typeof item !== "object") return undefined;
  const o = item as S;
  for (const k of ["id", "begreb", "kode"]) if (typeof o[k] === "string") return `${k}:${o[k]}`;
  if (typeof o.navn === "string" && "email" in o) return `kontakt:${o.delkontrakt ?? ""}`;
  if (o.indsats !== undefined || o.element !== undefined) return `${o.delkontrakt ?? ""}/${o.indsats ?? ""}/${o.element ?? ""}`;
  if (typeof o.formål === "string") return `formål:${o.formål}`;
  if (typeof o.titel === "string") return `titel:${o.titel}`;
  if (typeof o.måneder === "number" && typeof o.varsel_måneder === "number") return undefined;
  return undefined;
}

function name(item: S): string {
  if (item.indsats) return `indsats ${item.indsats}`;
  // A contact person: the name, and the lot it is for ("Mette Holm (udsatte)").
  if (typeof item.navn === "string" && "email" in item) return `${item.navn}${item.delkontrakt ? ` (${item.delkontrakt})` : ""}`;
  if (item.element) return `element ${item.element}`;
  const t = item.titel ?? item.begreb ?? item.formål ?? item.kode;
  return item.id && t ? `${item.id}: ${t}` : String(t ?? item.id ?? "");
}

function show(v: unknown, key: string): string {
  if (v === null || v === undefined) return "(intet)";
  if (typeof v === "boolean") return v ? "ja" : "nej";
  if (typeof v === "number") {
    if (/procent|vægt/.test(key)) return formatPercent(v);
    if (/beløb|^min$|^max$|grundperiode|samlet|maksimum|værdi|personskade|tingskade|minimum|ankerpris/.test(key)) return formatKr(v);
    if (/måneder/.test(key)) return `${formatNumber(v)} ${v === 1 ? "måned" : "måneder"}`;
    if (/uger/.test(key)) return `${formatNumber(v)} ${v === 1 ? "uge" : "uger"}`;
    if (/arbejdsdage/.test(key)) return `${formatNumber(v)} ${v === 1 ? "Arbejdsdag" : "Arbejdsdage"}`;
    if (/dage/.test(key)) return `${formatNumber(v)} ${v === 1 ? "dag" : "dage"}`;
    return formatNumber(v);
  }
  if (typeof v === "string") {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v);
    return v.length > 60 ? `”${v.slice(0, 57).replace(/\s+/g, " ")}…”` : v;
  }
  if (Array.isArray(v)) return `${v.length} punkter`;
  return "…";
}

interface Ctx {
  root: S;
  out: string[];
  lot?: S;
  model?: string;
}

function lotLabel(ctx: Ctx): string {
  return ctx.lot ? ` (udbudsområde ${ctx.lot.nummer})` : "";
}

function compare(ctx: Ctx, a: unknown, b: unknown, schema: S | undefined, labels: string[], key: string): void {
  const s = deref(ctx.root, schema);
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const label = labels.filter(Boolean).join(" – ");
  if (Array.isArray(a) || Array.isArray(b)) {
    const xs = (Array.isArray(a) ? a : []) as unknown[];
    const ys = (Array.isArray(b) ? b : []) as unknown[];
    const itemSchema = deref(ctx.root, s?.items);
    const title = itemSchema?.title ?? s?.title ?? key;
    if (xs.concat(ys).every((x) => typeof x !== "object" || x === null)) {
      const added = ys.filter((y) => !xs.includes(y));
      const removed = xs.filter((x) => !ys.includes(x));
      if (added.length + removed.length <= 3 && added.concat(removed).every((x) => String(x).length <= 80)) {
        for (const x of removed) ctx.out.push(`${label}: fjernet ”${String(x)}”`);
        for (const y of added) ctx.out.push(`${label}: tilføjet ”${String(y)}”`);
      } else ctx.out.push(`${label}: ${removed.length} punkter fjernet, ${added.length} tilføjet`);
      return;
    }
    const ids = (list: unknown[]) => list.map((x, i) => identity(x) ?? `#${i}`);
    const ia = ids(xs);
    const ib = ids(ys);
    for (let i = 0; i < xs.length; i++) {
      if (!ib.includes(ia[i])) {
        if (key === "forlængelser") ctx.out.push(`Forlængelsesoption på ${show((xs[i] as S).måneder, "måneder")} er fjernet`);
        else ctx.out.push(`${title} fjernet: ${name(xs[i] as S)}${lotLabel(ctx)}`);
      }
    }
    for (let j = 0; j < ys.length; j++) {
      const i = ia.indexOf(ib[j]);
      const y = ys[j] as S;
      if (i < 0) {
        if (key === "forlængelser") ctx.out.push(`Aftaleperioden kan forlænges med ${show(y.måneder, "måneder")}${(y.gange ?? 1) > 1 ? ` op til ${y.gange} gange` : ""}`);
        else if (key === "underkriterier") ctx.out.push(`Nyt underkriterium: ${y.titel} (${formatPercent(y.vægt)})`);
        else if (key === "indsatser") ctx.out.push(`Ny indsats ${y.id}: ${y.titel}${lotLabel(ctx)}`);
        else if (key === "delkontrakter") ctx.out.push(`Ny delkontrakt: udbudsområde ${y.nummer}, ${y.titel}`);
        else if (key === "priser") ctx.out.push(`Ny pris for ${name(y)}${lotLabel(ctx)}: ${formatKr(y.beløb)}`);
        else ctx.out.push(`Ny ${String(title).toLowerCase()}: ${name(y)}${lotLabel(ctx)}`);
        continue;
      }
      const x = xs[i] as S;
      const sub: Ctx = key === "delkontrakter" ? { ...ctx, lot: y, model: y.prismodel?.type } : ctx;
      const itemLabel =
        key === "delkontrakter" ? `Udbudsområde ${y.nummer}`
        : key === "indsatser" ? `Indsats ${y.id}`
        : key === "elementer" ? `Element ${y.id}`
        : key === "underkriterier" ? `Underkriterium ${y.titel}`
        : key === "indsatsspor" ? `Indsatsspor ${y.nummer}`
        : key === "kontaktpersoner" ? `Kontaktperson${y.delkontrakt ? ` (${y.delkontrakt})` : ""}`
        : key === "priser" ? ""
        : name(y);
      compare(sub, x, y, s?.items, [...labels, itemLabel], key === "priser" ? `pris:${name(y)}` : "");
    }
    return;
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = Object.keys(s?.properties ?? {}).concat(Object.keys({ ...(a as S), ...(b as S) })).filter((k, i, all) => all.indexOf(k) === i);
    for (const k of keys) {
      const ps = deref(ctx.root, s?.properties?.[k]);
      // Lists label their items, not themselves.
      const l = ps?.type === "array" ? "" : (ps?.title ?? k);
      compare(ctx, (a as S)[k], (b as S)[k], s?.properties?.[k], [...labels, key.startsWith("pris:") ? "" : l], key.startsWith("pris:") ? `${key}:${k}` : k);
    }
    return;
  }
  // Scalars (or one side absent).
  const pris = /^pris:(.+):(beløb|min|max)$/.exec(key);
  if (pris) {
    const what = pris[2] === "beløb" ? UNIT_PRICE[ctx.model ?? ""] ?? "Pris" : pris[2] === "min" ? "Mindstepris" : "Maksimalpris";
    ctx.out.push(`${what} for ${pris[1]}${lotLabel(ctx)}: ${show(a, "beløb")} → ${show(b, "beløb")}`);
    return;
  }
  if (typeof a === "string" && typeof b === "string" && (a.length > 60 || b.length > 60)) {
    ctx.out.push(`${label} er ændret${label.includes("Udbudsområde") ? "" : lotLabel(ctx)}`);
    return;
  }
  ctx.out.push(`${label}${label.includes("Udbudsområde") ? "" : lotLabel(ctx)}: ${show(a, key)} → ${show(b, key)}`);
}

/** The semantic changes from one version of a tender to another, in model order. */
export function semanticChanges(a: Udbud, b: Udbud): string[] {
  const root = loadSchema();
  const ctx: Ctx = { root, out: [] };
  const lotsA = [...a.delkontrakter].sort((x, y) => x.nummer - y.nummer);
  const lotsB = [...b.delkontrakter].sort((x, y) => x.nummer - y.nummer);
  compare(ctx, { ...a, delkontrakter: lotsA }, { ...b, delkontrakter: lotsB }, root, [], "");
  return ctx.out;
}
