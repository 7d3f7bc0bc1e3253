/**
 * The hostile-input suite (issue 18): each case runs the built CLI as a child process under a
 * memory limit (500 MB) and a time limit (10 s) — see tests/hostile/harness.ts — and checks the
 * exit code, a Danish message with file:line:column, no stack trace, no "intern fejl", no file
 * written outside --out, inputs unchanged, and the output folder either untouched or complete.
 * (In the interop project: it runs many processes. No external programs are needed.)
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import assert from "node:assert/strict";
import JSZip from "jszip";
import { describe, test } from "vitest";
import { repoRoot, tmpDir } from "./helpers.js";
import { assertCleanFailure, assertWithinLimits, runLimited, snapshot } from "./hostile/harness.js";

const SPEC = path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte");
/** Ordinary renders and simulations that set a case up (not the hostile input itself): memory bounded, time generous. */
const ORDINARY = { timeS: 120 };

/** A fresh working folder with a copy of the 2024 spec in `spec/`. */
function workspace(): { ws: string; spec: string } {
  const ws = tmpDir("udbud-hostile-");
  const spec = path.join(ws, "spec");
  fs.cpSync(SPEC, spec, { recursive: true });
  return { ws, spec };
}

function write(dir: string, name: string, data: string | Buffer): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
  return p;
}

/** 10 levels of 10 aliases each: 10^10 values if expanded. */
function aliasBomb(indent: string): string {
  let s = `${indent}a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n`;
  for (let i = 1; i < 10; i++) s += `${indent}a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;
  return s;
}

const entryText = () => fs.readFileSync(path.join(SPEC, "udbud.yaml"), "utf8");

describe("YAML: alias bombs and deep nesting at any position", () => {
  const cases: [string, () => string, RegExp][] = [
    ["alias bomb at the top level", () => aliasBomb("") + entryText(), /alias-bombe/],
    ["alias bomb under a mapping", () => `${entryText()}\nekstra:\n${aliasBomb("  ")}`, /alias-bombe/],
    ["alias bomb at the end, inside a lot", () => `${entryText()}\nbomb:\n  inde:\n${aliasBomb("    ")}`, /alias-bombe/],
    ["10.000 nested flow sequences", () => `${entryText()}\ndyb: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`, /indlejret for dybt/],
    ["10.000 nested flow mappings at the start", () => `dyb: ${"{a: ".repeat(10_000)}1${"}".repeat(10_000)}\n${entryText()}`, /indlejret for dybt/],
    ["3.000 nested block mappings", () => `${entryText()}\n${Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n")} 1\n`, /indlejret for dybt/],
  ];
  for (const [name, text, message] of cases) {
    test(name, async () => {
      const { ws, spec } = workspace();
      write(spec, "udbud.yaml", text());
      const before = snapshot(ws);
      const r = await runLimited(["validate", spec], { cwd: ws });
      assertCleanFailure(r, name, { message });
      assert.match(r.stderr, /spec\/udbud\.yaml:\d+:\d+: fejl: /);
      assert.doesNotMatch(r.stderr, /Maximum call stack|indrykning/);
      assert.deepEqual(snapshot(ws), before, "nothing written, inputs unchanged");
    });
  }
});

describe("includes stay inside the spec folder and within their limits", () => {
  const cases: [string, (ws: string, spec: string) => void, RegExp][] = [
    ["a path out of the folder", (_ws, spec) => write(spec, "udbud.yaml", entryText().replace("$inkluder: udbudsomraade-1.yaml", "$inkluder: ../../../../etc/passwd.yaml")), /uden for spec-mappen|findes ikke/],
    ["an absolute path", (_ws, spec) => write(spec, "udbud.yaml", entryText().replace("$inkluder: udbudsomraade-1.yaml", "$inkluder: /etc/hosts.yaml")), /relativ sti/],
    ["a symlink out of the folder", (ws, spec) => {
      write(ws, "hemmelig.yaml", "id: hemmelig\n");
      fs.symlinkSync(path.join(ws, "hemmelig.yaml"), path.join(spec, "link.yaml"));
      write(spec, "udbud.yaml", entryText().replace("$inkluder: udbudsomraade-1.yaml", "$inkluder: link.yaml"));
    }, /uden for spec-mappen/],
    ["a file that is not YAML", (_ws, spec) => {
      write(spec, "noter.txt", "hej\n");
      write(spec, "udbud.yaml", entryText().replace("$inkluder: udbudsomraade-1.yaml", "$inkluder: noter.txt"));
    }, /Kun YAML-filer/],
    ["a chain of includes deeper than the limit", (_ws, spec) => {
      for (let i = 0; i < 12; i++) write(spec, `kaede-${i}.yaml`, `$inkluder: kaede-${i + 1}.yaml\n`);
      write(spec, "kaede-12.yaml", "navn: slut\n");
      write(spec, "udbud.yaml", `${entryText()}\nekstra:\n  $inkluder: kaede-0.yaml\n`);
    }, /kædet for dybt/],
    ["more included files than the limit", (_ws, spec) => {
      const n = 205;
      for (let i = 0; i < n; i++) write(spec, `del-${i}.yaml`, `v: ${i}\n`);
      write(spec, "udbud.yaml", `${entryText()}\nekstra:\n${Array.from({ length: n }, (_, i) => `  - $inkluder: del-${i}.yaml`).join("\n")}\n`);
    }, /for mange filer/],
    ["an include that is a FIFO", (_ws, spec) => {
      spawnSync("mkfifo", [path.join(spec, "fifo.yaml")]);
      assert.ok(fs.statSync(path.join(spec, "fifo.yaml")).isFIFO(), "mkfifo made a FIFO");
      write(spec, "udbud.yaml", entryText().replace("$inkluder: udbudsomraade-1.yaml", "$inkluder: fifo.yaml"));
    }, /ikke en almindelig fil/],
  ];
  for (const [name, setup, message] of cases) {
    test(name, async () => {
      const { ws, spec } = workspace();
      setup(ws, spec);
      const before = snapshot(ws);
      const r = await runLimited(["validate", spec], { cwd: ws });
      assertCleanFailure(r, name, { message });
      assert.doesNotMatch(r.stdout + r.stderr, /root:x:0|hemmelig/, "no content of a file outside the spec");
      assert.deepEqual(snapshot(ws), before);
    });
  }
});

describe("documents given to diff", () => {
  test("a FIFO and a symlink to /dev/zero are refused before opening", async () => {
    const { ws } = workspace();
    spawnSync("mkfifo", [path.join(ws, "fifo.docx")]);
    assert.ok(fs.statSync(path.join(ws, "fifo.docx")).isFIFO());
    fs.symlinkSync("/dev/zero", path.join(ws, "nul.docx"));
    write(ws, "a.txt", "1. Formål\n\nTekst.\n");
    for (const bad of ["fifo.docx", "nul.docx"]) {
      const r = await runLimited(["diff", bad, "a.txt"], { cwd: ws });
      assertCleanFailure(r, bad, { message: /ikke en almindelig fil/ });
      assert.match(r.stderr, new RegExp(`${bad.replace(".", "\\.")}:1:1: fejl`));
    }
    const r = await runLimited(["validate", "fifo.docx"], { cwd: ws });
    assertCleanFailure(r, "validate a FIFO", { message: /ikke en almindelig fil/ });
  });

  test("HTML with 100.000 nested <div>s is compared, not crashed", async () => {
    const { ws } = workspace();
    write(ws, "dyb.html", `<html><body>${"<div>".repeat(100_000)}<p>Dybt afsnit.</p>${"</div>".repeat(100_000)}</body></html>`);
    write(ws, "flad.html", "<html><body><p>Fladt afsnit.</p></body></html>");
    const r = await runLimited(["diff", "dyb.html", "flad.html", "--json"], { cwd: ws });
    assertWithinLimits(r, "deep HTML");
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.ok(JSON.stringify(j).includes("Dybt afsnit."), "the deep paragraph was read");
  });

  test("Markdown nested 100.000 levels deep", async () => {
    const { ws } = workspace();
    write(ws, "dyb.md", `${">".repeat(100_000)} dybt\n\n${"- ".repeat(20_000)}liste\n`);
    write(ws, "flad.md", "# Titel\n\nFladt.\n");
    const r = await runLimited(["diff", "dyb.md", "flad.md", "--json"], { cwd: ws });
    assertWithinLimits(r, "deep Markdown");
    assert.equal(r.code, 0, r.stderr);
  });

  test("a 50.000-word paragraph changed: bounded, reported as a change", async () => {
    const { ws } = workspace();
    const words = Array.from({ length: 50_000 }, (_, i) => ["rammeaftale", "leverandør", "borger", "indsats", "og", "på"][(i * 7) % 6] + (i % 15 === 14 ? "." : ""));
    const changed = words.map((w, i) => (i % 7 === 0 ? "ændret" : w));
    const docx = async (text: string) => {
      const zip = new JSZip();
      zip.file("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
      zip.file("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
      zip.file("word/document.xml", `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>1. Formål</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p></w:body></w:document>`);
      return zip.generateAsync({ type: "nodebuffer" });
    };
    write(ws, "a.docx", await docx(words.join(" ")));
    write(ws, "c.docx", await docx(changed.join(" ")));
    const before = snapshot(ws);
    const r = await runLimited(["diff", "a.docx", "c.docx", "--json"], { cwd: ws });
    assertWithinLimits(r, "50.000 words");
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.summary.modified + j.summary.inserted + j.summary.deleted >= 1, true, JSON.stringify(j.summary));
    assert.deepEqual(snapshot(ws), before);
  });

  test("a zip bomb, an entity declaration and a non-ZIP are clean errors", async () => {
    const { ws } = workspace();
    const bomb = new JSZip();
    bomb.file("[Content_Types].xml", "<Types/>");
    bomb.file("word/document.xml", Buffer.alloc(120 * 1024 * 1024, 0x20), { compression: "DEFLATE" });
    write(ws, "bombe.docx", await bomb.generateAsync({ type: "nodebuffer", compression: "DEFLATE" }));
    const ent = new JSZip();
    ent.file("[Content_Types].xml", "<Types/>");
    ent.file("word/document.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>');
    write(ws, "entitet.docx", await ent.generateAsync({ type: "nodebuffer" }));
    write(ws, "tekst.docx", "ikke et zip-arkiv");
    write(ws, "a.txt", "Tekst.\n");
    for (const f of ["bombe.docx", "entitet.docx", "tekst.docx"]) {
      const r = await runLimited(["diff", f, "a.txt"], { cwd: ws });
      assertCleanFailure(r, f, { message: /DOCX/ });
    }
  });
});

describe("--out problems are Danish errors, for every command that writes", () => {
  const commands: [string, (spec: string, out: string) => string[]][] = [
    ["render", (spec, out) => ["render", spec, "--format", "md", "--out", out]],
    ["simulate", (spec, out) => ["simulate", spec, "--runs", "50", "--format", "csv", "--out", out]],
    ["evaluate", (spec, out) => ["evaluate", spec, "--bids", path.join(spec, "bud.yaml"), "--out", out]],
    ["diff", (spec, out) => ["diff", spec, spec, "--format", "html", "--out", out]],
  ];
  const outs: [string, (ws: string) => string, RegExp][] = [
    ["an existing file", (ws) => write(ws, "fil.txt", "x"), /er en fil, ikke en mappe/],
    ["a path under a file", (ws) => path.join(write(ws, "fil2.txt", "x"), "under"), /er en fil, så mappen/],
    ["/proc/<new>", () => `/proc/${process.pid}0000/ny`, /systemfilsystem/],
    ["/sys", () => "/sys/udbud-test", /systemfilsystem/],
    ["/dev/null", () => "/dev/null", /er en fil, ikke en mappe/],
    ["a dangling symlink", (ws) => {
      fs.symlinkSync(path.join(ws, "findes-ikke"), path.join(ws, "link"));
      return path.join(ws, "link");
    }, /genvej.*som ikke findes/],
    ["a name too long", (ws) => path.join(ws, "a".repeat(300)), /for lang/],
  ];
  for (const [cmd, argv] of commands) {
    for (const [name, make, message] of outs) {
      test(`${cmd} --out ${name}`, async () => {
        const { ws, spec } = workspace();
        const out = make(ws);
        const before = snapshot(ws);
        const r = await runLimited(argv(spec, out), { cwd: ws });
        assertCleanFailure(r, `${cmd} --out ${name}`, { message });
        assert.deepEqual(snapshot(ws), before, "nothing written anywhere, inputs unchanged");
      });
    }
    test(`${cmd} --out '' is a usage error`, async () => {
      const { ws, spec } = workspace();
      const before = snapshot(ws);
      const r = await runLimited(argv(spec, ""), { cwd: ws });
      assertCleanFailure(r, `${cmd} --out ''`, { code: 2, located: false, message: /--out er tom/ });
      assert.deepEqual(snapshot(ws), before);
    });
  }
});

describe("output folders: all or nothing, no litter", () => {
  test("a folder where one output file must go: the old set stays intact", async () => {
    const { ws, spec } = workspace();
    const out = path.join(ws, "ud");
    const first = await runLimited(["render", spec, "--format", "md", "--out", out], { cwd: ws, limits: ORDINARY });
    assert.equal(first.code, 0, first.stderr);
    // A new spec version, and a folder squatting on one of the file names.
    write(spec, "udbud.yaml", entryText().replace(/^titel: .*$/m, "titel: Ny titel"));
    const names = fs.readdirSync(out).filter((f) => f.endsWith(".md")).sort();
    assert.ok(names.length > 10);
    const squat = names[names.length - 1];
    fs.rmSync(path.join(out, squat));
    fs.mkdirSync(path.join(out, squat));
    const before = snapshot(out);
    const r = await runLimited(["render", spec, "--format", "md", "--out", out], { cwd: ws, limits: ORDINARY });
    assertCleanFailure(r, "folder in the way", { message: /mappe ved navn/ });
    assert.deepEqual(snapshot(out), before, "not one file replaced");
    // Moved away, the next run completes the set.
    fs.rmdirSync(path.join(out, squat));
    const again = await runLimited(["render", spec, "--format", "md", "--out", out], { cwd: ws, limits: ORDINARY });
    assert.equal(again.code, 0, again.stderr);
    const after = fs.readdirSync(out).sort();
    assert.deepEqual(after, [...names, "manifest.json"].sort());
    for (const f of names) assert.doesNotMatch(fs.readFileSync(path.join(out, f), "utf8"), /NEVER/);
  });

  test("leftovers of dead processes are removed by the next run; live ones are kept", async () => {
    const { ws, spec } = workspace();
    const out = path.join(ws, "ud");
    fs.mkdirSync(out);
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    assert.match(dead, /^\d+$/);
    write(out, `.udbud-tmp-${dead}-rammeaftale.md`, "gammel");
    fs.mkdirSync(path.join(out, `.udbud-tmp-${dead}-abcd`));
    write(ws, `.udbud-tmp-${dead}-ef01/x.md`, "gammel");
    write(out, `.udbud-tmp-${process.pid}-levende`, "min");
    const r = await runLimited(["render", spec, "--format", "md", "--out", out], { cwd: ws, limits: ORDINARY });
    assert.equal(r.code, 0, r.stderr);
    const left = [...fs.readdirSync(out), ...fs.readdirSync(ws)].filter((f) => f.startsWith(".udbud-tmp-"));
    assert.deepEqual(left, [`.udbud-tmp-${process.pid}-levende`]);
  });

  test("kill -9 mid-render: the folder is absent or complete, and the next run leaves no litter", async () => {
    const { ws, spec } = workspace();
    const out = path.join(ws, "ud");
    const child = spawnSync("bash", ["-c", `node ${JSON.stringify(path.join(repoRoot, "bin", "udbud.js"))} render spec --format md,html,pdf --out ud & p=$!; sleep 2.5; kill -9 $p; wait $p; echo $?`], { cwd: ws });
    // 137: killed mid-run (the usual case); 0: it finished first on a fast machine.
    assert.match(child.stdout.toString().trim().split("\n").at(-1)!, /^(137|0)$/, "the render ran");
    const manifest = path.join(out, "manifest.json");
    if (fs.existsSync(out)) assert.ok(fs.existsSync(manifest), "a folder that exists is complete");
    const r = await runLimited(["render", spec, "--format", "md", "--out", out], { cwd: ws, limits: ORDINARY });
    assert.equal(r.code, 0, r.stderr);
    const litter = [...fs.readdirSync(out), ...fs.readdirSync(ws)].filter((f) => f.startsWith(".udbud-tmp-"));
    assert.deepEqual(litter, []);
  });
});

describe("usage errors and the terminal", () => {
  const cases: [string, string[]][] = [
    ["diff --date 2024-13-45", ["diff", "spec", "spec", "--date", "2024-13-45"]],
    ["diff --date 2023-02-29", ["diff", "spec", "spec", "--date", "2023-02-29"]],
    ["simulate --runs abc", ["simulate", "spec", "--runs", "abc"]],
    ["simulate --runs 0", ["simulate", "spec", "--runs", "0"]],
    ["simulate --seed 1e308", ["simulate", "spec", "--seed", "1e308"]],
    ["render --format exe", ["render", "spec", "--format", "exe"]],
    ["evaluate --format xml", ["evaluate", "spec", "--bids", "spec/bud.yaml", "--format", "xml"]],
    ["an unknown option", ["render", "spec", "--udbud"]],
  ];
  for (const [name, args] of cases) {
    test(name, async () => {
      const { ws } = workspace();
      const before = snapshot(ws);
      const r = await runLimited(args, { cwd: ws, limits: ORDINARY });
      assertCleanFailure(r, name, { code: 2, located: false, message: /^fejl: /m });
      assert.deepEqual(snapshot(ws), before);
    });
  }

  test("control characters and bidi overrides from the spec are shown, not obeyed", async () => {
    const { ws, spec } = workspace();
    write(spec, "udbud.yaml", `${entryText()}\n"\\u202Eexe.fil\\u001b[2J\\u0007": 1\n`);
    const r = await runLimited(["validate", spec], { cwd: ws, limits: ORDINARY });
    assertCleanFailure(r, "bidi", { message: /\\u202Eexe\.fil\\u001B\[2J\\u0007/ });
    assert.doesNotMatch(r.stderr, /[\u202E\u001b\u0007]/);
  });

  test("template syntax in spec text is printed literally", async () => {
    const { ws, spec } = workspace();
    write(spec, "udbud.yaml", entryText().replace(/^titel: .*$/m, 'titel: "{{#each this}}{{this}}{{/each}} {{{constructor.constructor}}} <script>x</script>"'));
    const out = path.join(ws, "ud");
    const r = await runLimited(["render", spec, "--format", "md,html", "--out", out, "--only", "rammeaftale"], { cwd: ws, limits: ORDINARY });
    assert.equal(r.code, 0, r.stderr);
    const html = fs.readFileSync(path.join(out, "rammeaftale.html"), "utf8");
    assert.ok(html.includes("{{#each this}}{{this}}{{/each}}"), "the braces survive as text");
    assert.doesNotMatch(html, /<script>x<\/script>/);
  });

  test("formula-looking text cannot reach a CSV: ids are refused, every cell written is inert", async () => {
    const { ws, spec } = workspace();
    // The only text in simulering.csv and breakeven.csv is ids (lots, offers) and fixed words.
    const f = path.join(spec, "udbudsomraade-1.yaml");
    const original = fs.readFileSync(f, "utf8");
    const m = /^(\s+- id: )(\S+)/m.exec(original);
    assert.ok(m, "an indsats id to replace");
    write(spec, "udbudsomraade-1.yaml", original.replace(m![0], `${m![1]}"=HYPERLINK(1)"`));
    const refused = await runLimited(["simulate", spec, "--runs", "50", "--format", "csv", "--out", path.join(ws, "ud")], { cwd: ws, limits: ORDINARY });
    assertCleanFailure(refused, "formula id", { message: /udbudsomraade-1\.yaml:\d+:\d+: fejl: / });
    assert.ok(!fs.existsSync(path.join(ws, "ud")));
    write(spec, "udbudsomraade-1.yaml", original);
    const out = path.join(ws, "ud");
    const r = await runLimited(["simulate", spec, "--runs", "50", "--format", "csv", "--out", out], { cwd: ws, limits: ORDINARY });
    assert.equal(r.code, 0, r.stderr);
    const csvs = fs.readdirSync(out).filter((x) => x.endsWith(".csv"));
    assert.deepEqual(csvs.sort(), ["breakeven.csv", "simulering.csv"]);
    let cells = 0;
    for (const c of csvs) {
      for (const line of fs.readFileSync(path.join(out, c), "utf8").replace(/^\ufeff/, "").split(/\r\n/)) {
        for (const cell of line.split(";")) {
          cells++;
          // Negative numbers ("-0,81") are numbers; text never starts with = + @ or a tab.
          assert.doesNotMatch(cell, /^[=+@\t\r]|^-(?![\d,]+$)/, `${c}: ${cell}`);
        }
      }
    }
    assert.ok(cells > 100);
  });
});
