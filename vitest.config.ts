import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` (fast, pure TypeScript, no external programs) and `interop` (tests that run
 * pandoc, LibreOffice, a language server or a browser: files named *.interop.test.ts and the
 * browser tests). `npm test` runs both; `npx vitest run --project unit` runs the fast ones alone.
 */
const slow = ["tests/**/*.interop.test.ts", "tests/browser/**/*.test.ts"];
export default defineConfig({
  test: {
    pool: "forks",
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: ["default"],
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/**/*.test.ts"], exclude: [...slow, "dist/**", "node_modules/**"] } },
      { extends: true, test: { name: "interop", include: slow, exclude: ["dist/**", "node_modules/**"] } },
    ],
  },
});
