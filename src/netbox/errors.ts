import { redactText } from "../guards/secrets.js";

/**
 * Typed NetBox failures. Every message and body passes through the secrets guard here, at
 * construction, so no caller can print a token that NetBox (or a proxy) echoed back.
 */
export type NetBoxErrorKind =
  /** DNS, refused or reset connection, TLS: nothing answered. */
  | "unreachable"
  /** No answer within the per-request timeout. */
  | "timeout"
  /** 401/403: the token is missing, wrong, or lacks the permission. */
  | "auth"
  /** A 3xx: never followed (it would carry the token elsewhere). */
  | "redirect"
  /** Any other non-2xx answer, with NetBox's body. */
  | "http"
  /** A 2xx that is not the JSON NetBox sends, or a `next` link on another origin. */
  | "protocol";

export interface NetBoxErrorDetails {
  method: string;
  /** Path and query only: the base URL is known to the caller, and a query never holds a secret. */
  path: string;
  status?: number;
  /** NetBox's parsed error body (redacted), e.g. `{"name": ["This field is required."]}`. */
  body?: unknown;
  requestId?: string;
  /** NetBox's API-Version header: present only when NetBox itself answered (not a proxy). */
  apiVersion?: string;
}

export class NetBoxError extends Error {
  readonly kind: NetBoxErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly body: unknown;
  readonly requestId: string | undefined;
  readonly apiVersion: string | undefined;

  constructor(kind: NetBoxErrorKind, message: string, details: NetBoxErrorDetails, secrets: string[] = []) {
    super(redactText(message, secrets));
    this.name = "NetBoxError";
    this.kind = kind;
    this.method = details.method;
    this.path = redactText(details.path, secrets);
    this.status = details.status;
    this.body = details.body === undefined ? undefined : redactBody(details.body, secrets);
    this.requestId = details.requestId;
    this.apiVersion = details.apiVersion;
  }
}

function redactBody(body: unknown, secrets: string[]): unknown {
  // Round-trip through text so a token hidden in any key or value is caught by one pass.
  return JSON.parse(redactText(JSON.stringify(body), secrets)) as unknown;
}
