/** Types for svg-to-pdfkit (https://github.com/alafr/SVG-to-PDFKit), which ships none: the parts we use. */
declare module "svg-to-pdfkit" {
  export interface SVGtoPDFFontOptions {
    fauxBold?: boolean;
    fauxItalic?: boolean;
  }

  export interface SVGtoPDFOptions {
    /** Viewport width, in PDF points (default: the page width). */
    width?: number;
    /** Viewport height, in PDF points (default: the page height). */
    height?: number;
    /** Overrides the outer SVG's own preserveAspectRatio and makes it fill the viewport. */
    preserveAspectRatio?: string;
    /** Whether SVG user units are points; if false (the default), 1 px = 0.75 pt. */
    assumePt?: boolean;
    /** Curve precision (default 3). */
    precision?: number;
    useCSS?: boolean;
    /** The name of a font registered with the document (or a standard font) for an SVG font. */
    fontCallback?: (family: string, bold: boolean, italic: boolean, fontOptions: SVGtoPDFFontOptions) => string;
    /** What pdfkit's openImage gets for an image's href. */
    imageCallback?: (link: string) => string | Buffer;
    /** An SVG document for a reference to another file (none by default). */
    documentCallback?: (file: string) => unknown;
    colorCallback?: (color: [[number, number, number], number]) => [[number, number, number], number];
    warningCallback?: (message: string) => void;
  }

  export default function SVGtoPDF(doc: PDFKit.PDFDocument, svg: string, x?: number, y?: number, options?: SVGtoPDFOptions): void;
}
