/**
 * Worker thread for `udbud render` (pool.ts): renders document trees in the formats asked for.
 * It imports the writers for its formats as soon as it starts, so that loading them overlaps
 * with the main thread reading the spec and building the trees.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { DocumentTree } from "../doc/ast.js";
import type { DocFormat as Format } from "./formats.js";
import { preloadWriters, renderTree } from "./write.js";

/** One file to render; `name` is `<id>.<format>`. */
export interface WorkerJob { name: string; tree: DocumentTree; format: Format }
export type Reply = { name: string; data: Uint8Array } | { name: string; error: string };

const ready = preloadWriters((workerData as { formats: Format[] } | undefined)?.formats ?? []);

async function run(job: WorkerJob): Promise<void> {
  try {
    const data = await renderTree(job.tree, job.format);
    const u8 = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    // Copy out of a pooled Buffer before transferring (its ArrayBuffer may be shared).
    const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? u8 : u8.slice();
    parentPort!.postMessage({ name: job.name, data: own } satisfies Reply, [own.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ name: job.name, error: (e as Error)?.stack ?? String(e) } satisfies Reply);
  }
}

// The pool sends a job ahead (pool.ts): jobs run one after the other, never interleaved.
let queue: Promise<unknown> = ready.catch(() => undefined);
parentPort?.on("message", (job: WorkerJob) => {
  queue = queue.then(() => run(job));
});
