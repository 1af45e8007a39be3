import type { ListResult, NetBoxObject, NetBoxStatus, ReadClient } from "./client.js";
import { DEFAULT_PAGE_SIZE } from "./client.js";
import { NetBoxError } from "./errors.js";
import { withTrailingSlash } from "./paths.js";
import type { NetBoxSimulator } from "./simulator.js";
import type { NetBoxResponse } from "./transport.js";

/** Where simulated object URLs point: a reserved name, so nobody mistakes them for a real NetBox. */
export const SIMULATOR_ORIGIN = "http://netbox-simulator.invalid";

/**
 * A read-only client over the in-process simulator (`--simulate`): the same `ReadClient` the
 * dry-run uses against a real NetBox, so both paths run the same preflight code.
 */
export function createSimulatorReadClient(sim: NetBoxSimulator): ReadClient {
  const send = (url: URL): NetBoxResponse => {
    const response = sim.handle({ method: "GET", path: url.pathname, query: url.searchParams, origin: SIMULATOR_ORIGIN });
    if (response.status >= 400) {
      throw new NetBoxError("http", `the simulator answered ${response.status} to GET ${url.pathname}`, {
        method: "GET",
        path: `${url.pathname}${url.search}`,
        status: response.status,
        body: response.body,
        requestId: response.requestId,
      });
    }
    return { status: response.status, body: response.body, apiVersion: response.apiVersion, requestId: response.requestId };
  };
  const resolve = (path: string): URL => new URL(withTrailingSlash(path).replace(/^\/+/, ""), `${SIMULATOR_ORIGIN}/`);
  return {
    baseUrl: `${SIMULATOR_ORIGIN}/`,
    hasToken: false,
    apiVersion: sim.apiVersion,
    get: (path) => Promise.resolve(send(resolve(path))),
    list: (path, query = "", pageSize = DEFAULT_PAGE_SIZE): Promise<ListResult> => {
      const url = resolve(path);
      const params = new URLSearchParams(query);
      params.set("limit", String(pageSize));
      url.search = params.toString();
      const results: NetBoxObject[] = [];
      let pages = 0;
      for (let next: URL | undefined = url; next; ) {
        const body = send(next).body as { next: string | null; results: NetBoxObject[] };
        pages++;
        results.push(...body.results);
        next = body.next ? new URL(body.next) : undefined;
      }
      return Promise.resolve({ results, pages });
    },
    status: (): Promise<NetBoxStatus> => Promise.resolve({ netboxVersion: sim.netboxVersion, apiVersion: sim.apiVersion }),
  };
}
