/**
 * A bidder's round trip with a real spreadsheet program, for both examples: udbud render makes
 * the tilbudsliste workbooks → LibreOffice Calc (headless, Python-UNO: tests/interop/xlsx_fill.py)
 * types the prices and the bidder block and saves .xlsx → udbud tilbud tjek reads them back →
 * udbud evaluate with the workbooks ranks exactly as with the same prices in YAML. Also:
 * LibreOffice's recalculated totals equal udbud's, and LibreOffice's own validation refuses a
 * price outside the corridor.
 */
import { test } from "vitest";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { priceSchedule } from "../src/compute/price-schedule.js";
import { effectiveWeights } from "../src/evaluate/models.js";
import type { Udbud } from "../src/model/types.js";
import { readSpec } from "../src/read/index.js";
import { FIRST_ROW, addr, bidderRow, columns, totalRow } from "../src/write/xlsx/layout.js";
import { cli, repoRoot, tmpDir } from "./helpers.js";
import { requirePrereq } from "./prereq.js";

const PY = "/usr/bin/python3";
const fillScript = path.join(repoRoot, "tests", "interop", "xlsx_fill.py");
const hasUno = spawnSync(PY, ["-c", "import uno"]).status === 0;
const hasCalc = spawnSync("soffice", ["--version"]).status === 0 && fs.existsSync("/usr/lib/libreoffice/program/libsclo.so");

interface BidSpec {
  tilbudsgiver: string;
  delkontrakt: string;
  priser: { indsats?: string; element?: string; pris: number }[];
  kvalitet: { kriterium: string; point: number; bedømmer?: string }[];
}

/** The 2024 example's bids; for 2020 (no bids file) three made-up bidders per lot around the spec's prices. */
function bidsFor(u: Udbud, spec: string): BidSpec[] {
  const file = path.join(spec, "bud.yaml");
  if (fs.existsSync(file)) return readSpecBids(file);
  const out: BidSpec[] = [];
  const factors = [0.85, 1.0, 1.15];
  const names = ["Alfa Beskæftigelse ApS", "Beta Jobcenter A/S", "Gamma Indsats I/S"];
  for (const lot of u.delkontrakter) {
    const t = lot.tildeling ?? u.tildeling;
    const leaves = effectiveWeights(t.underkriterier).filter((k) => k.leaf && k.type === "kvalitet");
    const max = t.pointskala?.max ?? 10;
    factors.forEach((f, i) => {
      out.push({
        tilbudsgiver: names[i],
        delkontrakt: lot.id,
        priser: lot.prismodel.priser.map((p) => {
          const v = Math.round(Math.min(p.max ?? Infinity, Math.max(p.min ?? 0, p.beløb * f)));
          return p.indsats !== undefined ? { indsats: p.indsats, pris: v } : { element: p.element!, pris: v };
        }),
        kvalitet: leaves.map((l, j) => ({ kriterium: l.id, point: Math.min(max, [5, 8, 7][i] + (j % 2)) })),
      });
    });
  }
  return out;
}

function readSpecBids(file: string): BidSpec[] {
  return parse(fs.readFileSync(file, "utf8")).bud;
}

for (const name of ["kk-2024-udsatte-sygemeldte", "kk-2020-udsatte-sygemeldte"]) {
  test(`${name}: render → LibreOffice fills the workbooks → tilbud tjek → evaluate ranks as YAML`, async (ctx) => {
    requirePrereq(!hasUno || !hasCalc, "python3-uno og LibreOffice Calc (libreoffice-calc-nogui) mangler", ctx.skip);
    const spec = path.join(repoRoot, "specs", name);
    const u = readSpec(spec).udbud as Udbud;
    const dir = tmpDir();
    const blank = path.join(dir, "udbud");
    const r = await cli("render", spec, "--out", blank, "--format", "xlsx");
    assert.equal(r.code, 0, r.stderr);
    const bids = bidsFor(u, spec);
    const filled = path.join(dir, "tilbud");
    fs.mkdirSync(filled);
    const jobs = bids.map((b, i) => {
      const lot = u.delkontrakter.find((l) => l.id === b.delkontrakt)!;
      const s = priceSchedule(u, lot);
      const c = columns(s);
      const cells: Record<string, number | string> = {};
      s.rows.forEach((row, k) => (cells[addr(c.pris, FIRST_ROW + k)] = b.priser.find((p) => (row.kind === "indsats" ? p.indsats : p.element) === row.id)!.pris));
      cells[`C${bidderRow(s, "navn")}`] = b.tilbudsgiver;
      cells[`C${bidderRow(s, "cvr")}`] = String(30000000 + i);
      cells[`C${bidderRow(s, "kontakt")}`] = "Kontakt Person, 12 34 56 78";
      cells[`C${bidderRow(s, "dato")}`] = "01-12-2026";
      const first = s.rows.find((x) => x.max !== null)!;
      const probeCell = addr(c.pris, FIRST_ROW + s.rows.indexOf(first));
      return {
        in: path.join(blank, `tilbudsliste-${lot.nummer}-${lot.id}.xlsx`),
        out: path.join(filled, `${String(i + 1).padStart(2, "0")}-${lot.id}.xlsx`),
        cells,
        probe: i === 0 ? [probeCell, first.max! + 1] : null,
        total: addr(c.beløb, totalRow(s)),
      };
    });
    fs.writeFileSync(path.join(dir, "jobs.json"), JSON.stringify(jobs));
    const lo = spawnSync(PY, [fillScript, path.join(dir, "jobs.json")], { encoding: "utf8", timeout: 600_000 });
    assert.equal(lo.status, 0, lo.stderr);
    const results = JSON.parse(lo.stdout);
    // LibreOffice's validation refuses a price above the corridor's maximum.
    assert.equal(results[0].validation.operator, "BETWEEN");
    assert.equal(results[0].validation.showError, true);
    assert.equal(results[0].probe.after, results[0].probe.before + 1, "LibreOffice marks the out-of-corridor price invalid");

    // udbud tilbud tjek: every workbook LibreOffice saved is accepted, with no warning; totals agree.
    const tjek = await cli("tilbud", "tjek", ...jobs.map((j) => j.out), "--spec", spec, "--json");
    assert.equal(tjek.code, 0, tjek.stdout + tjek.stderr);
    const checked = JSON.parse(tjek.stdout);
    checked.forEach((c: any, i: number) => {
      assert.deepEqual(c.errors, [], c.fil);
      assert.deepEqual(c.warnings, [], c.fil);
      assert.ok(Math.abs(c.tilbud.total - results[i].recalculated[jobs[i].total]) < 0.005, `${c.fil}: LibreOffice ${results[i].recalculated[jobs[i].total]} vs udbud ${c.tilbud.total}`);
    });

    // evaluate: workbooks + bedømmelser give the same result as the same prices in YAML.
    fs.writeFileSync(path.join(dir, "bud.yaml"), stringify({ udbud: u.id, bud: bids }));
    fs.writeFileSync(path.join(dir, "bedømmelser.yaml"), stringify({ udbud: u.id, bud: bids.map(({ priser: _p, ...rest }) => rest) }));
    const a = await cli("evaluate", spec, "--bids", path.join(dir, "bud.yaml"), "--json");
    const b = await cli("evaluate", spec, "--bids", filled, "--bedømmelser", path.join(dir, "bedømmelser.yaml"), "--json");
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const ja = JSON.parse(a.stdout);
    const jb = JSON.parse(b.stdout);
    assert.deepEqual(jb.delkontrakter.map((l: any) => l.rangfølge), ja.delkontrakter.map((l: any) => l.rangfølge));
    const scores = (j: any) => j.delkontrakter.map((l: any) => l.bud.map((x: any) => [x.tilbudsgiver, x.evalueringspris, x.samlet]).sort());
    assert.deepEqual(scores(jb), scores(ja));
    assert.ok(ja.delkontrakter.some((l: any) => l.rangfølge.length >= 2), "some lot has a ranking to compare");
  });
}
