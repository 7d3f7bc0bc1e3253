/** Tagging: a thin wrapper over pdfkit's structure API. */

type PDFDoc = PDFKit.PDFDocument;
type StructEl = PDFKit.PDFStructureElement;

// ---------------------------------------------------------------- tagging

/** Thin wrapper over pdfkit's structure API: one marked-content sequence per drawn line or shape. */
export class Tags {
  readonly root: StructEl;
  /** `dry`: a layout-only pass; nothing is drawn or tagged. */
  constructor(
    private doc: PDFDoc,
    private readonly dry = false,
  ) {
    this.root = doc.struct("Document");
    doc.addStructure(this.root);
  }
  el(type: string, parent: StructEl | null, options?: PDFKit.Mixins.StructureElementOptions): StructEl {
    const e = options ? this.doc.struct(type, options) : this.doc.struct(type);
    (parent ?? this.root).add(e);
    return e;
  }
  mark(el: StructEl | null, type: string, draw: () => void): void {
    if (this.dry) return;
    if (!el) return this.artifact(draw);
    const content = this.doc.markStructureContent(type);
    draw();
    this.doc.endMarkedContent();
    el.add(content);
  }
  artifact(draw: () => void, type?: "Pagination" | "Layout"): void {
    if (this.dry) return;
    this.doc.markContent("Artifact", type ? { type } : undefined);
    draw();
    this.doc.endMarkedContent();
  }
}
