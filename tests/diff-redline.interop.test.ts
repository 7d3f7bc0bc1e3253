/** The redline DOCX read back by pandoc and LibreOffice (accept all / reject all): the interoperability half of tests/diff-redline.test.ts. */
import { afterAll as after, test } from "vitest";
import { missing } from "./prereq.js";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import JSZip from "jszip";
import { writeRedlineDocx } from "../src/diff/redline-docx.js";
import { bodyOf, diffs, expected, kid, kids, n2, news, olds, partsOf, redline, runText, tmpDir } from "./diff-redline-fixture.js";

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

const MACRO = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Run(inPath As String, outPath As String, what As String, filter As String, options As String)
  Dim props(0) As New com.sun.star.beans.PropertyValue
  props(0).Name = "Hidden"
  props(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), "_blank", 0, props())
  If what &lt;&gt; "None" Then
    helper = createUnoService("com.sun.star.frame.DispatchHelper")
    helper.executeDispatch(doc.getCurrentController().getFrame(), ".uno:" &amp; what &amp; "AllTrackedChanges", "", 0, Array())
  End If
  Dim args(1) As New com.sun.star.beans.PropertyValue
  args(0).Name = "FilterName"
  args(0).Value = filter
  args(1).Name = "FilterOptions"
  args(1).Value = options
  doc.storeToURL(ConvertToURL(outPath), args())
  doc.close(True)
End Sub
</script:module>
`;

let loProfile: string | undefined;

/**
 * LibreOffice, headless: a Basic macro in a throwaway user profile opens the file, dispatches
 * "Accept All" / "Reject All" (or nothing) and stores the result as UTF-8 plain text or as DOCX
 * (returns the output file). The profile is
 * created by a first start, then the macro replaces the Standard library's Module1 (a first start
 * would overwrite a library written before it).
 */
function libreOffice(file: string, dir: string, mode: "Accept" | "Reject" | "None", format: "txt" | "docx"): string {
  if (!loProfile) {
    const profile = path.join(tmpDir("udbud-lo-"), "profile");
    const init = spawnSync("soffice", [`-env:UserInstallation=file://${profile}`, "--headless", "--terminate_after_init"], { encoding: "utf8", timeout: 120_000 });
    const module1 = path.join(profile, "user", "basic", "Standard", "Module1.xba");
    assert.ok(fs.existsSync(module1), `LibreOffice profile not initialised: ${init.stderr}`);
    fs.writeFileSync(module1, MACRO);
    loProfile = profile;
  }
  const out = path.join(dir, `out-${mode}.${format}`);
  const filter = format === "txt" ? `"Text (encoded)","UTF8,LF"` : `"MS Word 2007 XML",""`;
  const r = spawnSync("soffice", [`-env:UserInstallation=file://${loProfile}`, "--headless", "--norestore", `macro:///Standard.Module1.Run("${file}","${out}","${mode}",${filter})`], {
    encoding: "utf8",
    timeout: 180_000,
  });
  assert.ok(fs.existsSync(out), `LibreOffice wrote nothing (status ${r.status}): ${r.stderr}`);
  return out;
}

function libreOfficeText(file: string, dir: string, mode: "Accept" | "Reject" | "None"): string {
  return fs.readFileSync(libreOffice(file, dir, mode, "txt"), "utf8").replace(/^\uFEFF/, "");
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
