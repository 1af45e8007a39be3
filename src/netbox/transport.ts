import { canonicalJson } from "../json/canonical.js";
import { parseJson } from "../json/read.js";
import type { JsonValue } from "../json/value.js";
import { isMintedCapability, type WriteCapability } from "../guards/write-capability.js";
import { authorizationHeader } from "./auth.js";
import { NetBoxError } from "./errors.js";
import { normalizeBaseUrl } from "./paths.js";

/**
 * The one place that talks HTTP to NetBox. GETs are retried (bounded, with backoff) on 5xx,
 * resets and timeouts; writes never are — a write whose outcome is unknown is resolved by the
 * caller by looking the objects up, never by sending it again. A write needs a minted capability.
 */
export type WriteMethod = "POST" | "PATCH" | "DELETE";

export interface TransportOptions {
  baseUrl: string;
  token?: string | undefined;
  /** Per request, including reading the body. */
  timeoutMs?: number;
  /** Extra attempts for a GET after the first. */
  retries?: number;
  /** First backoff; doubles each retry. */
  backoffMs?: number;
}

export interface NetBoxResponse {
  status: number;
  /** Parsed JSON body (lossless integers), or null for 204. */
  body: unknown;
  apiVersion: string | undefined;
  requestId: string | undefined;
}

export type ReadRequest = { method: "GET"; url: URL };
export type WriteRequest = { method: WriteMethod; url: URL; body: unknown; capability: WriteCapability };

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 3;
const DEFAULT_BACKOFF_MS = 250;
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

export class Transport {
  readonly base: URL;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(options: TransportOptions) {
    this.base = normalizeBaseUrl(options.baseUrl);
    this.token = options.token?.trim() || undefined;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  }

  get hasToken(): boolean {
    return this.token !== undefined;
  }

  /** An absolute URL for an API path (`api/dcim/interfaces/?name=x`), always under the base. */
  resolve(path: string): URL {
    return new URL(path.replace(/^\/+/, ""), this.base);
  }

  sameOrigin(url: URL): boolean {
    return url.origin === this.base.origin;
  }

  async send(request: ReadRequest | WriteRequest): Promise<NetBoxResponse> {
    if (request.method !== "GET" && !isMintedCapability((request).capability)) {
      throw new Error(`refusing ${String(request.method)}: no write capability from the real-write gate chain`);
    }
    if (!this.sameOrigin(request.url)) {
      // Belt and braces: the token never leaves the configured origin.
      throw this.error("protocol", `refusing to send a request to another origin (${request.url.origin})`, request);
    }
    const attempts = request.method === "GET" ? this.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.once(request);
        if (request.method === "GET" && RETRYABLE_STATUS.has(response.status) && attempt < attempts) {
          await sleep(this.backoffMs * 2 ** (attempt - 1));
          continue;
        }
        return this.checked(request, response);
      } catch (error) {
        const retryable = error instanceof NetBoxError && (error.kind === "unreachable" || error.kind === "timeout");
        if (request.method === "GET" && retryable && attempt < attempts) {
          await sleep(this.backoffMs * 2 ** (attempt - 1));
          continue;
        }
        throw error;
      }
    }
  }

  private async once(request: ReadRequest | WriteRequest): Promise<NetBoxResponse> {
    const headers: Record<string, string> = { Accept: "application/json", "Content-Type": "application/json" };
    if (this.token) headers.Authorization = authorizationHeader(this.token);
    // Serialized before the clock starts: a payload that cannot be JSON is a bug, not "unreachable".
    const body = "body" in request ? requestBody(request.body) : undefined;
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers,
        body,
        redirect: "manual",
        signal,
      });
      const text = await response.text();
      return {
        status: response.status,
        body: parseBody(text, response.headers.get("location")),
        apiVersion: response.headers.get("api-version") ?? undefined,
        requestId: response.headers.get("x-request-id") ?? undefined,
      };
    } catch (error) {
      if (signal.aborted) {
        throw this.error("timeout", `NetBox did not answer within ${this.timeoutMs} ms`, request);
      }
      throw this.error("unreachable", `NetBox is unreachable: ${describeNetworkError(error)}`, request);
    }
  }

  private checked(request: ReadRequest | WriteRequest, response: NetBoxResponse): NetBoxResponse {
    const { status } = response;
    if (status >= 200 && status < 300) return response;
    const details = { status, body: response.body, requestId: response.requestId, apiVersion: response.apiVersion };
    if (status >= 300 && status < 400) {
      const location = (response.body as { location?: string } | null)?.location ?? "";
      return this.fail("redirect", `NetBox answered ${status} (redirect to ${location || "?"}); redirects are never followed`, request, details);
    }
    if (status === 401 || status === 403) {
      const detail = (response.body as { detail?: unknown } | null)?.detail;
      const why = typeof detail === "string" ? `: ${detail}` : "";
      return this.fail("auth", `NetBox refused the request with ${status}${why}`, request, details);
    }
    return this.fail("http", `NetBox answered ${status} to ${request.method} ${request.url.pathname}`, request, details);
  }

  private fail(
    kind: "redirect" | "auth" | "http",
    message: string,
    request: ReadRequest | WriteRequest,
    details: { status: number; body: unknown; requestId: string | undefined; apiVersion: string | undefined },
  ): never {
    throw new NetBoxError(kind, message, { method: request.method, path: pathOf(request.url), ...details }, this.secrets());
  }

  error(kind: "timeout" | "unreachable" | "protocol", message: string, request: { method: string; url: URL }): NetBoxError {
    return new NetBoxError(kind, message, { method: request.method, path: pathOf(request.url) }, this.secrets());
  }

  private secrets(): string[] {
    return this.token ? [this.token] : [];
  }
}

/**
 * The JSON a write sends. Payloads come from the lossless reader: integers beyond 2^53 are
 * `bigint` (JSON.stringify throws on them) and floats may be `PyFloat`; canonical JSON writes both
 * exactly, so NetBox receives the digits the plan holds. Key order does not matter to NetBox.
 */
export function requestBody(body: unknown): string {
  return canonicalJson(body as JsonValue);
}

function pathOf(url: URL): string {
  return `${url.pathname}${url.search}`;
}

/** JSON when it is JSON; otherwise the text kept (trimmed) so an error can show what came back. */
function parseBody(text: string, location: string | null): unknown {
  if (location !== null) return { location };
  if (text.trim() === "") return null;
  try {
    return parseJson(text);
  } catch {
    return { text: text.slice(0, 500) };
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
