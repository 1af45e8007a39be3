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
   * The next page. NetBox builds `next` from the request it saw (`request.build_absolute_uri()`):
   * behind a TLS-terminating proxy it is often `http://` while --netbox-url is `https://`, or it
   * names an internal host or drops a path prefix. Following it could hand the token to another
   * origin, so it is never followed as such: only its query (limit, offset, filters — or a cursor)
   * is taken, and re-issued on the configured origin and on the path this list was asked on. The
   * token never leaves `--netbox-url`'s origin, and a proxied NetBox still pages.
   */
  private nextUrl(next: string, current: URL): URL {
    let link: URL;
    try {
      link = new URL(next, current);
    } catch {
      throw this.transport.error("protocol", "NetBox sent a malformed `next` link", { method: "GET", url: current });
    }
    if (link.protocol !== "http:" && link.protocol !== "https:") {
      throw this.transport.error("protocol", `NetBox sent a \`next\` link that is not http(s) (${link.protocol})`, { method: "GET", url: current });
    }
    const url = new URL(current.href);
    url.search = link.search;
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
