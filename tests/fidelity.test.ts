/**
 * Fidelity of the 2020 example against seed 003 (../shared/seeds): the rendered bilag A1–A4 and
 * B1–B2 keep the seed's numbered headings (same number and title) and its sentences verbatim,
 * and the spec's outline (disposition) is what decides the order. Figures: docs/fidelity.md.
 */
import { describe, test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli, repoRoot, tmpDir } from "./helpers.js";
import { fidelity, seedParts, stripLinks } from "./fidelity.js";
import { requirePrereq } from "./prereq.js";

const seedFile = path.join(repoRoot, "..", "shared", "seeds", "003_5b90929a1b5338aa.txt");
const spec2020 = path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte");
const files: Record<string, string> = {
  A1: "bilag-a1-udsatte.md",
  A2: "bilag-a2-sygemeldte.md",
  A3: "bilag-a3-hjerneskade.md",
  A4: "bilag-a4-psykiske-lidelser.md",
  B1: "bilag-b1-udsatte.md",
  B2: "bilag-b2-sygemeldte.md",
  rammeaftale: "rammeaftale.md",
};
// All of bilag A1–A4, B1–B2 and the rammeaftale: the issue's bar (≥ 95 % of headings and sentences).
const floors: Record<string, { h: number; s: number }> = {
  A1: { h: 0.95, s: 0.95 },
  A2: { h: 0.95, s: 0.95 },
  A3: { h: 0.95, s: 0.95 },
  A4: { h: 0.95, s: 0.95 },
  B1: { h: 0.95, s: 0.95 },
  B2: { h: 0.95, s: 0.95 },
  rammeaftale: { h: 0.95, s: 0.95 },
};

describe("2020 example against seed 003", () => {
  test("headings and sentences of the rendered annexes and contract", async (ctx) => {
    requirePrereq(!fs.existsSync(seedFile), `seed 003 mangler (${seedFile})`, ctx.skip);
    const seed = seedParts(fs.readFileSync(seedFile, "utf8"));
    const out = tmpDir();
    const r = await cli("render", spec2020, "--out", out, "--format", "md");
    assert.equal(r.code, 0, r.stderr);
    for (const [part, file] of Object.entries(files)) {
      const f = fidelity(seed[part], fs.readFileSync(path.join(out, file), "utf8"));
      const h = f.overskrifter_fundet / f.overskrifter;
      const s = f.sætninger_fundet / f.sætninger;
      assert.ok(f.overskrifter > 0 && f.sætninger > 20, `${part}: the seed part was found`);
      assert.ok(h >= floors[part].h, `${part}: ${f.overskrifter_fundet}/${f.overskrifter} headings; missing: ${f.manglende_overskrifter.map((x) => `${x.nummer} ${x.titel}`).join("; ")}`);
      assert.ok(s >= floors[part].s, `${part}: ${f.sætninger_fundet}/${f.sætninger} sentences; first missing: ${f.manglende_sætninger.slice(0, 3).join(" | ")}`);
    }
  });

  test("typed references in A1 follow the outline: 'afsnit 3.1' is the section numbered 3.1", async () => {
    const out = tmpDir();
    const r = await cli("render", spec2020, "--out", out, "--format", "md", "--only", "bilag-a1");
    assert.equal(r.code, 0, r.stderr);
    const md = stripLinks(fs.readFileSync(path.join(out, "bilag-a1-udsatte.md"), "utf8"));
    assert.match(md, /^### 3\.1 Indsatsspor ved opstart af kontrakt /m);
    assert.match(md, /^### 5\.3 Dokumentation af borgerens forløb /m);
    assert.ok(md.includes("visitere borgere til ved Kontraktens opstart (se afsnit 3.1)"));
    assert.ok(md.includes("under fastholdelsessporet (afsnit 5.3)"));
    assert.ok(md.includes("I de følgende afsnit (afsnit 4-8)"));
    // Figure 1 of the seed: the generated overview of tracks and offers, captioned as in the seed.
    assert.match(md, /\*\*Figur 1: Indsatsspor for udsatte borgere ved Kontraktens opstart\*\*\n\n\| Indsatsspor \| Indsats \|/);
    assert.ok(!/\{(ref|nr):/.test(md), "no unresolved reference markup");
  });
});

describe("outline (disposition)", () => {
  const lot1 = path.join(spec2020, "udbudsomraade-1.yaml");

  test("an unknown {nr:id} in spec text is a located error with a suggestion", async () => {
    const dir = tmpDir();
    for (const f of fs.readdirSync(spec2020)) fs.copyFileSync(path.join(spec2020, f), path.join(dir, f));
    const text = fs.readFileSync(lot1, "utf8");
    const broken = text.replace("(se afsnit {nr:indsatsspor-ved-opstart-af-kontrakt})", "(se afsnit {nr:indsatsspor-ved-opstart-af-kontrak})");
    assert.notEqual(broken, text);
    fs.writeFileSync(path.join(dir, "udbudsomraade-1.yaml"), broken);
    const line = broken.split("\n").findIndex((l) => l.includes("{nr:indsatsspor-ved-opstart-af-kontrak}")) + 1;
    const r = await cli("render", dir, "--out", tmpDir(), "--format", "md", "--only", "bilag-a1");
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`udbudsomraade-1\\.yaml:${line}:\\d+: fejl: Henvisningen til afsnittet 'indsatsspor-ved-opstart-af-kontrak' kan ikke findes i dokumentet 'bilag-a1-udsatte'\\. Mente du 'indsatsspor-ved-opstart-af-kontrakt'\\?`));
    assert.doesNotMatch(r.stderr, /skabelon/);
  });

  test("other markup in spec text stays literal; blocks come in the order written", async () => {
    const dir = tmpDir();
    for (const f of fs.readdirSync(spec2020)) fs.copyFileSync(path.join(spec2020, f), path.join(dir, f));
    const text = fs.readFileSync(lot1, "utf8");
    const edited = text.replace(
      "\ndisposition:\n",
      "\ndisposition:\n  - titel: Prøve\n    indhold:\n      - tekst: \"**ikke fed** {sideskift} <b>x</b> {ref:indledende-afsnit}\"\n      - punkter: [\"første\"]\n      - tekst: Efter punkterne.\n",
    );
    fs.writeFileSync(path.join(dir, "udbudsomraade-1.yaml"), edited);
    const out = tmpDir();
    const r = await cli("render", dir, "--out", out, "--format", "md", "--only", "bilag-a1");
    assert.equal(r.code, 0, r.stderr);
    const md = stripLinks(fs.readFileSync(path.join(out, "bilag-a1-udsatte.md"), "utf8"));
    const at = md.indexOf("## 1. Prøve");
    assert.ok(at > 0);
    const part = md.slice(at, md.indexOf("## 2.", at));
    assert.match(part, /\\\*\\\*ikke fed\\\*\\\* \\\{sideskift\\\} \\<b>x\\<\/b> pkt\. 2/);
    assert.ok(part.indexOf("- første") < part.indexOf("Efter punkterne."));
  });
});
