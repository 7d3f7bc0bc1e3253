/** The diff core: alignment, renumbering, moves, word diffs, tables, semantic changes; property tests with fast-check. */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as path from "node:path";
import fc from "fast-check";
import type { Block as AstBlock, DocumentTree, Heading } from "../src/doc/ast.js";
import { numberDocument } from "../src/doc/number.js";
import { diffDocuments, primaryKind, wordRuns } from "../src/diff/align.js";
import { fromTree, readMarkdownDoc, readTextDoc } from "../src/diff/inputs.js";
import { runsText, type ComparableDoc, type DocDiff } from "../src/diff/model.js";
import { semanticChanges } from "../src/diff/semantic.js";
import { readSpec } from "../src/read/index.js";
import { buildDocuments } from "../src/render/build.js";
import { repoRoot } from "./helpers.js";

const contract: DocumentTree = (() => {
  const r = readSpec(path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte"));
  return buildDocuments(r.udbud!, r.sourceMap, { only: ["rammeaftale"] }).trees[0];
})();

function renumbered(blocks: AstBlock[]): ComparableDoc {
  const tree: DocumentTree = { ...contract, blocks: structuredClone(blocks) };
  numberDocument(tree);
  return fromTree(tree);
}

const norm = (s: string) => s.replace(/\s+/g, " ").trim();

/** Both versions can be read back from the diff, clause by clause and block by block. */
function assertReproduces(d: DocDiff, a: ComparableDoc, b: ComparableDoc): void {
  const olds = d.clauses.filter((c) => c.old).sort((x, y) => x.oldIndex! - y.oldIndex!);
  const news = d.clauses.filter((c) => c.new);
  assert.equal(olds.length, a.clauses.length, "every old clause appears once");
  assert.equal(news.length, b.clauses.length, "every new clause appears once");
  olds.forEach((c, i) => {
    assert.equal(norm(runsText(c.headingRuns, "old")), norm(a.clauses[i].heading));
    assert.deepEqual(c.blocks.filter((x) => x.old).map((x) => norm(runsText(x.runs, "old"))), a.clauses[i].blocks.map((x) => norm(x.text)));
  });
  news.forEach((c, j) => {
    assert.equal(norm(runsText(c.headingRuns, "new")), norm(b.clauses[j].heading));
    assert.deepEqual(c.blocks.filter((x) => x.new).map((x) => norm(runsText(x.runs, "new"))), b.clauses[j].blocks.map((x) => norm(x.text)));
  });
}

test("word runs reproduce both texts exactly (property)", () => {
  const word = fc.constantFrom("Leverandøren", "skal", "10", "%", "DKK", "3.000", "pr.", "Arbejdsdag", "æøå", "”bod”", ",", "og", "Ordregiver");
  const text = fc.array(word, { maxLength: 40 }).map((ws) => ws.join(" "));
  fc.assert(
    fc.property(text, text, (a, b) => {
      const runs = wordRuns(a, b, { ignoreCase: false, ignoreWhitespace: false });
      assert.equal(runsText(runs, "old"), a);
      assert.equal(runsText(runs, "new"), b);
    }),
    { numRuns: 300 },
  );
});

test("whitespace and reflow alone are no change; case only with --ignore-case", () => {
  const a = readTextDoc("1. Bod\n\nLeverandøren   betaler\nbod pr. Arbejdsdag.\n\n2. Ophør\n\nTekst.", "a");
  const b = readTextDoc("1. Bod\n\nLeverandøren betaler bod pr.\nArbejdsdag.\n\n2. Ophør\n\nTekst.", "b");
  const d = diffDocuments(a, b);
  assert.deepEqual(d.summary, { inserted: 0, deleted: 0, modified: 0, moved: 0, henvisning: 0, renumbered: 0 });
  const c = readTextDoc("1. Bod\n\nLEVERANDØREN betaler bod pr. Arbejdsdag.\n\n2. Ophør\n\nTekst.", "c");
  assert.equal(diffDocuments(a, c).summary.modified, 1);
  assert.equal(diffDocuments(a, c, { ignoreCase: true, ignoreWhitespace: true }).summary.modified, 0);
});

test("inserting one clause gives one insertion plus renumberings only", () => {
  const blocks = contract.blocks;
  const at = blocks.findIndex((b) => b.type === "heading" && b.id === "forsikring");
  const inserted: AstBlock[] = [
    { type: "heading", level: 2, id: "cyber", numbered: true, content: [{ type: "text", text: "Cyberforsikring" }] },
    { type: "paragraph", content: [{ type: "text", text: "Leverandøren skal have en cyberforsikring." }] },
  ];
  const a = renumbered(blocks);
  const b = renumbered([...blocks.slice(0, at), ...inserted, ...blocks.slice(at)]);
  const d = diffDocuments(a, b);
  assert.equal(d.summary.inserted, 1);
  assert.equal(d.summary.deleted + d.summary.modified + d.summary.moved, 0, JSON.stringify(d.summary));
  assert.ok(d.summary.renumbered >= 2, "the following clauses are renumbered");
  const ins = d.clauses.find((c) => c.kinds.includes("inserted"))!;
  assert.equal(ins.new!.heading, "Cyberforsikring");
  // The new clause takes over the old number of "Forsikring": that is renumbering, not a text change.
  const forsikring = d.clauses.find((c) => c.new?.id === "forsikring")!;
  assert.deepEqual(forsikring.kinds, ["renumbered"]);
  assert.equal(forsikring.new!.ref, ins.new!.ref!.replace(/\d+$/, (n) => String(Number(n) + 1)));
  assertReproduces(d, a, b);
});

test("without clause ids (text input), renumbering is still recognised", () => {
  const a = readTextDoc("1. Formål\n\nA.\n\n2. Bod\n\nBod pr. dag.\n\n3. Ophør\n\nOphør.", "a");
  const b = readTextDoc("1. Formål\n\nA.\n\n2. Nyt\n\nHelt ny tekst om noget andet.\n\n3. Bod\n\nBod pr. dag.\n\n4. Ophør\n\nOphør.", "b");
  const d = diffDocuments(a, b);
  assert.deepEqual(d.summary, { inserted: 1, deleted: 0, modified: 0, moved: 0, henvisning: 0, renumbered: 2 });
});

test("a moved and edited clause is 'moved' with its inner edits", () => {
  const a = readTextDoc("1. A\n\nTekst a.\n\n2. B\n\nLeverandøren betaler bod pr. dag.\n\n3. C\n\nTekst c.\n\n4. D\n\nTekst d.", "a");
  const b = readTextDoc("1. A\n\nTekst a.\n\n2. C\n\nTekst c.\n\n3. D\n\nTekst d.\n\n4. B\n\nLeverandøren betaler høj bod pr. dag.", "b");
  const d = diffDocuments(a, b);
  const moved = d.clauses.find((c) => c.kinds.includes("moved"))!;
  assert.deepEqual(moved.kinds, ["moved", "modified"]);
  assert.equal(moved.movedFrom, "2");
  assert.equal(primaryKind(moved.kinds), "moved");
  assert.deepEqual(moved.words, { added: 1, removed: 0 });
  assert.equal(d.summary.moved, 1);
  assertReproduces(d, a, b);
});

test("table rows align by the key column; word diff inside cells", () => {
  const md = (rows: string) => `# 1. Priser\n\n| Indsats | Pris |\n|---|---|\n${rows}`;
  const a = readMarkdownDoc(md("| 1A | 1.200 kr. |\n| 1B | 900 kr. |\n| 1C | 700 kr. |\n"), "a");
  const b = readMarkdownDoc(md("| 1A | 1.200 kr. |\n| 1B | 1.350 kr. |\n| 1D | 500 kr. |\n"), "b");
  const d = diffDocuments(a, b);
  const blocks = d.clauses[0].blocks;
  const row1B = blocks.find((x) => x.op === "modify")!;
  assert.equal(row1B.new!.cells![0], "1B");
  assert.deepEqual(row1B.cellRuns![1], [{ op: "delete", text: "900" }, { op: "insert", text: "1.350" }, { op: "equal", text: " kr." }]);
  assert.deepEqual(blocks.map((x) => x.op), ["equal", "equal", "modify", "delete", "insert"]);
});

test("random edit scripts on the contract: both sides reproduce, edits are found (property)", () => {
  const clauseStarts = contract.blocks.map((b, i) => (b.type === "heading" && b.level === 2 ? i : -1)).filter((i) => i >= 0);
  const edit = fc.record({
    kind: fc.constantFrom("insert", "delete", "modify", "move"),
    at: fc.nat({ max: clauseStarts.length - 2 }),
    to: fc.nat({ max: clauseStarts.length - 2 }),
    word: fc.constantFrom("væsentligt", "skriftligt", "straks", "ikke"),
  });
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
      let blocks: AstBlock[] = structuredClone(contract.blocks);
      const starts = () => blocks.map((b, i) => (b.type === "heading" && b.level === 2 ? i : -1)).filter((i) => i >= 0);
      const extent = (i: number) => {
        let j = i + 1;
        while (j < blocks.length && !(blocks[j].type === "heading" && (blocks[j] as Heading).level <= 2)) j++;
        return j;
      };
      for (const e of edits) {
        const s = starts();
        const i = s[e.at % s.length];
        if (e.kind === "insert") {
          blocks.splice(i, 0, { type: "heading", level: 2, numbered: true, content: [{ type: "text", text: `Ny klausul ${e.word}` }] }, { type: "paragraph", content: [{ type: "text", text: `Helt ny bestemmelse om ${e.word} forhold.` }] });
        } else if (e.kind === "delete") {
          blocks.splice(i, extent(i) - i);
        } else if (e.kind === "modify") {
          const p = blocks.slice(i, extent(i)).find((b) => b.type === "paragraph");
          if (p && p.type === "paragraph" && p.content[0]?.type === "text") p.content[0] = { type: "text", text: `${p.content[0].text} ${e.word}` };
        } else {
          const cut = blocks.splice(i, extent(i) - i);
          const s2 = starts();
          const to = s2[e.to % s2.length] ?? blocks.length;
          blocks.splice(to, 0, ...cut);
        }
      }
      const a = renumbered(contract.blocks);
      const b = renumbered(blocks);
      const d = diffDocuments(a, b);
      assertReproduces(d, a, b);
      for (const c of d.clauses) assert.ok(!(c.kinds.includes("inserted") && c.kinds.length > 1));
      // The edits are found: when the text changed, the summary reports at least one change.
      const text = (doc: typeof a) => JSON.stringify(doc.clauses.map((c) => [c.heading, c.blocks.map((x) => x.text)]));
      if (text(a) !== text(b)) assert.ok(Object.values(d.summary).some((n) => n > 0), JSON.stringify(d.summary));
    }),
    { numRuns: 40 },
  );
});

test("a hard diff (30 % of words rewritten) is aligned clause by clause, never delete-all + insert-all", () => {
  const a = fromTree(contract);
  let n = 0;
  const rewrite = (t: string) => t.split(" ").map((w) => (n++ % 3 === 0 ? `x${w}` : w)).join(" ");
  const b: ComparableDoc = { ...a, clauses: a.clauses.map((c) => ({ ...c, blocks: c.blocks.map((x) => ({ ...x, text: rewrite(x.text) })) })) };
  const d = diffDocuments(a, b);
  assert.equal(d.summary.inserted, 0);
  assert.equal(d.summary.deleted, 0);
  assert.ok(d.summary.modified > 50, String(d.summary.modified));
  assertReproduces(d, a, b);
});

test("semantic change list in Danish from the models", () => {
  const a = readSpec(path.join(repoRoot, "tests", "fixtures", "minimal")).udbud!;
  const b = structuredClone(a);
  b.delkontrakter[0].prismodel.priser[1].beløb = 3600;
  b.aftaleperiode.forlængelser!.push({ måneder: 12, varsel_måneder: 3, evalueres: false });
  b.tildeling.underkriterier.push({ id: "miljø", titel: "Miljø", type: "kvalitet", vægt: 5 });
  b.delkontrakter[0].indsatsspor[0].indsatser[0].varighed!.uger = 26;
  const list = semanticChanges(a, b);
  assert.ok(list.includes("Ugepris for indsats 1B (udbudsområde 1): 3.500 kr. → 3.600 kr."), list.join("\n"));
  assert.ok(list.includes("Aftaleperioden kan forlænges med 12 måneder"));
  assert.ok(list.includes("Nyt underkriterium: Miljø (5 %)"));
  assert.ok(list.includes("Udbudsområde 1 – Indsatsspor 1 – Indsats 1A – Varighed – Uger: 13 uger → 26 uger"));
});

test("semantic change list: a contact person added or removed is named (the two example specs)", () => {
  const a = readSpec(path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte")).udbud!;
  const b = readSpec(path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte")).udbud!;
  const list = semanticChanges(a, b);
  const contacts = list.filter((l) => /kontaktperson/i.test(l) && /fjernet|Ny /.test(l));
  assert.ok(contacts.length >= 2, list.join("\n"));
  for (const l of contacts) assert.match(l, /: \S/, `a name after the colon: »${l}«`);
  assert.ok(contacts.includes("Ny kontaktperson: Anne Holm"), contacts.join("\n"));
});
