/** word/document.xml's body → clauses and blocks (see the mapping in index.ts). */
import { type Block, type Clause } from "../model.js";
import { type NumberLabel, Numbering, TEXT_NUMBER, labelRef } from "./numbering.js";
import { type ParaStyle, Styles } from "./styles.js";
import { Element, type XmlSink } from "./xml.js";

/* ------------------------------------------------------------------------------------------ */
/* The body                                                                                    */

/** An open paragraph. */
export interface Para {
  styleId: string | null;
  numId?: string;
  ilvl?: number;
  /** The paragraph's own `w:outlineLvl`. */
  outline?: number;
  /** The paragraph mark is a tracked deletion: accepted, the paragraph joins the next one. */
  markDeleted: boolean;
  parts: string[];
  bookmarks: string[];
  /** Text of text boxes anchored in the paragraph, one entry per paragraph. */
  extra: string[];
}

/** Where finished paragraphs go: the body, a table cell, or a text box. */
export interface Container {
  kind: "body" | "cell" | "textbox";
  lines: string[];
  /** Text of paragraphs whose mark was deleted, waiting for the paragraph they join. */
  carry: string;
}

export interface Row {
  cells: string[];
  header: boolean;
  deleted: boolean;
}

export interface TableFrame {
  rows: Row[];
  row: Row | null;
}

/** Elements whose whole content is ignored. */
export const SKIP = new Set([
  "pPrChange", "rPrChange", "tblPrChange", "trPrChange", "tcPrChange", "sectPrChange", "tblGridChange", "numberingChange",
  "delText", "delInstrText", "sym", "rt", "mc:Fallback", "footnotePr", "endnotePr",
]);

export class BodySink implements XmlSink {
  readonly clauses: Clause[] = [];
  /** The first Title-style paragraph. */
  titleText: string | null = null;
  /** Numbered headings whose number came from numbering.xml, and those with a typed number. */
  wordNumbers = 0;
  typedNumbers = 0;

  private clause: Clause | null = null;
  private readonly paras: Para[] = [];
  private readonly containers: Container[] = [];
  private readonly tables: TableFrame[] = [];
  /** Bookmarks that start between paragraphs, for the next paragraph. */
  private pendingBookmarks: string[] = [];
  /** Depth of the element whose content is being skipped (0: none). */
  private skip = 0;
  /** Where character data goes: run text, a field instruction, or nowhere. */
  private collect: "text" | "instr" | null = null;
  /** Open complex fields (w:fldChar begin … separate … end). */
  private readonly fields: { instr: string; separated: boolean; toc: boolean }[] = [];
  /** Fields still in their instruction part, and TOC fields: their text is not content. */
  private inInstr = 0;
  private inToc = 0;
  /** Open content controls; true for a "Table of Contents" one. */
  private readonly sdts: boolean[] = [];

  constructor(
    private readonly styles: Styles,
    private readonly numbering: Numbering,
  ) {}

  private get para(): Para | undefined {
    return this.paras[this.paras.length - 1];
  }

  private get container(): Container | undefined {
    return this.containers[this.containers.length - 1];
  }

  private get suppressed(): boolean {
    return this.inInstr > 0 || this.inToc > 0;
  }

  private append(s: string): void {
    const p = this.para;
    if (p && !this.suppressed) p.parts.push(s);
  }

  open(path: readonly string[], el: Element): void {
    if (this.skip) return;
    const depth = path.length;
    const key = path[depth - 1];
    const parent = path[depth - 2];
    if (SKIP.has(key)) {
      this.skip = depth;
      return;
    }
    switch (key) {
      case "body":
        this.containers.push({ kind: "body", lines: [], carry: "" });
        return;
      case "p": {
        const p: Para = { styleId: null, markDeleted: false, parts: [], bookmarks: [], extra: [] };
        if (!this.paras.length && this.container?.kind === "body") {
          p.bookmarks = this.pendingBookmarks;
          this.pendingBookmarks = [];
        }
        this.paras.push(p);
        return;
      }
      case "pStyle":
        if (parent === "pPr" && path[depth - 3] === "p" && this.para) this.para.styleId = el.attr("val") ?? null;
        return;
      case "numId":
      case "ilvl":
        if (parent === "numPr" && path[depth - 3] === "pPr" && path[depth - 4] === "p" && this.para) {
          if (key === "numId") this.para.numId = el.attr("val");
          else this.para.ilvl = el.int();
        }
        return;
      case "outlineLvl":
        if (parent === "pPr" && path[depth - 3] === "p" && this.para) this.para.outline = el.int();
        return;
      case "del":
      case "moveFrom":
        // In a paragraph mark's or a row's properties a marker; elsewhere deleted content.
        if (parent === "rPr" && path[depth - 3] === "pPr") {
          if (this.para) this.para.markDeleted = true;
        } else if (parent === "trPr") {
          const t = this.tables[this.tables.length - 1];
          if (t?.row) t.row.deleted = true;
        } else if (parent !== "rPr") this.skip = depth;
        return;
      case "sdt":
        this.sdts.push(false);
        return;
      case "docPartGallery":
        if (/table of contents/i.test(el.attr("val") ?? "") && this.sdts.length) this.sdts[this.sdts.length - 1] = true;
        return;
      case "sdtContent":
        if (this.sdts[this.sdts.length - 1]) this.skip = depth;
        return;
      case "fldSimple":
        if (/^\s*TOC\b/i.test(el.attr("instr") ?? "")) this.skip = depth;
        return;
      case "fldChar":
        this.fieldChar(el.attr("fldCharType"));
        return;
      case "t":
      case "m:t":
        this.collect = "text";
        return;
      case "instrText":
        this.collect = "instr";
        return;
      case "tab":
      case "ptab":
        if (parent === "r") this.append("\t");
        return;
      case "br": {
        const type = el.attr("type");
        if (parent === "r" && type !== "page" && type !== "column") this.append("\n");
        return;
      }
      case "cr":
        if (parent === "r") this.append("\n");
        return;
      case "noBreakHyphen":
        if (parent === "r") this.append("-");
        return;
      case "bookmarkStart": {
        const name = el.attr("name");
        if (!name || name.startsWith("_")) return; // _Toc…, _GoBack, _Ref…: Word's hidden bookmarks
        if (this.para) this.para.bookmarks.push(name);
        else if (this.container?.kind === "body" && !this.tables.length) this.pendingBookmarks.push(name);
        return;
      }
      case "tbl":
        if (!this.paras.length && this.container?.kind === "body") this.pendingBookmarks = [];
        this.tables.push({ rows: [], row: null });
        return;
      case "tr": {
        const t = this.tables[this.tables.length - 1];
        if (t) t.row = { cells: [], header: false, deleted: false };
        return;
      }
      case "tblHeader": {
        const t = this.tables[this.tables.length - 1];
        if (parent === "trPr" && t?.row) t.row.header = el.onOff();
        return;
      }
      case "tc":
        this.containers.push({ kind: "cell", lines: [], carry: "" });
        return;
      case "txbxContent":
        this.containers.push({ kind: "textbox", lines: [], carry: "" });
        return;
    }
  }

  close(path: readonly string[]): void {
    const depth = path.length;
    if (this.skip) {
      if (depth === this.skip) this.skip = 0;
      return;
    }
    switch (path[depth - 1]) {
      case "t":
      case "m:t":
      case "instrText":
        this.collect = null;
        return;
      case "p":
        this.endParagraph();
        return;
      case "tc": {
        const c = this.popContainer();
        const t = this.tables[this.tables.length - 1];
        if (c && t?.row) t.row.cells.push(c.lines.join("\n"));
        return;
      }
      case "tr": {
        const t = this.tables[this.tables.length - 1];
        if (t?.row && !t.row.deleted) t.rows.push(t.row);
        if (t) t.row = null;
        return;
      }
      case "tbl": {
        const t = this.tables.pop();
        if (t) this.endTable(t);
        return;
      }
      case "txbxContent": {
        const c = this.popContainer();
        if (!c) return;
        const host = this.para;
        for (const line of c.lines) {
          if (host) host.extra.push(line);
          else this.addLine(line);
        }
        return;
      }
      case "sdt":
        this.sdts.pop();
        return;
      case "body":
        this.popContainer();
        return;
    }
  }

  text(t: string): void {
    if (this.skip || !this.collect) return;
    // A non-breaking space (our writers keep "pkt. 5.3" and "3.200 kr." together) compares as a space.
    if (this.collect === "text") this.append(t.replace(/\u00a0/g, " "));
    else {
      const f = this.fields[this.fields.length - 1];
      if (f && !f.separated) f.instr += t;
    }
  }

  /** Complex fields: the instruction is skipped; the result is kept, except a TOC's. */
  private fieldChar(type: string | undefined): void {
    if (type === "begin") {
      this.fields.push({ instr: "", separated: false, toc: false });
      this.inInstr++;
    } else if (type === "separate") {
      const f = this.fields[this.fields.length - 1];
      if (!f || f.separated) return;
      f.separated = true;
      this.inInstr--;
      if (/^\s*TOC\b/i.test(f.instr)) {
        f.toc = true;
        this.inToc++;
      }
    } else if (type === "end") {
      const f = this.fields.pop();
      if (!f) return;
      if (!f.separated) this.inInstr--;
      if (f.toc) this.inToc--;
    }
  }

  /** Ends a container; text still waiting for a joined paragraph becomes a line of its own. */
  private popContainer(): Container | undefined {
    const c = this.containers.pop();
    if (c?.carry.trim()) {
      if (c.kind === "body") this.emitBody({ styleId: null, markDeleted: false, parts: [], bookmarks: [], extra: [] }, c.carry.trim(), null);
      else c.lines.push(c.carry.trim());
    }
    return c;
  }

  private endParagraph(): void {
    const p = this.paras.pop();
    const c = this.container;
    if (!p || !c) return;
    const style = this.styles.get(p.styleId);

    // Numbering advances for every numbered paragraph that survives, wherever it stands.
    const numId = p.numId ?? style.numId;
    let number: NumberLabel | null = null;
    if (!p.markDeleted && numId !== undefined && numId !== "0") {
      number = this.numbering.next(numId, p.ilvl ?? (p.numId === undefined ? style.ilvl : undefined), p.numId === undefined ? style.id : null);
    }

    const text = c.carry + p.parts.join("");
    c.carry = "";
    if (p.markDeleted) {
      c.carry = text;
    } else if (!style.toc) {
      if (c.kind === "body") this.emitBody(p, text.trim(), number, style);
      else if (text.trim()) c.lines.push(text.trim());
    }
    for (const line of p.extra) this.addLine(line);
  }

  /** A line of text from a text box or nested table into the current container. */
  private addLine(line: string): void {
    const c = this.container;
    if (!c || !line.trim()) return;
    if (c.kind === "body") this.block({ kind: "paragraph", text: line.trim() });
    else c.lines.push(line.trim());
  }

  private emitBody(p: Para, text: string, number: NumberLabel | null, style: ParaStyle = this.styles.get(null)): void {
    if (!text) return;
    const outline = p.outline;
    const level = outline !== undefined ? (outline >= 0 && outline <= 8 && !style.title ? outline + 1 : null) : style.heading;
    if (level !== null) {
      const m = TEXT_NUMBER.exec(text);
      const ref = m ? m[1] : labelRef(number?.label ?? null);
      if (m) this.typedNumbers++;
      else if (ref !== null) this.wordNumbers++;
      const heading = m ? text.slice(m[0].length).trim() : text;
      const label = m ? m[0].trim() : "";
      const id = p.bookmarks[0];
      this.clause = { ...(id ? { id } : {}), ref, ...(m && label !== ref ? { label } : {}), heading, level, blocks: [] };
      this.clauses.push(this.clause);
      return;
    }
    if (style.title && this.titleText === null) this.titleText = text;
    if (!number && !style.list) return this.block({ kind: "paragraph", text });
    const n = number as (NumberLabel & { ilvl?: number }) | null;
    this.block({ kind: "list-item", text, ...(n?.label ? { marker: n.label } : {}), ...(n?.ilvl ? { level: n.ilvl } : {}) });
  }

  private endTable(t: TableFrame): void {
    const c = this.container;
    if (!c) return;
    t.rows.forEach((row, i) => {
      if (c.kind === "body") {
        this.block({ kind: "table-row", text: row.cells.join(" | "), cells: row.cells, ...(row.header || i === 0 ? { header: true } : {}) });
      } else {
        const line = row.cells.join(" | ");
        if (line.replace(/[\s|]/g, "")) c.lines.push(line);
      }
    });
  }

  private block(b: Block): void {
    if (!this.clause) {
      this.clause = { ref: null, heading: "", level: 0, blocks: [] };
      this.clauses.push(this.clause);
    }
    this.clause.blocks.push(b);
  }
}
