// Bundles the studio's browser client (web/) into dist/web with esbuild: every script and style
// comes from npm at build time; the page loads nothing from outside at run time.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "web");

// codemirror-json-schema 0.8.1 compiles the whole JSON Schema (`new Draft07(schema)`) twice for
// every completion query, and re-expands the schema every time (it never sets `originalSchema`,
// the check meant to do that only when the schema changed); completion runs on every keystroke, so
// with udbud's schema that blocked the page for 150-300 ms per key. Here the expanded schemas are
// kept until the editor's schema is replaced, and the compiled draft is kept per schema object.
// Fails the build if the library's code no longer has these lines (an upgrade must look again).
const draftMemo = {
  name: "memo-draft07",
  setup(b) {
    b.onLoad({ filter: /codemirror-json-schema[\\/]dist[\\/]features[\\/]completion\.js$/ }, (args) => {
      const src = readFileSync(args.path, "utf8");
      const n = src.split("new Draft07(").length - 1;
      if (n < 2) throw new Error(`build-web: expected 'new Draft07(' in ${args.path}, found ${n}`);
      const memo = `\nconst __udbudDrafts = new WeakMap();\nfunction __udbudDraft07(schema) {\n  if (typeof schema !== "object" || schema === null) return new Draft07(schema);\n  let d = __udbudDrafts.get(schema);\n  if (!d) { d = new Draft07(schema); __udbudDrafts.set(schema, d); }\n  return d;\n}\n`;
      const lax = "this.laxSchema = makeSchemaLax(this.schema);";
      if (!src.includes(lax)) throw new Error(`build-web: expected '${lax}' in ${args.path}`);
      return { contents: src.replace(lax, `${lax} this.originalSchema = schemaFromState;`).replaceAll("new Draft07(", "__udbudDraft07(") + memo, loader: "js", resolveDir: dirname(args.path) };
    });
  },
};
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, "web", "main.ts")],
  bundle: true,
  minify: !process.env.UDBUD_WEB_NOMINIFY,
  format: "esm",
  target: "es2022",
  outfile: join(out, "studio.js"),
  legalComments: "linked",
  logLevel: "warning",
  plugins: [draftMemo],
});
copyFileSync(join(root, "web", "index.html"), join(out, "index.html"));
copyFileSync(join(root, "web", "studio.css"), join(out, "studio.css"));
