/**
 * Build step after `tsc` (`npm run build`): generates what is the same on every run, so commands
 * do not redo it — the ajv standalone validators (read/validators.ts) and the precompiled
 * Handlebars templates (render/precompiled.ts), the parsed standard definitions (render/view.ts). The output is under dist/generated/ (a build
 * output, never committed); without it the code compiles the same things at run time.
 */
import * as path from "node:path";
import { packageRoot } from "../paths.js";
import { writeGeneratedValidators } from "../read/validators.js";
import { writePrecompiledTemplates } from "../render/precompiled.js";
import { compileOptions } from "../render/templates.js";
import { writeGeneratedDefinitions } from "../render/view.js";

const written = [...writeGeneratedValidators(), writePrecompiledTemplates(compileOptions()), writeGeneratedDefinitions()];
for (const f of written) console.log(`genereret: ${path.relative(packageRoot, f)}`);
