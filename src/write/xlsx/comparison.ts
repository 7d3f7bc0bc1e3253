/**
 * prissammenligning.xlsx: the line-by-line price comparison (evaluate/comparison.ts) as a
 * workbook, one sheet per lot: a row per price line, a column per bidder, the lowest price on
 * each line in bold on green, unusually low prices (§ 169) on red with a note, and the
 * evaluation price per bidder. Deterministic like the tilbudsliste workbook.
 */
import ExcelJS from "exceljs";
import { LOW_PRICE_SHARE, type LotComparison } from "../../evaluate/comparison.js";
import { formatNumber } from "../../format.js";
import { KR_DECIMALS_FORMAT, NUMBER_FORMAT, newWorkbook, normalizeZip } from "./workbook.js";

const GREEN: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFC6EFCE" } };
const RED: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFC7CE" } };
const HEAD: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFD9E1F2" } };

export async function writeComparisonWorkbook(list: readonly LotComparison[], opts: { titel: string; ordregiver: string; dato: string }): Promise<Buffer> {
  const { wb, fixed } = newWorkbook(opts.ordregiver, opts.dato);
  wb.title = "Prissammenligning";
  wb.subject = opts.titel;
  for (const c of list) {
    const ws = wb.addWorksheet(`Delkontrakt ${c.nummer}`, { pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "4:4" } });
    ws.getCell(1, 1).value = `Prissammenligning, delkontrakt ${c.nummer}: ${c.titel}`;
    ws.getCell(1, 1).font = { bold: true, size: 14 };
    ws.getCell(2, 1).value = `Enhedspriser i kr. ekskl. moms. Grøn: laveste pris på linjen. Rød: under ${formatNumber(LOW_PRICE_SHARE * 100)} % af medianen af de andre tilbud på linjen – bed om en forklaring, jf. udbudslovens § 169 (ikke en udelukkelse).`;
    const head = ["Id", "Ydelse", "Enhed", "Evalueringsmængde", ...c.tilbudsgivere];
    head.forEach((h, i) => {
      const cell = ws.getCell(4, i + 1);
      cell.value = h;
      cell.font = { bold: true };
      cell.fill = HEAD;
      cell.alignment = { wrapText: true, vertical: "middle" };
    });
    ws.getColumn(1).width = 8;
    ws.getColumn(2).width = 50;
    ws.getColumn(3).width = 8;
    ws.getColumn(4).width = 16;
    c.tilbudsgivere.forEach((_, i) => (ws.getColumn(5 + i).width = 20));
    c.linjer.forEach((l, r) => {
      const row = 5 + r;
      ws.getCell(row, 1).value = l.id;
      ws.getCell(row, 2).value = l.ydelse;
      ws.getCell(row, 3).value = l.enhed;
      ws.getCell(row, 4).value = l.mængde;
      ws.getCell(row, 4).numFmt = NUMBER_FORMAT;
      c.tilbudsgivere.forEach((n, i) => {
        const p = l.priser.find((x) => x.tilbudsgiver === n);
        const cell = ws.getCell(row, 5 + i);
        if (!p) {
          cell.value = "–";
          return;
        }
        cell.value = p.pris;
        cell.numFmt = KR_DECIMALS_FORMAT;
        if (p.lavest) {
          cell.font = { bold: true };
          cell.fill = GREEN;
        }
        if (p.lav) {
          cell.fill = RED;
          cell.note = `Usædvanligt lav: ${formatNumber(Math.round((p.pris / p.medianAndre!) * 100))} % af medianen af de andre tilbud (${formatNumber(p.medianAndre!)} kr.). Bed om en forklaring (udbudslovens § 169).`;
        }
      });
    });
    const tr = 5 + c.linjer.length;
    ws.getCell(tr, 2).value = "Evalueringsteknisk pris i alt";
    ws.getCell(tr, 2).font = { bold: true };
    c.totaler.forEach((t, i) => {
      const cell = ws.getCell(tr, 5 + i);
      cell.value = t === null ? "–" : t;
      cell.numFmt = KR_DECIMALS_FORMAT;
      cell.font = { bold: true };
    });
    ws.views = [{ state: "frozen", ySplit: 4, xSplit: 2 }];
  }
  if (!list.length) wb.addWorksheet("Prissammenligning").getCell(1, 1).value = "Ingen tilbud.";
  return normalizeZip(Buffer.from(await wb.xlsx.writeBuffer()), fixed);
}
