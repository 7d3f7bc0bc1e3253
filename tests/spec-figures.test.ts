/**
 * A spec's own figures (`figur` blocks): seed 003's charts of bilag B1 (figur 1–9) and B2 come out
 * as numbered figures with the seed's captions and sources in every format, read back with
 * readers we did not write (markdown-it via our parser is ours, so Markdown is read as text;
 * parse5 for HTML, jszip for DOCX, pdfjs-dist for PDF); bad figure data is a located error.
 */
import { describe, test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import JSZip from "jszip";
import { parse } from "parse5";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import { all, attr } from "./html-dom.js";
import { cli, repoRoot, tmpDir } from "./helpers.js";

const spec2020 = path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte");
const CAPTIONS_B1 = [
  "Aktivitetsparate kontanthjælpsmodtagere fordelt på ledighedslængde, fuldtidspersoner, august 2019",
  "Personer, der er påbegyndt forløb som aktivitetsparat kontanthjælpsmodtager fordelt på forudgående ydelse, juli 2018 – juni 2019.",
  "Antal borgere fordelt på varighed i ressourceforløb og alle ydelser, fuldtidspersoner i procent, august 2019",
  "Borgere, der er påbegyndt et ressourceforløb fordelt på forudgående ydelse, juli 2018 – juni 2019.",
  "Status 1 måned efter afsluttet ressourceforløb, fuldtidspersoner i procent, 2. kvartal. 2019.",
  "Antal borgere fordelt på varighed på ledighedsydelse og alle ydelser, fuldtidspersoner i procent, august 2019",
  "Personer, der er påbegyndt forløb som ledighedsydelsesmodtager, fordelt på forudgående ydelse, juli 2018 – juni 2019",
  "Antal borgere fordelt på varighed på revalidering og alle ydelser, fuldtidspersoner i procent, august 2019",
  "Nye Revalidender fordelt over tidligere kontaktforløb, 2019.",
];
const SOURCES_B1 = ["BIFLIS", "DREAM", "Jobindsats.dk", "DREAM", "Jobindsats.dk", "Jobindsats.dk", "DREAM", "Jobindsats.dk", "BIFLIS – Kontaktforløb"];

let rendered: string | undefined;
async function renderB(): Promise<string> {
  if (rendered) return rendered;
  const out = tmpDir();
  const r = await cli("render", spec2020, "--out", out, "--format", "md,html,docx,pdf", "--only", "bilag-b1", "--only", "bilag-b2");
  assert.equal(r.code, 0, r.stderr);
  return (rendered = out);
}

describe("seed 003's figures in bilag B1/B2", () => {
  test("Markdown: nine self-contained SVG images, numbered 1–9 with the seed's captions, each followed by its source; no chart data left as text", async () => {
    const md = fs.readFileSync(path.join(await renderB(), "bilag-b1-udsatte.md"), "utf8");
    const figs = [...md.matchAll(/^!\[Figur (\d+)\. (.*)\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)\n\nKilde: (.*)$/gm)];
    assert.deepEqual(
      figs.map((m) => [Number(m[1]), m[2].replace(/\\/g, ""), m[4]]),
      CAPTIONS_B1.map((c, i) => [i + 1, c, SOURCES_B1[i]]),
    );
    for (const m of figs) assert.match(Buffer.from(m[3], "base64").toString("utf8"), /^<svg\b[\s\S]*<\/svg>$/);
    // The stray chart labels the PDF text left in the running text are gone.
    for (const stray of ["7%", "25%", "40%", ".", "3 år eller over", "Antal forløb fordelt på varighed af offentlig ydelse (total)", "Ressourceforløb"])
      assert.ok(!md.split("\n").includes(stray), `stray line '${stray}'`);
    assert.ok(!/xxxxxxxxxx\.xx/i.test(md), "the anonymised source is named (Jobindsats.dk)");
    const b2 = fs.readFileSync(path.join(await renderB(), "bilag-b2-sygemeldte.md"), "utf8");
    assert.match(b2, /^!\[Figur 1\. Varighed som hhv\. sygedagpengemodtager og på offentlig ydelse \(total\), august 2019\]\(data:image\/svg\+xml;base64,/m);
    assert.ok(!b2.split("\n").includes("16% 18%"));
  });

  test("HTML: <figure> with an inline <svg> (its category labels as text) and the caption, nine times", async () => {
    const html = fs.readFileSync(path.join(await renderB(), "bilag-b1-udsatte.html"), "utf8");
    const doc = parse(html);
    const figures = all(doc, "figure");
    assert.equal(figures.length, 9);
    figures.forEach((f, i) => {
      assert.equal(all(f, "svg").length, 1, `figure ${i + 1} has its SVG inline`);
      const caption = all(f, "figcaption")[0];
      assert.ok(caption, "a caption");
      const text = (n: any): string => (n.nodeName === "#text" ? n.value : (n.childNodes ?? []).map(text).join(""));
      assert.equal(text(caption).replace(/\s+/g, " ").trim(), `Figur ${i + 1}. ${CAPTIONS_B1[i]}`);
    });
    const textOf = (n: any): string => (n.nodeName === "#text" ? n.value : (n.childNodes ?? []).map(textOf).join(" "));
    const svgText = all(figures[8], "text").map((t) => textOf(t).replace(/\s+/g, " ").trim());
    assert.ok(svgText.includes("Sygedagpenge") && svgText.includes("34 %") && svgText.includes("Fleksjobvisiteret"), svgText.join("|"));
    assert.ok(!svgText.some((t) => t.includes("…")), `no truncated label: ${svgText.join("|")}`);
    assert.ok(figures.every((f) => attr(all(f, "svg")[0], "role") === "img"));
  });

  test("DOCX: nine drawings, each an SVG with a PNG fallback in word/media", async () => {
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(await renderB(), "bilag-b1-udsatte.docx")));
    const names = Object.keys(zip.files);
    assert.equal(names.filter((n) => /^word\/media\/.*\.svg$/.test(n)).length, 9);
    assert.equal(names.filter((n) => /^word\/media\/.*\.png$/.test(n)).length, 9);
    const xml = await zip.file("word/document.xml")!.async("string");
    assert.equal((xml.match(/<w:drawing>/g) ?? []).length, 9);
    for (const c of CAPTIONS_B1.slice(0, 3)) assert.ok(xml.includes(c.replace(/&/g, "&amp;")), c);
  });

  test("PDF: the charts drawn as vectors (no images), their labels as text, captions 'Figur 1.'–'Figur 9.'", async () => {
    const buf = fs.readFileSync(path.join(await renderB(), "bilag-b1-udsatte.pdf"));
    const pdf = await pdfjs.getDocument({ data: new Uint8Array(buf), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
    let text = "";
    for (let p = 1; p <= pdf.numPages; p++) text += (await (await pdf.getPage(p)).getTextContent()).items.map((i) => ("str" in i ? i.str + (i.hasEOL ? "\n" : " ") : "")).join("");
    const flat = text.replace(/\s+/g, " ");
    for (let n = 1; n <= 9; n++) assert.ok(flat.includes(`Figur ${n}. ${CAPTIONS_B1[n - 1].slice(0, 40)}`), `Figur ${n}`);
    assert.ok(flat.includes("Forrevalidering") && flat.includes("Over 10 år"), "chart labels are text");
    assert.ok(!buf.toString("latin1").includes("/Subtype /Image"), "vectors, not pictures");
  });

  test("a series with too few values is an error located at its values, in Danish", async () => {
    const dir = tmpDir();
    for (const f of fs.readdirSync(spec2020)) fs.copyFileSync(path.join(spec2020, f), path.join(dir, f));
    const file = path.join(dir, "udbudsomraade-1.yaml");
    const text = fs.readFileSync(file, "utf8");
    const broken = text.replace("værdier: [36, 40, 24]", "værdier: [36, 40]");
    assert.notEqual(broken, text);
    fs.writeFileSync(file, broken);
    const line = broken.split("\n").findIndex((l) => l.includes("værdier: [36, 40]")) + 1;
    const r = await cli("render", dir, "--out", tmpDir(), "--format", "md", "--only", "bilag-b1");
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`udbudsomraade-1\\.yaml:${line}:\\d+: fejl: Dataserien 'Andel af fuldtidspersoner' har 2 værdier, men figuren har 3 kategorier`));
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  });
});
