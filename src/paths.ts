import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as path from "node:path";

/**
 * The package root (the folder with package.json), found by walking up from this file: it is
 * dist/src/paths.js when compiled and src/paths.ts when the tests run the sources directly.
 */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
}
export const packageRoot = findRoot();
export const schemasDir = path.join(packageRoot, "schemas");
export const templatesDir = path.join(packageRoot, "templates");

/** A compiled module of ours (for worker threads), e.g. `simulate/worker.js` → dist/src/simulate/worker.js. */
export function compiledModule(rel: string): URL {
  return new URL(`file://${path.join(packageRoot, "dist", "src", rel)}`);
}
