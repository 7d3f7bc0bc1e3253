/**
 * Danish-aware tokenizer for word diffs: words keep æ, ø, å and inner punctuation ("1.234,56",
 * "e-mail", "pkt."-style abbreviations split as word + "."), whitespace runs are tokens of their
 * own, everything else is one character.
 */
const TOKEN = /[\p{L}\p{N}]+(?:[.,'’\-/][\p{L}\p{N}]+)*|\s+|[^\s\p{L}\p{N}]/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function isWord(token: string): boolean {
  return /[\p{L}\p{N}]/u.test(token);
}

export interface CompareOptions {
  /** Ignore differences in letter case. */
  ignoreCase: boolean;
  /** Treat all whitespace as equal and ignore reflow (default). */
  ignoreWhitespace: boolean;
}

export const DEFAULT_COMPARE: CompareOptions = { ignoreCase: false, ignoreWhitespace: true };

/** The text as compared: whitespace collapsed (unless significant), case folded if asked. */
export function normalise(text: string, o: CompareOptions): string {
  let t = o.ignoreWhitespace ? text.replace(/\s+/g, " ").trim() : text;
  if (o.ignoreCase) t = t.toLocaleLowerCase("da");
  return t;
}
