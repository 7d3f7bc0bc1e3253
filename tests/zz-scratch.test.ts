import { test } from "vitest";
import * as fs from "node:fs";
import { libreOfficeText } from "./libreoffice.js";
test("x", () => {
  const d = "/tmp/d2/s/lo"; fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(d + "/acc.txt", libreOfficeText("/tmp/d2/s/diff/redline.docx", d, "Accept"));
  fs.writeFileSync(d + "/rej.txt", libreOfficeText("/tmp/d2/s/diff/redline.docx", d, "Reject"));
  fs.writeFileSync(d + "/new.txt", libreOfficeText("/tmp/d2/s/out-new/rammeaftale.docx", d, "None"));
  fs.writeFileSync(d + "/old.txt", libreOfficeText("/tmp/d2/s/out-old/rammeaftale.docx", d, "None"));
}, 600000);
