/** The hand-built redline fixture and the accept/reject reader shared by tests/diff-redline.test.ts and its interop half. */
import { afterAll as after } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import JSZip from "jszip";
import { SaxesParser } from "saxes";
import type { AlignedClause, Block, BlockDiff, Clause, DocDiff, Run } from "../src/diff/model.js";
import { runsText } from "../src/diff/model.js";
import { writeRedlineDocx } from "../src/diff/redline-docx.js";
import { tmpDir as makeTmpDir } from "./helpers.js";

/** Scratch folders of this file, removed when it is done. */
export const scratch: string[] = [];
after(() => {
  for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});
export function tmpDir(prefix: string): string {
  const d = makeTmpDir(prefix);
  scratch.push(d);
  return d;
}

/* ------------------------------------------------------------------------------------------ */
/* Hand-built fixture                                                                          */

export const eq = (text: string): Run => ({ op: "equal", text });
export const ins = (text: string): Run => ({ op: "insert", text });
export const del = (text: string): Run => ({ op: "delete", text });
export const P = (text: string): Block => ({ kind: "paragraph", text });
export const L = (text: string): Block => ({ kind: "list-item", text });
export const R = (cells: string[], header = false): Block => ({ kind: "table-row", text: cells.join(" | "), cells, ...(header ? { header } : {}) });
export const C = (ref: string | null, heading: string, level: number, blocks: Block[]): Clause => ({ ref, heading, level, blocks });

export const same = (b: Block): BlockDiff => ({ op: "equal", old: b, new: b, runs: [eq(b.text)] });
export const mod = (o: Block, n: Block, runs: Run[], cellRuns?: Run[][]): BlockDiff => ({ op: "modify", old: o, new: n, runs, ...(cellRuns ? { cellRuns } : {}) });
export const add = (b: Block): BlockDiff => ({ op: "insert", new: b, runs: [ins(b.text)] });
export const rem = (b: Block): BlockDiff => ({ op: "delete", old: b, runs: [del(b.text)] });

export function headingRunsOf(o: Clause | null, n: Clause | null, runs?: Run[]): Run[] {
  if (runs) return runs;
  if (o && n) return o.heading === n.heading ? (n.heading ? [eq(n.heading)] : []) : [del(o.heading), ins(n.heading)];
  if (o) return o.heading ? [del(o.heading)] : [];
  return n!.heading ? [ins(n!.heading)] : [];
}

export function aligned(
  kinds: AlignedClause["kinds"],
  o: Clause | null,
  n: Clause | null,
  oldIndex: number | undefined,
  newIndex: number | undefined,
  blocks?: BlockDiff[],
  hRuns?: Run[],
  movedFrom?: string | null,
): AlignedClause {
  const bd = blocks ?? (o && !n ? o.blocks.map(rem) : n && !o ? n.blocks.map(add) : o!.blocks.map(same));
  return {
    kinds,
    old: o,
    new: n,
    headingRuns: headingRunsOf(o, n, hRuns),
    blocks: bd,
    words: { added: 0, removed: 0 },
    ...(movedFrom !== undefined ? { movedFrom } : {}),
    ...(oldIndex !== undefined ? { oldIndex } : {}),
    ...(newIndex !== undefined ? { newIndex } : {}),
  };
}

export const summary = { inserted: 0, deleted: 0, modified: 0, moved: 0, renumbered: 0 };

/* Document 1: the framework agreement — every kind of change. */
export const o1 = {
  pre: C(null, "", 0, [P("Denne aftale indgås mellem Københavns Kommune og Leverandøren.")]),
  omfang: C("1", "Aftalens omfang", 1, [P("Leverandøren skal levere ydelser til borgere i København."), L("Afklaring af arbejdsevne"), L("Virksomhedspraktik"), L("Mentorstøtte")]),
  priser: C("2", "Priser", 1, [P("Priserne fremgår af tabellen:"), R(["Ydelse", "Pris"], true), R(["Afklaring", "1.000 kr."]), R(["Praktik", "2.000 kr."]), R(["Mentor", "500 kr."])]),
  forpligt: C("3", "Leverandørens forpligtelser", 1, [P("Leverandøren skal overholde gældende ret."), P("Leverandøren skal føre journal.")]),
  tavshed: C("3.1", "Tavshedspligt", 2, [P("Leverandøren har tavshedspligt.")]),
  mislig: C("4", "Misligholdelse", 1, [P("Ved væsentlig misligholdelse kan aftalen ophæves.")]),
  bod: C("4.1", "Bod", 2, [P("Ved forsinkelse betales en bod på 500 kr. pr. dag.")]),
  ophoer: C("5", "Ophør", 1, [P("Aftalen ophører uden varsel."), L("ved konkurs")]),
  tvister: C("6", "Tvister", 1, [P('Tvister afgøres ved domstolene & voldgift <A> "B".')]),
};
export const n1 = {
  pre: o1.pre,
  omfang: C("1", "Aftalens omfang", 1, [P("Leverandøren skal levere ydelser til ledige borgere i Københavns Kommune."), L("Afklaring af arbejdsevne"), L("Mentorstøtte"), L("Jobsøgningsforløb")]),
  priser: C("2", "Priser og betaling", 1, [P("Priserne fremgår af tabellen:"), P("Alle priser er ekskl. moms."), R(["Ydelse", "Pris"], true), R(["Afklaring", "1.200 kr."]), R(["Mentor", "500 kr."]), R(["Jobsøgning", "750 kr."])]),
  forpligt: C("3", "Leverandørens forpligtelser", 1, [P("Leverandøren skal overholde gældende ret."), P("Leverandøren skal føre journal i henhold til ”Journalvejledning 2024”."), P("Journalen opbevares i 5 år.")]),
  data: C("3.1", "Databeskyttelse", 2, [P("Leverandøren er databehandler & skal overholde <GDPR>.")]),
  mislig: o1.mislig,
  tavshed: C("4.1", "Tavshedspligt", 2, [P("Leverandøren og dennes medarbejdere har tavshedspligt.")]),
  bod: C("4.2", "Bod", 2, o1.bod.blocks),
  tvister: C("5", "Tvister", 1, [P('Tvister afgøres ved Københavns Byret & voldgift <A> "B".')]),
};
export const oldOrder1 = [o1.pre, o1.omfang, o1.priser, o1.forpligt, o1.tavshed, o1.mislig, o1.bod, o1.ophoer, o1.tvister];
export const newOrder1 = [n1.pre, n1.omfang, n1.priser, n1.forpligt, n1.data, n1.mislig, n1.tavshed, n1.bod, n1.tvister];
export const diff1: DocDiff = {
  id: "rammeaftale",
  title: "Rammeaftale om beskæftigelsesindsats",
  summary,
  clauses: [
    aligned([], o1.pre, n1.pre, 0, 0),
    aligned(["modified"], o1.omfang, n1.omfang, 1, 1, [
      mod(o1.omfang.blocks[0], n1.omfang.blocks[0], [
        eq("Leverandøren skal levere ydelser til "),
        ins("ledige "),
        eq("borgere i "),
        del("København"),
        ins("Københavns Kommune"),
        eq("."),
      ]),
      same(o1.omfang.blocks[1]),
      rem(o1.omfang.blocks[2]),
      same(o1.omfang.blocks[3]),
      add(n1.omfang.blocks[3]),
    ]),
    aligned(
      ["modified"],
      o1.priser,
      n1.priser,
      2,
      2,
      [
        same(o1.priser.blocks[0]),
        add(n1.priser.blocks[1]),
        same(o1.priser.blocks[1]),
        mod(o1.priser.blocks[2], n1.priser.blocks[3], [eq("Afklaring | "), del("1.000"), ins("1.200"), eq(" kr.")], [[eq("Afklaring")], [del("1.000"), ins("1.200"), eq(" kr.")]]),
        rem(o1.priser.blocks[3]),
        same(o1.priser.blocks[4]),
        add(n1.priser.blocks[5]),
      ],
      [eq("Priser"), ins(" og betaling")],
    ),
    aligned(["modified"], o1.forpligt, n1.forpligt, 3, 3, [
      same(o1.forpligt.blocks[0]),
      mod(o1.forpligt.blocks[1], n1.forpligt.blocks[1], [eq("Leverandøren skal føre journal"), ins(" i henhold til ”Journalvejledning 2024”"), eq(".")]),
      add(n1.forpligt.blocks[2]),
    ]),
    aligned(["inserted"], null, n1.data, undefined, 4),
    aligned([], o1.mislig, n1.mislig, 5, 5),
    aligned(
      ["moved", "modified"],
      o1.tavshed,
      n1.tavshed,
      4,
      6,
      [mod(o1.tavshed.blocks[0], n1.tavshed.blocks[0], [eq("Leverandøren "), ins("og dennes medarbejdere "), eq("har tavshedspligt.")])],
      undefined,
      "3.1",
    ),
    aligned(["renumbered"], o1.bod, n1.bod, 6, 7),
    aligned(["deleted"], o1.ophoer, null, 7, undefined),
    aligned(["renumbered", "modified"], o1.tvister, n1.tvister, 8, 8, [
      mod(o1.tvister.blocks[0], n1.tvister.blocks[0], [eq("Tvister afgøres ved "), del("domstolene"), ins("Københavns Byret"), eq(' & voldgift <A> "B".')]),
    ]),
  ],
};

/* Document 2: the price annex — a deleted clause that ends on a table, a document that ends on an
   inserted clause, and paragraphs whose insertions meet across an unrevised paragraph mark (a
   paragraph ending on an insertion before an inserted paragraph, and before a paragraph that
   starts with one). */
export const o2 = {
  timer: C("1", "Timepriser", 1, [R(["Rolle", "Timepris"], true), R(["Konsulent", "800 kr."])]),
  rabat: C("2", "Rabatter", 1, [P("Der ydes 5 % rabat."), R(["Volumen", "Rabat"], true), R(["> 100 timer", "5 %"])]),
  betaling: C("3", "Betaling", 1, [P("Betaling sker 30 dage efter faktura."), P("Rykkergebyr 100 kr."), P("Renter efter renteloven.")]),
};
export const n2 = {
  timer: C("1", "Timepriser", 1, [R(["Rolle", "Timepris"], true), R(["Konsulent", "850 kr."]), R(["Seniorkonsulent", "1.100 kr."])]),
  betaling: C("2", "Betaling", 1, [
    P("Betaling sker løbende 30 dage efter modtagelse af faktura. Elektronisk."),
    P("Fakturaen sendes via NemHandel."),
    P("Rykkergebyr 100 kr. pr. rykker"),
    P("Desuden Renter efter renteloven."),
  ]),
  index: C("3", "Indeksering", 1, [P("Priserne reguleres årligt pr. 1. januar."), L("Nettoprisindeks (NPI)")]),
};
export const oldOrder2 = [o2.timer, o2.rabat, o2.betaling];
export const newOrder2 = [n2.timer, n2.betaling, n2.index];
export const diff2: DocDiff = {
  id: "bilag-a",
  title: "Bilag A – Priser",
  summary,
  clauses: [
    aligned(["modified"], o2.timer, n2.timer, 0, 0, [
      same(o2.timer.blocks[0]),
      mod(o2.timer.blocks[1], n2.timer.blocks[1], [eq("Konsulent | "), del("800"), ins("850"), eq(" kr.")], [[eq("Konsulent")], [del("800"), ins("850"), eq(" kr.")]]),
      add(n2.timer.blocks[2]),
    ]),
    aligned(["deleted"], o2.rabat, null, 1, undefined),
    aligned(["renumbered", "modified"], o2.betaling, n2.betaling, 2, 1, [
      mod(o2.betaling.blocks[0], n2.betaling.blocks[0], [eq("Betaling sker "), ins("løbende "), eq("30 dage efter "), ins("modtagelse af "), eq("faktura."), ins(" Elektronisk.")]),
      add(n2.betaling.blocks[1]),
      mod(o2.betaling.blocks[1], n2.betaling.blocks[2], [eq("Rykkergebyr 100 kr."), ins(" pr. rykker")]),
      mod(o2.betaling.blocks[2], n2.betaling.blocks[3], [ins("Desuden "), eq("Renter efter renteloven.")]),
    ]),
    aligned(["inserted"], null, n2.index, undefined, 2),
  ],
};

/* Document 3: a clause moved to the front, a paragraph that became a list item, a heading that
   changed level, a line break and a tab, and runs that are not exact (as an aligner that ignores
   whitespace and case writes them) — the writer must fall back to its own exact diff. */
export const o3 = {
  a: C("1", "Indledning", 1, [P("Tekst  med to mellemrum."), P("Første linje\nanden linje\tog tab.")]),
  b: C("2", "Formål", 1, [P("Formålet er at hjælpe borgere i job."), P("Se også bilag C.")]),
  c: C("3", "Kontakt", 1, [P("Kontakt kommunen på tlf. 12 34 56 78.")]),
};
export const n3 = {
  c: C("1", "Kontakt", 1, [P("Kontakt kommunen på tlf. 12 34 56 78.")]),
  a: C("2", "Indledning", 1, [P("Tekst med to mellemrum og mere."), P("Første linje\nanden linje\tog tab.")]),
  b: C("2.1", "Formål", 2, [L("Formålet er at hjælpe Borgere i job."), o3.b.blocks[1]]),
  satser: C("3", "Satser", 1, [P("Satserne er:"), R(["Sats", "Beløb"], true), R(["Time", "100 kr."])]),
};
export const oldOrder3 = [o3.a, o3.b, o3.c];
export const newOrder3 = [n3.c, n3.a, n3.b, n3.satser];
export const diff3: DocDiff = {
  id: "bilag-b",
  title: "Bilag B – Kontakt",
  summary,
  clauses: [
    aligned(["moved"], o3.c, n3.c, 2, 0, undefined, undefined, "3"),
    aligned(["renumbered", "modified"], o3.a, n3.a, 0, 1, [
      // Whitespace-folded runs (old text has two spaces): not exact, the writer must not use them.
      mod(o3.a.blocks[0], n3.a.blocks[0], [eq("Tekst med to mellemrum"), ins(" og mere"), eq(".")]),
      same(o3.a.blocks[1]),
    ]),
    aligned(["renumbered", "modified"], o3.b, n3.b, 1, 2, [
      // Case-folded equal run ("borgere" vs "Borgere"): not exact either.
      { op: "equal", old: o3.b.blocks[0], new: n3.b.blocks[0], runs: [eq("Formålet er at hjælpe Borgere i job.")] },
      same(o3.b.blocks[1]),
    ]),
    // Inserted after the deleted old copy of "3 Kontakt": a mixed run of revised paragraphs
    // (deleted, then inserted) right before a table.
    aligned(["inserted"], null, n3.satser, undefined, 3),
  ],
};

export const diffs = [diff1, diff2, diff3];
export const olds = [oldOrder1, oldOrder2, oldOrder3];
export const news = [newOrder1, newOrder2, newOrder3];
export const OPTS = { author: "Udbud & Jura <test>", date: "2024-01-01T00:00:00Z", title: "Ændringer – rammeaftale ”2024”" };

/** The paragraphs of a version: title, then per clause heading line and blocks (cells one by one). */
export function expected(which: "old" | "new"): string[] {
  const out: string[] = [];
  (which === "old" ? olds : news).forEach((clauses, d) => {
    out.push(diffs[d].title);
    for (const c of clauses) {
      const h = [c.ref ?? "", c.heading].filter(Boolean).join(" ");
      if (h) out.push(h);
      for (const b of c.blocks) out.push(...(b.kind === "table-row" ? b.cells! : [b.text]));
    }
  });
  return out;
}

/* ------------------------------------------------------------------------------------------ */
/* A small XML DOM and Word's accept / reject                                                  */

export interface El {
  name: string;
  attrs: Record<string, string>;
  children: (El | string)[];
}

export function parseXml(xml: string): El {
  const parser = new SaxesParser({ xmlns: false });
  const root: El = { name: "#root", attrs: {}, children: [] };
  const stack: El[] = [root];
  parser.on("opentag", (t) => {
    const el: El = { name: t.name, attrs: t.attributes as Record<string, string>, children: [] };
    stack[stack.length - 1].children.push(el);
    stack.push(el);
  });
  parser.on("closetag", () => void stack.pop());
  parser.on("text", (t) => stack[stack.length - 1].children.push(t));
  parser.on("error", (e) => {
    throw e;
  });
  parser.write(xml).close();
  return root.children.find((c): c is El => typeof c !== "string")!;
}

export const kids = (el: El, name?: string): El[] => el.children.filter((c): c is El => typeof c !== "string" && (!name || c.name === name));
export const kid = (el: El, name: string): El | undefined => kids(el, name)[0];
export function* walk(el: El): Generator<El> {
  yield el;
  for (const k of kids(el)) yield* walk(k);
}

export type Mode = "accept" | "reject";

export function runText(el: El, mode: Mode): string {
  let s = "";
  for (const c of el.children) {
    if (typeof c === "string") continue;
    if (c.name === "w:pPr") continue;
    if ((c.name === "w:del" || c.name === "w:moveFrom") && mode === "accept") continue;
    if ((c.name === "w:ins" || c.name === "w:moveTo") && mode === "reject") continue;
    if (c.name === "w:t" || c.name === "w:delText") s += c.children.filter((x) => typeof x === "string").join("");
    else if (c.name === "w:tab") s += "\t";
    else if (c.name === "w:br") s += c.attrs["w:type"] === "page" ? "" : "\n"; // LibreOffice writes page breaks so
    else s += runText(c, mode);
  }
  return s;
}

/**
 * Word's semantics: runs in w:ins vanish on reject, runs in w:del on accept; a paragraph whose
 * mark vanishes joins the next paragraph (an empty one before a table or at the end just goes);
 * a table row marked inserted/deleted in w:trPr vanishes with the change.
 */
export function resolve(container: El, mode: Mode): string[] {
  const out: string[] = [];
  let carry: string | null = null;
  const barrier = () => {
    if (carry !== null && carry !== "") throw new Error(`text joined into a table or the end: ${JSON.stringify(carry)}`);
    carry = null;
  };
  for (const el of kids(container)) {
    if (el.name === "w:p") {
      const mark = kid(kid(el, "w:pPr") ?? { name: "", attrs: {}, children: [] }, "w:rPr");
      const gone = !!mark && ((mode === "accept" && !!kid(mark, "w:del")) || (mode === "reject" && !!kid(mark, "w:ins")));
      const text: string = (carry ?? "") + runText(el, mode);
      if (gone) carry = text;
      else {
        out.push(text);
        carry = null;
      }
    } else if (el.name === "w:tbl") {
      barrier();
      for (const tr of kids(el, "w:tr")) {
        const trPr = kid(tr, "w:trPr");
        if (trPr && ((mode === "accept" && kid(trPr, "w:del")) || (mode === "reject" && kid(trPr, "w:ins")))) continue;
        for (const tc of kids(tr, "w:tc")) out.push(...resolve(tc, mode));
      }
    }
  }
  barrier();
  return out;
}

export async function partsOf(buf: Buffer): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(buf);
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(zip.files)) if (!f.dir) out[name] = await f.async("string");
  return out;
}

export function bodyOf(documentXml: string): El {
  return kid(parseXml(documentXml), "w:body")!;
}

/** Our accept/reject, with the trailing empty paragraph (the document's end) dropped. */
export function resolved(documentXml: string, mode: Mode): string[] {
  const paras = resolve(bodyOf(documentXml), mode);
  if (paras[paras.length - 1] === "") paras.pop();
  return paras;
}

export let cached: Promise<Buffer> | undefined;
export const redline = (): Promise<Buffer> => (cached ??= writeRedlineDocx(diffs, OPTS));
