/**
 * Prerequisites of a test (a program such as pandoc or LibreOffice, the seeds in ../shared).
 * On a developer's machine a missing prerequisite skips the test and says so; in CI (CI=true)
 * it never skips: the test runs and fails, so a missing install step cannot pass silently.
 */
export const inCI = process.env.CI === "true" || process.env.CI === "1";

/** For `test(name, { skip: missing(cond, why) }, fn)`: true only outside CI when `cond` holds. */
export function missing(isMissing: boolean, why: string): boolean {
  if (isMissing && !inCI) process.stderr.write(`(sprunget over: ${why})\n`);
  return isMissing && !inCI;
}

/** Inside a test: throws in CI when the prerequisite is missing; elsewhere skips through `skip`. */
export function requirePrereq(isMissing: boolean, why: string, skip: (note?: string) => void): void {
  if (!isMissing) return;
  if (inCI) throw new Error(`forudsætning mangler i CI: ${why}`);
  skip(why);
}
