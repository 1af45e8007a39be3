/**
 * NetBox paths. Every API path ends in a slash: without it NetBox answers 301 (also for POST),
 * and a redirect is an error here.
 */
export function withTrailingSlash(path: string): string {
  const [pathname = "", query] = splitQuery(path);
  const fixed = pathname.endsWith("/") ? pathname : `${pathname}/`;
  return query === undefined ? fixed : `${fixed}?${query}`;
}

function splitQuery(path: string): [string, string | undefined] {
  const at = path.indexOf("?");
  return at < 0 ? [path, undefined] : [path.slice(0, at), path.slice(at + 1)];
}

/** The API base: `https://nb.example.net/` or `https://host/netbox/` (a sub-path install). */
export function normalizeBaseUrl(raw: string): URL {
  const url = new URL(raw);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError(`unsupported scheme ${url.protocol}`);
  if (url.username || url.password) throw new TypeError("credentials in the URL are not allowed");
  url.search = "";
  url.hash = "";
  // `https://host/api` and `https://host/api/` both mean the NetBox at `https://host/`.
  url.pathname = url.pathname.replace(/\/api\/?$/, "/").replace(/\/?$/, "/");
  return url;
}
