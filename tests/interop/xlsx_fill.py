#!/usr/bin/python3
"""Fills tilbudsliste workbooks in LibreOffice Calc through Python-UNO, the way a bidder would,
and saves them as .xlsx ("Calc MS Excel 2007 XML"). One LibreOffice for the whole batch.

    xlsx_fill.py <jobs.json>

jobs.json: [{"in": "a.xlsx", "out": "b.xlsx", "cells": {"F6": 3100, "C15": "Firma A/S"}, "probe": ["F6", 99999]}, …]
  cells   values typed into sheet 'Priser' (numbers as numbers, text as text)
  probe   optional [cell, value]: puts the value in and counts the cells LibreOffice's own
          validation marks invalid (Detective › Mark Invalid Data) before and after; the cell
          gets its old value back before saving

Prints a JSON list on stdout, one object per job: {"recalculated": {"G6": …, "G12": …},
"probe": {"before": n, "after": m} | null, "validation": {…} | null} with every formula cell's
value after LibreOffice recalculated. LibreOffice runs headless with its own profile and pipe,
so parallel runs do not meet.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def main():
    jobs = json.load(open(sys.argv[1], encoding="utf-8"))
    profile = tempfile.mkdtemp(prefix="udbud-lo-")
    pipe = "udbud_xlsx_%d" % os.getpid()
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         "-env:UserInstallation=file://" + profile, "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(240):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                time.sleep(0.25)
        if ctx is None:
            raise SystemExit("LibreOffice svarede ikke")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        results = [run(desktop, job) for job in jobs]
        print(json.dumps(results))
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            proc.wait(timeout=30)
        except Exception:
            proc.kill()


def run(desktop, fill):
    if True:
        src, dst = fill["in"], fill["out"]
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0, (prop("Hidden", True),))
        sheet = doc.Sheets.getByName("Priser")
        for ref, value in fill.get("cells", {}).items():
            cell = sheet.getCellRangeByName(ref)
            if isinstance(value, (int, float)):
                cell.setValue(value)
            else:
                cell.setString(value)
        doc.calculateAll()
        out = {"recalculated": {}, "probe": None, "validation": None}
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        last_row = cursor.RangeAddress.EndRow
        last_col = cursor.RangeAddress.EndColumn
        for r in range(last_row + 1):
            for c in range(last_col + 1):
                cell = sheet.getCellByPosition(c, r)
                if cell.getFormula().startswith("="):
                    out["recalculated"][cell.AbsoluteName.split(".")[-1].replace("$", "")] = cell.getValue()
        probe = fill.get("probe")
        if probe:
            cell = sheet.getCellRangeByName(probe[0])
            v = cell.Validation
            out["validation"] = {"type": int(v.Type.value != "ANY") if hasattr(v.Type, "value") else str(v.Type),
                                 "operator": str(v.Operator.value) if hasattr(v.Operator, "value") else str(v.Operator),
                                 "formula1": v.getFormula1(), "formula2": v.getFormula2(),
                                 "showError": bool(v.ShowErrorMessage), "error": v.ErrorMessage}
            # LibreOffice decides: put the value in, ask the auditing for invalid cells, restore.
            # showInvalid marks invalid cells with circles (shapes on the draw page): count them
            # before and after the probe value is put in.
            sheet.clearArrows()
            sheet.showInvalid()
            before = sheet.DrawPage.Count
            sheet.clearArrows()
            old = cell.getValue()
            cell.setValue(probe[1])
            doc.calculateAll()
            sheet.showInvalid()
            after = sheet.DrawPage.Count
            out["probe"] = {"before": before, "after": after}
            sheet.clearArrows()
            cell.setValue(old)
            if old == 0 and fill.get("cells", {}).get(probe[0]) is None:
                cell.setString("")
        doc.calculateAll()
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)), (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
        return out


if __name__ == "__main__":
    main()
