/**
 * DOCX → ComparableDoc: reads any Word document (Word, LibreOffice, pandoc, our own writer) into
 * the diff's model — clauses (a heading and the blocks under it) with the visible clause numbers.
 *
 * The package (a ZIP) is opened with jszip and the parts are parsed with saxes, a strict XML
 * parser; nothing about the structure is read with regular expressions. Every part needed is
 * inflated first — counting the bytes as they come out of the inflater, so a zip bomb is stopped
 * at the limit whatever its header claims — and only then parsed, with no DOCTYPE allowed and the
 * depth and element count capped. The input is untrusted: see `DOCX_LIMITS` and `DocxReadError`.
 *
 * Parts read: the main document (found through _rels/.rels, normally word/document.xml), its
 * styles and numbering (through the document's relationships), and docProps/core.xml for the
 * title. Headers, footers, footnotes, endnotes and comments are not read.
 *
 * Mapping (word/document.xml's body, in order):
 *
 *   text          the `w:t` of the runs (a no-break space read as a space); `w:tab`/`w:ptab` → "\t", `w:br`/`w:cr` → "\n" (page and
 *                 column breaks → nothing), `w:noBreakHyphen` → "-"; `w:sym`, `w:softHyphen`,
 *                 drawings' alternative text and field instructions (`w:instrText`) are skipped,
 *                 field results are kept
 *   revisions     read as if every tracked change were accepted: inserted and moved-to content is
 *                 kept, deleted and moved-from content (`w:del`, `w:moveFrom`) and the old
 *                 properties in `w:*PrChange` are dropped, a deleted paragraph mark joins the
 *                 paragraph to the next one, a deleted table row is dropped
 *   headings      a paragraph whose outline level (its own `w:outlineLvl`, else its style's, else
 *                 a "heading N" style name, through `w:basedOn`) is 0–8 starts a clause of level
 *                 1–9; "6.4 Bod" / "6. Bod" → ref "6.4" / "6", heading "Bod"; otherwise a numbered
 *                 heading (`w:numPr` on the paragraph or its style) gets its computed number
 *                 (numbering.xml's `w:lvlText`, `w:numFmt`, `w:start`); empty headings are skipped;
 *                 headings inside tables and text boxes are plain text
 *   clause ids    the first bookmark in (or right before) the heading paragraph whose name does not
 *                 start with "_" (Word's hidden _Toc…, _GoBack, _Ref… bookmarks)
 *   blocks        numbered paragraphs and paragraphs in "List …" styles → list-item (without the
 *                 bullet or number), other non-empty paragraphs → paragraph, each table row →
 *                 table-row (cells' paragraphs joined by "\n"; header when the row repeats as a
 *                 header row, `w:tblHeader`, or is the table's first row); a table nested in a cell
 *                 becomes lines of that cell; paragraphs of text boxes follow their anchor paragraph
 *   skipped       the table of contents: a TOC field's result, a "Table of Contents" content
 *                 control, paragraphs in TOC 1–9 / TOC Heading styles; the fallback branch of
 *                 `mc:AlternateContent` (the chosen branch is read); ruby annotations
 *   preamble      blocks before the first heading → a clause { ref: null, heading: "", level: 0 }
 *   title         docProps/core.xml dc:title, else the first Title-style paragraph, else `name`
 *                 (the Title paragraph itself stays a preamble paragraph)
 */
import { ZipReadError } from "../../read/zip.js";
import { type ComparableDoc } from "../model.js";
import { BodySink } from "./body.js";
import { DOCX_LIMITS, type DocxLimits, DocxReadError, invalid } from "./errors.js";

export { DOCX_LIMITS, DocxReadError, type DocxLimits } from "./errors.js";
import { Numbering, NumberingSink } from "./numbering.js";
import { CoreSink, relationships } from "./parts.js";
import { Styles, StylesSink } from "./styles.js";
import { Package, parseXml } from "./xml.js";
/* ------------------------------------------------------------------------------------------ */

/**
 * Reads a DOCX file into the diff model. `name` (the file name) is the document's id and the
 * fallback title. Throws DocxReadError, with a Danish message, for anything that isn't a readable
 * DOCX within `limits` (defaults: DOCX_LIMITS).
 */
export async function readDocx(data: Buffer, name: string, limits: Partial<DocxLimits> = {}): Promise<ComparableDoc> {
  try {
    return await read(data, name, { ...DOCX_LIMITS, ...limits });
  } catch (e) {
    if (e instanceof DocxReadError) throw e;
    if (e instanceof ZipReadError) throw new DocxReadError(e.message, { cause: e });
    // Whatever else a hostile or broken file provokes in the libraries is still a bad file.
    throw new DocxReadError(`Filen kunne ikke læses som DOCX (${(e as Error)?.message ?? e})`, { cause: e });
  }
}

async function read(data: Buffer, name: string, lim: DocxLimits): Promise<ComparableDoc> {
  const pkg = await Package.open(data, lim);

  const root = await relationships(pkg, "", lim);
  const main = [root.get("officeDocument"), "word/document.xml"].find((p): p is string => !!p && !!pkg.entry(p));
  if (!main) throw invalid("word/document.xml mangler");
  const rels = await relationships(pkg, main, lim);

  // Everything is inflated (and the size limits met) before any of it is parsed.
  const stylesPart = await pkg.inflate(rels.get("styles") ?? "word/styles.xml");
  const numberingPart = await pkg.inflate(rels.get("numbering") ?? "word/numbering.xml");
  const documentPart = (await pkg.inflate(main))!;
  const corePart = await pkg.inflate(root.get("core-properties") ?? "docProps/core.xml");

  const styles = new StylesSink();
  parseXml(stylesPart, styles, lim);
  const numbering = new NumberingSink();
  parseXml(numberingPart, numbering, lim);
  const body = new BodySink(new Styles(styles.styles, styles.defaultId), new Numbering(numbering, styles.styles));
  parseXml(documentPart, body, lim);
  const core = new CoreSink();
  parseXml(corePart, core, lim);

  const title = core.title.trim() || body.titleText || name;
  // Heading numbers from numbering.xml (none typed): the redline keeps Word's automatic numbering.
  const auto = body.wordNumbers > 0 && body.typedNumbers === 0;
  return { id: name, title, clauses: body.clauses, ...(auto ? { headingNumbers: "word" as const } : {}) };
}
