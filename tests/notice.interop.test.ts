/**
 * `udbud bekendtgørelse` as a user runs it, checked with programs we did not write: xmllint
 * (libxml2) validates the XML against the eForms SDK's XSD, pdfjs-dist reads the proof copy back.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "vitest";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import { cli, repoRoot, tmpDir } from "./helpers.js";
import { requirePrereq } from "./prereq.js";

const sdk = path.join(repoRoot, "..", "shared", "eforms");
const xsd = path.join(sdk, "schemas", "maindoc", "UBL-ContractNotice-2.3.xsd");
const hasXmllint = spawnSync("xmllint", ["--version"]).status === 0;
const missingWhy = "xmllint (libxml2-utils) eller ../shared/eforms mangler";
const specs = ["kk-2020-udsatte-sygemeldte", "kk-2024-udsatte-sygemeldte"];

function xmllint(file: string): { status: number | null; stderr: string } {
  const r = spawnSync("xmllint", ["--noout", "--nonet", "--schema", xsd, file], { encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}

async function pdfText(file: string): Promise<string> {
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(file)), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  let text = "";
  for (let p = 1; p <= pdf.numPages; p++) {
    const tc = await (await pdf.getPage(p)).getTextContent();
    text += tc.items.map((i) => ("str" in i ? i.str + (i.hasEOL ? "\n" : " ") : "")).join("");
  }
  return text;
}

for (const name of specs) {
  test(`${name}: --tjek passes, and xmllint validates the written notice against the eForms XSD`, async (ctx) => {
    requirePrereq(!hasXmllint || !fs.existsSync(xsd), missingWhy, ctx.skip);
    const out = tmpDir("udbud-notice-");
    const r = await cli("bekendtgørelse", path.join(repoRoot, "specs", name), "--tjek", "--format", "xml,pdf,ocds", "--out", out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0 fejl i forretningsreglerne for underformular 20/);
    const file = path.join(out, "bekendtgoerelse.xml");
    const lint = xmllint(file);
    assert.equal(lint.status, 0, lint.stderr);
    assert.match(lint.stderr, /validates/);
    assert.ok(fs.existsSync(path.join(out, "ocds-tender.json")));
    const text = await pdfText(path.join(out, "bekendtgoerelse.pdf"));
    for (const s of ["Udbudsbekendtgørelse", "Delkontrakt", "Tildelingskriterier", "Klagenævnet for Udbud", "Kontraherende part og tjenesteyder"]) assert.ok(text.includes(s), s);
  });
}

test("xmllint and our XSD check both reject a notice with elements out of order", async (ctx) => {
  requirePrereq(!hasXmllint || !fs.existsSync(xsd), missingWhy, ctx.skip);
  const out = tmpDir("udbud-notice-");
  const r = await cli("bekendtgørelse", path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte"), "--out", out);
  assert.equal(r.code, 0, r.stderr);
  const xml = fs.readFileSync(path.join(out, "bekendtgoerelse.xml"), "utf8");
  // IssueDate after VersionID breaks the UBL sequence.
  const broken = xml.replace(/(\s*<cbc:IssueDate>[^<]*<\/cbc:IssueDate>)([\s\S]*?<cbc:VersionID>[^<]*<\/cbc:VersionID>)/, "$2$1");
  assert.notEqual(broken, xml);
  fs.writeFileSync(path.join(out, "broken.xml"), broken);
  const lint = xmllint(path.join(out, "broken.xml"));
  assert.notEqual(lint.status, 0);
  assert.match(lint.stderr, /IssueDate/);
  const { validateXsd } = await import("../src/notice/validate.js");
  const errors = validateXsd(broken, sdk);
  assert.ok(errors.length >= 1);
  assert.match(errors[0].message, /IssueDate/);
  assert.deepEqual(validateXsd(xml, sdk), []);
});

test("--bud writes an OCDS award release after the evaluation; --dato sets only the issue date", async (ctx) => {
  requirePrereq(!hasXmllint || !fs.existsSync(xsd), missingWhy, ctx.skip);
  const spec = path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte");
  const a = tmpDir("udbud-notice-");
  const b = tmpDir("udbud-notice-");
  const r1 = await cli("bekendtgørelse", spec, "--tjek", "--format", "xml,ocds", "--bud", path.join(spec, "bud.yaml"), "--out", a);
  assert.equal(r1.code, 0, r1.stderr);
  const award = JSON.parse(fs.readFileSync(path.join(a, "ocds-award.json"), "utf8"));
  assert.deepEqual(award.tag, ["award"]);
  assert.ok(award.awards.length === 3 && award.awards.every((x: any) => x.suppliers.length >= 1));
  const r2 = await cli("bekendtgørelse", spec, "--dato", "2024-01-05", "--out", b);
  assert.equal(r2.code, 0, r2.stderr);
  const x1 = fs.readFileSync(path.join(a, "bekendtgoerelse.xml"), "utf8");
  const x2 = fs.readFileSync(path.join(b, "bekendtgoerelse.xml"), "utf8");
  assert.match(x2, /<cbc:IssueDate>2024-01-05\+01:00<\/cbc:IssueDate>/);
  assert.equal(x1.replace(/<cbc:IssueDate>[^<]*/, ""), x2.replace(/<cbc:IssueDate>[^<]*/, ""));
  assert.equal(xmllint(path.join(b, "bekendtgoerelse.xml")).status, 0);
  const bad = await cli("bekendtgørelse", spec, "--dato", "5. januar", "--out", b);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--dato skal være en dato/);
  const badSdk = await cli("bekendtgørelse", spec, "--tjek", "--sdk", path.join(a, "intet-sdk"), "--out", b);
  assert.equal(badSdk.code, 1);
  assert.match(badSdk.stderr, /eForms-SDK'et \(version 1\.15\) blev ikke fundet/);
});
