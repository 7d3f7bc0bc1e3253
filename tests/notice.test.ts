/**
 * The eForms notice and the OCDS releases from the spec: deterministic output, located Danish
 * errors for missing facts, the proof copy, OCDS validation, and the same facts as in the
 * rendered rammeaftale and evalueringsmodel. The XML is read back with slimdom + fontoxpath
 * (XPath from the SDK's fields.json), not with our own writer.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "vitest";
import fontoxpath from "fontoxpath";
import * as slimdom from "slimdom";
import { parse, stringify } from "yaml";
import { buildDocuments, readSpec, writeMarkdown } from "../src/index.js";
import { buildNoticeXml } from "../src/notice/build.js";
import { noticeFacts } from "../src/notice/facts.js";
import { runNotice } from "../src/notice/index.js";
import { awardRelease, tenderRelease, validateRelease } from "../src/notice/ocds.js";
import { buildProofTree } from "../src/notice/proof.js";
import { main } from "../src/cli.js";
import { repoRoot, tmpDir } from "./helpers.js";
import { missing } from "./prereq.js";

const sdk = path.join(repoRoot, "..", "shared", "eforms");
const ocdsDir = path.join(repoRoot, "..", "shared", "ocds");
const noShared = !fs.existsSync(path.join(sdk, "fields", "fields.json")) || !fs.existsSync(ocdsDir);
const spec2020 = path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte");
const spec2024 = path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte");

const fields = noShared ? new Map<string, string>() : new Map<string, string>((JSON.parse(fs.readFileSync(path.join(sdk, "fields", "fields.json"), "utf8")).fields as { id: string; xpathAbsolute: string }[]).map((f) => [f.id, f.xpathAbsolute]));
const NS: Record<string, string> = {
  cac: "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
  cbc: "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
  ext: "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
  efac: "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
  efbc: "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
  efext: "http://data.europa.eu/p27/eforms-ubl-extensions/1",
};

/** Values of an eForms field (by its SDK id) in a notice, in document order. */
function values(xml: string, field: string): string[] {
  const xp = fields.get(field);
  assert.ok(xp, `feltet ${field} findes i fields.json`);
  const doc = slimdom.parseXmlDocument(xml);
  return (fontoxpath.evaluateXPathToNodes(xp, doc, null, {}, { namespaceResolver: (p: string | null) => (p ? NS[p] ?? null : null) }) as slimdom.Node[]).map((n) => (n.textContent ?? "").trim());
}

function notice(spec: string, issueDate?: string) {
  const r = readSpec(spec);
  assert.ok(r.udbud, JSON.stringify(r.errors));
  const f = noticeFacts(r.udbud, r.sourceMap, { issueDate });
  assert.deepEqual(f.errors, []);
  return { u: r.udbud, map: r.sourceMap, facts: f.facts!, xml: buildNoticeXml(f.facts!) };
}

/** A copy of a spec folder with the entry file changed. */
function copySpec(src: string, change: (doc: any) => void): string {
  const dir = tmpDir("udbud-notice-");
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
  const doc = parse(fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8"));
  change(doc);
  fs.writeFileSync(path.join(dir, "udbud.yaml"), stringify(doc, { lineWidth: 0 }));
  return dir;
}

describe("udbudsbekendtgørelsen (eForms)", { skip: missing(noShared, "../shared/eforms og ../shared/ocds mangler") }, () => {
  test("subtype 20 for afsnit III, 16 for afsnit II; the spec's facts are in the notice's fields", () => {
    const n = notice(spec2020);
    assert.deepEqual(values(n.xml, "OPP-070-notice"), ["20"]);
    assert.deepEqual(values(n.xml, "BT-02-notice"), ["cn-social"]);
    assert.deepEqual(values(n.xml, "BT-500-Organization-Company"), ["Københavns Kommune, Beskæftigelses- og Integrationsforvaltningen", "Klagenævnet for Udbud"]);
    assert.deepEqual(values(n.xml, "BT-501-Organization-Company"), ["64942212", "37795526"]);
    assert.deepEqual(values(n.xml, "BT-507-Organization-Company"), ["DK011", "DK041"]);
    assert.deepEqual(values(n.xml, "BT-105-Procedure"), ["open"]);
    assert.deepEqual(values(n.xml, "BT-21-Lot"), n.u.delkontrakter.map((d) => d.titel));
    assert.deepEqual(values(n.xml, "BT-113-Lot"), n.u.delkontrakter.map((d) => String(d.antal_leverandører)));
    assert.deepEqual(values(n.xml, "BT-131(d)-Lot"), n.u.delkontrakter.map(() => "2020-03-09+01:00"));
    assert.deepEqual(values(n.xml, "BT-13(d)-Lot"), n.u.delkontrakter.map(() => "2020-02-24+01:00"));
    assert.deepEqual(values(n.xml, "BT-271-Procedure"), ["400000000"]);
    assert.deepEqual(values(n.xml, "BT-27-Procedure"), ["320000000"]);
    assert.deepEqual(values(n.xml, "BT-262-Lot").slice(0, 1), ["85312320"]);
    assert.deepEqual(values(n.xml, "BT-97-Lot"), n.u.delkontrakter.map(() => "DAN"));
    assert.deepEqual(values(n.xml, "BT-15-Lot")[0], "https://www.kk.dk/udbud/kk-2020-udsatte-sygemeldte");
    assert.deepEqual(values(n.xml, "BT-536-Lot")[0], "2020-07-01+02:00");
    assert.deepEqual(values(n.xml, "BT-58-Lot")[0], "1");

    const afsnitII = copySpec(spec2020, (d) => {
      d.procedure.regime = "afsnit-II";
      d.procedure.vedståelsesfrist_måneder = 3;
    });
    const m = notice(afsnitII);
    assert.equal(m.facts.subtype, "16");
    assert.deepEqual(values(m.xml, "BT-02-notice"), ["cn-standard"]);
    assert.deepEqual(values(m.xml, "BT-98-Lot"), m.u.delkontrakter.map(() => "3"));
    // Without the vedståelsesfrist an open afsnit II notice is refused, with the place to add it.
    const r = readSpec(copySpec(spec2020, (d) => (d.procedure.regime = "afsnit-II")));
    const f = noticeFacts(r.udbud!, r.sourceMap);
    assert.equal(f.facts, undefined);
    assert.match(f.errors[0].message, /vedståelsesfrist \(procedure\.vedståelsesfrist_måneder\)/);
    assert.equal(f.errors[0].path, "procedure");
  });

  test("pre-qualification: requests deadline and short list instead of the tender deadline", () => {
    const n = notice(spec2024);
    assert.deepEqual(values(n.xml, "BT-105-Procedure"), ["restricted"]);
    assert.deepEqual(values(n.xml, "BT-1311(d)-Lot"), ["2024-02-12+01:00", "2024-02-12+01:00", "2024-02-12+01:00"]);
    assert.deepEqual(values(n.xml, "BT-131(d)-Lot"), []);
    assert.deepEqual(values(n.xml, "BT-50-Lot"), ["5", "5", "5"]);
    assert.deepEqual(values(n.xml, "BT-51-Lot"), ["8", "8", "8"]);
    assert.deepEqual(values(n.xml, "BT-541-Lot-WeightNumber"), ["80", "20", "80", "20", "80", "20"]);
  });

  test("deterministic: same spec, same bytes; --dato changes only the issue date", () => {
    const a = notice(spec2024).xml;
    const b = notice(spec2024).xml;
    assert.equal(a, b);
    const c = notice(spec2024, "2024-01-10").xml;
    assert.notEqual(a, c);
    assert.deepEqual(values(c, "BT-05(a)-notice"), ["2024-01-10+01:00"]);
    const strip = (x: string) => x.replace(/<cbc:IssueDate>[^<]*<\/cbc:IssueDate>/, "");
    assert.equal(strip(a), strip(c));
    assert.match(values(a, "BT-701-notice")[0], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test("a missing or wrong spec fact gives a located Danish error, not a broken notice", async () => {
    const dir = copySpec(spec2024, (d) => {
      delete d.ordregiver.nuts;
      delete d.procedure.klageorgan;
      delete d.tidsplan.klokkeslæt;
    });
    const res = await runNotice(dir, { formats: ["xml"], out: path.join(dir, "ud") });
    assert.equal(res.files.length, 0);
    assert.equal(fs.existsSync(path.join(dir, "ud")), false);
    const msgs = res.errors.map((e) => `${path.basename(e.file)}:${e.line}: ${e.message}`);
    assert.equal(res.errors.length, 3, msgs.join("\n"));
    const text = fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8").split("\n");
    for (const e of res.errors) {
      assert.equal(path.basename(e.file), "udbud.yaml");
      assert.match(e.message, /^Udbudsbekendtgørelsen kræver /);
      assert.ok(e.line >= 1 && e.line <= text.length);
    }
    assert.ok(res.errors.some((e) => /NUTS-kode/.test(e.message) && text[e.line - 1].startsWith("ordregiver:")));
    assert.ok(res.errors.some((e) => /klageorganet/.test(e.message) && text[e.line - 1].startsWith("procedure:")));
    assert.ok(res.errors.some((e) => /klokkeslæt/.test(e.message) && text[e.line - 1].startsWith("tidsplan:")));

    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["node", "udbud", "bekendtgørelse", dir, "--out", path.join(dir, "ud")], { out: (s) => out.push(s), err: (s) => err.push(s) });
    assert.equal(code, 1);
    assert.match(err.join(""), /udbud\.yaml:\d+:\d+: fejl: Udbudsbekendtgørelsen kræver ordregivers NUTS-kode/);
    assert.doesNotMatch(err.join(""), /at \w+ \(|Error:/);

    const styrelse = copySpec(spec2020, (d) => (d.ordregiver.navn = "Styrelsen for Arbejdsmarked og Rekruttering"));
    const r1 = await runNotice(styrelse, { formats: ["xml"], out: path.join(styrelse, "ud") });
    assert.deepEqual(r1.errors.map((e) => e.path), ["ordregiver"]);
    assert.match(r1.errors[0].message, /myndighedstype \(ordregiver\.myndighedstype\)/);
    const stat = copySpec(spec2020, (d) => Object.assign(d.ordregiver, { navn: "Styrelsen for Arbejdsmarked og Rekruttering", myndighedstype: "stat" }));
    assert.deepEqual(values(notice(stat).xml, "BT-11-Procedure-Buyer"), ["cga"]);

    const tilbudsloven = copySpec(spec2020, (d) => (d.procedure.regime = "tilbudsloven"));
    const r2 = await runNotice(tilbudsloven, { formats: ["xml"], out: path.join(tilbudsloven, "ud") });
    assert.equal(r2.errors.length, 1);
    assert.match(r2.errors[0].message, /kun udbudsbekendtgørelse \(eForms\) for udbud efter afsnit II eller III/);
  });

  test("the same facts as the rendered rammeaftale and evalueringsmodel", () => {
    for (const spec of [spec2020, spec2024]) {
      const n = notice(spec);
      const docs = buildDocuments(n.u, n.map, { only: ["rammeaftale", "evalueringsmodel"] });
      assert.deepEqual(docs.errors, []);
      const md = (id: string) => writeMarkdown(docs.trees.find((t) => t.id === id)!);
      const ramme = md("rammeaftale");
      const model = md("evalueringsmodel");
      const danishDate = (iso: string) => {
        const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
        const months = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"];
        return `${d}. ${months[m - 1]} ${y}`;
      };
      // Contract period (BT-536/537) as the rammeaftale states it.
      for (const d of [...values(n.xml, "BT-536-Lot"), ...values(n.xml, "BT-537-Lot")]) assert.ok(ramme.includes(danishDate(d)), `${danishDate(d)} i rammeaftalen`);
      // Framework maximum value (BT-271) as "N mio."
      const max = Number(values(n.xml, "BT-271-Procedure")[0]);
      assert.ok(ramme.includes(`${String(max / 1e6).replace(".", ",")} mio.`), `${max} i rammeaftalen`);
      // Lot titles and number of suppliers per lot (BT-21, BT-113) in the evalueringsmodel's table.
      const titles = values(n.xml, "BT-21-Lot");
      const suppliers = values(n.xml, "BT-113-Lot");
      titles.forEach((t, i) => {
        assert.ok(ramme.includes(t), `${t} i rammeaftalen`);
        const row = model.split("\n").find((l) => l.startsWith("|") && l.includes(t) && /\|\s*\d+\s*\|\s*$/.test(l));
        assert.ok(row, `rækken for ${t} i evalueringsmodellen`);
        assert.equal(/\|\s*(\d+)\s*\|\s*$/.exec(row!)![1], suppliers[i]);
      });
      // Award criteria and weights (BT-734, BT-541) as the evalueringsmodel's criteria table (marked "==…==" where the spec marks them as examples).
      const names = values(n.xml, "BT-734-Lot");
      const weights = values(n.xml, "BT-541-Lot-WeightNumber");
      assert.equal(names.length, 2 * titles.length);
      assert.equal(weights.length, names.length);
      assert.equal(suppliers.length, n.u.delkontrakter.length);
      names.forEach((name, i) => assert.ok(new RegExp(`\\*\\*${name}\\*\\* \\| (==)?${weights[i]} %(==)? \\|`).test(model), `${name} ${weights[i]} % i evalueringsmodellen`));
    }
  });

  test("a change of the tilbudsfrist in the spec changes the notice, the proof copy and the OCDS release", async () => {
    const dir = copySpec(spec2020, (d) => (d.tidsplan.tilbudsfrist = "2020-03-16"));
    const n = notice(dir);
    assert.deepEqual([...new Set(values(n.xml, "BT-131(d)-Lot"))], ["2020-03-16+01:00"]);
    const proof = JSON.stringify(buildProofTree(n.xml, n.facts, sdk).blocks);
    assert.ok(proof.includes("16. marts 2020"));
    assert.ok(!proof.includes("9. marts 2020"));
    assert.equal((tenderRelease(n.facts).tender as any).tenderPeriod.endDate, "2020-03-16T12:00:00+01:00");
  });

  test("the proof copy reads as Danish, grouped as the notice form", () => {
    const n = notice(spec2024);
    const tree = buildProofTree(n.xml, n.facts, sdk);
    const headings = tree.blocks.filter((b) => b.type === "heading").map((b: any) => b.content[0].text);
    for (const h of ["Kontraherende part og tjenesteyder", "Procedure", "Delkontrakt 1", "Delkontrakt 3", "Tildelingskriterier", "Organisationer"]) assert.ok(headings.some((x) => x.startsWith(h)), `overskriften ${h}`);
    const text = JSON.stringify(tree.blocks);
    for (const s of ["Frist for modtagelse af anmodninger om deltagelse", "12. februar 2024", "Klagenævnet for Udbud", "Begrænset", "Det maksimale antal deltagere", "Lokal myndighed", "dansk"]) assert.ok(text.includes(s), s);
    assert.doesNotMatch(text, /"(Deadline|Lot|Buyer|Organisation name)"/);
  });

  test("OCDS: tender release and award release validate against the 1.1.5 schema and codelists", async () => {
    for (const spec of [spec2020, spec2024]) {
      const n = notice(spec);
      const rel = tenderRelease(n.facts) as any;
      assert.deepEqual(await validateRelease(rel, ocdsDir), []);
      assert.deepEqual(rel.tag, ["tender"]);
      assert.equal(rel.tender.lots.length, n.u.delkontrakter.length);
      assert.deepEqual(rel.tender.lots.map((l: any) => l.title), n.u.delkontrakter.map((d) => d.titel));
      assert.ok(rel.parties.some((p: any) => p.roles.includes("buyer") && p.identifier.id === "64942212"));
      assert.ok(rel.tender.items.every((i: any) => i.classification.scheme === "CPV" && rel.tender.lots.some((l: any) => l.id === i.relatedLot)));
    }
    // A wrong code is caught: the validator has teeth.
    const bad = tenderRelease(notice(spec2020).facts) as any;
    bad.tender.procurementMethod = "openish";
    bad.date = "i går";
    const problems = await validateRelease(bad, ocdsDir);
    assert.ok(problems.some((p) => p.path === "/tender/procurementMethod"));
    assert.ok(problems.some((p) => p.path === "/date"));

    const { evaluateSpec } = await import("../src/evaluate/evaluate.js");
    const ev = evaluateSpec(spec2024, path.join(spec2024, "bud.yaml"));
    assert.ok(ev.result);
    const award = awardRelease(notice(spec2024).facts, ev.result!, "2024-04-26") as any;
    assert.deepEqual(await validateRelease(award, ocdsDir), []);
    assert.deepEqual(award.tag, ["award"]);
    assert.deepEqual(
      award.awards.map((a: any) => a.suppliers.map((s: any) => s.name)),
      ev.result!.delkontrakter.map((l) => l.tildeles),
    );
  });
});
