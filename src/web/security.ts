import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/**
 * Nothing can write, nothing gets out: only GET and HEAD are answered, only under a Host the
 * server was bound to (a DNS-rebinding page cannot reach it by another name), and every answer
 * carries a CSP that allows the dashboard's own assets and nothing else.
 */
export function readOnly(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      return c.text("405 method not allowed: this dashboard is read-only (GET and HEAD only)\n", 405, { allow: "GET, HEAD" });
    }
    await next();
  };
}

export function hostAllowed(allowed: () => ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const host = (c.req.header("host") ?? "").toLowerCase();
    if (!allowed().has(host)) return c.text("403 host not allowed (the dashboard answers only to the address it is bound to)\n", 403);
    await next();
  };
}

export function securityHeaders(): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: "no-referrer",
    xContentTypeOptions: "nosniff",
    xFrameOptions: "DENY",
    crossOriginResourcePolicy: "same-origin",
    crossOriginOpenerPolicy: "same-origin",
    strictTransportSecurity: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });
  return async (c, next) => {
    await headers(c, next);
    c.header("cache-control", "no-store");
  };
}

/** The Host values a browser sends for a server bound to `host:port`. */
export function allowedHostValues(host: string, port: number, extraNames: readonly string[] = []): Set<string> {
  const names = new Set<string>([host.toLowerCase(), ...extraNames.map((n) => n.toLowerCase())]);
  if (host === "127.0.0.1" || host === "::1" || host === "localhost") {
    names.add("localhost");
    names.add("127.0.0.1");
    names.add("::1");
  }
  const values = new Set<string>();
  for (const name of names) {
    const shown = name.includes(":") && !name.startsWith("[") ? `[${name}]` : name;
    values.add(`${shown}:${port}`);
    if (port === 80) values.add(shown);
  }
  return values;
}
