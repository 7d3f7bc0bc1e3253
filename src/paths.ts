import { fileURLToPath } from "node:url";
import * as path from "node:path";

/** The package root (the folder with package.json), found from this compiled file in dist/src/. */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const schemasDir = path.join(packageRoot, "schemas");
export const templatesDir = path.join(packageRoot, "templates");
