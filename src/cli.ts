/** The CLI entry (kept for `bin/udbud.js` and the library): see src/cli/index.ts. */
export * from "./cli/index.js";
