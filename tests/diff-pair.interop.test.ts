/**
 * The pair from issue 15, made from the seed-003 text with pandoc and with LibreOffice: two
 * modified figures, one deleted paragraph, one paragraph moved far away into another clause, one
 * inserted paragraph, one inserted numbered section that renumbers six headings, and one
 * whitespace-only edit. `udbud diff` reports exactly these edits, from either producer's DOCX.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { seedMarkdown } from "../bench/diff.js";
import { cli, repoRoot, tmpDir } from "./helpers.js";
import { requirePrereq } from "./prereq.js";

const seed = path.join(repoRoot, "..", "shared", "seeds", "003_5b90929a1b5338aa.txt");
const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;

function makePair(seedText: string): { old: string; new: string; renumbered: number } {
  const md = seedMarkdown(seedText);
  let paras = md.split("\n\n");
  const find = (pred: (p: string) => boolean, from = 0): number => { const i = paras.findIndex((p, k) => k >= from && pred(p.trim())); if (i < 0) throw new Error("not found"); return i; };
  const replaceIn = (i: number, a: string, b: string): void => { if (!paras[i].includes(a)) throw new Error(a); paras[i] = paras[i].replace(a, b); };
  // 1, 2: two figures
  replaceIn(find((p) => p.includes("Dagsboden udgør dog altid minimum DKK 3.000")), "DKK 3.000", "DKK 5.000");
  replaceIn(find((p) => p.startsWith("Parterne skal skriftligt underrette hinanden 14 Arbejdsdage")), "14 Arbejdsdage", "10 Arbejdsdage");
  // 3: a deleted paragraph
  paras.splice(find((p) => p === "Opsigelse af Kontrakten skal være skriftlig."), 1);
  // 4: a paragraph moved from pkt. 3.3 far away into pkt. 7.4
  const moving = find((p) => p.startsWith("Leverandøren skal sikre, at ansatte hos Leverandøren og eventuelle underleverandører orienterer"));
  const [moved] = paras.splice(moving, 1);
  paras.splice(find((p) => p.startsWith("Ordregivers ophør af Kontrakten under dette pkt. 7.4")) + 1, 0, moved);
  // 5: an inserted paragraph
  paras.splice(find((p) => p.startsWith("Opbygning af en tillidsfuld relation med borger"), find((p) => p === "## 4.2 Rammen for indsatssporet")) + 1, 0, "Leverandøren skal tilbyde borgeren en fast kontaktperson gennem hele forløbet.");
  // 6: an inserted numbered section that renumbers the six headings after it
  const at = find((p) => p === "## 4.3 Tilrettelæggelsen af indsatsen", find((p) => p === "## 4.2 Rammen for indsatssporet"));
  const end = find((p) => /^# /.test(p), at);
  let renumbered = 0;
  for (let k = at; k < end; k++) {
    const m = /^(#+) 4\.(\d+)((?:\.\d+)*) /.exec(paras[k].trim());
    if (m) { paras[k] = paras[k].replace(/^(#+) 4\.(\d+)/, (_: string, h: string, n: string) => `${h} 4.${Number(n) + 1}`); renumbered++; }
  }
  paras.splice(at, 0, "## 4.3 Opfølgning på borgerens forløb", "Leverandøren skal følge op på borgerens forløb hver anden uge.");
  // 7: a whitespace-only edit
  const ws = find((p) => p.startsWith("Indsatsen skal derfor have fokus på"));
  paras[ws] = paras[ws].replace(", ", ",   ");
  return { old: md, new: paras.join("\n\n"), renumbered };
}

const EXPECTED = [
  ["modified", "6", "6", { added: 0, removed: 6 }],
  ["modified", "3.3", "3.3", { added: 1, removed: 1 }],
  ["modified", "6.1.2", "6.1.2", { added: 1, removed: 1 }],
  ["moved", "3.3", "7.4", { added: 0, removed: 0 }],
  ["modified", "4.2", "4.2", { added: 10, removed: 0 }],
  ["inserted", undefined, "4.3", { added: 14, removed: 0 }],
];

async function check(oldDocx: string, newDocx: string): Promise<void> {
  const r = await cli("diff", oldDocx, newDocx, "--json");
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.summary, { inserted: 1, deleted: 0, modified: 4, moved: 1, henvisning: 0, renumbered: 6 });
  const changes = j.changes.filter((c: any) => c.kind !== "renumbered").map((c: any) => [c.kind, c.old?.ref, c.new?.ref, c.words]);
  assert.deepEqual(changes, EXPECTED);
  const moved = j.changes.find((c: any) => c.kind === "moved");
  assert.equal(moved.block, "paragraph");
  assert.match(moved.new.text, /^Leverandøren skal sikre, at ansatte/);
}

test("the issue's pair as pandoc DOCX: exactly its edits", async (ctx) => {
  requirePrereq(!has("pandoc") || !fs.existsSync(seed), "pandoc eller seeds mangler", ctx.skip);
  const pair = makePair(fs.readFileSync(seed, "utf8"));
  assert.equal(pair.renumbered, 6);
  const dir = tmpDir();
  for (const n of ["old", "new"] as const) {
    fs.writeFileSync(path.join(dir, `${n}.md`), pair[n]);
    const r = spawnSync("pandoc", ["-f", "markdown", "-t", "docx", "-o", path.join(dir, `${n}.docx`), path.join(dir, `${n}.md`)], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  }
  await check(path.join(dir, "old.docx"), path.join(dir, "new.docx"));
});

test("the issue's pair as LibreOffice DOCX: exactly its edits", async (ctx) => {
  requirePrereq(!has("pandoc") || !has("soffice") || !fs.existsSync(seed), "pandoc, LibreOffice eller seeds mangler", ctx.skip);
  const pair = makePair(fs.readFileSync(seed, "utf8"));
  const dir = tmpDir();
  for (const n of ["old", "new"] as const) {
    fs.writeFileSync(path.join(dir, `${n}.md`), pair[n]);
    const r = spawnSync("pandoc", ["-f", "markdown", "-t", "odt", "-o", path.join(dir, `${n}.odt`), path.join(dir, `${n}.md`)], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  }
  const out = path.join(dir, "lo");
  const r = spawnSync("soffice", [`-env:UserInstallation=file://${path.join(dir, "profil")}`, "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", out, path.join(dir, "old.odt"), path.join(dir, "new.odt")], { encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  await check(path.join(out, "old.docx"), path.join(out, "new.docx"));
});
