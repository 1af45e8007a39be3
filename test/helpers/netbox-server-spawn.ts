import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { build } from "esbuild";
import { PROJECT_ROOT } from "./cli.js";
import type { LoggedRequest, ServerOptions } from "./netbox-server.js";

/**
 * Runs the test server in a child process (bundled once with esbuild, since Node 20 cannot run
 * TypeScript), so a test or the bench can measure a CLI against a server it does not share an event
 * loop with.
 */
let bundled: string | undefined;

export async function bundleServer(): Promise<string> {
  if (bundled) return bundled;
  const out = join(mkdtempSync(join(tmpdir(), "opsgate-nbserver-")), "netbox-server.mjs");
  await build({
    entryPoints: [join(PROJECT_ROOT, "test/helpers/netbox-server-process.ts")],
    outfile: out,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  bundled = out;
  return out;
}

export interface SpawnedServer {
  url: string;
  child: ChildProcess;
  log(): Promise<LoggedRequest[]>;
  stop(): Promise<void>;
}

export async function spawnNetBoxServer(options: ServerOptions): Promise<SpawnedServer> {
  const script = await bundleServer();
  const config = join(mkdtempSync(join(tmpdir(), "opsgate-nbconfig-")), "server.json");
  writeFileSync(config, JSON.stringify(options));
  const child = spawn(process.execPath, [script, config], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const queue: ((line: string) => void)[] = [];
  lines.on("line", (line) => queue.shift()?.(line));
  const nextLine = (): Promise<string> => new Promise((resolve) => queue.push(resolve));
  const { url } = JSON.parse(await nextLine()) as { url: string };
  return {
    url,
    child,
    log: async () => {
      const answer = nextLine();
      child.stdin.write("log\n");
      return JSON.parse(await answer) as LoggedRequest[];
    },
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}
