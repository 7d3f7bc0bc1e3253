/**
 * The redline package's fixed parts: styles (Normal, Title, Heading 1–6 — in Word's heading list
 * when the headings are Word-numbered, see redline-headings.ts — List Bullet/Number, Table Grid,
 * comment styles; Calibri 11 pt, da-DK everywhere), settings (<w:trackRevisions/>: further edits are
 * tracked too), core properties, content types and relationships, and the XML text helpers.
 */
import type { RedlineOptions } from "./redline-docx.js";
import { type DocHeadings, HEADING_INDENT, styleNumPr } from "./redline-headings.js";

export const FONT = "Calibri";
export const LIST_NUM_ID = 1;

export const NS_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
export const NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
export const NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
export const REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
export const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Drops what XML 1.0 cannot carry; normalises line ends to "\n". */
export function clean(s: string): string {
  return s
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
}

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export const LANG = '<w:lang w:val="da-DK" w:eastAsia="da-DK" w:bidi="ar-SA"/>';

export function stylesXml(plan: DocHeadings[]): string {
  // With Word-numbered headings, each Heading style is in the heading list (as in our DOCX).
  const numbered = plan.some((h) => h.word);
  const heading = (n: number, size: number, before: number) =>
    `<w:style w:type="paragraph" w:styleId="Heading${n}"><w:name w:val="heading ${n}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>` +
    `<w:pPr><w:keepNext/><w:keepLines/>${styleNumPr(plan, n)}<w:spacing w:before="${before}" w:after="120"/>${numbered ? `<w:ind w:left="${HEADING_INDENT}" w:hanging="${HEADING_INDENT}"/>` : ""}<w:outlineLvl w:val="${n - 1}"/></w:pPr>` +
    `<w:rPr><w:b/><w:bCs/><w:color w:val="1F3864"/><w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr></w:style>`;
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>`;
  return (
    `${XML_DECL}<w:styles xmlns:w="${NS_W}">` +
    `<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="${FONT}" w:eastAsia="${FONT}" w:hAnsi="${FONT}" w:cs="${FONT}"/><w:sz w:val="22"/><w:szCs w:val="22"/>${LANG}</w:rPr></w:rPrDefault>` +
    `<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
    `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:rPr>${LANG}</w:rPr></w:style>` +
    `<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` +
    `<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>` +
    `<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
    `<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` +
    `<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="10"/><w:qFormat/>` +
    `<w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="40"/><w:szCs w:val="40"/></w:rPr></w:style>` +
    heading(1, 32, 360) +
    heading(2, 26, 240) +
    heading(3, 22, 200) +
    heading(4, 22, 200) +
    heading(5, 22, 160) +
    heading(6, 22, 160) +
    `<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>` +
    `<w:pPr><w:numPr><w:numId w:val="${LIST_NUM_ID}"/></w:numPr><w:contextualSpacing/></w:pPr></w:style>` +
    `<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:contextualSpacing/></w:pPr></w:style>` +
    `<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>` +
    `<w:tblPr><w:tblBorders>${["top", "left", "bottom", "right", "insideH", "insideV"].map(border).join("")}</w:tblBorders></w:tblPr></w:style>` +
    `<w:style w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>` +
    `<w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>` +
    `</w:styles>`
  );
}

export function settingsXml(): string {
  return (
    `${XML_DECL}<w:settings xmlns:w="${NS_W}"><w:zoom w:percent="100"/><w:trackRevisions/><w:defaultTabStop w:val="1304"/>` +
    `<w:characterSpacingControl w:val="doNotCompress"/>` +
    `<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
    `<w:themeFontLang w:val="da-DK"/><w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/></w:settings>`
  );
}

export function coreXml(opts: RedlineOptions, date: string): string {
  return (
    `${XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
    `xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>${esc(clean(opts.title))}</dc:title><dc:creator>${esc(clean(opts.author))}</dc:creator><cp:lastModifiedBy>${esc(clean(opts.author))}</cp:lastModifiedBy>` +
    `<cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">${date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${date}</dcterms:modified>` +
    `<dc:language>da-DK</dc:language></cp:coreProperties>`
  );
}

export function contentTypesXml(withComments: boolean): string {
  const o = (part: string, type: string) => `<Override PartName="${part}" ContentType="${type}"/>`;
  const wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
  return (
    `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
    o("/word/document.xml", `${wml}.document.main+xml`) +
    o("/word/styles.xml", `${wml}.styles+xml`) +
    o("/word/settings.xml", `${wml}.settings+xml`) +
    o("/word/numbering.xml", `${wml}.numbering+xml`) +
    (withComments ? o("/word/comments.xml", `${wml}.comments+xml`) : "") +
    o("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml") +
    `</Types>`
  );
}

export function rootRelsXml(): string {
  return (
    `${XML_DECL}<Relationships xmlns="${NS_REL}">` +
    `<Relationship Id="rId1" Type="${REL_BASE}/officeDocument" Target="word/document.xml"/>` +
    `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
    `</Relationships>`
  );
}

export function documentRelsXml(withComments: boolean): string {
  return (
    `${XML_DECL}<Relationships xmlns="${NS_REL}">` +
    `<Relationship Id="rId1" Type="${REL_BASE}/styles" Target="styles.xml"/>` +
    `<Relationship Id="rId2" Type="${REL_BASE}/settings" Target="settings.xml"/>` +
    `<Relationship Id="rId3" Type="${REL_BASE}/numbering" Target="numbering.xml"/>` +
    (withComments ? `<Relationship Id="rId4" Type="${REL_BASE}/comments" Target="comments.xml"/>` : "") +
    `</Relationships>`
  );
}

/** "2024-01-01T00:00:00Z" from any ISO date or date-time (an invalid date is an error). */
export function isoDate(s: string): string {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Error(`writeRedlineDocx: ugyldig dato '${s}'`);
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}
