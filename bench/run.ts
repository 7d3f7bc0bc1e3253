/** `npm run bench`: runs every benchmark and prints a table. Figures are recorded in docs/benchmarks.md. */
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { benchDiff } from "./diff.js";
import { benchRender } from "./render.js";
import { benchSimulate } from "./simulate.js";
import { benchNotice } from "./notice.js";
import { benchStudio } from "./studio.js";
import { benchValidate, type BenchResult } from "./validate.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const only = process.argv[2];

const results: BenchResult[] = [];
if (!only || only === "validate") results.push(benchValidate(path.join(root, "specs", "kk-2020-udsatte-sygemeldte")));
if (!only || only === "render") results.push(...(await benchRender(root)));
if (!only || only === "diff") results.push(...(await benchDiff(root)));
if (!only || only === "simulate") results.push(...(await benchSimulate(root)));
if (!only || only === "notice") results.push(...(await benchNotice(root)));
if (!only || only === "studio") results.push(...(await benchStudio(root)));

console.log(`Maskine: ${os.cpus()[0]?.model ?? "ukendt"} (${os.cpus().length} kerner), Node ${process.version}, ${os.platform()} ${os.arch()}`);
for (const r of results) {
  console.log(`${r.name}: første kørsel ${r.coldMs.toFixed(0)} ms, median ${r.medianMs.toFixed(0)} ms over ${r.runs} kørsler — ${r.detail}`);
}
