import { isMintedCapability, type WriteCapability } from "../guards/write-capability.js";
import { NetBoxError } from "./errors.js";
import { withTrailingSlash } from "./paths.js";
import { createSimulatorReadClient, SIMULATOR_ORIGIN } from "./sim-client.js";
import type { NetBoxSimulator } from "./simulator.js";
import type { NetBoxResponse, WriteMethod } from "./transport.js";
import type { WriteClient } from "./write-client.js";

/**
 * The write client of simulate mode: the in-process simulator behind the same `WriteClient`
 * interface and the same capability check as the HTTP one, so `--simulate` runs the real write
 * path unchanged. Non-2xx answers become the same `NetBoxError`s the transport throws.
 */
export function createSimulatorWriteClient(sim: NetBoxSimulator, capability: WriteCapability): WriteClient {
  if (!isMintedCapability(capability)) {
    throw new Error("a write client needs a WriteCapability minted by the real-write gate chain");
  }
  const reader = createSimulatorReadClient(sim);
  const write = (method: WriteMethod, path: string, body: unknown): Promise<NetBoxResponse> => {
    if (!isMintedCapability(capability)) throw new Error(`refusing ${method}: no write capability from the real-write gate chain`);
    const url = new URL(withTrailingSlash(path).replace(/^\/+/, ""), `${SIMULATOR_ORIGIN}/`);
    // A JSON round trip, as over HTTP: the simulator must not share objects with the caller.
    const sent = body === undefined ? undefined : (JSON.parse(JSON.stringify(body)) as unknown);
    const response = sim.handle({ method, path: url.pathname, query: url.searchParams, body: sent, origin: SIMULATOR_ORIGIN });
    if (response.status < 200 || response.status >= 300) {
      return Promise.reject(
        new NetBoxError("http", `the simulator answered ${response.status} to ${method} ${url.pathname}`, {
          method,
          path: url.pathname,
          status: response.status,
          body: response.body,
          requestId: response.requestId,
        }),
      );
    }
    return Promise.resolve({ status: response.status, body: response.body, apiVersion: response.apiVersion, requestId: response.requestId });
  };
  return {
    capability,
    baseUrl: reader.baseUrl,
    hasToken: false,
    apiVersion: reader.apiVersion,
    get: (path) => reader.get(path),
    list: (path, query, pageSize) => reader.list(path, query, pageSize),
    status: () => reader.status(),
    post: (path, body) => write("POST", path, body),
    patch: (path, body) => write("PATCH", path, body),
    delete: (path, body) => write("DELETE", path, body),
  };
}
