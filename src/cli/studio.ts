/** `udbud studio`: the tender workbench in the browser (a local server for one spec folder). */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Register } from "./shared.js";
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE } from "./shared.js";

export const register: Register = (program, { io, setCode }) => {
  program
    .command("studio")
    .description("åbn arbejdsbordet i browseren: redigér udbuddet med hjælp og fejl undervejs, se dokumenterne, simulér, evaluér og sammenlign")
    .argument("[mappe]", "udbuddets mappe (med udbud.yaml)", ".")
    .option("-p, --port <port>", "port på 127.0.0.1 (standard: en ledig port)")
    .option("--med <mappe...>", "andre udbudsmapper, som arbejdskopien kan sammenlignes med")
    .helpOption("-h, --help", "vis hjælp")
    .addHelpText("after", "\nEksempel:\n  udbud studio specs/kk-2024-udsatte-sygemeldte\n\nStudiet lytter kun på 127.0.0.1 og kræver den adresse med token, der skrives i terminalen.")
    .action(async (folder: string, opts: { port?: string; med?: string[] }) => {
      const port = opts.port === undefined ? 0 : Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        io.err(`fejl: --port skal være et helt tal fra 0 til 65535, ikke '${opts.port}'.\n`);
        setCode(EXIT_USAGE);
        return;
      }
      const dirs = [folder, ...(opts.med ?? [])];
      for (const d of dirs) {
        if (!fs.existsSync(path.join(d, "udbud.yaml"))) {
          io.err(`fejl: ${d} er ikke en udbudsmappe (der er ingen udbud.yaml). Peg på mappen med udbud.yaml.\n`);
          setCode(EXIT_INVALID);
          return;
        }
      }
      const { startStudio } = await import("../studio/server.js");
      let studio;
      try {
        studio = await startStudio({ folder, port, compareWith: opts.med });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        io.err(code === "EADDRINUSE" ? `fejl: porten ${port} er optaget; vælg en anden med --port, eller udelad --port.\n` : `fejl: studiet kunne ikke starte: ${(e as Error).message}\n`);
        setCode(EXIT_INVALID);
        return;
      }
      io.out(`udbud studio kører for ${path.resolve(folder)}\nÅbn i browseren: ${studio.url}\nStop med Ctrl+C.\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          void studio!.close().then(resolve);
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      setCode(EXIT_OK);
    });
};
