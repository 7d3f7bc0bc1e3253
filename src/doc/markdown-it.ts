/**
 * markdown-it, loaded from its one-file CommonJS build (the package's own `require` entry: the same
 * version and code as its ES modules). Node loads it in about half the time of the ~50-file ES
 * module graph, which every command that builds documents (and `validate`, for clause ids) pays.
 */
import { createRequire } from "node:module";
import type MarkdownItClass from "markdown-it";

export type MarkdownIt = MarkdownItClass;
export const MarkdownIt = createRequire(import.meta.url)("markdown-it") as typeof MarkdownItClass;
