import { NetBoxError } from "./errors.js";
import { withTrailingSlash } from "./paths.js";
import { Transport, type NetBoxResponse, type TransportOptions } from "./transport.js";

/**
 * The read-only NetBox client: everything dry-run and the preflight need, and nothing else. It has
 * no method that writes, and the function it sends through refuses any method but GET at run time
 * too (SPEC §5: enforced in the client, not by convention).
 */
export type NetBoxObject = Record<string, unknown> & { id: number; url?: string; display?: string };

export interface NetBoxPage {
  count: number;
  next: string | null;
  previous: string | null;
  results: NetBoxObject[];
}

export interface ListResult {
  results: NetBoxObject[];
  /** GETs sent for this list (one per page). */
  pages: number;
}

export interface NetBoxStatus {
  netboxVersion: string | undefined;
  apiVersion: string | undefined;
}

/** Facts about every response, for the ledger (issue 6) and diagnostics — never for reports. */
export type ResponseObserver = (info: { method: string; path: string; status: number; requestId: string | undefined }) => void;

export interface ReadClient {
  readonly baseUrl: string;
  readonly hasToken: boolean;
  /** GET one path (a trailing slash is added). */
  get(path: string): Promise<NetBoxResponse>;
  /** GET a list and follow `next` pages on the same origin only. */
  list(path: string, query?: string, pageSize?: number): Promise<ListResult>;
  status(): Promise<NetBoxStatus>;
  /** Highest API-Version seen so far. */
  readonly apiVersion: string | undefined;
}

export interface ClientOptions extends TransportOptions {
  onResponse?: ResponseObserver;
}

/** The page size asked for; NetBox caps it at MAX_PAGE_SIZE (1000 by default) and says so in `next`. */
export const DEFAULT_PAGE_SIZE = 1000;
const MAX_PAGES = 10_000;

export function createReadClient(options: ClientOptions): ReadClient {
  const transport = new Transport(options);
  return new ReadOnlyClient(transport, options.onResponse);
}

class ReadOnlyClient implements ReadClient {
  apiVersion: string | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly onResponse: ResponseObserver | undefined,
  ) {}

  get baseUrl(): string {
    return this.transport.base.toString();
  }

  get hasToken(): boolean {
    return this.transport.hasToken;
  }

  get(path: string): Promise<NetBoxResponse> {
    return this.request("GET", this.transport.resolve(withTrailingSlash(path)));
  }

  async list(path: string, query = "", pageSize = DEFAULT_PAGE_SIZE): Promise<ListResult> {
    const first = this.transport.resolve(withTrailingSlash(path));
    const params = new URLSearchParams(query);
    params.set("limit", String(pageSize));
    first.search = params.toString();
    const results: NetBoxObject[] = [];
    const seen = new Set<string>();
    let url: URL | undefined = first;
    let pages = 0;
    while (url) {
      if (seen.has(url.href) || pages >= MAX_PAGES) {
        throw this.transport.error("protocol", "NetBox pagination loops (a `next` link repeats)", { method: "GET", url });
      }
      seen.add(url.href);
      const page = asPage(await this.request("GET", url), url, this.transport);
      pages++;
      results.push(...page.results);
      url = page.next ? this.nextUrl(page.next, url) : undefined;
    }
    return { results, pages };
  }

  async status(): Promise<NetBoxStatus> {
    const response = await this.get("api/status/");
    const body = response.body as Record<string, unknown> | null;
    const version = body?.["netbox-version"];
    return { netboxVersion: typeof version === "string" ? version : undefined, apiVersion: response.apiVersion };
  }

  /**
   * `next` is followed only on the configured origin: a NetBox behind a misconfigured proxy may
   * point elsewhere, and following it would hand the token to another host.
   */
  private nextUrl(next: string, current: URL): URL {
    let url: URL;
    try {
      url = new URL(next, current);
    } catch {
      throw this.transport.error("protocol", "NetBox sent a malformed `next` link", { method: "GET", url: current });
    }
    if (!this.transport.sameOrigin(url)) {
      throw this.transport.error(
        "protocol",
        `NetBox's \`next\` page link points to another origin (${url.origin}); not followed, so the token stays on ${this.transport.base.origin}`,
        { method: "GET", url: current },
      );
    }
    return url;
  }

  /** The only way out of this client: GET, checked at run time whatever the caller's types say. */
  private async request(method: string, url: URL): Promise<NetBoxResponse> {
    if (method !== "GET") throw new Error(`the read-only NetBox client cannot send ${method}`);
    try {
      const response = await this.transport.send({ method: "GET", url });
      this.observe(method, url, response.status, response.requestId);
      if (response.apiVersion) this.apiVersion = response.apiVersion;
      return response;
    } catch (error) {
      if (error instanceof NetBoxError && error.status !== undefined) this.observe(method, url, error.status, error.requestId);
      throw error;
    }
  }

  private observe(method: string, url: URL, status: number, requestId: string | undefined): void {
    this.onResponse?.({ method, path: `${url.pathname}${url.search}`, status, requestId });
  }
}

function asPage(response: NetBoxResponse, url: URL, transport: Transport): NetBoxPage {
  const body = response.body as Partial<NetBoxPage> | null;
  if (!body || typeof body !== "object" || !Array.isArray(body.results)) {
    throw transport.error("protocol", "NetBox answered a list request without `results` (is the URL NetBox's?)", { method: "GET", url });
  }
  return { count: Number(body.count ?? 0), next: body.next ?? null, previous: body.previous ?? null, results: body.results };
}
