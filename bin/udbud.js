#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled library (npm install runs `prepare`, which builds it).
import { main } from "../dist/src/cli.js";
// Output piped into a program that stops reading (`udbud --help | head`) is not an error.
for (const s of [process.stdout, process.stderr]) s.on("error", (e) => { if (e.code === "EPIPE") process.exit(process.exitCode ?? 0); else throw e; });
main(process.argv).then((code) => { process.exitCode = code; });
