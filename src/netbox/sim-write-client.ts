import { isMintedCapability, type WriteCapability } from "../guards/write-capability.js";
import { NetBoxError } from "./errors.js";
import { withTrailingSlash } from "./paths.js";
import { createSimulatorReadClient, SIMULATOR_ORIGIN } from "./sim-client.js";
import type { NetBoxSimulator } from "./simulator.js";
import type { NetBoxResponse, WriteMethod } from "./transport.js";
import { assembleWriteClient, type WriteClient } from "./write-client.js";
import { canonicalJson } from "../json/canonical.js";
import { parseJson } from "../json/read.js";
import type { JsonValue } from "../json/value.js";

/**
 * The write client of simulate mode: the in-process simulator behind the same `WriteClient`
 * interface and the same capability check as the HTTP one, so `--simulate` runs the real write
 * path unchanged. Non-2xx answers become the same `NetBoxError`s the transport throws.
 */
export function createSimulatorWriteClient(sim: NetBoxSimulator, capability: WriteCapability): WriteClient {
  const reader = createSimulatorReadClient(sim);
  const write = (method: WriteMethod, path: string, body: unknown): Promise<NetBoxResponse> => {
    if (!isMintedCapability(capability)) throw new Error(`refusing ${method}: no write capability from the real-write gate chain`);
    const url = new URL(withTrailingSlash(path).replace(/^\/+/, ""), `${SIMULATOR_ORIGIN}/`);
    // A JSON round trip, as over HTTP (integers of any size kept exact): the simulator must not
    // share objects with the caller.
    const sent = body === undefined ? undefined : parseJson(canonicalJson(body as JsonValue));
    const response = sim.handle({ method, path: url.pathname, query: url.searchParams, body: sent, origin: SIMULATOR_ORIGIN });
    if (response.status < 200 || response.status >= 300) {
      return Promise.reject(
        new NetBoxError("http", `the simulator answered ${response.status} to ${method} ${url.pathname}`, {
          method,
          path: url.pathname,
          status: response.status,
          body: response.body,
          requestId: response.requestId,
          apiVersion: response.apiVersion,
        }),
      );
    }
    return Promise.resolve({ status: response.status, body: response.body, apiVersion: response.apiVersion, requestId: response.requestId });
  };
  return assembleWriteClient(reader, capability, write);
}
