#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled library (npm install runs `prepare`, which builds it).
import { main } from "../dist/src/cli.js";
main(process.argv).then((code) => { process.exitCode = code; });
