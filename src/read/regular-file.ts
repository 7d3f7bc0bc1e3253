/**
 * Reading an untrusted input path: only a regular file is opened (a FIFO, a device, a socket or a
 * symlink to one of them is refused before opening), without blocking (O_NONBLOCK, so a FIFO
 * swapped in after the check cannot hang the command), and never more than `maxBytes` + 1 bytes
 * (a file that grows while it is read cannot exhaust memory).
 */
import * as fs from "node:fs";

export type RegularFileResult =
  | { data: Buffer }
  | { problem: "missing" | "directory" | "not-regular" | "too-large" | "unreadable"; size?: number; code?: string };

/** Danish text for a problem of `readRegularFile`, naming the file as `display`. */
export function regularFileMessage(r: Exclude<RegularFileResult, { data: Buffer }>, display: string, maxBytes: number): string {
  switch (r.problem) {
    case "missing":
      return `Filen '${display}' findes ikke. Tjek stavning og sti.`;
    case "directory":
      return `'${display}' er en mappe, ikke en fil.`;
    case "not-regular":
      return `'${display}' er ikke en almindelig fil (men fx en FIFO, en enhed som /dev/zero eller en genvej til en sådan) og læses ikke. Angiv en almindelig fil.`;
    case "too-large":
      return `Filen '${display}' er for stor (${r.size ?? "over " + maxBytes} bytes; grænsen er ${Math.round(maxBytes / 1024 / 1024)} MiB).`;
    case "unreadable":
      return `Filen '${display}' kan ikke læses (${r.code ?? "ukendt fejl"}). Tjek at du har adgang til den.`;
  }
}

export function readRegularFile(abs: string, maxBytes: number): RegularFileResult {
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return { problem: "missing" };
  }
  if (st.isDirectory()) return { problem: "directory" };
  if (!st.isFile()) return { problem: "not-regular" };
  if (st.size > maxBytes) return { problem: "too-large", size: st.size };
  let fd: number;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    return { problem: "unreadable", code: (e as NodeJS.ErrnoException).code };
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return { problem: "not-regular" };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > maxBytes) return { problem: "too-large" };
    }
    return { data: Buffer.concat(chunks, total) };
  } catch (e) {
    return { problem: "unreadable", code: (e as NodeJS.ErrnoException).code };
  } finally {
    fs.closeSync(fd);
  }
}
