/**
 * Output folders, all or nothing: the one place where a command writes its set of files.
 *
 * API (for every command that writes: render, diff, simulate, evaluate, and new ones such as
 * xlsx or notice):
 *
 *   const problem = checkOutDir(out);            // optional early check, before the heavy work
 *   if (problem) → print it, exit 1
 *   const res = writeOutputSet(out, files, { protect: inputFiles });
 *   if (res.errors.length) → print them, exit 1 (nothing was changed)
 *
 * `files` are `{ name, data }` with plain file names (letters, digits, '.', '_', '-'; no folders).
 * `protect` lists input files that must never be overwritten (compared by real path).
 *
 * The scheme:
 * - `out` does not exist yet: every file is written (and fsynced) into a fresh folder
 *   `.udbud-tmp-<pid>-<random>` beside `out`, which is renamed to `out` at the end: one atomic step.
 * - `out` exists (it may hold other files, such as a simulation under a render): the set is
 *   staged in `out/.udbud-tmp-<pid>-<random>/`, every target is checked (a folder where a file must
 *   go stops the run before anything moves), then each old file is moved aside into the staging
 *   folder and the new one renamed into place. If a rename fails, the files already moved are put
 *   back: the old set stays intact on any failure.
 * - Leftovers `.udbud-tmp-<pid>-*` (files or folders) of processes that no longer run, in `out`
 *   and beside it, are removed first (a `kill -9` mid-run leaves them behind).
 * - Every problem with `out` (a file, a path under a file, no write access, read-only, full disk,
 *   a name too long, a dangling symlink, /proc, /sys or /dev) is a Danish diagnostic naming the
 *   path and what to do; never an exception with an errno.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import { displayPath } from "../read/source.js";

export interface OutputFile {
  name: string;
  data: Buffer | string;
}

const TMP_PREFIX = ".udbud-tmp-";
const PSEUDO_ROOTS = ["/proc", "/sys", "/dev"];
/** statfs magic numbers of pseudo-filesystems (proc, sysfs, cgroup, cgroup2, debugfs, securityfs, devpts). */
const PSEUDO_FS = new Set([0x9fa0, 0x62656572, 0x27e0eb, 0x63677270, 0x64626720, 0x73636673, 0x1cd1]);

function diag(p: string, message: string, code: string): Diagnostic {
  return { severity: "fejl", file: displayPath(p), line: 1, column: 1, path: "", message, code: `output.${code}` };
}

/** The Danish message for an errno met while writing under `p`. */
export function outputErrorDiagnostic(code: string | undefined, p: string): Diagnostic {
  const d = displayPath(p);
  switch (code) {
    case "EACCES":
    case "EPERM":
      return diag(p, `Der er ikke skriveadgang til '${d}'. Intet er skrevet. Vælg en mappe, du kan skrive i, med --out.`, "no-access");
    case "EROFS":
      return diag(p, `'${d}' ligger på et skrivebeskyttet drev. Intet er skrevet. Vælg en anden mappe med --out.`, "read-only");
    case "ENOSPC":
    case "EDQUOT":
      return diag(p, `Der er ikke plads nok på disken til outputtet i '${d}'. Intet er skrevet. Frigør plads, eller vælg en anden mappe med --out.`, "no-space");
    case "ENAMETOOLONG":
      return diag(p, `Stien '${d}' er for lang (et navn må højst være 255 tegn). Vælg en kortere sti med --out.`, "name-too-long");
    case "ENOTDIR":
    case "EEXIST":
      return diag(p, `'${d}' er en fil, ikke en mappe. Intet er skrevet. Vælg en anden mappe med --out, eller flyt filen.`, "not-a-folder");
    case "EISDIR":
      return diag(p, `Der ligger en mappe ved navn '${d}', hvor en fil skal skrives. Intet er skrevet. Flyt eller omdøb mappen, eller vælg en anden mappe med --out.`, "folder-in-the-way");
    default:
      return diag(p, `Outputtet kunne ikke skrives i '${d}' (${code ?? "ukendt fejl"}). Intet er skrevet. Vælg en anden mappe med --out.`, "failed");
  }
}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Checks `out` before anything is written: every existing part of the path must be a folder (or
 * a symlink to one), none may be on a pseudo-filesystem, no name may be too long.
 * Returns a Danish diagnostic, or undefined when `out` can be written (as far as can be known).
 */
export function checkOutDir(out: string): Diagnostic | undefined {
  if (out.trim() === "") return diag(".", "--out er tom. Angiv en mappe, fx --out output/mit-udbud.", "empty");
  if (out.includes("\0")) return diag(out.replace(/\0/g, "\\0"), "--out indeholder et NUL-tegn. Angiv et almindeligt mappenavn.", "bad-name");
  const abs = path.resolve(out);
  if (Buffer.byteLength(abs) > 4000 || abs.split(path.sep).some((part) => Buffer.byteLength(part) > 255)) return outputErrorDiagnostic("ENAMETOOLONG", abs);
  // Walk from the root down: the first part that is not a folder decides.
  const parts = abs.split(path.sep).filter(Boolean);
  let cur = path.parse(abs).root;
  for (let i = 0; i <= parts.length; i++) {
    const st = lstat(cur);
    if (!st) break; // from here on the path is created
    if (st.isSymbolicLink()) {
      let target: fs.Stats | undefined;
      try {
        target = fs.statSync(cur);
      } catch {
        const to = (() => {
          try {
            return fs.readlinkSync(cur);
          } catch {
            return "?";
          }
        })();
        return diag(cur, `'${displayPath(cur)}' er en genvej (symbolsk link) til '${to}', som ikke findes. Intet er skrevet. Opret mappen, eller vælg en anden mappe med --out.`, "dangling-link");
      }
      if (!target.isDirectory()) return i === parts.length ? outputErrorDiagnostic("EEXIST", cur) : notUnderFile(cur, abs);
    } else if (!st.isDirectory()) {
      return i === parts.length ? outputErrorDiagnostic("EEXIST", cur) : notUnderFile(cur, abs);
    }
    if (i < parts.length) cur = path.join(cur, parts[i]);
    else break;
  }
  // The nearest existing folder decides the filesystem.
  let existing = abs;
  while (!lstat(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  let real = existing;
  try {
    real = fs.realpathSync(existing);
  } catch {
    /* checked above */
  }
  let pseudo = PSEUDO_ROOTS.some((r) => real === r || real.startsWith(r + "/"));
  try {
    if (!pseudo && PSEUDO_FS.has(Number(fs.statfsSync(real).type))) pseudo = true;
  } catch {
    /* statfs unavailable: the path check above stands */
  }
  if (pseudo) {
    return diag(abs, `'${displayPath(abs)}' ligger i et systemfilsystem (${real.split("/").slice(0, 2).join("/") || real}), hvor der ikke kan skrives dokumenter. Vælg en almindelig mappe med --out.`, "pseudo-fs");
  }
  return undefined;
}

function notUnderFile(file: string, abs: string): Diagnostic {
  return diag(abs, `'${displayPath(file)}' er en fil, så mappen '${displayPath(abs)}' kan ikke oprettes under den. Intet er skrevet. Vælg en anden mappe med --out.`, "under-a-file");
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes `.udbud-tmp-<pid>-*` entries of processes that no longer run. */
export function cleanStale(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^\.udbud-tmp-(\d+)-/.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    try {
      fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    } catch {
      /* not ours to fight over */
    }
  }
}

function checkName(name: string): void {
  if (name !== path.basename(name) || name.startsWith(".") || !/^[\p{L}\p{N}._-]+$/u.test(name)) throw new Error(`ugyldigt filnavn i outputtet: ${name}`);
}

function writeFileSynced(file: string, data: Buffer | string): void {
  const fd = fs.openSync(file, "wx", 0o644);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

/**
 * One file written atomically in place (an editor's save): the data goes into a temp file beside
 * the target (fsynced), which is renamed over it; an existing file keeps its permissions, a new one
 * gets 0644. Leftovers of dead processes are removed first. On failure the old file is untouched
 * and the errno error is thrown (word it with `outputErrorDiagnostic`).
 */
export function writeFileAtomic(target: string, data: Buffer | string): void {
  const dir = path.dirname(target);
  cleanStale(dir);
  const st = lstat(target);
  const tmp = path.join(dir, `${TMP_PREFIX}${process.pid}-${randomBytes(4).toString("hex")}`);
  const fd = fs.openSync(tmp, "wx", st?.isFile() ? st.mode & 0o777 : 0o644);
  try {
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes `data` to `dir/name` atomically (writeFileAtomic); `name` must be a plain file name. */
export function writeAtomic(dir: string, name: string, data: Buffer | string): void {
  checkName(name);
  writeFileAtomic(path.join(dir, name), data);
}

/** Writes the whole set into `out`, or nothing. See the module header. */
export function writeOutputSet(out: string, files: readonly OutputFile[], opts: { protect?: readonly string[] } = {}): { errors: Diagnostic[]; outDir: string } {
  const abs = path.resolve(out);
  const problem = checkOutDir(out);
  if (problem) return { errors: [problem], outDir: abs };
  for (const f of files) checkName(f.name);
  if (new Set(files.map((f) => f.name)).size !== files.length) throw new Error("to filer i outputtet har samme navn");
  const parent = path.dirname(abs);
  const exists = !!lstat(abs);
  if (exists) {
    const protect = new Set((opts.protect ?? []).map(realOrSelf));
    for (const f of files) {
      const target = path.join(abs, f.name);
      if (protect.has(realOrSelf(target))) {
        return { errors: [diag(target, `Outputtet ville overskrive inputfilen '${displayPath(target)}'. Intet er skrevet. Vælg en anden mappe med --out.`, "overwrite-input")], outDir: abs };
      }
      const st = lstat(target);
      if (st && !st.isFile() && !st.isSymbolicLink()) return { errors: [outputErrorDiagnostic("EISDIR", target)], outDir: abs };
    }
    cleanStale(abs);
  }
  cleanStale(parent);
  const tag = `${TMP_PREFIX}${process.pid}-${randomBytes(4).toString("hex")}`;
  const created: string[] = [];
  let stage = "";
  try {
    if (!exists) {
      // Create the missing parents, remembering them so that a failure removes them again.
      let p = parent;
      const missing: string[] = [];
      while (!lstat(p) && path.dirname(p) !== p) {
        missing.unshift(p);
        p = path.dirname(p);
      }
      for (const m of missing) {
        fs.mkdirSync(m);
        created.unshift(m);
      }
      stage = path.join(parent, tag);
    } else stage = path.join(abs, tag);
    fs.mkdirSync(stage);
    for (const f of files) writeFileSynced(path.join(stage, f.name), f.data);
  } catch (e) {
    if (stage) fs.rmSync(stage, { recursive: true, force: true });
    for (const c of created) removeEmpty(c);
    return { errors: [outputErrorDiagnostic(errno(e), abs)], outDir: abs };
  }
  if (!exists) {
    try {
      fs.renameSync(stage, abs);
      return { errors: [], outDir: abs };
    } catch (e) {
      fs.rmSync(stage, { recursive: true, force: true });
      for (const c of created) removeEmpty(c);
      return { errors: [outputErrorDiagnostic(errno(e), abs)], outDir: abs };
    }
  }
  // Swap file by file, keeping the old ones aside until the whole set is in place.
  const aside = path.join(stage, ".gammel");
  const done: { name: string; hadOld: boolean }[] = [];
  try {
    fs.mkdirSync(aside);
    for (const f of files) {
      const target = path.join(abs, f.name);
      const hadOld = !!lstat(target);
      if (hadOld) fs.renameSync(target, path.join(aside, f.name));
      done.push({ name: f.name, hadOld });
      fs.renameSync(path.join(stage, f.name), target);
    }
  } catch (e) {
    for (const d of done.reverse()) {
      const target = path.join(abs, d.name);
      try {
        if (lstat(path.join(stage, d.name)) === undefined) fs.rmSync(target, { force: true });
        if (d.hadOld) fs.renameSync(path.join(aside, d.name), target);
      } catch {
        /* best effort: the old file stays in the staging folder */
      }
    }
    fs.rmSync(stage, { recursive: true, force: true });
    return { errors: [outputErrorDiagnostic(errno(e), abs)], outDir: abs };
  }
  try {
    fs.rmSync(stage, { recursive: true, force: true });
  } catch {
    /* the new set is in place; a leftover is removed by the next run */
  }
  return { errors: [], outDir: abs };
}

function removeEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    /* not empty or gone */
  }
}
