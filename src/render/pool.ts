/**
 * Documents × formats on several cores: worker threads (worker.ts) render the heavy formats
 * while the main thread builds the trees and renders the rest. Each worker owns one format
 * (PDF first, then DOCX; more workers share a format), so a writer's modules, fonts and word
 * shaping are loaded and warmed in one thread only, not in every thread. Workers are started
 * before the spec is read, so loading the writers overlaps with reading and building. Every job
 * is a pure function of its tree and format, so the files are byte-identical to a run on one
 * thread (tests/parallel.test.ts compares the hashes of every file of both examples).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { DocumentTree } from "../doc/ast.js";
import { compiledModule } from "../paths.js";
import type { Format } from "./formats.js";
import type { Job, Reply } from "./worker.js";
import { renderTree } from "./write.js";

/** Formats whose writers are heavy to load and run: worth a worker. */
const HEAVY: ReadonlySet<Format> = new Set(["docx", "pdf"]);
/** Relative cost of a format per block (for the order of the queue: largest first). */
const COST: Record<Format, number> = { pdf: 4, docx: 3, md: 1, html: 0.2 };

export interface RenderPool {
  readonly threads: number;
  /** Renders every tree in every format; the result is in tree order, formats in the given order. */
  renderAll(trees: DocumentTree[], formats: Format[]): Promise<Buffer[]>;
  close(): Promise<void>;
}

/** The default number of workers: one core is left to the main thread. */
export function defaultThreads(): number {
  return Math.max(0, Math.min(4, os.availableParallelism() - 1));
}

/**
 * Starts a pool for these formats, or returns undefined when one thread is the better choice:
 * `threads` 0 or 1 core, no heavy format, or no compiled worker (the sources run without a build).
 */
export function startPool(formats: Format[], threads = defaultThreads()): RenderPool | undefined {
  const heavy = [...new Set(formats.filter((f) => HEAVY.has(f)))].sort((a, b) => COST[b] - COST[a]);
  if (threads < 1 || heavy.length === 0) return undefined;
  const url = compiledModule("render/worker.js");
  if (!fs.existsSync(fileURLToPath(url))) return undefined;
  // Worker i renders format heavy[i % n]; with fewer workers than heavy formats, the main thread renders the rest.
  const owners = Array.from({ length: threads }, (_, i) => heavy[i % heavy.length]!);
  const workers = owners.map((format) => ({ format, worker: new Worker(url, { workerData: { formats: [format] } }) }));
  return {
    threads,
    renderAll: (trees, fmts) => run(workers, trees, fmts),
    close: async () => {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

function run(workers: { format: Format; worker: Worker }[], trees: DocumentTree[], formats: Format[]): Promise<Buffer[]> {
  const jobs: Job[] = trees.flatMap((tree, t) => formats.map((format, f) => ({ nr: t * formats.length + f, tree, format })));
  const cost = (j: Job) => COST[j.format] * (j.tree.blocks.length + 1);
  const owned = new Set(workers.map((w) => w.format));
  // One queue per worker-owned format, largest documents first; the main thread's jobs in order.
  const queues = new Map<Format, Job[]>([...owned].map((f) => [f, jobs.filter((j) => j.format === f).sort((a, b) => cost(b) - cost(a) || a.nr - b.nr)]));
  const mine = jobs.filter((j) => !owned.has(j.format));
  const out: Buffer[] = new Array(jobs.length);
  return new Promise<Buffer[]>((resolve, reject) => {
    let pending = jobs.length;
    let failed = false;
    const done = () => {
      if (--pending === 0 && !failed) resolve(out);
    };
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    if (pending === 0) return resolve(out);
    for (const { format, worker } of workers) {
      const give = () => {
        const job = queues.get(format)!.shift();
        if (job) worker.postMessage(job);
      };
      worker.on("message", (r: Reply) => {
        if ("error" in r) return fail(new Error(`render-tråd: ${r.error}`));
        out[r.nr] = Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength);
        give();
        done();
      });
      worker.on("error", fail);
      worker.on("exit", (code) => {
        if (pending > 0 && !failed) fail(new Error(`render-tråd stoppede (kode ${code})`));
      });
      give();
    }
    (async () => {
      for (const j of mine) {
        if (failed) return;
        out[j.nr] = await renderTree(j.tree, j.format);
        done();
      }
    })().catch(fail);
  });
}
