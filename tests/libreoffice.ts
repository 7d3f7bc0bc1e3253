/**
 * LibreOffice for the tests, headless: open a DOCX, run "Accept All" / "Reject All" (or nothing)
 * through a Basic macro in a throwaway profile, and store the result as text or DOCX.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { tmpDir } from "./helpers.js";

const MACRO = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Run(inPath As String, outPath As String, what As String, filter As String, options As String)
  Dim props(0) As New com.sun.star.beans.PropertyValue
  props(0).Name = "Hidden"
  props(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), "_blank", 0, props())
  If what &lt;&gt; "None" Then
    helper = createUnoService("com.sun.star.frame.DispatchHelper")
    helper.executeDispatch(doc.getCurrentController().getFrame(), ".uno:" &amp; what &amp; "AllTrackedChanges", "", 0, Array())
  End If
  Dim args(1) As New com.sun.star.beans.PropertyValue
  args(0).Name = "FilterName"
  args(0).Value = filter
  args(1).Name = "FilterOptions"
  args(1).Value = options
  doc.storeToURL(ConvertToURL(outPath), args())
  doc.close(True)
End Sub
</script:module>
`;

let loProfile: string | undefined;

/**
 * LibreOffice, headless: a Basic macro in a throwaway user profile opens the file, dispatches
 * "Accept All" / "Reject All" (or nothing) and stores the result as UTF-8 plain text or as DOCX
 * (returns the output file). The profile is
 * created by a first start, then the macro replaces the Standard library's Module1 (a first start
 * would overwrite a library written before it).
 */
export function libreOffice(file: string, dir: string, mode: "Accept" | "Reject" | "None", format: "txt" | "docx"): string {
  if (!loProfile) {
    const profile = path.join(tmpDir("udbud-lo-"), "profile");
    const init = spawnSync("soffice", [`-env:UserInstallation=file://${profile}`, "--headless", "--terminate_after_init"], { encoding: "utf8", timeout: 120_000 });
    const module1 = path.join(profile, "user", "basic", "Standard", "Module1.xba");
    assert.ok(fs.existsSync(module1), `LibreOffice profile not initialised: ${init.stderr}`);
    fs.writeFileSync(module1, MACRO);
    loProfile = profile;
  }
  const out = path.join(dir, `out-${mode}.${format}`);
  const filter = format === "txt" ? `"Text (encoded)","UTF8,LF"` : `"MS Word 2007 XML",""`;
  fs.rmSync(out, { force: true }); // never read a previous call's result
  // LibreOffice now and then aborts while starting under load (a crash, not an answer): one retry.
  let r = spawnSync("soffice", [`-env:UserInstallation=file://${loProfile}`, "--headless", "--norestore", `macro:///Standard.Module1.Run("${file}","${out}","${mode}",${filter})`], {
    encoding: "utf8",
    timeout: 180_000,
  });
  if (!fs.existsSync(out) && r.status !== 0) {
    r = spawnSync("soffice", [`-env:UserInstallation=file://${loProfile}`, "--headless", "--norestore", `macro:///Standard.Module1.Run("${file}","${out}","${mode}",${filter})`], { encoding: "utf8", timeout: 180_000 });
  }
  assert.ok(fs.existsSync(out), `LibreOffice wrote nothing (status ${r.status}): ${r.stderr}`);
  return out;
}

export function libreOfficeText(file: string, dir: string, mode: "Accept" | "Reject" | "None"): string {
  return fs.readFileSync(libreOffice(file, dir, mode, "txt"), "utf8").replace(/^\uFEFF/, "");
}

