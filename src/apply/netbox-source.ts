import { readInputFile } from "../io/input.js";
import { resolve } from "node:path";
import { ExitCode, UserError } from "../errors.js";
import { JsonSyntaxError, parseJson } from "../json/read.js";
import { createReadClient, type ReadClient } from "../netbox/client.js";
import type { NetBoxError } from "../netbox/errors.js";
import { readConcurrencyFrom } from "../netbox/lookup.js";
import { createSimulatorReadClient } from "../netbox/sim-client.js";
import { NetBoxSimulator } from "../netbox/simulator.js";
import { NetBoxStateSchema, type NetBoxState } from "../schemas/netbox-state.js";
import { formatJsonPath } from "../schemas/findings.js";
import type { ApplyBatchOptions } from "./options.js";
import { envInteger } from "../guards/env.js";
import type { NetBoxTarget } from "./report.js";

/**
 * Where the dry-run reads NetBox from: a real NetBox (read-only client, read token preferred),
 * the simulator seeded from a state file, or nowhere (--offline).
 */
export interface NetBoxSource {
  target: NetBoxTarget;
  url: string | null;
  client: ReadClient | undefined;
  /** Secrets this source may echo back (the token in use). */
  secrets: string[];
  /** Look-up GETs in flight at once (OPSGATE_NETBOX_READ_CONCURRENCY, checked before anything runs). */
  readConcurrency: number;
}

export function readTokenFrom(env: NodeJS.ProcessEnv): string | undefined {
  return env.NETBOX_READ_TOKEN?.trim() || env.NETBOX_WRITE_TOKEN?.trim() || undefined;
}

export function netboxSource(options: ApplyBatchOptions, env: NodeJS.ProcessEnv): NetBoxSource {
  const readConcurrency = readConcurrencyFrom(env);
  if (options.simulate) {
    if (!options.netboxState) throw new UserError("--simulate needs --netbox-state FILE", { where: "--netbox-state", hint: "a netbox_state_v1 JSON file (see docs/apply-batch.md)" });
    const sim = new NetBoxSimulator(readNetBoxState(resolve(options.netboxState)));
    return { target: "simulator", url: null, client: createSimulatorReadClient(sim), secrets: [], readConcurrency };
  }
  if (options.netboxState) throw new UserError("--netbox-state is only used with --simulate", { where: "--netbox-state" });
  if (options.offline) return { target: "offline", url: options.netboxUrl ?? null, client: undefined, secrets: [], readConcurrency };
  if (!options.netboxUrl) {
    throw new UserError("a NetBox to check against is needed", { where: "--netbox-url", hint: "pass --netbox-url URL, or --simulate --netbox-state FILE, or --offline" });
  }
  const token = readTokenFrom(env);
  let client: ReadClient;
  try {
    client = createReadClient({
      baseUrl: options.netboxUrl,
      token,
      timeoutMs: envInteger(env, "OPSGATE_NETBOX_TIMEOUT_MS", 30_000),
      retries: envInteger(env, "OPSGATE_NETBOX_RETRIES", 3),
    });
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`--netbox-url is not a usable URL: ${error instanceof Error ? error.message : String(error)}`, { where: "--netbox-url", hint: "e.g. https://netbox.example.net" });
  }
  return { target: "netbox", url: client.baseUrl, client, secrets: token ? [token] : [], readConcurrency };
}

export function readNetBoxState(path: string): NetBoxState {
  const bytes = readInputFile(path, "NetBox state", { flag: "--netbox-state" });
  let value: unknown;
  try {
    value = parseJson(bytes);
  } catch (error) {
    const what = error instanceof JsonSyntaxError ? `NetBox state is not valid JSON: ${error.message}` : "NetBox state file cannot be read";
    throw new UserError(what, { where: path, hint: "a netbox_state_v1 JSON file (see docs/apply-batch.md)" });
  }
  const parsed = NetBoxStateSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`NetBox state is not a valid netbox_state_v1: ${issue ? `${formatJsonPath(issue.path)}: ${issue.message}` : "schema violation"}`, { where: path });
  }
  return parsed.data;
}

/** NetBox down, refusing or too slow: exit 3 with a clear message (SPEC §1), never a stack. */
export function netboxFailure(error: NetBoxError, summary: string): UserError {
  const hints: Record<NetBoxError["kind"], string> = {
    unreachable: "check --netbox-url and that NetBox is up and reachable from here",
    timeout: "NetBox is slow or hung; retry later (OPSGATE_NETBOX_TIMEOUT_MS sets the per-request timeout)",
    auth: "set NETBOX_READ_TOKEN (or NETBOX_WRITE_TOKEN) to a valid token that may read this NetBox",
    redirect: "point --netbox-url at NetBox itself (https, the final host) so no redirect is needed",
    http: "NetBox failed the request; see its answer above and retry",
    protocol: "check that --netbox-url is NetBox's address and NetBox's BASE_PATH/proxy settings",
  };
  const body = error.kind === "http" && error.body !== undefined && error.body !== null ? `: ${JSON.stringify(error.body).slice(0, 300)}` : "";
  return new UserError(`NetBox preflight failed: ${error.message}${body}`, {
    exitCode: ExitCode.external,
    where: `${error.method} ${error.path}`,
    hint: hints[error.kind],
    summary,
  });
}
