/** The CLI as a user meets it: help, version, exit codes, human and JSON output. */
import { test } from "vitest";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli, minimalDir, mutated, repoRoot } from "./helpers.js";

test("--help shows Danish help with examples and exits 0", async () => {
  const r = await cli("--help");
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Eksempler:/);
  assert.match(r.stdout, /udbud validate specs\/kk-2024-udsatte-sygemeldte/);
  assert.match(r.stdout, /Kommandoer:/);
});

test("--version prints the package version", async () => {
  const r = await cli("--version");
  assert.equal(r.code, 0);
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
  assert.equal(r.stdout.trim(), pkg.version);
});

test("usage errors exit 2 with a Danish message", async () => {
  const none = await cli("validate");
  assert.equal(none.code, 2);
  assert.match(none.stderr, /fejl: argumentet 'spec' mangler/);
  const unknown = await cli("vaildate", "x");
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /ukendt kommando 'vaildate'/);
  assert.match(unknown.stderr, /Mente du validate\?/);
  const opt = await cli("validate", minimalDir, "--jsno");
  assert.equal(opt.code, 2);
  assert.match(opt.stderr, /ukendt tilvalg '--jsno'/);
});

test("a valid spec: exit 0 and a short confirmation", async () => {
  const r = await cli("validate", minimalDir);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /✓ .* er gyldigt\./);
  assert.equal(r.stderr, "");
});

test("an invalid spec: exit 1, file:line:column: fejl: message [path], and a count", async () => {
  const { dir } = mutated((s) => (s.delkontrakter[0].prismodel.type = "ugpris"));
  const r = await cli("validate", dir);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /udbud\.yaml:\d+:\d+: fejl: Afregningsform: 'ugpris' er ikke en tilladt værdi\..*\[delkontrakter\[0\]\.prismodel\.type\]/);
  assert.match(r.stderr, /✗ 1 fejl (og 1 advarsel )?i /);
});

test("--json has the documented shape", async () => {
  const { dir } = mutated((s) => {
    s.delkontrakter[0].prismodel.priser[0].indsats = "1X";
  });
  const r = await cli("validate", dir, "--json");
  assert.equal(r.code, 1);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j), ["valid", "errors", "warnings"]);
  assert.equal(j.valid, false);
  for (const e of j.errors) {
    for (const k of ["file", "line", "column", "path", "message"]) assert.ok(k in e, k);
    assert.equal(typeof e.line, "number");
  }
});

test("the installed launcher runs as a real process (npx udbud)", () => {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "bin", "udbud.js"), "validate", minimalDir, "--json"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).valid, true);
  const bad = spawnSync(process.execPath, [path.join(repoRoot, "bin", "udbud.js"), "validate", path.join(minimalDir, "nope")], { encoding: "utf8" });
  assert.equal(bad.status, 1);
  assert.doesNotMatch(bad.stderr, /at .*\.js:\d+/, "no stack trace");
});
