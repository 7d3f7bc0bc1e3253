/** The studio's parts without a browser: confinement, saving with a version check, the mirror, slider scaling. */
import { test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { scaleScenario } from "../src/studio/api.js";
import { csp, PathError, resolveInside } from "../src/studio/security.js";
import { versionOf, Workspace } from "../src/studio/workspace.js";
import { readSpec } from "../src/read/index.js";
import { repoRoot, tmpDir } from "./helpers.js";

test("resolveInside: plain names inside the folder only; no absolute paths, '..', symlinks or folders", () => {
  const dir = tmpDir();
  const out = tmpDir();
  fs.writeFileSync(path.join(dir, "a.yaml"), "a: 1\n");
  fs.mkdirSync(path.join(dir, "sub"));
  fs.writeFileSync(path.join(out, "x.yaml"), "x: 1\n");
  fs.symlinkSync(path.join(out, "x.yaml"), path.join(dir, "link.yaml"));
  assert.equal(resolveInside(dir, "a.yaml"), path.join(fs.realpathSync(dir), "a.yaml"));
  for (const bad of ["../x.yaml", "/etc/passwd", "link.yaml", "sub", "", "a.yaml\0", "sub/../a.yaml", "b.yaml"]) {
    assert.throws(() => resolveInside(dir, bad), PathError, bad);
  }
  assert.equal(resolveInside(dir, "ny.yaml", true), path.join(fs.realpathSync(dir), "ny.yaml"), "a new file may be created inside");
  assert.throws(() => resolveInside(dir, "../ny.yaml", true), PathError);
});

test("save: exactly the text, atomically, only over the version the editor started from", () => {
  const dir = tmpDir();
  const text = "# kommentar bevares\nid: x # også denne\n";
  fs.writeFileSync(path.join(dir, "udbud.yaml"), text);
  const ws = new Workspace(dir);
  try {
    const { version } = ws.read("udbud.yaml");
    assert.equal(version, versionOf(text));
    const edited = text.replace("id: x", "id: y");
    const r = ws.save("udbud.yaml", edited, version);
    assert.ok("version" in r);
    assert.equal(fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8"), edited);
    // Someone else changes the file: saving from the old version is a conflict, nothing written.
    fs.writeFileSync(path.join(dir, "udbud.yaml"), "id: z\n");
    const c = ws.save("udbud.yaml", "id: mine\n", (r as { version: string }).version);
    assert.ok("conflict" in c && c.diskText === "id: z\n");
    assert.equal(fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8"), "id: z\n");
    assert.ok("version" in ws.save("udbud.yaml", "id: mine\n", null, true), "force overwrites after a choice");
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.startsWith(".udbud-tmp")), [], "no temporary files left");
    // The shared atomic write (write/output.ts): the file keeps its permissions; a dead process's
    // leftover temp file is removed; an unwritable folder is a Danish error, the file untouched.
    fs.chmodSync(path.join(dir, "udbud.yaml"), 0o600);
    fs.writeFileSync(path.join(dir, ".udbud-tmp-999999999-gammel"), "rest");
    const v = ws.read("udbud.yaml").version;
    assert.ok("version" in ws.save("udbud.yaml", "id: igen\n", v));
    assert.equal(fs.statSync(path.join(dir, "udbud.yaml")).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.startsWith(".udbud-tmp")), []);
    if (process.getuid?.() !== 0) {
      fs.chmodSync(dir, 0o500);
      try {
        assert.throws(() => ws.save("udbud.yaml", "id: nej\n", ws.read("udbud.yaml").version), (e: Error) => e instanceof PathError && /kunne ikke gemmes, fordi der er ikke skriveadgang/.test(e.message));
        assert.equal(fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8"), "id: igen\n");
      } finally {
        fs.chmodSync(dir, 0o700);
      }
    }
    assert.throws(() => ws.save("../ude.yaml", "x", null), PathError);
    assert.throws(() => ws.save("noter.txt", "x", null), PathError);
  } finally {
    ws.close();
  }
});

test("the mirror: unsaved buffers are read by the same reader, the user's files untouched, messages name the user's files", () => {
  const dir = tmpDir();
  fs.cpSync(path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte"), dir, { recursive: true });
  const before = fs.readFileSync(path.join(dir, "udbudsomraade-1.yaml"), "utf8");
  const ws = new Workspace(dir);
  try {
    const broken = before.replace("type: ugepris", "type: ugpris");
    const read = readSpec(ws.mirror({ "udbudsomraade-1.yaml": broken }));
    assert.equal(read.errors.length, 1);
    assert.equal(path.basename(ws.unmirror(read.errors[0].file)), "udbudsomraade-1.yaml");
    assert.equal(fs.readFileSync(path.join(dir, "udbudsomraade-1.yaml"), "utf8"), before);
    assert.equal(readSpec(ws.mirror({})).errors.length, 0, "without the buffer the disk version is read again");
  } finally {
    ws.close();
  }
});

test("slider scaling: every level of the scenario, probabilities capped at 1, other values kept", () => {
  const sc = {
    standard: { forlængelse: { sandsynlighed: 0.6, uger: 13 } },
    delkontrakter: {
      a: {
        standard: { afbrydelse: { sandsynlighed: 0.2, tidspunkt: "ligefordelt" } },
        indsatser: { T1: { henvisninger: { pr_måned: 30 }, timer_pr_uge: { fordeling: "normal", middel: 5, sd: 1, min: 3, max: 6 }, priser: { timepris: 600 }, varighed: 13 } },
      },
    },
  };
  const s = scaleScenario(sc, { henvisninger: 120, forlængelse: 200, afbrydelse: 50, timer: 110, timepris: 90, varighed: 150 }) as any;
  assert.equal(s.delkontrakter.a.indsatser.T1.henvisninger.pr_måned, 36);
  assert.equal(s.standard.forlængelse.sandsynlighed, 1, "capped");
  assert.equal(s.standard.forlængelse.uger, 13);
  assert.equal(s.delkontrakter.a.standard.afbrydelse.sandsynlighed, 0.1);
  assert.equal(s.delkontrakter.a.standard.afbrydelse.tidspunkt, "ligefordelt");
  assert.deepEqual(s.delkontrakter.a.indsatser.T1.timer_pr_uge, { fordeling: "normal", middel: 5.5, sd: 1.1, min: 3.3, max: 6.6 });
  assert.equal(s.delkontrakter.a.indsatser.T1.priser.timepris, 540);
  assert.equal(s.delkontrakter.a.indsatser.T1.varighed, 20);
  assert.equal(sc.delkontrakter.a.indsatser.T1.henvisninger.pr_måned, 30, "the input is not changed");
});

test("CSP: nothing from outside, no inline script, styles only with the page's nonce", () => {
  const p = csp("abc");
  assert.match(p, /default-src 'none'/);
  assert.match(p, /script-src 'self';/);
  assert.match(p, /style-src 'self' 'nonce-abc';/);
  assert.doesNotMatch(p, /unsafe-inline|unsafe-eval|\*/);
});

test("check: one warm session gives the diagnostics of udbud validate (same file, line, column, message) through edit, error and fix", async () => {
  const { check } = await import("../src/studio/api.js");
  const { checkClauseIds } = await import("../src/render/clauses.js");
  const dir = tmpDir();
  fs.cpSync(path.join(repoRoot, "specs", "kk-2020-udsatte-sygemeldte"), dir, { recursive: true });
  const ref = tmpDir();
  fs.cpSync(dir, ref, { recursive: true });
  const ws = new Workspace(dir);
  const lot = fs.readFileSync(path.join(dir, "udbudsomraade-1.yaml"), "utf8");
  const udbud = fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8");
  /** What validate reports for the reference folder with these files written. */
  const validate = (files: Record<string, string>) => {
    for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(ref, n), t);
    const r = readSpec(ref);
    const clauses = r.udbud?.klausuler?.length ? checkClauseIds(r.udbud, r.sourceMap) : [];
    return [...r.errors, ...clauses, ...r.warnings].map((d) => `${path.basename(d.file)}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message.split(ref + path.sep).join("")}`).sort();
  };
  const studio = (r: Awaited<ReturnType<typeof check>>) =>
    Object.entries(r.files).flatMap(([f, ds]) => ds.filter((d) => !d.code.startsWith("scenarie")).map((d) => `${f}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`)).sort();
  try {
    const r0 = await check(ws, {}, "rammeaftale");
    assert.equal(r0.errors, 0);
    assert.match(r0.html!, /<h1/);
    assert.deepEqual(studio(r0), validate({}));
    // A misspelt enum value in a lot, then a clause id that no document has, then both fixed.
    const broken = lot.replace(/type: (ugepris|timepris|dagspris)/, "type: ugpris");
    assert.notEqual(broken, lot);
    const r1 = await check(ws, { "udbudsomraade-1.yaml": broken }, "rammeaftale");
    assert.ok(r1.errors >= 1 && r1.html === undefined);
    assert.deepEqual(studio(r1), validate({ "udbudsomraade-1.yaml": broken }));
    const badClause = udbud.replace("  - id: lukkedage", "  - id: lukkedagex");
    const r2 = await check(ws, { "udbud.yaml": badClause }, "rammeaftale");
    assert.ok(r2.errors >= 1, "the unknown clause id is an error, as in udbud validate");
    assert.deepEqual(studio(r2), validate({ "udbudsomraade-1.yaml": lot, "udbud.yaml": badClause }));
    const edited = udbud.replace(/^titel: (.*)$/m, "titel: $1 (redigeret)");
    const r3 = await check(ws, { "udbud.yaml": edited }, "rammeaftale");
    assert.equal(r3.errors, 0);
    assert.match(r3.html!, /\(redigeret\)/);
    assert.deepEqual(studio(r3), validate({ "udbud.yaml": edited }));
    // The user's files were never written.
    assert.equal(fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8"), udbud);
    assert.equal(fs.readFileSync(path.join(dir, "udbudsomraade-1.yaml"), "utf8"), lot);
  } finally {
    ws.close();
  }
});
