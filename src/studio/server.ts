/**
 * `udbud studio`: a local web server for one spec folder. Bound to 127.0.0.1 only; the page and
 * its scripts are bundled at build time (dist/web), nothing is loaded from outside. Routes:
 *   GET  /                 the page (needs ?token= once, then the cookie)
 *   GET  /assets/<file>    the bundled client
 *   GET  /api/state        files, documents, revisions, simulation sliders, other folders
 *   GET  /api/file?name=   a file's text and version
 *   GET  /api/schema?kind= the JSON Schema for the editor (udbud, delkontrakt, scenarie)
 *   GET  /api/events       server-sent events: files changed on disk
 *   POST /api/save | check | preview | download | simulate | evaluate | compare | redline
 * Every request needs the token; `Host` must be ours; POST needs our `Origin` and a JSON body
 * of at most MAX_BODY bytes.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { packageRoot, schemasDir } from "../paths.js";
import * as api from "./api.js";
import { COOKIE, cookieToken, csp, hostOk, MAX_BODY, newToken, originOk, PathError, tokenOk } from "./security.js";
import { Workspace, type Buffers } from "./workspace.js";

export interface StudioOptions {
  folder: string;
  port?: number;
  /** Other spec folders the page may compare with. */
  compareWith?: string[];
  token?: string;
}

export interface Studio {
  url: string;
  port: number;
  token: string;
  close: () => Promise<void>;
}

const webDir = path.join(packageRoot, "dist", "web");
const ASSET_TYPES: Record<string, string> = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".map": "application/json" };

function send(res: http.ServerResponse, status: number, body: string | Buffer, type = "application/json; charset=utf-8", extra: Record<string, string> = {}) {
  res.writeHead(status, {
    "Content-Type": type,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...extra,
  });
  res.end(body);
}

const json = (res: http.ServerResponse, status: number, value: unknown) => send(res, status, JSON.stringify(value));

async function body(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) throw new api.StudioError("Forespørgslen skal være JSON.", 415);
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY) throw new api.StudioError("Forespørgslen er for stor.", 413);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new api.StudioError("Forespørgslen er for stor.", 413);
    chunks.push(c as Buffer);
  }
  const v = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new api.StudioError("Forespørgslen skal være et JSON-objekt.", 400);
  return v as Record<string, unknown>;
}

function buffersOf(b: Record<string, unknown>): Buffers {
  const raw = b.buffers;
  if (raw === undefined) return {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new api.StudioError("buffers skal være et objekt.", 400);
  const out: Buffers = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== "string") throw new api.StudioError(`Bufferen ${k.slice(0, 60)} er ikke tekst.`, 400);
    out[k] = v;
  }
  return out;
}

const str = (v: unknown, what: string): string => {
  if (typeof v !== "string" || v.length > 4096) throw new api.StudioError(`${what} mangler.`, 400);
  return v;
};

function page(nonce: string): string {
  const tpl = fs.readFileSync(path.join(webDir, "index.html"), "utf8");
  return tpl.replaceAll("%NONCE%", nonce);
}

/** The schema for the editor: the file's own schema with the shared definitions inlined. */
function schemaFor(kind: string): unknown {
  const read = (n: string) => JSON.parse(fs.readFileSync(path.join(schemasDir, n), "utf8"));
  const clean = (s: Record<string, unknown>) => {
    delete s.$id;
    delete s.$schema;
    return s;
  };
  if (kind === "scenarie") return clean(read("scenarie.schema.json"));
  const udbud = clean(read("udbud.schema.json"));
  if (kind === "delkontrakt") {
    const defs = (udbud as { definitions: Record<string, unknown> }).definitions;
    return { ...(defs.delkontrakt as object), definitions: defs };
  }
  return udbud;
}

export async function startStudio(opts: StudioOptions): Promise<Studio> {
  const ws = new Workspace(opts.folder);
  const token = opts.token ?? newToken();
  const others = (opts.compareWith ?? []).map((d) => fs.realpathSync(d));
  const clients = new Set<http.ServerResponse>();
  ws.watch();
  ws.on("changed", (e) => {
    for (const c of clients) c.write(`event: changed\ndata: ${JSON.stringify(e)}\n\n`);
  });
  let port = 0;
  // One analysis at a time: requests queue rather than compete for the two cores.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const p = queue.then(f, f);
    queue = p.catch(() => undefined);
    return p;
  };

  const server = http.createServer(async (req, res) => {
    try {
      if (!hostOk(req, port)) return send(res, 421, "Forkert Host.", "text/plain; charset=utf-8");
      const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
      const given = url.searchParams.get("token");
      if (req.method === "GET" && url.pathname === "/" && tokenOk(given, token)) {
        // The one-time address: trade the token for a cookie and drop it from the address bar.
        return send(res, 303, "", "text/plain", { Location: "/", "Set-Cookie": `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` });
      }
      if (!tokenOk(cookieToken(req) ?? (req.headers["x-udbud-token"] as string | undefined), token)) {
        return send(res, 403, "Adgang nægtet: åbn adressen med token, som udbud studio skrev i terminalen.", "text/plain; charset=utf-8");
      }
      if (req.method === "POST" && !originOk(req, port)) return send(res, 403, "Forkert Origin.", "text/plain; charset=utf-8");
      if (req.method === "GET") {
        if (url.pathname === "/") {
          const nonce = randomBytes(16).toString("base64");
          return send(res, 200, page(nonce), "text/html; charset=utf-8", { "Content-Security-Policy": csp(nonce) });
        }
        if (url.pathname.startsWith("/assets/")) {
          const name = url.pathname.slice("/assets/".length);
          if (!/^[a-z0-9._-]+$/i.test(name) || !ASSET_TYPES[path.extname(name)]) return send(res, 404, "Findes ikke.", "text/plain; charset=utf-8");
          const file = path.join(webDir, name);
          if (!fs.existsSync(file)) return send(res, 404, "Findes ikke.", "text/plain; charset=utf-8");
          return send(res, 200, fs.readFileSync(file), ASSET_TYPES[path.extname(name)]);
        }
        if (url.pathname === "/api/state") {
          return json(res, 200, { folder: path.basename(ws.root), files: ws.list(), revisions: api.revisions(ws), simParams: api.SIM_PARAMS, others: others.map((o, i) => ({ id: `mappe:${i}`, name: path.basename(o) })) });
        }
        if (url.pathname === "/api/file") return json(res, 200, ws.read(str(url.searchParams.get("name"), "name")));
        if (url.pathname === "/api/schema") return json(res, 200, schemaFor(String(url.searchParams.get("kind"))));
        if (url.pathname === "/api/events") {
          res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
          res.write(": udbud studio\n\n");
          clients.add(res);
          req.on("close", () => clients.delete(res));
          return;
        }
        return send(res, 404, "Findes ikke.", "text/plain; charset=utf-8");
      }
      if (req.method !== "POST") return send(res, 405, "Metoden er ikke tilladt.", "text/plain; charset=utf-8");
      const b = await body(req);
      switch (url.pathname) {
        case "/api/save": {
          const base = b.baseVersion === null ? null : str(b.baseVersion, "baseVersion");
          if (typeof b.text !== "string") throw new api.StudioError("text mangler.", 400);
          const r = ws.save(str(b.name, "name"), b.text, base, b.force === true);
          return json(res, "conflict" in r ? 409 : 200, r);
        }
        case "/api/check":
          return json(res, 200, await serial(() => api.check(ws, buffersOf(b), b.preview === undefined ? undefined : str(b.preview, "preview"))));
        case "/api/preview":
          return json(res, 200, { html: await serial(() => api.preview(ws, buffersOf(b), str(b.doc, "doc"))) });
        case "/api/download": {
          const format = str(b.format, "format");
          if (!(format in api.DOWNLOAD_FORMATS)) throw new api.StudioError(`Ukendt format '${format.slice(0, 20)}'.`, 400);
          const d = await serial(() => api.download(ws, buffersOf(b), str(b.doc, "doc"), format as api.DownloadFormat));
          return send(res, 200, d.data, d.type, { "Content-Disposition": `attachment; filename="${d.name}"` });
        }
        case "/api/simulate": {
          const runs = Number(b.runs);
          if (!Number.isInteger(runs) || runs < 100 || runs > 20000) throw new api.StudioError("runs skal være et helt tal fra 100 til 20.000.", 400);
          const factors: Record<string, number> = {};
          for (const p of api.SIM_PARAMS) {
            const v = (b.factors as Record<string, unknown> | undefined)?.[p.id];
            if (v === undefined) continue;
            if (typeof v !== "number" || !Number.isFinite(v) || v < p.min || v > p.max) throw new api.StudioError(`${p.label} skal være mellem ${p.min} og ${p.max} %.`, 400);
            factors[p.id] = v;
          }
          return json(res, 200, await serial(() => api.simulate(ws, buffersOf(b), factors, runs, b.report !== false)));
        }
        case "/api/evaluate": {
          const weights: Record<string, number> = {};
          for (const [k, v] of Object.entries((b.weights as Record<string, unknown>) ?? {})) {
            if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 100) throw new api.StudioError("En vægt skal være et tal fra 0 til 100.", 400);
            weights[k] = v;
          }
          return json(res, 200, await serial(() => api.evaluateBids(ws, buffersOf(b), weights)));
        }
        case "/api/compare":
          return json(res, 200, (await serial(() => api.compare(ws, buffersOf(b), str(b.against, "against"), others))).answer);
        case "/api/redline": {
          const data = await serial(async () => (await api.compare(ws, buffersOf(b), str(b.against, "against"), others)).redline());
          return send(res, 200, data, api.DOWNLOAD_FORMATS.docx, { "Content-Disposition": `attachment; filename="redline.docx"` });
        }
        default:
          return send(res, 404, "Findes ikke.", "text/plain; charset=utf-8");
      }
    } catch (e) {
      if (e instanceof api.StudioError) return json(res, e.status, { error: e.message, diagnostics: e.diagnostics });
      if (e instanceof PathError) return json(res, 403, { error: e.message });
      if (e instanceof SyntaxError) return json(res, 400, { error: "Forespørgslen er ikke gyldig JSON." });
      const err = e as NodeJS.ErrnoException;
      if (err?.code === "ENOENT") return json(res, 404, { error: "Filen findes ikke." });
      process.stderr.write(`udbud studio: intern fejl: ${err?.stack ?? err}\n`);
      if (!res.headersSent) json(res, 500, { error: "Intern fejl i studiet; se terminalen." });
    }
  });
  server.requestTimeout = 120_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // Warm up while the user opens the address: the first check reads the spec, checks the clause
  // ids against every document and compiles the templates, so the page's first check is quick.
  void serial(() => api.check(ws, {}, "rammeaftale")).catch(() => undefined);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const c of clients) c.end();
      ws.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
