/**
 * Opening an untrusted OOXML package (a ZIP) within limits: the same limits and the same approach
 * as the DOCX reader (diff/read-docx/). The end record's entry count is read before jszip builds
 * anything; each part is inflated (by Node's zlib) with its output capped at the limit, or
 * streamed through jszip while counting the bytes as they come out of the inflater, so a zip bomb
 * stops at the limit whatever its header claims; XML parts are parsed with saxes with no
 * DOCTYPE at all (no entity can be declared, let alone expanded) and bounded depth and element
 * count. Every problem is a ZipReadError with a Danish message.
 */
import * as zlib from "node:zlib";
import JSZip from "jszip";
import { SaxesParser } from "saxes";

export interface ZipLimits {
  /** Size of the file itself (compressed), in bytes. */
  fileBytes: number;
  /** Entries in the ZIP archive. */
  entries: number;
  /** Uncompressed bytes of any one part, counted while inflating. */
  entryBytes: number;
  /** Uncompressed bytes of all parts together. */
  totalBytes: number;
  /** Element nesting depth in any XML part. */
  xmlDepth: number;
  /** Elements in any XML part. */
  xmlElements: number;
}

const MB = 1024 * 1024;

/** The limits of every untrusted ZIP package (DOCX and XLSX; DOCX_LIMITS in diff/read-docx/errors.ts is this set). */
export const ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  fileBytes: 50 * MB,
  entries: 2000,
  entryBytes: 100 * MB,
  totalBytes: 200 * MB,
  xmlDepth: 256,
  xmlElements: 2_000_000,
});

export class ZipReadError extends Error {
  override name = "ZipReadError";
}

const mb = (n: number): string => `${Math.round(n / MB)} MB`;

/** The offset of the ZIP end-of-central-directory record, or -1. */
export function endOfCentralDirectory(data: Uint8Array): number {
  const min = Math.max(0, data.length - 22 - 0xffff);
  for (let i = data.length - 22; i >= min; i--) {
    if (data[i] === 0x50 && data[i + 1] === 0x4b && data[i + 2] === 0x05 && data[i + 3] === 0x06) return i;
  }
  return -1;
}

/** jszip's streaming API (public since 3.0, missing from its typings) and its parsed header sizes. */
interface StreamingEntry {
  internalStream(type: "uint8array"): {
    on(event: "data", cb: (chunk: Uint8Array) => void): unknown;
    on(event: "error", cb: (e: Error) => void): unknown;
    on(event: "end", cb: () => void): unknown;
    pause(): unknown;
    resume(): unknown;
  };
  _data?: { uncompressedSize?: number; compression?: { magic?: string }; compressedContent?: unknown };
}

/** jszip's compression ids (the two bytes of the ZIP header's method, as text). */
const STORE = "\x00\x00";
const DEFLATE = "\x08\x00";

export class SafeZip {
  private inflated = 0;

  private constructor(
    readonly zip: JSZip,
    private readonly limits: ZipLimits,
    private readonly invalid: (detail: string) => ZipReadError,
  ) {}

  /** `kind` names the format in messages ("XLSX", "DOCX"); `legacy` says what an OLE2 file (0xD0CF11E0) is. */
  static async open(data: Uint8Array, limits: ZipLimits, kind: string, legacy = "det er en ældre Office-fil (fx .xls eller .doc) eller en adgangskodebeskyttet fil"): Promise<SafeZip> {
    const invalid = (detail: string) => new ZipReadError(`Filen er ikke en gyldig ${kind} (${detail})`);
    if (data.length > limits.fileBytes) throw new ZipReadError(`Filen er for stor til at blive læst som ${kind} (${mb(data.length)}; højst ${mb(limits.fileBytes)})`);
    if (data.length >= 8 && data[0] === 0xd0 && data[1] === 0xcf && data[2] === 0x11 && data[3] === 0xe0) {
      throw invalid(legacy);
    }
    const eocd = endOfCentralDirectory(data);
    if (eocd < 0) {
      const zipStart = data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
      throw invalid(zipStart ? "ZIP-arkivet er afkortet eller beskadiget" : "den er ikke et ZIP-arkiv");
    }
    const declared = data[eocd + 10] | (data[eocd + 11] << 8);
    if (declared !== 0xffff && declared > limits.entries) throw invalid(`ZIP-arkivet har ${declared} poster; højst ${limits.entries} er tilladt`);
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(data, { checkCRC32: false, createFolders: false });
    } catch (e) {
      throw invalid(`ZIP-arkivet er beskadiget eller afkortet: ${(e as Error).message}`);
    }
    const count = Object.keys(zip.files).length;
    if (count > limits.entries) throw invalid(`ZIP-arkivet har ${count} poster; højst ${limits.entries} er tilladt`);
    return new SafeZip(zip, limits, invalid);
  }

  /** Names of the files in the archive (no folders). */
  names(): string[] {
    return Object.keys(this.zip.files).filter((n) => !this.zip.files[n].dir);
  }

  /** Inflates a part within the limits, into one buffer; null when there is no such part. */
  async inflate(name: string): Promise<Uint8Array | null> {
    const chunks = await this.inflateChunks(name);
    if (!chunks) return null;
    if (chunks.length === 1) return chunks[0];
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** Inflates a part within the limits, as the inflater's chunks; null when there is no such part. */
  async inflateChunks(name: string): Promise<Uint8Array[] | null> {
    const file = this.zip.files[name];
    if (!file || file.dir) return null;
    const { entryBytes, totalBytes } = this.limits;
    const bomb = (what: string) => this.invalid(`${what} – filen ligner en zip-bombe`);
    const entry = file as unknown as StreamingEntry;
    const claimed = entry._data?.uncompressedSize;
    if (typeof claimed === "number" && claimed > entryBytes) throw bomb(`${name} fylder ${mb(claimed)} udpakket; højst ${mb(entryBytes)} er tilladt`);
    const direct = this.inflateDirect(name, entry);
    if (direct) return [direct];
    const chunks: Uint8Array[] = [];
    let size = 0;
    await new Promise<void>((resolve, reject) => {
      const stream = entry.internalStream("uint8array");
      let settled = false;
      const fail = (e: ZipReadError): void => {
        if (settled) return;
        settled = true;
        stream.pause();
        chunks.length = 0;
        reject(e);
      };
      stream.on("data", (chunk) => {
        if (settled) return;
        size += chunk.length;
        this.inflated += chunk.length;
        if (size > entryBytes) return fail(bomb(`${name} fylder over ${mb(entryBytes)} udpakket`));
        if (this.inflated > totalBytes) return fail(bomb(`indholdet fylder over ${mb(totalBytes)} udpakket`));
        chunks.push(chunk.byteLength === chunk.buffer.byteLength ? chunk : chunk.slice());
      });
      stream.on("error", (e) => fail(this.invalid(`${name} kan ikke pakkes ud – ZIP-arkivet er beskadiget: ${e?.message ?? e}`)));
      stream.on("end", () => {
        if (settled) return;
        settled = true;
        resolve();
      });
      stream.resume();
    });
    return chunks;
  }

  /**
   * A stored or deflated part unpacked at once by Node's zlib (native, several times faster than
   * jszip's JavaScript inflater), with the output capped one byte past the limit that is met first,
   * so a zip bomb stops there as it does in the streaming path. Undefined when jszip holds the
   * part in a form this does not know (then the streaming path below unpacks it).
   */
  private inflateDirect(name: string, entry: StreamingEntry): Uint8Array | undefined {
    const data = entry._data;
    const magic = data?.compression?.magic;
    const content = data?.compressedContent;
    if ((magic !== STORE && magic !== DEFLATE) || !(content instanceof Uint8Array)) return undefined;
    const { entryBytes, totalBytes } = this.limits;
    const bomb = (what: string) => this.invalid(`${what} – filen ligner en zip-bombe`);
    // The limit reached first: the part's own, or what is left of the total.
    const left = totalBytes - this.inflated;
    const overLimit = () => (left < entryBytes ? bomb(`indholdet fylder over ${mb(totalBytes)} udpakket`) : bomb(`${name} fylder over ${mb(entryBytes)} udpakket`));
    let out: Uint8Array;
    if (magic === STORE) out = content.slice();
    else {
      try {
        out = zlib.inflateRawSync(content, { maxOutputLength: Math.max(1, Math.min(entryBytes, left) + 1) });
      } catch (e) {
        if ((e as NodeJS.ErrnoException)?.code === "ERR_BUFFER_TOO_LARGE") throw overLimit();
        throw this.invalid(`${name} kan ikke pakkes ud – ZIP-arkivet er beskadiget: ${(e as Error)?.message ?? e}`);
      }
    }
    if (out.length > Math.min(entryBytes, left)) throw overLimit();
    this.inflated += out.length;
    // A plain Uint8Array over its own memory, as the streaming path gives.
    return out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? new Uint8Array(out.buffer, 0, out.byteLength) : new Uint8Array(out);
  }

  /**
   * Checks that an XML part is well-formed within the limits: no DOCTYPE (so no entities), the
   * depth and the element count bounded.
   */
  checkXml(name: string, bytes: Uint8Array): void {
    const { xmlDepth, xmlElements } = this.limits;
    const parser = new SaxesParser({ xmlns: false });
    let depth = 0;
    let elements = 0;
    parser.on("doctype", () => {
      throw this.invalid(`${name} indeholder en DOCTYPE-erklæring, som ikke er tilladt`);
    });
    parser.on("opentag", () => {
      if (++elements > xmlElements) throw this.invalid(`${name} har over ${xmlElements.toLocaleString("da-DK")} elementer`);
      if (++depth > xmlDepth) throw this.invalid(`${name} er indlejret mere end ${xmlDepth} niveauer dybt`);
    });
    parser.on("closetag", () => {
      depth--;
    });
    const label = bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : "utf-8";
    try {
      parser.write(new TextDecoder(label).decode(bytes)).close();
    } catch (e) {
      if (e instanceof ZipReadError) throw e;
      throw this.invalid(`${name} er ikke gyldig XML: ${(e as Error)?.message ?? e}`);
    }
  }
}
