/** Limits that keep untrusted input from exhausting memory or time. */
export const LIMITS = {
  /** Largest single YAML file, in bytes. */
  maxFileBytes: 5 * 1024 * 1024,
  /** Most files one spec may consist of (entry plus includes). */
  maxFiles: 200,
  /** Deepest chain of includes. */
  maxIncludeDepth: 8,
  /** Most values (scalars, mappings, sequences) in the resolved spec, counting alias expansions. */
  maxNodes: 2_000_000,
  /** Most values produced by expanding *aliases (an alias bomb stops here, within a second). */
  maxAliasNodes: 100_000,
  /** Deepest nesting of mappings and sequences. */
  maxNesting: 64,
} as const;
