/**
 * The editor's help, as VS Code's YAML extension gets it: the real yaml-language-server (npm dev
 * dependency) spoken to over stdio with LSP, on a folder made by `udbud ny` outside the
 * repository. Completion with Danish documentation at top level, in a lot file (whose schema
 * refers to the tender schema) and for an enum value; hover in Danish; Danish diagnostics for a
 * misspelt enum value and a wrong type; and the `.vscode/settings.json` route for a file without
 * a `$schema` comment.
 */
import { afterAll, beforeAll, describe, test } from "vitest";
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { cli, repoRoot } from "./helpers.js";
import { requirePrereq } from "./prereq.js";

const serverBin = path.join(repoRoot, "node_modules", "yaml-language-server", "bin", "yaml-language-server");
const serverMissing = !fs.existsSync(serverBin);

type Json = any;

/** A minimal LSP client: Content-Length framing, requests with ids, answers to the server's own requests. */
class LspClient {
  private buf = Buffer.alloc(0);
  private nextId = 1;
  private pending = new Map<number, (msg: Json) => void>();
  private diagnostics = new Map<string, Json[]>();
  private diagWaiters: { uri: string; pred: (d: Json[]) => boolean; resolve: (d: Json[]) => void }[] = [];
  constructor(private readonly proc: ChildProcessWithoutNullStreams, private readonly settings: Json) {
    proc.stdout.on("data", (chunk: Buffer) => this.onData(chunk));
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const headerEnd = this.buf.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const m = /Content-Length: (\d+)/i.exec(this.buf.subarray(0, headerEnd).toString("ascii"));
      const len = Number(m?.[1] ?? 0);
      if (this.buf.length < headerEnd + 4 + len) return;
      const body = this.buf.subarray(headerEnd + 4, headerEnd + 4 + len).toString("utf8");
      this.buf = this.buf.subarray(headerEnd + 4 + len);
      this.onMessage(JSON.parse(body));
    }
  }

  private onMessage(msg: Json): void {
    if (msg.id !== undefined && msg.method === undefined) {
      this.pending.get(msg.id)?.(msg);
      this.pending.delete(msg.id);
      return;
    }
    if (msg.id !== undefined && msg.method) {
      // A request from the server.
      let result: Json = null;
      if (msg.method === "workspace/configuration") result = (msg.params.items as Json[]).map((it) => (it.section === "yaml" ? this.settings.yaml : it.section ? this.settings[it.section] ?? null : this.settings));
      this.send({ jsonrpc: "2.0", id: msg.id, result });
      return;
    }
    if (msg.method === "textDocument/publishDiagnostics") {
      this.diagnostics.set(msg.params.uri, msg.params.diagnostics);
      for (const w of [...this.diagWaiters]) {
        if (w.uri === msg.params.uri && w.pred(msg.params.diagnostics)) {
          this.diagWaiters.splice(this.diagWaiters.indexOf(w), 1);
          w.resolve(msg.params.diagnostics);
        }
      }
    }
  }

  send(msg: Json): void {
    const body = Buffer.from(JSON.stringify(msg), "utf8");
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  request(method: string, params: Json): Promise<Json> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (msg) => (msg.error ? reject(new Error(`${method}: ${msg.error.message}`)) : resolve(msg.result)));
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  notify(method: string, params: Json): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** The next diagnostics published for `uri`. */
  nextDiagnostics(uri: string): Promise<Json[]> {
    return new Promise((resolve) => this.diagWaiters.push({ uri, pred: () => true, resolve }));
  }
}

let proc: ChildProcessWithoutNullStreams | undefined;
let client: LspClient;
let dir = "";
let version = 1;

const uriOf = (f: string) => pathToFileURL(path.join(dir, f)).href;

function open(file: string, text: string): string {
  const uri = uriOf(file);
  client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: version++, text } });
  return uri;
}

/**
 * Opens `file` with `text` and returns its diagnostics once `pred` holds. The server validates
 * again on each change; while the schemas are still loading a first round can be incomplete, so
 * the text is sent again a few times (no timing involved).
 */
async function diagnosticsOf(file: string, text: string, pred: (d: Json[]) => boolean): Promise<Json[]> {
  const uri = uriOf(file);
  let next = client.nextDiagnostics(uri);
  client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: version++, text } });
  let last: Json[] = [];
  for (let i = 0; i < 6; i++) {
    last = await next;
    if (pred(last)) return last;
    next = client.nextDiagnostics(uri);
    client.notify("textDocument/didChange", { textDocument: { uri, version: version++ }, contentChanges: [{ text }] });
  }
  return last;
}

function docText(item: Json): string {
  const d = item.documentation;
  return typeof d === "string" ? d : d?.value ?? "";
}

/** Line and character of the end of the first line containing `needle`. */
function positionAfter(text: string, needle: string): { line: number; character: number } {
  const lines = text.split("\n");
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return { line, character: lines[line].indexOf(needle) + needle.length };
}

describe("yaml-language-server on a folder made by udbud ny", () => {
  beforeAll(async () => {
    if (serverMissing) return;
    // Outside the repository: the editor wiring must not depend on where the folder lives.
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "udbud-lsp-")), "mit-udbud");
    const r = await cli("ny", dir);
    assert.equal(r.code, 0, r.stderr);
    const vscode = JSON.parse(fs.readFileSync(path.join(dir, ".vscode", "settings.json"), "utf8"));
    const settings = { yaml: { validate: true, hover: true, completion: true, format: { enable: false }, schemaStore: { enable: false }, schemas: vscode["yaml.schemas"] } };
    proc = spawn(process.execPath, [serverBin, "--stdio"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    proc.stderr.on("data", () => {});
    client = new LspClient(proc, settings);
    await client.request("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name: "mit-udbud" }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          completion: { completionItem: { documentationFormat: ["markdown", "plaintext"], snippetSupport: true } },
          hover: { contentFormat: ["markdown", "plaintext"] },
          publishDiagnostics: {},
        },
      },
      initializationOptions: {},
    });
    client.notify("initialized", {});
    client.notify("workspace/didChangeConfiguration", { settings });
  });

  afterAll(() => {
    proc?.kill();
  });

  test("completion at top level of udbud.yaml has Danish documentation", async (ctx) => {
    requirePrereq(serverMissing, "yaml-language-server (npm ci)", ctx.skip);
    const text = fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8") + "\n";
    const uri = open("udbud.yaml", text);
    const lines = text.split("\n");
    const res = await client.request("textDocument/completion", { textDocument: { uri }, position: { line: lines.length - 1, character: 0 } });
    const items: Json[] = Array.isArray(res) ? res : res.items;
    const klausuler = items.find((i) => i.label === "klausuler");
    assert.ok(klausuler, items.map((i) => i.label).join(", "));
    assert.match(docText(klausuler), /Ændringer af dokumenternes klausuler/);
  });

  test("completion in a lot file resolves the tender schema through the lot schema's relative reference", async (ctx) => {
    requirePrereq(serverMissing, "yaml-language-server (npm ci)", ctx.skip);
    const text = fs.readFileSync(path.join(dir, "delkontrakt-1.yaml"), "utf8") + "\n";
    const uri = open("delkontrakt-1.yaml", text);
    const res = await client.request("textDocument/completion", { textDocument: { uri }, position: { line: text.split("\n").length - 1, character: 0 } });
    const items: Json[] = Array.isArray(res) ? res : res.items;
    const elementer = items.find((i) => i.label === "elementer");
    assert.ok(elementer, items.map((i) => i.label).join(", "));
    assert.match(docText(elementer), /Byggeklodser .* kan kombineres til nye indsatser/, JSON.stringify(elementer));
    assert.ok(items.every((i) => !/^\s*$/.test(i.label)));
  });

  test("completion of an enum value lists the values with Danish descriptions", async (ctx) => {
    requirePrereq(serverMissing, "yaml-language-server (npm ci)", ctx.skip);
    const original = fs.readFileSync(path.join(dir, "delkontrakt-1.yaml"), "utf8");
    const text = original.replace("  type: ugepris", "  type: ");
    const uri = open("delkontrakt-enum.yaml", text);
    const res = await client.request("textDocument/completion", { textDocument: { uri }, position: positionAfter(text, "  type: ") });
    const items: Json[] = Array.isArray(res) ? res : res.items;
    const ugepris = items.find((i) => i.label === "ugepris");
    assert.ok(ugepris, items.map((i) => i.label).join(", "));
    assert.match(docText(ugepris), /Pris pr\. uge i forløbet/);
    assert.ok(items.some((i) => i.label === "helårsperson"));
  });

  test("hover over a field is Danish", async (ctx) => {
    requirePrereq(serverMissing, "yaml-language-server (npm ci)", ctx.skip);
    const text = fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8");
    const uri = open("udbud-hover.yaml", text);
    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.startsWith("titel:"));
    const res = await client.request("textDocument/hover", { textDocument: { uri }, position: { line, character: 2 } });
    const value = typeof res?.contents === "string" ? res.contents : res?.contents?.value ?? "";
    assert.match(value, /Udbuddets titel, som den står på rammeaftalens forside/);
    // markdownDescription: the hover over 'delkontrakter' shows how to include a lot file.
    const dk = lines.findIndex((l) => l.startsWith("delkontrakter:"));
    const res2 = await client.request("textDocument/hover", { textDocument: { uri }, position: { line: dk, character: 3 } });
    const value2 = typeof res2?.contents === "string" ? res2.contents : res2?.contents?.value ?? "";
    assert.match(value2, /\$inkluder: delkontrakt-1\.yaml/);
  });

  test("diagnostics for a misspelt enum value, a wrong type and an unknown field are Danish", async (ctx) => {
    requirePrereq(serverMissing, "yaml-language-server (npm ci)", ctx.skip);
    const text = fs.readFileSync(path.join(dir, "udbud.yaml"), "utf8")
      .replace("regime: afsnit-III", "regime: afsnit-3")
      .replace("prækvalifikation: false", "prækvalifikation: nej")
      .replace("\ntitel:", "\ntitell:");
    const diags = await diagnosticsOf("udbud-fejl.yaml", text, (d) => d.some((x) => x.message.startsWith("Regelsæt")) && d.some((x) => x.message.startsWith("Prækvalifikation")));
    const messages = diags.map((d) => d.message).join("\n");
    assert.match(messages, /Regelsæt: ugyldig værdi\. Tilladte værdier: afsnit-II, afsnit-III, tilbudsloven, ingen/);
    assert.match(messages, /Prækvalifikation: skriv true \(ja\) eller false \(nej\)/);
    assert.match(messages, /Udbud: ukendt felt her.*Tryk Ctrl\+Mellemrum/);
    assert.doesNotMatch(messages, /Incorrect type|Value is not accepted|Property titell is not allowed/);
    const regime = diags.find((d) => d.message.startsWith("Regelsæt"));
    assert.equal(regime.range.start.line, text.split("\n").findIndex((l) => l.includes("regime: afsnit-3")));
  });

  test("the .vscode/settings.json mapping gives help to a file without a $schema comment", async (ctx) => {
    requirePrereq(serverMissing, "yaml-language-server (npm ci)", ctx.skip);
    const text = fs.readFileSync(path.join(dir, "scenarie.yaml"), "utf8").replace(/^# yaml-language-server:.*\n/m, "").replace("kørsler: 10000", "kørsler: mange");
    const diags = await diagnosticsOf("scenarie.yaml", text, (d) => d.length >= 1);
    assert.match(diags.map((d) => d.message).join("\n"), /skriv et helt tal/);
  });
});
