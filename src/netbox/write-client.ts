import { isMintedCapability, type WriteCapability } from "../guards/write-capability.js";
import { createReadClient, type ClientOptions, type ReadClient, type ResponseObserver } from "./client.js";
import { NetBoxError } from "./errors.js";
import { withTrailingSlash } from "./paths.js";
import { Transport, type NetBoxResponse, type WriteMethod } from "./transport.js";

/**
 * The write-capable client (real write, rollback, recover: issue 6). It can only be constructed
 * with a `WriteCapability`, which only the real-write gate chain can mint; dry-run code never holds
 * one, so it has no path to POST, PATCH or DELETE. Writes are never retried (see transport.ts).
 */
export interface WriteClient extends ReadClient {
  readonly capability: WriteCapability;
  /** POST one object or a list (bulk create: validated whole, saved in one transaction). */
  post(path: string, body: unknown): Promise<NetBoxResponse>;
  patch(path: string, body: unknown): Promise<NetBoxResponse>;
  /** DELETE one object (`path` of the object) or a bulk delete (list path, body `[{id}, ...]`). */
  delete(path: string, body?: unknown): Promise<NetBoxResponse>;
}

type Send = (method: WriteMethod, path: string, body: unknown) => Promise<NetBoxResponse>;

/**
 * A write client from a read client and a way to send writes; refuses to exist without a minted
 * capability. Shared by the HTTP client and the simulator's, so both keep the same gate.
 */
export function assembleWriteClient(reader: ReadClient, capability: WriteCapability, write: Send): WriteClient {
  if (!isMintedCapability(capability)) {
    throw new Error("a write client needs a WriteCapability minted by the real-write gate chain");
  }
  return {
    capability,
    get baseUrl() {
      return reader.baseUrl;
    },
    get hasToken() {
      return reader.hasToken;
    },
    get apiVersion() {
      return reader.apiVersion;
    },
    get: (path) => reader.get(path),
    list: (path, query, pageSize) => reader.list(path, query, pageSize),
    status: () => reader.status(),
    post: (path, body) => write("POST", path, body),
    patch: (path, body) => write("PATCH", path, body),
    delete: (path, body) => write("DELETE", path, body),
  };
}

export function createWriteClient(options: ClientOptions, capability: WriteCapability): WriteClient {
  if (!isMintedCapability(capability)) {
    throw new Error("a write client needs a WriteCapability minted by the real-write gate chain");
  }
  const reader = createReadClient(options);
  const transport = new Transport(options);
  const observe: ResponseObserver = options.onResponse ?? (() => undefined);
  const write = async (method: WriteMethod, path: string, body: unknown): Promise<NetBoxResponse> => {
    const url = transport.resolve(withTrailingSlash(path));
    try {
      const response = await transport.send({ method, url, body, capability });
      observe({ method, path: url.pathname, status: response.status, requestId: response.requestId });
      return response;
    } catch (error) {
      if (error instanceof NetBoxError && error.status !== undefined) {
        observe({ method, path: url.pathname, status: error.status, requestId: error.requestId });
      }
      throw error;
    }
  };
  return assembleWriteClient(reader, capability, write);
}
