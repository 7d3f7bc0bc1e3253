/** The PDF writer (src/write/pdf/): re-exported here for the modules that import it by this name. */
export * from "./pdf/index.js";
