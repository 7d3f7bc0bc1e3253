/**
 * The spec folder the studio works on. The editor edits a file's text, never a re-serialised
 * model: saving writes exactly the text (atomically, in the same folder) and only when the file
 * on disk is still the version the editor started from; otherwise the caller gets the disk text
 * and decides. Unsaved buffers are analysed in a private mirror folder (a temporary copy of the
 * spec's YAML files with the buffers laid over), so validation, preview, simulation, evaluation
 * and comparison run the same library functions as the CLI, and diagnostics name the user's files.
 */
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeFileAtomic } from "../write/output.js";
import { PathError, resolveInside } from "./security.js";

export type FileKind = "udbud" | "delkontrakt" | "scenarie" | "bud" | "andet";

export interface FileInfo {
  name: string;
  kind: FileKind;
  version: string;
}

/** Buffers the page has not saved: file name → text. */
export type Buffers = Record<string, string>;

/** Largest YAML file the studio opens (the reader's own limit). */
const MAX_FILE = 5 * 1024 * 1024;
const MAX_FILES = 200;

export function versionOf(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function kindOf(name: string, text: string): FileKind {
  if (name === "udbud.yaml") return "udbud";
  const first = text.split("\n", 1)[0];
  if (/scenarie\.schema\.json/.test(first) || /^scenarie/.test(name)) return "scenarie";
  if (/delkontrakt\.schema\.json/.test(first)) return "delkontrakt";
  if (/^bud:/m.test(text) || /^bud/.test(name)) return "bud";
  return "andet";
}

/** Why a save failed, in Danish (the file on disk is untouched). */
function saveError(name: string, code: string | undefined): string {
  const why =
    code === "EACCES" || code === "EPERM" ? "der er ikke skriveadgang til udbuddets mappe"
    : code === "EROFS" ? "mappen ligger på et skrivebeskyttet drev"
    : code === "ENOSPC" || code === "EDQUOT" ? "der er ikke plads nok på disken"
    : code === "EISDIR" ? `der ligger en mappe ved navn ${name}`
    : `fejlkode ${code ?? "ukendt"}`;
  return `${name} kunne ikke gemmes, fordi ${why}. Filen på disken er uændret.`;
}

export class Workspace extends EventEmitter {
  readonly root: string;
  private mirrorDir: string;
  private mirrored_ = new Map<string, string>();
  private watcher?: fs.FSWatcher;
  private known = new Map<string, string>();

  constructor(root: string) {
    super();
    this.root = fs.realpathSync(root);
    this.mirrorDir = fs.mkdtempSync(path.join(os.tmpdir(), "udbud-studio-"));
  }

  /** The names of the folder's YAML files (not hidden ones, not in subfolders), at most MAX_FILES. */
  private names(): string[] {
    const out: string[] = [];
    for (const e of fs.readdirSync(this.root, { withFileTypes: true })) {
      if (!e.isFile() || e.name.startsWith(".") || !/\.ya?ml$/i.test(e.name)) continue;
      if (out.length >= MAX_FILES) break;
      out.push(e.name);
    }
    return out;
  }

  /** The YAML files of the folder (not hidden ones, not in subfolders). */
  list(): FileInfo[] {
    const out: FileInfo[] = [];
    for (const name of this.names()) {
      const text = this.readText(name);
      out.push({ name, kind: kindOf(name, text), version: versionOf(text) });
    }
    return out.sort((a, b) => (a.kind === "udbud" ? -1 : b.kind === "udbud" ? 1 : a.name.localeCompare(b.name, "da")));
  }

  private readText(name: string): string {
    const abs = resolveInside(this.root, name);
    const st = fs.statSync(abs);
    if (st.size > MAX_FILE) throw new PathError(`${name} er større end 5 MiB.`);
    return fs.readFileSync(abs, "utf8");
  }

  read(name: string): { text: string; version: string } {
    const text = this.readText(name);
    return { text, version: versionOf(text) };
  }

  /**
   * Saves `text` as `name` when the disk still holds `baseVersion` (or the file is new and
   * baseVersion is null, or `force`). Returns the new version, or the disk's text on conflict.
   */
  save(name: string, text: string, baseVersion: string | null, force = false): { version: string } | { conflict: true; diskText: string; diskVersion: string } {
    if (!/\.ya?ml$/i.test(name) || name.includes("/") || name.startsWith(".")) throw new PathError(`Studiet gemmer kun YAML-filer direkte i udbuddets mappe, ikke ${JSON.stringify(name.slice(0, 80))}.`);
    if (Buffer.byteLength(text) > MAX_FILE) throw new PathError(`${name} ville blive større end 5 MiB.`);
    const abs = resolveInside(this.root, name, true);
    const exists = fs.existsSync(abs);
    if (exists && !force) {
      const disk = fs.readFileSync(abs, "utf8");
      const dv = versionOf(disk);
      if (dv !== baseVersion) return { conflict: true, diskText: disk, diskVersion: dv };
    }
    try {
      writeFileAtomic(abs, text);
    } catch (e) {
      throw new PathError(saveError(name, (e as NodeJS.ErrnoException).code));
    }
    const version = versionOf(text);
    this.known.set(name, version);
    return { version };
  }

  /** The mirror folder with `buffers` laid over the files on disk; returns its path. */
  mirror(buffers: Buffers = {}): string {
    const names = new Set(this.names());
    for (const n of Object.keys(buffers)) {
      if (!/^[^/\\]+\.ya?ml$/i.test(n) || n.startsWith(".")) throw new PathError(`Ugyldigt filnavn: ${JSON.stringify(n.slice(0, 80))}.`);
      names.add(n);
    }
    for (const n of names) {
      const text = buffers[n] ?? this.readText(n);
      if (this.mirrored_.get(n) === text) continue;
      fs.writeFileSync(path.join(this.mirrorDir, n), text);
      this.mirrored_.set(n, text);
    }
    for (const n of [...this.mirrored_.keys()]) {
      if (!names.has(n)) {
        fs.rmSync(path.join(this.mirrorDir, n), { force: true });
        this.mirrored_.delete(n);
      }
    }
    return this.mirrorDir;
  }

  /** The text of a file in the mirror as last laid out by `mirror()`. */
  mirrored(name: string): string | undefined {
    return this.mirrored_.get(name);
  }

  /** The names of the files in the mirror as last laid out by `mirror()`. */
  mirrorNames(): string[] {
    return [...this.mirrored_.keys()];
  }

  /** A path or message from the mirror, told with the user's own file names. */
  unmirror(s: string): string {
    const rel = path.relative(process.cwd(), this.mirrorDir);
    return s.split(this.mirrorDir + path.sep).join("").split(rel + path.sep).join("");
  }

  /** Watches the folder; emits `changed` with { name, version } when a file changes on disk. */
  watch(): void {
    for (const f of this.list()) this.known.set(f.name, f.version);
    let timer: NodeJS.Timeout | undefined;
    this.watcher = fs.watch(this.root, () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.rescan(), 80);
    });
  }

  private rescan(): void {
    let files: FileInfo[];
    try {
      files = this.list();
    } catch {
      return;
    }
    const seen = new Set<string>();
    for (const f of files) {
      seen.add(f.name);
      if (this.known.get(f.name) !== f.version) {
        this.known.set(f.name, f.version);
        this.emit("changed", { name: f.name, version: f.version });
      }
    }
    for (const n of [...this.known.keys()]) if (!seen.has(n)) {
      this.known.delete(n);
      this.emit("changed", { name: n, version: null });
    }
  }

  close(): void {
    this.watcher?.close();
    fs.rmSync(this.mirrorDir, { recursive: true, force: true });
  }
}
