/**
 * The studio's guards. The server listens on loopback only; every request must carry the session
 * token (first as `?token=` in the printed address, then as an HttpOnly cookie); the `Host` header
 * must be the loopback address and our port (DNS rebinding), and `Origin` must be ours on every
 * state-changing request. Files are confined to the spec folder: no absolute paths, no `..`, no
 * symlinks out, regular files only.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import * as fs from "node:fs";
import type { IncomingMessage } from "node:http";
import * as path from "node:path";

export const COOKIE = "udbud_studio";
/** Largest request body accepted (a spec file is at most 5 MiB; a few of them as buffers). */
export const MAX_BODY = 16 * 1024 * 1024;

export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function hostOk(req: IncomingMessage, port: number): boolean {
  return allowedHosts(port).includes(String(req.headers.host ?? "").toLowerCase());
}

/** State-changing requests must come from our own page. */
export function originOk(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  if (typeof origin !== "string") return false;
  return allowedHosts(port).some((h) => origin === `http://${h}`);
}

export function cookieToken(req: IncomingMessage): string | undefined {
  const raw = String(req.headers.cookie ?? "");
  for (const part of raw.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === COOKIE) return v.join("=");
  }
  return undefined;
}

export function tokenOk(given: string | undefined | null, token: string): boolean {
  return typeof given === "string" && same(given, token);
}

/** The Content-Security-Policy of every page: nothing from outside, no inline script. */
export function csp(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "child-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export class PathError extends Error {}

/**
 * A file name inside `root` → its absolute path, or PathError. Only plain relative names of
 * existing regular files (or, with `mayCreate`, a new file in an existing folder of `root`).
 */
export function resolveInside(root: string, name: string, mayCreate = false): string {
  if (typeof name !== "string" || !name || name.includes("\0") || path.isAbsolute(name) || name.split(/[\\/]/).some((p) => p === ".." || p === "")) {
    throw new PathError(`Ugyldigt filnavn: ${JSON.stringify(String(name).slice(0, 80))}.`);
  }
  const realRoot = fs.realpathSync(root);
  const abs = path.join(realRoot, name);
  let real: string;
  try {
    const st = fs.lstatSync(abs);
    if (st.isSymbolicLink()) throw new PathError(`${name} er et symbolsk link; studiet åbner kun almindelige filer i udbuddets mappe.`);
    if (!st.isFile()) throw new PathError(`${name} er ikke en almindelig fil.`);
    real = fs.realpathSync(abs);
  } catch (e) {
    if (e instanceof PathError) throw e;
    if (!mayCreate) throw new PathError(`Filen ${name} findes ikke i udbuddets mappe.`);
    const dir = fs.realpathSync(path.dirname(abs));
    if (dir !== realRoot && !dir.startsWith(realRoot + path.sep)) throw new PathError(`${name} ligger uden for udbuddets mappe.`);
    return abs;
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw new PathError(`${name} ligger uden for udbuddets mappe.`);
  return real;
}
