/**
 * Text from input files on the terminal: control characters (C0, DEL, C1), bidirectional
 * overrides and isolates, line and paragraph separators and zero-width characters are shown as
 * `\uXXXX`, so a spec cannot move the cursor, recolour the terminal or reorder what the user
 * reads (a right-to-left override can make "fil.exe" look like "exe.lif").
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g;

export function visible(s: string): string {
  return s.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}
