/**
 * Documents × formats on several cores: worker threads (worker.ts) render the heavy formats
 * while the main thread builds the trees and renders the rest. Each worker has a first format
 * (DOCX first, whose page layout is most of a package's time, then PDF; more workers share a
 * format) and takes the other workers' formats' jobs when its own queue is empty. With one
 * worker (two cores) the worker renders DOCX and the main thread PDF, HTML and Markdown: about
 * the same work, and each writer is warmed in one thread only. The main thread, once its own
 * jobs are done, also takes DOCX jobs still waiting (loading the DOCX writer is cheap), but never
 * PDF jobs (warming the PDF writer's word shaping a second time costs more than it saves). Jobs
 * are taken largest document first (build order: the contract comes first). A worker is given
 * two jobs at a time, so it has the next one while the main thread is busy with a job of its own
 * and cannot hand out work. Each tree is handed to the workers as soon as it is built. Workers
 * are started before the spec is read, so loading the writers overlaps with reading and
 * building. Every job is a pure function of its tree and format, so the files are byte-identical
 * to a run on one thread (tests/parallel.test.ts compares the hashes of every file of both
 * examples).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { DocumentTree } from "../doc/ast.js";
import { compiledModule } from "../paths.js";
import type { DocFormat as Format } from "./formats.js";
import type { Reply, WorkerJob } from "./worker.js";
import { renderTree } from "./write.js";

/** Formats whose writers are heavy to load and run: worth a worker. */
const HEAVY: ReadonlySet<Format> = new Set(["docx", "pdf"]);
/** Relative cost of a format (which heavy format gets the first worker). */
const COST: Record<Format, number> = { docx: 5, pdf: 3, md: 1, html: 0.2 };

export interface RenderPool {
  readonly threads: number;
  /**
   * A batch of documents to render in these formats: `add` each tree as soon as it is built (its
   * heavy formats start on a worker at once), then `finish` renders the main thread's share and
   * resolves to every file's bytes by name (`<id>.<format>`).
   */
  batch(formats: Format[]): RenderBatch;
  close(): Promise<void>;
}

export interface RenderBatch {
  add(tree: DocumentTree): void;
  finish(): Promise<Map<string, Buffer>>;
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
  // Worker i renders format heavy[i % n] first, then the other workers' formats; with fewer
  // workers than heavy formats, the main thread renders the rest.
  const owners = Array.from({ length: threads }, (_, i) => heavy[i % heavy.length]!);
  const workers = owners.map((format) => {
    const order = [format, ...heavy.filter((f) => f !== format && owners.includes(f))];
    return { format, order, worker: new Worker(url, { workerData: { formats: order } }) };
  });
  return {
    threads,
    batch: (fmts) => batch(workers, fmts),
    close: async () => {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

interface Job { name: string; tree: DocumentTree; format: Format }
interface PoolWorker { format: Format; order: Format[]; worker: Worker }

/** Formats the main thread also takes from the workers' queues. */
const MAIN_TAKES: ReadonlySet<Format> = new Set(["docx"]);
/** Jobs a worker holds at once (the one it renders and the next). */
const DEPTH = 2;

function batch(workers: PoolWorker[], formats: Format[]): RenderBatch {
  const owned = new Set(workers.flatMap((w) => w.order));
  // One queue per heavy format (in build order: the contract, the largest, comes first).
  const queues = new Map<Format, Job[]>([...owned].map((f) => [f, []]));
  const mine: Job[] = [];
  const out = new Map<string, Buffer>();
  const load = new Map<PoolWorker, number>(workers.map((w) => [w, 0]));
  let expected = 0;
  let finished = false;
  let failure: Error | undefined;
  let settle: { resolve: (m: Map<string, Buffer>) => void; reject: (e: Error) => void } | undefined;
  const check = () => {
    if (!settle) return;
    if (failure) settle.reject(failure);
    else if (finished && out.size === expected) settle.resolve(out);
  };
  const fail = (e: unknown) => {
    failure ??= e instanceof Error ? e : new Error(String(e));
    check();
  };
  const next = (order: Format[]): Job | undefined => {
    for (const f of order) {
      const job = queues.get(f)?.shift();
      if (job) return job;
    }
    return undefined;
  };
  const kick = () => {
    for (const w of workers) {
      while (load.get(w)! < DEPTH) {
        const job = next(w.order);
        if (!job) break;
        load.set(w, load.get(w)! + 1);
        w.worker.postMessage({ name: job.name, tree: job.tree, format: job.format } satisfies WorkerJob);
      }
    }
  };
  const listeners = workers.map((w) => {
    const onMessage = (r: Reply) => {
      if ("error" in r) return fail(new Error(`render-tråd: ${r.error}`));
      out.set(r.name, Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength));
      load.set(w, load.get(w)! - 1);
      kick();
      check();
    };
    const onExit = (code: number) => {
      if (!(finished && out.size === expected)) fail(new Error(`render-tråd stoppede (kode ${code})`));
    };
    w.worker.on("message", onMessage);
    w.worker.on("error", fail);
    w.worker.on("exit", onExit);
    return { w, onMessage, onExit };
  });
  const detach = () => {
    for (const { w, onMessage, onExit } of listeners) {
      w.worker.off("message", onMessage);
      w.worker.off("error", fail);
      w.worker.off("exit", onExit);
    }
  };
  const mainOrder = [...owned].filter((f) => MAIN_TAKES.has(f));
  return {
    add(tree) {
      for (const format of formats) {
        const job = { name: `${tree.id}.${format}`, tree, format };
        expected++;
        (queues.get(format) ?? mine).push(job);
      }
      kick();
    },
    async finish() {
      const done = new Promise<Map<string, Buffer>>((resolve, reject) => (settle = { resolve, reject }));
      try {
        for (const j of mine) {
          if (failure) break;
          out.set(j.name, await renderTree(j.tree, j.format));
        }
        // Then help with the workers' queues (DOCX only), largest document first.
        for (let j = next(mainOrder); j && !failure; j = next(mainOrder)) out.set(j.name, await renderTree(j.tree, j.format));
      } catch (e) {
        fail(e);
      }
      finished = true;
      check();
      try {
        return await done;
      } finally {
        detach();
      }
    },
  };
}
