/** `udbud diff` as a user runs it: specs, planted edits in pandoc-made DOCX of the seed, formats, errors. */
import { test } from "vitest";
import { requirePrereq } from "./prereq.js";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import JSZip from "jszip";
import { seedMarkdown } from "../bench/diff.js";
import { cli, repoRoot, tmpDir, writeFiles } from "./helpers.js";

const seed = path.join(repoRoot, "..", "shared", "seeds", "003_5b90929a1b5338aa.txt");
const hasPandoc = spawnSync("pandoc", ["--version"]).status === 0;

test("two DOCX versions of the seed-003 text (pandoc) report exactly the planted edits", async (ctx) => {
  requirePrereq(!hasPandoc || !fs.existsSync(seed), "pandoc or the seeds are missing", ctx.skip);
  const md = seedMarkdown(fs.readFileSync(seed, "utf8"));
  const edited = md
    .replace("Dagsboden udgør dog altid minimum DKK 3.000 pr. Arbejdsdag.", "Dagsboden udgør dog altid minimum DKK 5.000 pr. Arbejdsdag.")
    .replace("\nOpsigelse af Kontrakten skal være skriftlig.\n", "\n")
    .replace("\n### 6.1.2 Leverandørens forsinkelse\n", "\n### 6.1.1 Cyberhændelser\n\nLeverandøren skal straks underrette Ordregiver om cyberhændelser.\n\n### 6.1.2 Leverandørens forsinkelse\n");
  assert.ok(edited.includes("Cyberhændelser") && edited.includes("DKK 5.000") && !edited.includes("Opsigelse af Kontrakten skal være skriftlig."), "all three edits planted");
  assert.notEqual(edited, md);
  const dir = tmpDir();
  for (const [name, text] of [["gammel", md], ["ny", edited]]) {
    fs.writeFileSync(path.join(dir, `${name}.md`), text);
    const r = spawnSync("pandoc", ["-f", "markdown", "-t", "docx", "-o", path.join(dir, `${name}.docx`), path.join(dir, `${name}.md`)]);
    assert.equal(r.status, 0, String(r.stderr));
  }
  const r = await cli("diff", path.join(dir, "gammel.docx"), path.join(dir, "ny.docx"), "--json");
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.summary, { inserted: 1, deleted: 0, modified: 2, moved: 0, henvisning: 0, renumbered: 0 }, JSON.stringify(j.changes.map((c: any) => [c.kind, c.new?.heading ?? c.old?.heading]), null, 1));
  const inserted = j.changes.find((c: any) => c.kind === "inserted");
  assert.equal(inserted.new.heading, "Cyberhændelser");
  const bod = j.changes.find((c: any) => c.kind === "modified" && c.new.text.includes("DKK 5.000"));
  assert.deepEqual(bod.words, { added: 1, removed: 1 });
  const opsigelse = j.changes.find((c: any) => c.kind === "modified" && c.old.text.includes("Opsigelse af Kontrakten skal være skriftlig."));
  assert.ok(opsigelse, "the deleted paragraph is reported in its clause");
  assert.equal(opsigelse.words.added, 0);
  assert.equal(opsigelse.words.removed, 6);
});

test("diff of the two example specs: clause changes per document and a semantic change list", async () => {
  const r = await cli("diff", path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte"), path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte"), "--json");
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j.summary), ["inserted", "deleted", "modified", "moved", "henvisning", "renumbered"]);
  assert.ok(j.changes.some((c: any) => c.document === "rammeaftale" && c.new?.heading === "Aftaleperiode" && c.kind === "modified"));
  assert.ok(j.changes.some((c: any) => c.document === "bilag-a4-psykiske-lidelser" && c.kind === "deleted"), "lot 4 is gone in 2024");
  assert.ok(j.semantic.includes("Udbudsprocedure – Prækvalifikation: nej → ja"), j.semantic.slice(0, 40).join("\n"));
  assert.ok(j.semantic.some((s: string) => /^Afregningsform.*timepris → ugepris/.test(s) || /Afregningsform: timepris → ugepris/.test(s)), "pricing model change");
});

test("formats: html, redline docx and ændringsoversigt are written to --out; terminal respects NO_COLOR", async () => {
  const a = writeFiles({ "a.md": "# 1. Bod {#bod}\n\nBod er 10 %.\n\n# 2. Ophør {#ophoer}\n\nTekst.\n" });
  const b = writeFiles({ "b.md": "# 1. Bod {#bod}\n\nBod er 20 %.\n\n# 2. Ophør {#ophoer}\n\nTekst.\n" });
  const out = tmpDir();
  const r = await cli("diff", path.join(a, "a.md"), path.join(b, "b.md"), "--format", "terminal,html,docx,oversigt", "--out", out, "--date", "2024-05-01", "--author", "Jurist");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^1 ændret/);
  assert.match(r.stdout, /\[-10-\]\{\+20\+\}/);
  assert.doesNotMatch(r.stdout, /\u001b\[/, "no colour when not a TTY");
  assert.deepEqual(fs.readdirSync(out).sort(), ["aendringsoversigt.docx", "aendringsoversigt.md", "aendringsoversigt.pdf", "redline.docx", "sammenligning.html"]);
  const xml = await (await JSZip.loadAsync(fs.readFileSync(path.join(out, "redline.docx")))).file("word/document.xml")!.async("string");
  assert.match(xml, /<w:del [^>]*w:author="Jurist"[^>]*w:date="2024-05-01T00:00:00Z"/);
  assert.match(xml, /<w:ins [^>]*w:author="Jurist"/);
  assert.match(fs.readFileSync(path.join(out, "aendringsoversigt.md"), "utf8"), /Ændringsoversigt/);
});

test("bad input: missing file, unsupported type, corrupt DOCX, unknown format", async () => {
  const dir = writeFiles({ "a.md": "# 1. A\n\nx\n", "b.odt": "x", "c.docx": "ikke en zip" });
  const missing = await cli("diff", path.join(dir, "a.md"), path.join(dir, "findes-ikke.md"));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /findes ikke/);
  const odt = await cli("diff", path.join(dir, "a.md"), path.join(dir, "b.odt"));
  assert.equal(odt.code, 1);
  assert.match(odt.stderr, /Filtypen '\.odt' kan ikke sammenlignes/);
  const corrupt = await cli("diff", path.join(dir, "a.md"), path.join(dir, "c.docx"));
  assert.equal(corrupt.code, 1);
  assert.match(corrupt.stderr, /DOCX/);
  const fmt = await cli("diff", path.join(dir, "a.md"), path.join(dir, "a.md"), "--format", "pdf");
  assert.equal(fmt.code, 2);
});
