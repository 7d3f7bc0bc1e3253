/**
 * The redline keeps the new document's list types: after Accept All a "1." list reads "1.", an
 * "a)" list "a)", an "i)" list "i)", bullets stay bullets — as in the new document; after Reject
 * All as in the old one. Both versions are made by pandoc (Markdown → DOCX); the redline is read
 * back by pandoc (--track-changes=accept|reject) and by LibreOffice (Accept All / Reject All).
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { diffDocuments } from "../src/diff/align.js";
import { readDocx } from "../src/diff/read-docx/index.js";
import { writeRedlineDocx } from "../src/diff/redline-docx.js";
import { tmpDir } from "./helpers.js";
import { libreOfficeText } from "./libreoffice.js";
import { requirePrereq } from "./prereq.js";

const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;

const OLD = `# 1. Ydelser

Leverandøren skal levere:

1. Samtaler med borgeren om job og uddannelse.
2. Virksomhedspraktik hos private og offentlige arbejdsgivere.
3. Opfølgning hver fjerde uge.

# 2. Krav

a) Leverandøren skal have kontor i Københavns Kommune.
b) Medarbejderne skal tale og skrive dansk.
c) Leverandøren skal kunne modtage borgere inden for fem Arbejdsdage.

- Et punkt med en kugle.
- Et andet punkt med en kugle.

# 3. Betaling

i) Betaling sker månedsvis bagud.
ii) Fakturaen sendes elektronisk.
`;

const NEW = `# 1. Ydelser

Leverandøren skal levere:

1. Samtaler med borgeren om job og uddannelse.
2. Jobsøgning med hjælp til ansøgninger og CV.
3. Virksomhedspraktik hos private og offentlige arbejdsgivere.
4. Opfølgning hver fjerde uge.

# 2. Krav

a) Leverandøren skal have kontor i Københavns Kommune.
b) Leverandøren skal kunne modtage borgere inden for tre Arbejdsdage.

- Et punkt med en kugle.
- Et nyt punkt med en kugle.
- Et andet punkt med en kugle.

# 3. Betaling

i) Betaling sker månedsvis bagud.
ii) Fakturaen sendes elektronisk.
iii) Rykkergebyr opkræves ikke.
`;

/** The list markers of a plain-text rendering, in order ("1.", "a)", "i)", "•"). */
function markers(text: string): string[] {
  return text
    .split("\n")
    .filter((l) => !/^\d+\.?\s+(Ydelser|Krav|Betaling)$/.test(l.trim())) // the numbered headings
    .map((l) => /^\s*(\d+\.|[a-z]\)|[ivx]+\)|[-•*])\s+\S/.exec(l)?.[1])
    .filter((m): m is string => !!m)
    .map((m) => (/^[-•*]$/.test(m) ? "•" : m));
}

async function fixture(): Promise<{ dir: string; oldDocx: string; newDocx: string; redline: string }> {
  const dir = tmpDir();
  const docx = (name: string, md: string) => {
    fs.writeFileSync(path.join(dir, `${name}.md`), md);
    const r = spawnSync("pandoc", ["-f", "markdown", "-t", "docx", "-o", path.join(dir, `${name}.docx`), path.join(dir, `${name}.md`)], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return path.join(dir, `${name}.docx`);
  };
  const oldDocx = docx("gammel", OLD);
  const newDocx = docx("ny", NEW);
  const a = await readDocx(fs.readFileSync(oldDocx), "gammel");
  const b = await readDocx(fs.readFileSync(newDocx), "ny");
  // The reader keeps each item's marker aside from its text.
  assert.deepEqual(b.clauses.flatMap((c) => c.blocks.filter((x) => x.kind === "list-item").map((x) => x.marker ?? "•")), ["1.", "2.", "3.", "4.", "a)", "b)", "•", "•", "•", "i)", "ii)", "iii)"]);
  const redline = path.join(dir, "redline.docx");
  fs.writeFileSync(redline, await writeRedlineDocx([diffDocuments(a, b)], { author: "udbud", date: "2026-12-01T00:00:00Z", title: "Lister" }));
  return { dir, oldDocx, newDocx, redline };
}

const pandocPlain = (file: string, track?: "accept" | "reject") => {
  const r = spawnSync("pandoc", ["-f", "docx", ...(track ? [`--track-changes=${track}`] : []), "-t", "plain", file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

test("pandoc: Accept All gives the new document's list markers, Reject All the old's", async (ctx) => {
  requirePrereq(!has("pandoc"), "pandoc mangler", ctx.skip);
  const f = await fixture();
  const want = markers(pandocPlain(f.newDocx));
  assert.deepEqual(want, ["1.", "2.", "3.", "4.", "a)", "b)", "•", "•", "•", "i)", "ii)", "iii)"]);
  // pandoc's DOCX reader keeps the emptied shell of a wholly deleted list item (it does not read
  // paragraph-mark revisions), which shifts the numbers after it: pandoc checks the list types,
  // LibreOffice (below) the exact markers.
  const type = (m: string) => (m === "•" ? "kugle" : /^\d/.test(m) ? "tal" : /^[ivx]+\)$/.test(m) && m !== "v)" && m !== "x)" ? "romertal" : "bogstav");
  const types = (xs: string[]) => xs.map(type).join(" ");
  assert.equal(types(markers(pandocPlain(f.redline, "accept"))), types(want));
  assert.equal(types(markers(pandocPlain(f.redline, "reject"))), types(markers(pandocPlain(f.oldDocx))));
});

test("LibreOffice: Accept All gives the new document's list markers, Reject All the old's", async (ctx) => {
  requirePrereq(!has("soffice"), "LibreOffice mangler", ctx.skip);
  const f = await fixture();
  const want = markers(libreOfficeText(f.newDocx, f.dir, "None"));
  assert.ok(want.includes("a)") && want.includes("iii)"), want.join(" "));
  assert.deepEqual(markers(libreOfficeText(f.redline, f.dir, "Accept")), want);
  const oldDir = path.join(f.dir, "gammel");
  fs.mkdirSync(oldDir);
  assert.deepEqual(markers(libreOfficeText(f.redline, oldDir, "Reject")), markers(libreOfficeText(f.oldDocx, oldDir, "None")));
});
