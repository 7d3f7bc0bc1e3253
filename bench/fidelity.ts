import * as fs from "node:fs";
import { fidelity, seedParts } from "../tests/fidelity.js";
const seed = seedParts(fs.readFileSync("/work/shared/seeds/003_5b90929a1b5338aa.txt", "utf8"));
const dir = process.argv[2];
const files: Record<string, string> = { rammeaftale: "rammeaftale.md", A1: "bilag-a1-udsatte.md", A2: "bilag-a2-sygemeldte.md", A3: "bilag-a3-hjerneskade.md", A4: "bilag-a4-psykiske-lidelser.md", B1: "bilag-b1-udsatte.md", B2: "bilag-b2-sygemeldte.md" };
const verbose = process.argv[3];
let th=0,tf=0,ts=0,tsf=0;
for (const [k, f] of Object.entries(files)) {
  const r = fidelity(seed[k], fs.readFileSync(`${dir}/${f}`, "utf8"));
  th+=r.overskrifter; tf+=r.overskrifter_fundet; ts+=r.sætninger; tsf+=r.sætninger_fundet;
  console.log(k, `overskrifter ${r.overskrifter_fundet}/${r.overskrifter}`, `sætninger ${r.sætninger_fundet}/${r.sætninger} = ${(100*r.sætninger_fundet/r.sætninger).toFixed(1)} %`);
  if (verbose === k || verbose === "all") { for (const h of r.manglende_overskrifter) console.log("  H", h.nummer, h.titel); for (const s of r.manglende_sætninger) console.log("  S", s.slice(0, 200)); }
}
console.log(`I alt overskrifter ${tf}/${th} = ${(100*tf/th).toFixed(1)} %, sætninger ${tsf}/${ts} = ${(100*tsf/ts).toFixed(1)} %`);
