import { readFileSync } from "node:fs";
import { startNetBoxServer, type ServerOptions } from "./netbox-server.js";

/**
 * The test server as its own process, for e2e tests and the bench: `node server.mjs CONFIG.json`
 * (ServerOptions as JSON). Prints one line `{"url": ...}` on stdout when listening; a line
 * `log` on stdin answers the request log as one JSON line; SIGTERM or stdin closing stops it.
 */
const configPath = process.argv[2];
const options = configPath ? (JSON.parse(readFileSync(configPath, "utf8")) as ServerOptions) : {};
const server = await startNetBoxServer(options);
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

let buffered = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk: string) => {
  buffered += chunk;
  let at: number;
  while ((at = buffered.indexOf("\n")) >= 0) {
    const command = buffered.slice(0, at).trim();
    buffered = buffered.slice(at + 1);
    if (command === "log") process.stdout.write(`${JSON.stringify(server.log)}\n`);
    if (command === "state") process.stdout.write(`${JSON.stringify(server.sim.snapshot())}\n`);
  }
});
const stop = (): void => void server.close().then(() => process.exit(0));
process.stdin.on("end", stop);
process.on("SIGTERM", stop);
