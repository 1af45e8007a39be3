import { existsSync, realpathSync, statSync } from "node:fs";
import { isIP } from "node:net";
import { hostname, networkInterfaces } from "node:os";
import { join, resolve } from "node:path";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { summaryLine, type CommandResult } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { diag, warn } from "../../io/log.js";
import { createApp, type WebConfig } from "../../web/app.js";
import { isLang } from "../../web/i18n.js";
import { allowedHostValues } from "../../web/security.js";

export interface ServeOptions {
  approvalsDir?: string;
  resultsDir?: string;
  reportsDir?: string[];
  netboxUrl?: string;
  host?: string;
  port?: string;
  lang?: string;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

function folder(path: string | undefined, flag: string): string | undefined {
  if (path === undefined) return undefined;
  const abs = resolve(path);
  let ok = false;
  try {
    ok = statSync(abs).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UserError(`${flag} is not a folder`, { where: path, hint: `pass an existing folder to ${flag}` });
  // The folder as named may be a symlink (a mounted share): its real path is the root that
  // nothing served may leave.
  return realpathSync(abs);
}

function portOf(text: string | undefined): number {
  if (text === undefined) return 8890;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UserError(`--port must be 0-65535, not ${JSON.stringify(text)}`, { where: "--port" });
  return Number(text);
}

function netboxUrlOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError("--netbox-url is not a URL", { where: "--netbox-url", hint: "e.g. https://netbox.example.net" });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UserError("--netbox-url must be http(s)", { where: "--netbox-url" });
  if (url.username || url.password) throw new UserError("--netbox-url must not carry a user or password", { where: "--netbox-url", hint: "links only need the base URL" });
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/** Names a server bound to every interface answers to: each interface address and the host name. */
function wildcardNames(): string[] {
  const names = [hostname(), "localhost", "127.0.0.1", "::1"];
  for (const list of Object.values(networkInterfaces())) for (const nic of list ?? []) names.push(nic.address);
  return names;
}

/**
 * `opsgate serve`: the read-only dashboard over the files the other commands write. Runs until
 * SIGINT/SIGTERM; every request reads the files again.
 */
export async function runServe(options: ServeOptions): Promise<CommandResult> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.has(host) && isIP(host) === 0 && !/^[A-Za-z0-9.-]+$/.test(host)) throw new UserError(`--host ${JSON.stringify(host)} is not an address`, { where: "--host" });
  const port = portOf(options.port);
  if (options.lang !== undefined && !isLang(options.lang)) throw new UserError(`--lang must be en or pt-BR, not ${JSON.stringify(options.lang)}`, { where: "--lang" });
  const approvalsDir = folder(options.approvalsDir, "--approvals-dir");
  const defaultResults = approvalsDir ? join(approvalsDir, "..", "batch-results") : undefined;
  const resultsDir = folder(options.resultsDir ?? (defaultResults && existsSync(defaultResults) ? defaultResults : undefined), "--results-dir");
  const reportsDirs = (options.reportsDir ?? []).map((dir) => folder(dir, "--reports-dir") ?? dir);
  const config: WebConfig = {
    approvalsDir,
    resultsDir,
    reportsDirs,
    netboxUrl: netboxUrlOf(options.netboxUrl),
    lang: isLang(options.lang) ? options.lang : undefined,
    allowedHosts: new Set(),
  };
  if (!LOOPBACK.has(host)) warn(`--host ${host} is not loopback: the dashboard (read-only, no authentication) is reachable from the network`);

  const app = createApp(config);
  let requests = 0;
  const server = await new Promise<Server>((resolveServer, reject) => {
    const created = serve({ fetch: (request, env) => (requests++, app.fetch(request, env)), hostname: host, port }, () => resolveServer(created as Server));
    created.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new UserError(`cannot listen on ${host}:${port} (${error.code ?? error.message})`, {
          exitCode: ExitCode.usage,
          where: "--host/--port",
          hint: error.code === "EADDRINUSE" ? "another process holds that port: pass --port" : "check --host",
        }),
      ),
    );
  });
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  const wildcard = host === "0.0.0.0" || host === "::";
  for (const value of allowedHostValues(host, bound, wildcard ? wildcardNames() : [])) config.allowedHosts.add(value);
  const shown = host.includes(":") ? `[${host}]` : host;
  diag(`opsgate serve: http://${wildcard ? "127.0.0.1" : shown}:${bound}/ (read-only; Ctrl-C stops it)`);

  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      server.close(() => done());
      server.closeAllConnections();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return { exitCode: ExitCode.ok, summary: summaryLine("SERVE_STOPPED", { requests, port: bound }) };
}
