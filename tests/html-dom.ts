/** Small helpers for reading HTML parsed by parse5 in tests. */
import { type DefaultTreeAdapterTypes as T } from "parse5";

export type El = T.Element;

export function isElement(n: T.Node): n is El {
  return "tagName" in n;
}

export function children(n: T.Node): T.ChildNode[] {
  if (isElement(n) && n.tagName === "template") return (n as T.Template).content.childNodes;
  return "childNodes" in n ? n.childNodes : [];
}

/** All elements below `root` in document order, optionally by tag name. */
export function all(root: T.Node, tag?: string): El[] {
  const out: El[] = [];
  const walk = (n: T.Node) => {
    for (const c of children(n)) {
      if (isElement(c)) {
        if (!tag || c.tagName === tag) out.push(c);
        walk(c);
      }
    }
  };
  walk(root);
  return out;
}

export function attr(el: El, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

/** textContent, with <br> as "\n". */
export function text(n: T.Node): string {
  if (n.nodeName === "#text") return (n as T.TextNode).value;
  if (isElement(n) && n.tagName === "br") return "\n";
  return children(n).map(text).join("");
}
