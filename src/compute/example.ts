/**
 * Example values in the view: a leaf marked `# illustrativ` becomes an `Example`. Helpers unwrap it
 * (and mark their result); printed directly it is marked (`==…==`, one mark per paragraph), which
 * the document parser turns into an example mark. No valueOf: string concatenation (how Handlebars
 * prints) must reach toString; code that computes with view values unwraps them first.
 */
export class Example {
  constructor(readonly value: string | number | boolean) {}
  toString(): string {
    return markText(String(this.value));
  }
}

/** Marks a (possibly multi-paragraph) Markdown text: each paragraph becomes `==…==`. */
export function markText(s: string): string {
  return s
    .split(/\n[ \t]*\n/)
    .map((p) => (p.trim() ? `==${p.trim()}==` : p))
    .join("\n\n");
}

export function unwrap<T>(v: T | Example): T | string | number | boolean {
  return v instanceof Example ? v.value : v;
}

/** Replaces the leaves at `pointers` (JSON pointers into `data`) by `Example`s, in place. Falsy values stay as they are. */
export function markPointers(data: unknown, pointers: readonly string[]): void {
  for (const ptr of pointers) {
    const parts = ptr.slice(1).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = parts.pop();
    if (last === undefined) continue;
    const parent = parts.reduce<any>((o, k) => (o == null ? undefined : o[k]), data);
    if (parent == null || typeof parent !== "object") continue;
    const v = parent[last];
    if ((typeof v === "string" || typeof v === "number" || typeof v === "boolean") && v) parent[last] = new Example(v);
  }
}

/** A helper that sees plain values and marks its text result when any argument was an example. */
export function exampleAware<F extends (...args: any[]) => unknown>(fn: F): F {
  return ((...args: unknown[]) => {
    let marked = false;
    const plain = (x: unknown): unknown => {
      if (x instanceof Example) {
        marked = true;
        return x.value;
      }
      return x;
    };
    const a = args.map((x, i) => {
      if (i === args.length - 1) return x; // Handlebars' options object
      if (x && typeof x === "object" && !Array.isArray(x) && !(x instanceof Example) && Object.getPrototypeOf(x) === Object.prototype) {
        const o = x as Record<string, unknown>;
        return Object.values(o).some((v) => v instanceof Example) ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)])) : x;
      }
      return plain(x);
    });
    const r = fn(...a);
    return marked && typeof r === "string" && r !== "" ? markText(r) : r;
  }) as F;
}
