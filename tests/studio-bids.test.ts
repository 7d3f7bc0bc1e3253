/**
 * The studio's bid tables (web/bids.ts): the bids file read as tables, and every edit a text edit
 * that keeps the rest of the file byte for byte (comments, flow maps, layout).
 */
import { describe, test } from "vitest";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { addBidEdit, bidTables, cellEdit, parseAmount, type TextEdit } from "../web/bids.js";
import { repoRoot } from "./helpers.js";

const apply = (text: string, e: TextEdit) => text.slice(0, e.from) + e.insert + text.slice(e.to);
const text = fs.readFileSync(path.join(repoRoot, "specs", "kk-2024-udsatte-sygemeldte", "bud.yaml"), "utf8");

describe("bid tables", () => {
  test("one table per lot, a row per bid, the file's prices and points as columns", () => {
    const r = bidTables(text);
    assert.ok(!("error" in r));
    assert.deepEqual(r.tables.map((t) => t.lot), ["udsatte", "sygemeldte", "hjerneskade"]);
    const udsatte = r.tables[0];
    assert.equal(udsatte.rows[0].tilbudsgiver.value, "Jobhuset ApS");
    assert.equal(udsatte.rows[0].cells.get("pris:indsats:T1")?.value, "3100");
    assert.equal(udsatte.rows[0].cells.get("kvalitet:progression:KL")?.value, "8");
    assert.ok(udsatte.columns.findIndex((c) => c.group === "kvalitet") > udsatte.columns.findIndex((c) => c.key === "pris:element:PSY"));
  });

  test("a price edit replaces only the number's characters", () => {
    const e = cellEdit(text, 0, "pris:indsats:T1", "3.250,50");
    assert.ok(!("error" in e));
    const after = apply(text, e);
    assert.equal(after, text.replace("{ indsats: T1, pris: 3100 }", "{ indsats: T1, pris: 3250.5 }"));
    assert.equal((parse(after) as any).bud[0].priser[0].pris, 3250.5);
    assert.match(String((cellEdit(text, 0, "pris:indsats:T1", "tre") as { error: string }).error), /ikke et tal/);
  });

  test("a name that needs quoting is quoted; a locked value says why", () => {
    const e = cellEdit(text, 1, "tilbudsgiver", "Firma: Nord # A/S");
    assert.ok(!("error" in e));
    assert.equal((parse(apply(text, e)) as any).bud[1].tilbudsgiver, "Firma: Nord # A/S");
    const anchored = "bud:\n  - tilbudsgiver: A\n    delkontrakt: x\n    priser:\n      - { indsats: T1, pris: &p 100 }\n";
    const t = bidTables(anchored);
    assert.ok(!("error" in t));
    assert.match(t.tables[0].rows[0].cells.get("pris:indsats:T1")!.locked!, /anker/);
    assert.match((cellEdit(anchored, 0, "pris:indsats:T1", "5") as { error: string }).error, /editoren/);
  });

  test("a new bid copies the last bid's text below it, renamed; nothing else changes", () => {
    const e = addBidEdit(text, 4, "Testfirma ApS");
    assert.ok(!("error" in e));
    const after = apply(text, e);
    assert.equal(after.slice(0, e.from) + after.slice(e.from + e.insert.length), text);
    const bud = (parse(after) as any).bud;
    assert.equal(bud.length, (parse(text) as any).bud.length + 1);
    assert.equal(bud[5].tilbudsgiver, "Testfirma ApS");
    assert.deepEqual(bud[5].priser, bud[4].priser);
    assert.equal(bud[6].tilbudsgiver, "Jobhuset ApS");
    // The last bid of the file, without a final newline.
    const last = bidTables(text);
    assert.ok(!("error" in last));
    const n = (parse(text) as any).bud.length;
    const e2 = addBidEdit(text.trimEnd(), n - 1, "Sidst ApS");
    assert.ok(!("error" in e2));
    assert.equal((parse(apply(text.trimEnd(), e2)) as any).bud[n].tilbudsgiver, "Sidst ApS");
  });

  test("Danish and plain amounts", () => {
    assert.equal(parseAmount("3.100"), 3100);
    assert.equal(parseAmount("3.100,50"), 3100.5);
    assert.equal(parseAmount("3100.5"), 3100.5);
    assert.equal(parseAmount("12,5"), 12.5);
    assert.equal(parseAmount("abc"), undefined);
  });
});
