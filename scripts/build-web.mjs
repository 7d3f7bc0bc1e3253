// Bundles the studio's browser client (web/) into dist/web with esbuild: every script and style
// comes from npm at build time; the page loads nothing from outside at run time.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "web");
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, "web", "main.ts")],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  outfile: join(out, "studio.js"),
  legalComments: "linked",
  logLevel: "warning",
});
copyFileSync(join(root, "web", "index.html"), join(out, "index.html"));
copyFileSync(join(root, "web", "studio.css"), join(out, "studio.css"));
