/**
 * The redline DOCX writer, checked for its one hard promise: accepting every tracked change gives
 * exactly the new text, rejecting every change exactly the old text. Checked three ways on the same
 * hand-built DocDiffs: (a) our own accept/reject over word/document.xml (Word's semantics: w:ins /
 * w:del runs, paragraph-mark revisions that join a paragraph to the next, table-row revisions);
 * (b) pandoc --track-changes=accept|reject when pandoc is installed; (c) LibreOffice: the file
 * converts to PDF, and a headless Basic macro that runs "Accept All" / "Reject All" and exports the
 * text (and a DOCX, for paragraph styles) gives the new / old version, when soffice is installed.
 * (LibreOffice's plain --convert-to txt, without accepting, writes deleted and inserted text alike.)
 */
import { afterAll as after, test } from "vitest";
import { missing } from "./prereq.js";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import JSZip from "jszip";
import { SaxesParser } from "saxes";
import type { AlignedClause, Block, BlockDiff, Clause, DocDiff, Run } from "../src/diff/model.js";
import { runsText } from "../src/diff/model.js";
import { writeRedlineDocx } from "../src/diff/redline-docx.js";
import { tmpDir as makeTmpDir } from "./helpers.js";
import { libreOffice, libreOfficeText } from "./libreoffice.js";

/** Scratch folders of this file, removed when it is done. */
const scratch: string[] = [];
after(() => {
  for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});
function tmpDir(prefix: string): string {
  const d = makeTmpDir(prefix);
  scratch.push(d);
  return d;
}

/* ------------------------------------------------------------------------------------------ */
/* Hand-built fixture                                                                          */

const eq = (text: string): Run => ({ op: "equal", text });
const ins = (text: string): Run => ({ op: "insert", text });
const del = (text: string): Run => ({ op: "delete", text });
const P = (text: string): Block => ({ kind: "paragraph", text });
const L = (text: string): Block => ({ kind: "list-item", text });
const R = (cells: string[], header = false): Block => ({ kind: "table-row", text: cells.join(" | "), cells, ...(header ? { header } : {}) });
const C = (ref: string | null, heading: string, level: number, blocks: Block[]): Clause => ({ ref, heading, level, blocks });

const same = (b: Block): BlockDiff => ({ op: "equal", old: b, new: b, runs: [eq(b.text)] });
const mod = (o: Block, n: Block, runs: Run[], cellRuns?: Run[][]): BlockDiff => ({ op: "modify", old: o, new: n, runs, ...(cellRuns ? { cellRuns } : {}) });
const add = (b: Block): BlockDiff => ({ op: "insert", new: b, runs: [ins(b.text)] });
const rem = (b: Block): BlockDiff => ({ op: "delete", old: b, runs: [del(b.text)] });

function headingRunsOf(o: Clause | null, n: Clause | null, runs?: Run[]): Run[] {
  if (runs) return runs;
  if (o && n) return o.heading === n.heading ? (n.heading ? [eq(n.heading)] : []) : [del(o.heading), ins(n.heading)];
  if (o) return o.heading ? [del(o.heading)] : [];
  return n!.heading ? [ins(n!.heading)] : [];
}

function aligned(
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

const summary = { inserted: 0, deleted: 0, modified: 0, moved: 0, henvisning: 0, renumbered: 0 };

/* Document 1: the framework agreement — every kind of change. */
const o1 = {
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
const n1 = {
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
const oldOrder1 = [o1.pre, o1.omfang, o1.priser, o1.forpligt, o1.tavshed, o1.mislig, o1.bod, o1.ophoer, o1.tvister];
const newOrder1 = [n1.pre, n1.omfang, n1.priser, n1.forpligt, n1.data, n1.mislig, n1.tavshed, n1.bod, n1.tvister];
const diff1: DocDiff = {
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
const o2 = {
  timer: C("1", "Timepriser", 1, [R(["Rolle", "Timepris"], true), R(["Konsulent", "800 kr."])]),
  rabat: C("2", "Rabatter", 1, [P("Der ydes 5 % rabat."), R(["Volumen", "Rabat"], true), R(["> 100 timer", "5 %"])]),
  betaling: C("3", "Betaling", 1, [P("Betaling sker 30 dage efter faktura."), P("Rykkergebyr 100 kr."), P("Renter efter renteloven.")]),
};
const n2 = {
  timer: C("1", "Timepriser", 1, [R(["Rolle", "Timepris"], true), R(["Konsulent", "850 kr."]), R(["Seniorkonsulent", "1.100 kr."])]),
  betaling: C("2", "Betaling", 1, [
    P("Betaling sker løbende 30 dage efter modtagelse af faktura. Elektronisk."),
    P("Fakturaen sendes via NemHandel."),
    P("Rykkergebyr 100 kr. pr. rykker"),
    P("Desuden Renter efter renteloven."),
  ]),
  index: C("3", "Indeksering", 1, [P("Priserne reguleres årligt pr. 1. januar."), L("Nettoprisindeks (NPI)")]),
};
const oldOrder2 = [o2.timer, o2.rabat, o2.betaling];
const newOrder2 = [n2.timer, n2.betaling, n2.index];
const diff2: DocDiff = {
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
const o3 = {
  a: C("1", "Indledning", 1, [P("Tekst  med to mellemrum."), P("Første linje\nanden linje\tog tab.")]),
  b: C("2", "Formål", 1, [P("Formålet er at hjælpe borgere i job."), P("Se også bilag C.")]),
  c: C("3", "Kontakt", 1, [P("Kontakt kommunen på tlf. 12 34 56 78.")]),
};
const n3 = {
  c: C("1", "Kontakt", 1, [P("Kontakt kommunen på tlf. 12 34 56 78.")]),
  a: C("2", "Indledning", 1, [P("Tekst med to mellemrum og mere."), P("Første linje\nanden linje\tog tab.")]),
  b: C("2.1", "Formål", 2, [L("Formålet er at hjælpe Borgere i job."), o3.b.blocks[1]]),
  satser: C("3", "Satser", 1, [P("Satserne er:"), R(["Sats", "Beløb"], true), R(["Time", "100 kr."])]),
};
const oldOrder3 = [o3.a, o3.b, o3.c];
const newOrder3 = [n3.c, n3.a, n3.b, n3.satser];
const diff3: DocDiff = {
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

const diffs = [diff1, diff2, diff3];
const olds = [oldOrder1, oldOrder2, oldOrder3];
const news = [newOrder1, newOrder2, newOrder3];
const OPTS = { author: "Udbud & Jura <test>", date: "2024-01-01T00:00:00Z", title: "Ændringer – rammeaftale ”2024”" };

/** The paragraphs of a version: title, then per clause heading line and blocks (cells one by one). */
function expected(which: "old" | "new"): string[] {
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

interface El {
  name: string;
  attrs: Record<string, string>;
  children: (El | string)[];
}

function parseXml(xml: string): El {
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

const kids = (el: El, name?: string): El[] => el.children.filter((c): c is El => typeof c !== "string" && (!name || c.name === name));
const kid = (el: El, name: string): El | undefined => kids(el, name)[0];
function* walk(el: El): Generator<El> {
  yield el;
  for (const k of kids(el)) yield* walk(k);
}

type Mode = "accept" | "reject";

function runText(el: El, mode: Mode): string {
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
function resolve(container: El, mode: Mode): string[] {
  const out: string[] = [];
  let carry: string | null = null;
  const barrier = () => {
    if (carry !== null && carry !== "") throw new Error(`text joined into a table or the end: ${JSON.stringify(carry)}`);
    carry = null;
  };
  for (const el of kids(container)) {
    if (el.name === "w:p") {
      const mark = kid(kid(el, "w:pPr") ?? { name: "", attrs: {}, children: [] }, "w:rPr");
      const gone = !!mark && ((mode === "accept" && !!(kid(mark, "w:del") ?? kid(mark, "w:moveFrom"))) || (mode === "reject" && !!(kid(mark, "w:ins") ?? kid(mark, "w:moveTo"))));
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

async function partsOf(buf: Buffer): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(buf);
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(zip.files)) if (!f.dir) out[name] = await f.async("string");
  return out;
}

function bodyOf(documentXml: string): El {
  return kid(parseXml(documentXml), "w:body")!;
}

/** Our accept/reject, with the trailing empty paragraph (the document's end) dropped. */
function resolved(documentXml: string, mode: Mode): string[] {
  const paras = resolve(bodyOf(documentXml), mode);
  if (paras[paras.length - 1] === "") paras.pop();
  return paras;
}

let cached: Promise<Buffer> | undefined;
const redline = (): Promise<Buffer> => (cached ??= writeRedlineDocx(diffs, OPTS));

/* ------------------------------------------------------------------------------------------ */
/* Tests                                                                                       */

test("the fixture's exact runs are exact (only the two deliberate ones are not)", () => {
  let inexact = 0;
  for (const d of diffs)
    for (const c of d.clauses)
      for (const b of c.blocks)
        if (b.old && b.new && (runsText(b.runs, "old") !== b.old.text || runsText(b.runs, "new") !== b.new.text)) inexact++;
  assert.equal(inexact, 2);
});

test("a valid, minimal package: every part well-formed, content types and relationships complete", async () => {
  const buf = await redline();
  const zip = await JSZip.loadAsync(buf);
  const names = Object.keys(zip.files);
  assert.deepEqual(names, [
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "word/document.xml",
    "word/styles.xml",
    "word/settings.xml",
    "word/numbering.xml",
    "word/comments.xml",
    "word/_rels/document.xml.rels",
  ]);
  const parts = await partsOf(buf);
  for (const [name, xml] of Object.entries(parts)) assert.doesNotThrow(() => parseXml(xml), name);
  const types = parseXml(parts["[Content_Types].xml"]);
  for (const name of names.filter((n) => !n.endsWith(".rels") && n !== "[Content_Types].xml")) {
    assert.ok(kids(types, "Override").some((o) => o.attrs.PartName === `/${name}`), `content type for ${name}`);
  }
  for (const rels of ["_rels/.rels", "word/_rels/document.xml.rels"]) {
    const base = rels.startsWith("word/") ? "word/" : "";
    for (const r of kids(parseXml(parts[rels]), "Relationship")) assert.ok(names.includes(base + r.attrs.Target), `${rels} → ${r.attrs.Target}`);
  }
  assert.match(parts["word/settings.xml"], /<w:trackRevisions\/>/);
  const core = parseXml(parts["docProps/core.xml"]);
  const textOf = (n: string) => kids(core, n)[0].children.join("");
  assert.equal(textOf("dc:title"), OPTS.title);
  assert.equal(textOf("dc:creator"), OPTS.author);
  assert.equal(textOf("dcterms:created"), OPTS.date);
  assert.equal(textOf("dcterms:modified"), OPTS.date);
  assert.equal(textOf("dc:language"), "da-DK");
  const styles = parts["word/styles.xml"];
  for (const id of ["Normal", "Title", "Heading1", "Heading2", "Heading3", "ListBullet", "TableGrid"]) assert.match(styles, new RegExp(`w:styleId="${id}"`));
  for (let n = 1; n <= 3; n++) assert.match(styles, new RegExp(`w:styleId="Heading${n}">.*?<w:outlineLvl w:val="${n - 1}"/>`));
  assert.match(styles, /<w:lang w:val="da-DK"/);
});

test("same input → same bytes", async () => {
  const a = await writeRedlineDocx(diffs, OPTS);
  const b = await writeRedlineDocx(diffs, OPTS);
  assert.ok(a.equals(b));
});

test("every revision and comment has a unique id and carries the author and date", async () => {
  const parts = await partsOf(await redline());
  const ids = new Set<string>();
  let revisions = 0;
  for (const part of ["word/document.xml", "word/comments.xml"]) {
    for (const el of walk(parseXml(parts[part]))) {
      if (["w:ins", "w:del", "w:pPrChange", "w:comment"].includes(el.name)) {
        revisions++;
        assert.ok(!ids.has(el.attrs["w:id"]), `duplicate w:id ${el.attrs["w:id"]}`);
        ids.add(el.attrs["w:id"]);
        assert.equal(el.attrs["w:author"], OPTS.author);
        assert.equal(el.attrs["w:date"], OPTS.date);
      }
    }
  }
  assert.ok(revisions > 40, `${revisions} revisions`);
  // Comment anchors point at comments that exist.
  const doc = parseXml(parts["word/document.xml"]);
  const refs = [...walk(doc)].filter((e) => e.name === "w:commentReference").map((e) => e.attrs["w:id"]);
  const comments = kids(parseXml(parts["word/comments.xml"]), "w:comment").map((e) => e.attrs["w:id"]);
  assert.deepEqual(refs, comments);
});

test("accept all gives exactly the new text, reject all exactly the old (our Word semantics)", async () => {
  const xml = (await partsOf(await redline()))["word/document.xml"];
  assert.deepEqual(resolved(xml, "accept"), expected("new"));
  assert.deepEqual(resolved(xml, "reject"), expected("old"));
});

test("the redline shows the changes where a lawyer looks for them", async () => {
  const parts = await partsOf(await redline());
  const xml = parts["word/document.xml"];
  // Renumbered heading: old number deleted, new number inserted, the heading text untouched.
  assert.match(xml, /<w:del [^>]*><w:r><w:delText xml:space="preserve">4\.1<\/w:delText><\/w:r><\/w:del><w:ins [^>]*><w:r><w:t xml:space="preserve">4\.2<\/w:t><\/w:r><\/w:ins><w:r><w:t xml:space="preserve"> Bod<\/w:t><\/w:r>/);
  // Word-level change inside a paragraph.
  assert.match(xml, /<w:ins [^>]*><w:r><w:t xml:space="preserve">ledige <\/w:t><\/w:r><\/w:ins>/);
  // Whole inserted and deleted paragraphs revise their paragraph mark.
  assert.match(xml, /<w:pPr><w:rPr><w:ins [^>]*\/><\/w:rPr><\/w:pPr><w:ins [^>]*><w:r><w:t xml:space="preserve">Journalen opbevares i 5 år\.<\/w:t>/);
  assert.match(xml, /<w:pPr><w:pStyle w:val="ListBullet"\/><w:numPr><w:ilvl w:val="0"\/><w:numId w:val="1"\/><\/w:numPr><w:rPr><w:del [^>]*\/><\/w:rPr><\/w:pPr><w:del [^>]*><w:r><w:delText xml:space="preserve">Virksomhedspraktik<\/w:delText>/);
  // Table rows: inserted and deleted rows are revisions of the row, a modified row per cell.
  assert.match(xml, /<w:trPr><w:ins [^>]*\/><\/w:trPr>(?:(?!<\/w:tr>).)*Jobsøgning/);
  assert.match(xml, /<w:trPr><w:del [^>]*\/><\/w:trPr>(?:(?!<\/w:tr>).)*<w:delText xml:space="preserve">Praktik</);
  assert.match(xml, /<w:tr>(?:(?!<\/w:tr>).)*>Afklaring<(?:(?!<\/w:tr>).)*<w:delText xml:space="preserve">1\.000<\/w:delText>(?:(?!<\/w:tr>).)*1\.200/);
  // A revised paragraph right before a table hands its mark revision to the paragraph before it
  // (LibreOffice cannot join a paragraph into a table).
  assert.match(xml, /<w:p><w:pPr><w:rPr><w:ins [^>]*\/><\/w:rPr><\/w:pPr><w:r><w:t xml:space="preserve">Priserne fremgår af tabellen:<\/w:t><\/w:r><\/w:p><w:p><w:ins [^>]*><w:r><w:t xml:space="preserve">Alle priser er ekskl\. moms\.<\/w:t><\/w:r><\/w:ins><\/w:p><w:tbl>/);
  // Insertions that would meet across an unrevised paragraph mark (LibreOffice would join them and
  // the paragraphs on Reject All): the paragraph before an inserted one ends on a deletion, the
  // one after "… pr. rykker" starts with one.
  assert.match(xml, /<w:r><w:t xml:space="preserve">faktura<\/w:t><\/w:r><w:ins [^>]*><w:r><w:t xml:space="preserve">\. Elektronisk\.<\/w:t><\/w:r><\/w:ins><w:del [^>]*><w:r><w:delText xml:space="preserve">\.<\/w:delText><\/w:r><\/w:del><\/w:p>/);
  assert.match(xml, /<w:p><w:del [^>]*><w:r><w:delText xml:space="preserve">Renter<\/w:delText><\/w:r><\/w:del><w:ins [^>]*><w:r><w:t xml:space="preserve">Desuden Renter<\/w:t>/);
  // Header rows repeat.
  assert.match(xml, /<w:trPr><w:tblHeader\/><\/w:trPr>/);
  // XML-special characters and Danish quotes survive escaped.
  assert.match(xml, /voldgift &lt;A&gt; &quot;B&quot;\./);
  assert.match(xml, /”Journalvejledning 2024”/);
  // A paragraph that became a list item: a formatting revision with the old properties.
  assert.match(xml, /<w:pPrChange [^>]*><w:pPr><w:pStyle w:val="Heading1"\/><\/w:pPr><\/w:pPrChange>/);
  assert.match(xml, /<w:pPrChange [^>]*><w:pPr><\/w:pPr><\/w:pPrChange>/);
  // Moves: comments at both places.
  const comments = kids(parseXml(parts["word/comments.xml"]), "w:comment").map((c) => runText(c, "accept"));
  assert.deepEqual(comments, ["Flyttet til pkt. 4.1", "Flyttet fra pkt. 3.1 (og ændret)", "Flyttet fra pkt. 3", "Flyttet til pkt. 1"]);
  // The moved clause's old copy stands right after its old predecessor (3 Leverandørens forpligtelser
  // and its inserted paragraph), before the inserted 3.1 Databeskyttelse.
  const body = bodyOf(xml);
  const paras = kids(body, "w:p").map((p) => runText(p, "reject") || runText(p, "accept"));
  const at = (s: string) => paras.indexOf(s);
  assert.ok(at("Journalen opbevares i 5 år.") < at("3.1 Tavshedspligt") && at("3.1 Tavshedspligt") < at("3.1 Databeskyttelse"));
  assert.ok(at("4 Misligholdelse") < at("4.1 Tavshedspligt"));
  // Moved to the front: the old copy is placed after "2 Formål" (its old predecessor).
  assert.ok(at("1 Kontakt") < at("Tekst  med to mellemrum.") || at("1 Kontakt") < at("Tekst med to mellemrum og mere."));
  assert.ok(at("Se også bilag C.") < at("3 Kontakt"));
});

test("without oldIndex a move is placed by its old number", async () => {
  const strip = (d: DocDiff): DocDiff => ({ ...d, clauses: d.clauses.map(({ oldIndex: _o, ...c }) => c) });
  const buf = await writeRedlineDocx([strip(diff1), strip(diff3)], OPTS);
  const xml = (await partsOf(buf))["word/document.xml"];
  const want = (which: "old" | "new") => {
    const all = expected(which);
    // Documents 1 and 3 only.
    const t2 = all.indexOf(diff2.title);
    const t3 = all.indexOf(diff3.title);
    return [...all.slice(0, t2), ...all.slice(t3)];
  };
  assert.deepEqual(resolved(xml, "accept"), want("new"));
  assert.deepEqual(resolved(xml, "reject"), want("old"));
});

test("edge cases: empty input, a clause out of order without the moved flag, a bad date", async () => {
  const empty = await writeRedlineDocx([], OPTS);
  const xml = (await partsOf(empty))["word/document.xml"];
  assert.deepEqual(resolved(xml, "accept"), []);
  // Paired clauses out of old order but not flagged moved: still exact.
  const a = C("1", "A", 1, [P("a")]);
  const b = C("2", "B", 1, [P("b")]);
  const swapped: DocDiff = { id: "x", title: "X", summary, clauses: [aligned([], b, b, 1, 0), aligned([], a, a, 0, 1)] };
  const sx = (await partsOf(await writeRedlineDocx([swapped], OPTS)))["word/document.xml"];
  assert.deepEqual(resolved(sx, "accept"), ["X", "2 B", "b", "1 A", "a"]);
  assert.deepEqual(resolved(sx, "reject"), ["X", "1 A", "a", "2 B", "b"]);
  await assert.rejects(writeRedlineDocx([], { ...OPTS, date: "i går" }), /ugyldig dato/);
});

/* ------------------------------------------------------------------------------------------ */
/* Independent readers: pandoc and LibreOffice                                                 */

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).status === 0;
}

/** Words only: pandoc's plain writer lays out tables and bullets its own way. */
function words(s: string): string[] {
  return s
    .split(/\s+/)
    .filter((w) => w !== "" && !/^[-=+:|]{2,}$/.test(w) && w !== "•" && w !== "-")
    .map((w) => w.replace(/^-(?=\S)/, ""));
}

async function writeFixture(): Promise<{ dir: string; file: string }> {
  const dir = tmpDir("udbud-redline-");
  const file = path.join(dir, "redline.docx");
  fs.writeFileSync(file, await redline());
  return { dir, file };
}

/** Whitespace normalised: pandoc folds runs of spaces, tabs and line breaks. */
const norm = (xs: string[]): string[] => xs.map((x) => x.replace(/\s+/g, " ").trim()).filter((x) => x !== "");

test("pandoc: --track-changes=accept gives the new text, reject the old", { skip: missing(!has("pandoc"), "pandoc not installed") }, async () => {
  const { file } = await writeFixture();
  for (const [mode, which] of [["accept", "new"], ["reject", "old"]] as const) {
    // Plain text, word by word (pandoc lays out tables and bullets its own way).
    const plain = spawnSync("pandoc", [`--track-changes=${mode}`, "-f", "docx", "-t", "plain", "--wrap=none", "-s", file], { encoding: "utf8" });
    assert.equal(plain.status, 0, plain.stderr);
    assert.deepEqual(words(plain.stdout), words(expected(which).join("\n")), `pandoc ${mode} (plain)`);
    // Paragraph by paragraph, through pandoc's JSON. pandoc's docx reader keeps the emptied shell
    // of a list item or heading whose paragraph mark is revised and of a table row revised in
    // w:trPr (it reads neither); those shells hold no text and are dropped here.
    const json = spawnSync("pandoc", [`--track-changes=${mode}`, "-f", "docx", "-t", "json", file], { encoding: "utf8" });
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual(norm(pandocParagraphs(JSON.parse(json.stdout))), norm(expected(which)), `pandoc ${mode} (paragraphs)`);
  }
});

/** Paragraph texts from pandoc's JSON AST: headers, paragraphs, list items, table cells. */
function pandocParagraphs(ast: any): string[] {
  const out: string[] = [];
  const inline = (xs: any[]): string =>
    xs
      .map((x: any) => {
        switch (x.t) {
          case "Str":
            return x.c;
          case "Space":
            return " ";
          case "SoftBreak":
          case "LineBreak":
            return "\n";
          case "Quoted":
            return (x.c[0].t === "DoubleQuote" ? '"' : "'") + inline(x.c[1]) + (x.c[0].t === "DoubleQuote" ? '"' : "'");
          case "Span":
          case "Emph":
          case "Strong":
          case "Underline":
          case "SmallCaps":
            return inline(x.t === "Span" ? x.c[1] : x.c);
          default:
            return "";
        }
      })
      .join("");
  const blocks = (bs: any[]): void => {
    for (const b of bs) {
      if (b.t === "Para" || b.t === "Plain") out.push(inline(b.c));
      else if (b.t === "Header") out.push(inline(b.c[2]));
      else if (b.t === "BulletList" || b.t === "OrderedList") for (const item of b.t === "BulletList" ? b.c : b.c[1]) blocks(item);
      else if (b.t === "Div" || b.t === "BlockQuote") blocks(b.t === "Div" ? b.c[1] : b.c);
      else if (b.t === "Table") {
        const [, , , head, bodies, foot] = b.c;
        const rows = (rs: any[]) => {
          for (const row of rs) for (const cell of row[1]) blocks(cell[4]);
        };
        rows(head[1]);
        for (const body of bodies) {
          rows(body[2]);
          rows(body[3]);
        }
        rows(foot[1]);
      }
    }
  };
  // The leading Title paragraph becomes the document's metadata title.
  const title = ast.meta?.title;
  if (title?.t === "MetaInlines") out.push(inline(title.c));
  blocks(ast.blocks);
  return out;
}

const LO = has("soffice");

test("LibreOffice opens the redline cleanly (converts to PDF)", { skip: missing(!LO, "soffice not installed") }, async () => {
  const { dir, file } = await writeFixture();
  const r = spawnSync("soffice", [`-env:UserInstallation=file://${path.join(dir, "lo-pdf")}`, "--headless", "--convert-to", "pdf", "--outdir", dir, file], { encoding: "utf8", timeout: 180_000 });
  assert.equal(r.status, 0, r.stderr);
  const pdf = path.join(dir, "redline.pdf");
  assert.ok(fs.existsSync(pdf) && fs.statSync(pdf).size > 1000);
  assert.equal(fs.readFileSync(pdf).subarray(0, 5).toString(), "%PDF-");
});

test("LibreOffice: Accept All gives the new text, Reject All the old", { skip: missing(!LO, "soffice not installed") }, async () => {
  const { dir, file } = await writeFixture();
  const lines = (text: string) => {
    const ls = text.split("\n").map((l) => l.replace(/^\s*•\s/, ""));
    while (ls.length && ls[ls.length - 1] === "") ls.pop();
    return ls.join("\n");
  };
  // Exact, but for one known gap: LibreOffice cannot join a paragraph into a table, so a wholly
  // deleted clause that starts right after a table and ends on a table ("2 Rabatter", between
  // the tables of "1 Timepriser" and its own) leaves one empty paragraph on Accept All. (Where a
  // paragraph precedes such a run, the writer moves the revision to that paragraph's mark and
  // LibreOffice is exact.)
  const accepted = lines(libreOfficeText(file, dir, "Accept"));
  assert.equal(accepted.replace(/^\n/gm, ""), expected("new").join("\n"), "LibreOffice Accept All");
  assert.match(accepted, /^1\.100 kr\.\n\n2 Betaling$/m);
  assert.equal(accepted.split("\n").filter((l) => l === "").length, 1);
  assert.equal(lines(libreOfficeText(file, dir, "Reject")), expected("old").join("\n"), "LibreOffice Reject All");
  // Without accepting or rejecting, LibreOffice's text export writes deleted and inserted text
  // alike (the document model keeps both): a plain --convert-to txt is no way to read either side.
  const raw = libreOfficeText(file, dir, "None");
  assert.match(raw, /KøbenhavnKøbenhavns Kommune/);
  assert.match(raw, /Virksomhedspraktik/);
  assert.match(raw, /Jobsøgningsforløb/);
});

/** Style and text of every body paragraph outside tables, as each version should have them. */
function expectedStyles(which: "old" | "new"): string[] {
  const out: string[] = [];
  (which === "old" ? olds : news).forEach((clauses, d) => {
    out.push(`Title | ${diffs[d].title}`);
    for (const c of clauses) {
      const h = [c.ref ?? "", c.heading].filter(Boolean).join(" ");
      if (h) out.push(`Heading${Math.min(3, c.level)} | ${h}`);
      for (const b of c.blocks) if (b.kind !== "table-row") out.push(`${b.kind === "list-item" ? "ListBullet" : "Normal"} | ${b.text}`);
    }
  });
  return out;
}

test("LibreOffice: after Accept All / Reject All every paragraph has its version's style", { skip: missing(!LO, "soffice not installed") }, async () => {
  const { dir, file } = await writeFixture();
  for (const [mode, which] of [["Accept", "new"], ["Reject", "old"]] as const) {
    const parts = await partsOf(fs.readFileSync(libreOffice(file, dir, mode, "docx")));
    const body = bodyOf(parts["word/document.xml"]);
    const got = kids(body, "w:p")
      .map((p) => {
        const style = kid(kid(p, "w:pPr") ?? { name: "", attrs: {}, children: [] }, "w:pStyle")?.attrs["w:val"] ?? "Normal";
        return `${style} | ${runText(p, "accept")}`;
      })
      .filter((l) => !l.endsWith(" | ")); // the document's closing paragraph (and the known gap)
    assert.deepEqual(got, expectedStyles(which), `LibreOffice ${mode} All`);
  }
});

/* ------------------------------------------------------------------------------------------ */
/* Word's move markup (--flytninger word)                                                      */

test("moves as Word's move markup: named ranges, moveFrom/moveTo, exact accept/reject (ours, LibreOffice)", async () => {
  const buf = await writeRedlineDocx(diffs, { ...OPTS, moves: "word" });
  const xml = (await partsOf(buf))["word/document.xml"];
  const els = [...walk(parseXml(xml))];
  const starts = (n: string) => els.filter((e) => e.name === n).map((e) => e.attrs["w:name"]);
  const from = starts("w:moveFromRangeStart");
  const to = starts("w:moveToRangeStart");
  assert.ok(from.length >= 1, "at least one move range");
  assert.deepEqual([...from].sort(), [...to].sort(), "every moveFrom range has its moveTo range");
  for (const [s, e] of [["w:moveFromRangeStart", "w:moveFromRangeEnd"], ["w:moveToRangeStart", "w:moveToRangeEnd"]]) {
    assert.deepEqual(els.filter((x) => x.name === s).map((x) => x.attrs["w:id"]), els.filter((x) => x.name === e).map((x) => x.attrs["w:id"]), `${s} and ${e} pair by id`);
  }
  assert.ok(els.some((e) => e.name === "w:moveFrom") && els.some((e) => e.name === "w:moveTo"));
  const ids = els.filter((e) => ["w:ins", "w:del", "w:moveFrom", "w:moveTo", "w:pPrChange", "w:moveFromRangeStart", "w:moveToRangeStart"].includes(e.name)).map((e) => e.attrs["w:id"]);
  assert.equal(new Set(ids).size, ids.length, "unique ids");
  assert.deepEqual(resolved(xml, "accept"), expected("new"));
  assert.deepEqual(resolved(xml, "reject"), expected("old"));
  // The default stays deletion + insertion with comments (pandoc has no move support).
  assert.doesNotMatch((await partsOf(await redline()))["word/document.xml"], /w:moveFrom/);
  if (missing(!LO, "soffice not installed")) return;
  const dir = tmpDir("udbud-redline-flyt-");
  const file = path.join(dir, "redline-flyt.docx");
  fs.writeFileSync(file, buf);
  const lines = (text: string) => {
    const ls = text.split("\n").map((l) => l.replace(/^\s*•\s/, ""));
    while (ls.length && ls[ls.length - 1] === "") ls.pop();
    return ls.join("\n");
  };
  assert.equal(lines(libreOfficeText(file, dir, "Accept")).replace(/^\n/gm, ""), expected("new").join("\n"), "LibreOffice Accept All");
  assert.equal(lines(libreOfficeText(file, dir, "Reject")).replace(/^\n/gm, ""), expected("old").join("\n"), "LibreOffice Reject All");
});

/* ---------------------------------------------------------------- heading numbering */

test("heading numbers: Word's list when both versions count like it, typed numbers otherwise", async () => {
  const { diffDocuments } = await import("../src/diff/align.js");
  const { countsLikeWord } = await import("../src/diff/redline-headings.js");
  const c = (ref: string | null, heading: string, level: number): Clause => ({ ref, heading, level, blocks: [{ kind: "paragraph", text: `Tekst under ${heading}.` }] });
  const oldDoc = { id: "k", title: "K", headingNumbers: "word" as const, clauses: [c(null, "", 0), c("1", "Indledning", 1), c("1.1", "Formål", 2), c("1.2", "Baggrund", 2), c("2", "Ophør", 1)] };
  const newDoc = { id: "k", title: "K", headingNumbers: "word" as const, clauses: [c(null, "", 0), c("1", "Indledning", 1), c("1.1", "Formål", 2), c("2", "Ophør", 1), c("2.1", "Varsel", 2)] };
  assert.ok(countsLikeWord(oldDoc.clauses) && countsLikeWord(newDoc.clauses));
  assert.ok(!countsLikeWord([c("1", "A", 1), c("3", "B", 1)]), "a gap");
  assert.ok(!countsLikeWord([c("1.1", "A", 2)]), "a skipped level");
  assert.ok(!countsLikeWord([c("1", "A", 7)]), "deeper than Heading 6");
  const zipOf = async (d: DocDiff) => JSZip.loadAsync(await writeRedlineDocx([d], { author: "udbud", date: "2026-12-01", title: "K" }));
  const xmlOf = async (d: DocDiff) => (await zipOf(d)).file("word/document.xml")!.async("string");
  const word = await xmlOf(diffDocuments(oldDoc, newDoc));
  const zip = await zipOf(diffDocuments(oldDoc, newDoc));
  const styles = await zip.file("word/styles.xml")!.async("string");
  const numbering = await zip.file("word/numbering.xml")!.async("string");
  assert.match(styles, /w:styleId="Heading2">.*?<w:numPr><w:ilvl w:val="1"\/><w:numId w:val="2"\/><\/w:numPr>/, "Heading 2 is level 2 of the heading list");
  assert.match(numbering, /<w:num w:numId="2"><w:abstractNumId w:val="50"\/><\/w:num>/);
  assert.match(numbering, /<w:lvl w:ilvl="1">.*?<w:pStyle w:val="Heading2"\/>.*?<w:lvlText w:val="%1\.%2"\/>/);
  // No typed numbers; the Heading styles carry the list (styles.xml), deleted/inserted headings renumber by themselves.
  assert.ok(!/<w:t[^>]*>\d+(\.\d+)* /.test(word), "no typed heading numbers");
  assert.ok(word.includes(">Baggrund</w:delText>") && word.includes(">Varsel</w:t>"));
  // The same pair with typed numbers (pandoc, Markdown): the numbers stay typed, changed ones revised.
  const typed = await xmlOf(diffDocuments({ ...oldDoc, headingNumbers: undefined }, { ...newDoc, headingNumbers: undefined }));
  assert.ok(typed.includes(">2.1 Varsel</w:t>") || typed.includes(">2.1</w:t>"), "typed numbers without Word's list");
  // A version that does not count like Word's list (a gap): typed numbers, even from a Word-numbered document.
  const gap = { ...newDoc, clauses: [...newDoc.clauses.slice(0, 3), c("3", "Ophør", 1)] };
  assert.ok(/>3 Ophør<\/w:t>|>3<\/w:t>/.test(await xmlOf(diffDocuments(oldDoc, gap))));
});
