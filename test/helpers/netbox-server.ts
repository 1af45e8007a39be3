import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { NetBoxSimulator } from "../../src/netbox/simulator.js";
import type { NetBoxState } from "../../src/schemas/netbox-state.js";
import { ChangeLog } from "./netbox-server-changes.js";
import { objectsInAnswer, objectsInBody, requestCost, WorkerPool, type CostModel } from "./netbox-server-timing.js";
import { refusedValues } from "./netbox-values.js";

/**
 * A NetBox-compatible HTTP server on 127.0.0.1 (random port) built on the simulator, faithful to
 * what SPEC §4 observed on a real NetBox: token auth (403 bodies), 301 for a path without its
 * trailing slash (also POST), a non-JSON POST parsed as a form, API-Version and X-Request-ID on
 * every answer. Faults are injected per request number; every request is logged for assertions.
 */
export interface Faults {
  /** Delay before every answer. */
  latencyMs?: number;
  /** The n-th write (POST/PATCH/DELETE, 1-based) answers this status (default 500) and changes nothing. */
  failWrite?: { n: number; status?: number };
  /** Every write from the n-th on answers this status (default 500) and changes nothing. */
  failWritesFrom?: { n: number; status?: number };
  /** The n-th request is carried out by NetBox, then its socket is destroyed without an answer. */
  commitThenDrop?: number;
  /** The n-th request is carried out by NetBox, then never answers (a proxy or NetBox hung after commit). */
  commitThenHang?: number;
  /** The n-th request (1-based) answers `status` with an error body and changes nothing. */
  failRequest?: { n: number; status: number };
  /** The n-th request's socket is destroyed without an answer. */
  dropRequest?: number;
  /** The n-th request never answers (until the server closes). */
  hangRequest?: number;
  /** Every request with this method never answers and changes nothing (to kill a client mid-request). */
  hangMethod?: string;
  /** Every error body echoes the request's Authorization header (a careless proxy). */
  echoTokenInErrors?: boolean;
  /** The n-th request answers 302 to `location` (a NetBox behind a proxy that moved). */
  redirectRequest?: { n: number; location: string };
  /** `next` links point to this origin instead of the server's own. */
  nextOrigin?: string;
  /**
   * DELETEs on these list endpoints (e.g. `/api/dcim/interfaces/`), bulk or single, answer 409 as
   * NetBox does when dependents protect an object (ProtectedError), and change nothing.
   */
  protectDelete?: string[];
}

export interface ServerOptions {
  state?: NetBoxState;
  /** Tokens allowed to write. */
  writeTokens?: string[];
  /** Tokens allowed only to read (403 on writes). */
  readTokens?: string[];
  /** NetBox's LOGIN_REQUIRED: anonymous reads refused (default true, as in NetBox 4). */
  loginRequired?: boolean;
  faults?: Faults;
  /** NetBox's MAX_PAGE_SIZE (default 1000); small values force pagination. */
  maxPageSize?: number;
  /**
   * Answer like a NetBox that is not our simulator: every object carries the read-only fields a
   * real NetBox adds (display_url, created, last_updated, custom_fields, tags, description,
   * comments...), keys in another order, and `brief` nested objects with their extra fields —
   * so nothing may depend on the simulator's exact shapes.
   */
  independent?: boolean;
  /** What NetBox costs in time (workers, per request, per object; see netbox-server-timing.ts). */
  cost?: CostModel;
  /** NetBox 4.7's bulk 400 body `{detail, errors: [{index, errors}]}` instead of a list per item. */
  indexedBulkErrors?: boolean;
  /** A reverse proxy's body-size limit (nginx `client_max_body_size`): larger bodies get 413. */
  maxBodyBytes?: number;
}

export interface LoggedRequest {
  n: number;
  method: string;
  path: string;
  query: string;
  body: unknown;
  /** The body exactly as received (to check lossless integers). */
  rawBody: string;
  /** The Host header: which origin the client sent this request (and its token) to. */
  host: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  status: number | "dropped" | "hung";
}

export interface NetBoxTestServer {
  url: string;
  port: number;
  sim: NetBoxSimulator;
  log: LoggedRequest[];
  faults: Faults;
  /** The worker pool when a cost model is set (its `busyMs`: total work charged). */
  workers: WorkerPool | undefined;
  close(): Promise<void>;
}

export const TEST_WRITE_TOKEN = "nbt_OPSGATEkey1.WRITEc0ffee5ecret9a8b7c6d5e4f3a2b1";
export const TEST_READ_TOKEN = "0123456789abcdef0123456789abcdef0badc0de";

export async function startNetBoxServer(options: ServerOptions = {}): Promise<NetBoxTestServer> {
  const sim = new NetBoxSimulator(options.state, options.maxPageSize ? { maxPageSize: options.maxPageSize } : {});
  const writeTokens = new Set(options.writeTokens ?? [TEST_WRITE_TOKEN]);
  const readTokens = new Set(options.readTokens ?? [TEST_READ_TOKEN]);
  const loginRequired = options.loginRequired ?? true;
  const log: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  const state = { faults: options.faults ?? {}, requests: 0, writes: 0 };
  const changes = new ChangeLog(sim);
  const cost = options.cost;
  const workers = cost ? new WorkerPool(cost.workers ?? 3) : undefined;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(String(error));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const n = ++state.requests;
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const contentType = req.headers["content-type"];
    const isJson = /^application\/json\b/i.test(contentType ?? "");
    // Django parses a body that is not JSON as a form: for the API it carries no fields at all.
    const body = raw.length === 0 || !isJson ? (method === "GET" ? undefined : {}) : safeJson(raw);
    const entry: LoggedRequest = {
      n,
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ""),
      body,
      rawBody: raw.toString("utf8"),
      host: req.headers.host,
      authorization: req.headers.authorization,
      contentType,
      status: 0,
    };
    log.push(entry);
    if (options.maxBodyBytes !== undefined && raw.length > options.maxBodyBytes) {
      // The proxy in front of NetBox refuses it: NetBox never sees the request.
      entry.status = 413;
      res.writeHead(413, { "Content-Type": "text/html" });
      res.end("<html><head><title>413 Request Entity Too Large</title></head><body><center><h1>413 Request Entity Too Large</h1></center><hr><center>nginx</center></body></html>\n");
      return;
    }
    const faults = state.faults;
    if (faults.latencyMs) await sleep(faults.latencyMs);
    if (faults.dropRequest === n) {
      entry.status = "dropped";
      req.socket.destroy();
      return;
    }
    if (faults.hangRequest === n || faults.hangMethod === method) {
      entry.status = "hung";
      return;
    }
    // A gunicorn worker serves the request from here to its answer (the queue is first come, first served).
    const release = workers ? await workers.acquire() : undefined;
    try {
      await serveWithWorker(req, res, n, method, url, body, entry, faults);
    } finally {
      release?.();
    }
  }

  async function serveWithWorker(req: IncomingMessage, res: ServerResponse, n: number, method: string, url: URL, body: unknown, entry: LoggedRequest, faults: Faults): Promise<void> {
    const requestId = crypto.randomUUID();
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      let out = payload;
      if (status >= 400 && faults.echoTokenInErrors && out && typeof out === "object" && !Array.isArray(out)) {
        out = { ...(out), request_authorization: req.headers.authorization ?? "" };
      }
      entry.status = status;
      const text = out === null || out === undefined ? "" : JSON.stringify(out);
      res.writeHead(status, {
        "API-Version": sim.apiVersion,
        "X-Request-ID": requestId,
        ...(text ? { "Content-Type": "application/json" } : {}),
        ...headers,
      });
      res.end(text);
    };
    if (faults.redirectRequest?.n === n) return send(302, null, { Location: faults.redirectRequest.location });
    if (!url.pathname.endsWith("/")) {
      // Django's APPEND_SLASH runs before authentication, for every method.
      send(301, null, { Location: `${url.pathname}/${url.search}` });
      return;
    }
    const write = method !== "GET" && method !== "HEAD" && method !== "OPTIONS";
    const auth = authenticate(req.headers.authorization);
    if (auth === "invalid") return send(403, { detail: "Invalid token" });
    if (auth === "none" && (write || loginRequired) && url.pathname !== "/api/status/") {
      return send(403, { detail: "Authentication credentials were not provided." });
    }
    if (write && auth !== "write") return send(403, { detail: "You do not have permission to perform this action." });
    if (faults.failRequest?.n === n) return send(faults.failRequest.status, { detail: `injected failure on request ${n}` });
    if (write) {
      const w = ++state.writes;
      if (faults.failWrite?.n === w) {
        const status = faults.failWrite.status ?? 500;
        return send(status, { error: `injected failure on write ${w}`, exception: "OperationalError" });
      }
      if (faults.failWritesFrom && w >= faults.failWritesFrom.n) {
        return send(faults.failWritesFrom.status ?? 500, { error: `injected failure on write ${w}`, exception: "OperationalError" });
      }
    }
    if (method === "DELETE" && faults.protectDelete?.some((endpoint) => url.pathname.startsWith(endpoint))) {
      const single = url.pathname !== faults.protectDelete.find((endpoint) => url.pathname.startsWith(endpoint));
      return send(
        409,
        single
          ? { detail: "Unable to delete object. 1 dependent objects were found: cable #7 (7)" }
          : { detail: "1 of 1 objects could not be deleted.", errors: [{ id: 0, errors: { __all__: "Unable to delete: 1 dependent object(s) prevent deletion." } }] },
      );
    }
    if (body === UNPARSEABLE) return send(400, { detail: "JSON parse error - Expecting value: line 1 column 1 (char 0)" });
    const refused = refusedValues(method, url.pathname, body);
    if (refused) return send(refused.status, refused.body);
    let response: { status: number; body: unknown; requestId: string };
    if (method === "GET" && url.pathname === "/api/core/object-changes/") {
      response = { ...changes.answer(url.searchParams, url.origin), requestId };
      await charge(false, objectsInAnswer(response.body), url.searchParams);
    } else if (write) {
      // The transaction: all the work first, the commit (and its change log) at the end.
      await charge(true, objectsInBody(body));
      response = sim.handle({ method, path: url.pathname, query: url.searchParams, body, origin: url.origin });
      changes.collect();
    } else {
      response = sim.handle({ method, path: url.pathname, query: url.searchParams, body, origin: url.origin });
      await charge(false, objectsInAnswer(response.body), url.searchParams);
    }
    if (faults.commitThenDrop === n) {
      entry.status = "dropped";
      req.socket.destroy();
      return;
    }
    if (faults.commitThenHang === n) {
      entry.status = "hung";
      return;
    }
    let payload = response.body;
    if (faults.nextOrigin && payload && typeof payload === "object" && "next" in payload) {
      const page = payload as { next: string | null };
      if (page.next) payload = { ...page, next: page.next.replace(url.origin, faults.nextOrigin) };
    }
    if (options.independent) payload = independentShape(payload);
    if (options.indexedBulkErrors && response.status === 400 && Array.isArray(payload)) {
      const errors = payload.flatMap((e: unknown, index) => (e && typeof e === "object" && Object.keys(e).length > 0 ? [{ index, errors: e }] : []));
      payload = { detail: `${errors.length} of ${payload.length} objects failed validation.`, errors };
    }
    send(response.status, payload, { "X-Request-ID": response.requestId });
  }

  async function charge(write: boolean, objects: number, query?: URLSearchParams): Promise<void> {
    if (!cost || !workers) return;
    const ms = requestCost(cost, write, objects, query);
    workers.busyMs += ms;
    if (ms > 0) await sleep(ms);
  }

  function authenticate(header: string | undefined): "none" | "invalid" | "read" | "write" {
    if (!header) return "none";
    const match = /^(Token|Bearer)\s+(\S+)$/.exec(header);
    if (!match) return "invalid";
    const [, scheme, token = ""] = match;
    // v2 tokens (nbt_) are Bearer only; v1 tokens go as Token (old NetBox knows nothing else).
    if ((scheme === "Bearer") !== token.startsWith("nbt_")) return "invalid";
    if (writeTokens.has(token)) return "write";
    if (readTokens.has(token)) return "read";
    return "invalid";
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    sim,
    log,
    workers,
    get faults() {
      return state.faults;
    },
    set faults(value: Faults) {
      state.faults = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Objects as a NetBox with more features would answer them: extra read-only fields, keys reversed. */
function independentShape(payload: unknown): unknown {
  if (Array.isArray(payload)) return payload.map(independentShape);
  if (!payload || typeof payload !== "object") return payload;
  const page = payload as Record<string, unknown>;
  if (Array.isArray(page.results)) return { ...page, results: page.results.map(independentShape) };
  if (!("id" in page && "url" in page)) return payload;
  const extra: Record<string, unknown> = {
    display_url: String(page.url).replace("/api/", "/"),
    created: "2026-05-01T02:00:00.000000Z",
    last_updated: "2026-05-01T02:00:00.000000Z",
    custom_fields: { circuit_ref: null },
    tags: [],
    description: "",
    comments: "",
    owner: null,
  };
  const merged = { ...extra, ...page };
  for (const [key, value] of Object.entries(merged)) {
    // Nested objects carry more than id/url/display in NetBox (e.g. a device's `description`).
    if (value && typeof value === "object" && !Array.isArray(value) && "id" in value) merged[key] = { description: "", ...value };
  }
  return Object.fromEntries(Object.entries(merged).reverse());
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const UNPARSEABLE = Symbol("unparseable JSON");

function safeJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    return UNPARSEABLE;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
