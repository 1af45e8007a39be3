import { UserError, ExitCode } from "../errors.js";

/**
 * The secrets guard (SPEC §5). Every report, ledger line, audit event, error and log passes
 * through here before it is written: known token values and credential shapes are replaced by
 * `[REDACTED]`, and a text that would still hold a live token is refused.
 */
export const REDACTED = "[REDACTED]";

/** Environment variables whose values are secrets wherever they appear. */
export const SECRET_ENV_VARS = ["NETBOX_WRITE_TOKEN", "NETBOX_READ_TOKEN"] as const;

export function secretValuesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return SECRET_ENV_VARS.map((name) => env[name]?.trim() ?? "").filter((value) => value.length >= 4);
}

// NetBox v2 tokens: nbt_<key>.<token>; the key alone is not secret, but the whole thing is.
const NBT_TOKEN = /\bnbt_[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)?/g;
const AUTH_HEADER = /\b(Authorization["']?\s*[:=]\s*)("?)(?:(Bearer|Token|Basic)\s+)?[^\s",}]+/gi;
// A credential after the scheme has a digit somewhere ("Bearer capacity-planning-notes" is prose).
const SCHEME_VALUE = /\b(Bearer|Token)\s+(?=[A-Za-z._~+/=-]*[0-9])([A-Za-z0-9._~+/=-]{16,})/g;
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g;
// Detection needs the whole v2 shape nbt_<key>.<secret> (a bare "nbt_uplink" is not one), but no
// minimum length: a short or truncated token (`nbt_abc.def`) is still a token, and redaction already
// treats it as one.
const NBT_TOKEN_SHAPE = /\bnbt_[A-Za-z0-9]+\.[A-Za-z0-9]+/;
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i;
const KEY_VALUE_TEXT = /\b(?:password|passwd|secret|token|api[_-]?key)=[^\s&"']{8,}/i;
// Redaction forms of the two above: the user-info of any URL (a token may be the user name), and
// the value of a credential-named query parameter or key=value pair, however short.
const URL_USERINFO_G = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
const CREDENTIAL_PARAM = "(?:access[_-]?token|auth[_-]?token|refresh[_-]?token|id[_-]?token|private[_-]?token|token|api[_-]?key|apikey|key|password|passwd|secret|client[_-]?secret)";
const CREDENTIAL_PARAM_G = new RegExp(`([?&;]${CREDENTIAL_PARAM}=)[^\\s&#"'<>]+`, "gi");
const KEY_VALUE_TEXT_G = /\b((?:password|passwd|secret|token|api[_-]?key)=)[^\s&"']{8,}/gi;
const URL_USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@"'<>]+@/i;
const URL_CREDENTIAL_PARAM = new RegExp(`[?&;]${CREDENTIAL_PARAM}=[^\\s&#"'<>]`, "i");
const HEX40 = /^[0-9a-fA-F]{40}$/;
// Key names whose string values are credentials. `repo_sha256`-like keys are not among them.
const SECRET_KEY = /(pass(word|wd|phrase)?|pwd|secrets?|tokens?|api[_-]?key|private[_-]?key|credentials?|auth(orization)?)$/i;
// NetBox's own token objects keep the v1 token in `key`: a 40-hex value there is a token.
const KEY_FIELD = /(^|[_-])key$/i;
const SECRET_KEY_PREFIX = /^(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credentials?)([_-]|$)/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) || SECRET_KEY_PREFIX.test(key);
}

export interface SecretFinding {
  path: string;
  message: string;
}

// Every shape here, found or redacted, holds one of these, in any case; most strings hold none, so one
// look skips them. Of `name=value` pairs only credential names count (each ends in token, key,
// secret, passwd or password): a summary line is nothing but `name=value` pairs, and compiling every
// pattern for it was a tenth of a small readback's own work. Looked for in the lower-cased text, not
// with one case-blind regular expression: compiling that cost ~0.3 ms in every run, the smallest
// included, while over the 160,000 strings of a 10,000-item plan it was only ~10 ms faster.
function hasShapeHint(text: string): boolean {
  const t = text.toLowerCase();
  return (
    t.includes("nbt_") ||
    t.includes("private key") ||
    t.includes("authorization") ||
    t.includes("bearer") ||
    t.includes("token") ||
    t.includes("://") ||
    t.includes("key=") ||
    t.includes("secret=") ||
    t.includes("passwd=") ||
    t.includes("password=")
  );
}

function describeShape(text: string): string | undefined {
  if (!hasShapeHint(text)) return undefined;
  if (NBT_TOKEN_SHAPE.test(text)) return "a NetBox v2 token (nbt_...)";
  if (new RegExp(PRIVATE_KEY.source).test(text)) return "a private key block";
  if (/\bAuthorization["']?\s*[:=]\s*\S/i.test(text)) return "an Authorization header";
  if (new RegExp(SCHEME_VALUE.source).test(text)) return "a Bearer/Token credential";
  if (URL_CREDENTIALS.test(text)) return "a URL with a password";
  if (URL_CREDENTIAL_PARAM.test(text)) return "a URL with a credential query parameter";
  if (KEY_VALUE_TEXT.test(text)) return "a password/token in key=value text";
  return undefined;
}

/** What a key name says: a credential shape in the name itself, a `key` field, a secret-named key. */
interface KeyVerdict {
  shape: string | undefined;
  keyField: boolean;
  secretKey: boolean;
}

/**
 * Whether the text holds one of the token values from the environment. (A loop, not `some` with an
 * arrow: the arrow would capture the text, and V8 would allocate a context and a closure for each
 * of the ~160,000 strings a 10,000-item plan holds.)
 */
function holdsKnownSecret(text: string, knownSecrets: readonly string[]): boolean {
  for (let i = 0; i < knownSecrets.length; i++) if (text.includes(knownSecrets[i]!)) return true;
  return false;
}

/** Credential shapes in a parsed JSON value, with the JSON path of each (values never echoed). */
export function findSecrets(value: unknown, knownSecrets: string[] = [], path = ""): SecretFinding[] {
  // A lone scalar (a copied value, checked on its own) holds a credential only as text with a hint of one.
  if (typeof value !== "object" || value === null) {
    if (typeof value !== "string" || (!holdsKnownSecret(value, knownSecrets) && !hasShapeHint(value))) return [];
  }
  const findings: SecretFinding[] = [];
  // Path parts are kept on a stack and joined only for a finding: plans have ~100k nodes.
  const parts: (string | number)[] = [];
  const pathNow = (): string => parts.reduce<string>((at, part) => (typeof part === "number" ? `${at}[${part}]` : joinPath(at, part)), path);
  // Key names repeat (every item of a plan has the same few): what a name says is worked out once.
  const names = new Map<string, KeyVerdict>();
  const judge = (name: string): KeyVerdict => {
    let verdict = names.get(name);
    if (!verdict) {
      const shape = holdsKnownSecret(name, knownSecrets) ? "the value of a token from the environment" : describeShape(name);
      verdict = { shape, keyField: KEY_FIELD.test(name), secretKey: isSecretKey(name) };
      names.set(name, verdict);
    }
    return verdict;
  };
  const visit = (node: unknown, key: string | undefined): void => {
    if (typeof node === "string") {
      if (holdsKnownSecret(node, knownSecrets)) {
        findings.push({ path: pathNow(), message: "holds the value of a token from the environment" });
        return;
      }
      const shape = describeShape(node);
      if (shape) {
        findings.push({ path: pathNow(), message: `looks like ${shape}` });
        return;
      }
      if (key === undefined) return;
      const { keyField, secretKey } = judge(key);
      if (keyField && HEX40.test(node)) {
        findings.push({ path: pathNow(), message: `key '${key}' holds a 40-hex value shaped like a NetBox v1 token` });
        return;
      }
      if (secretKey && node.trim() !== "") {
        findings.push({
          path: pathNow(),
          message: HEX40.test(node)
            ? `key '${key}' holds a 40-hex value shaped like a NetBox v1 token`
            : `key '${key}' holds a credential value`,
        });
      }
      return;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        parts.push(i);
        visit(node[i], key);
        parts.pop();
      }
      return;
    }
    if (typeof node !== "object" || node === null) return;
    // Keys then values by index: entry pairs and iterator results, made for every object of a
    // plan, were a sixth of what a 10,000-item validation allocated.
    const map = node instanceof Map ? node : undefined;
    const keys = map ? [...map.keys()] : Object.keys(node);
    for (let i = 0; i < keys.length; i++) {
      // A credential pasted as a key name: reported at the object, so the path never spells it.
      const { shape } = judge(String(keys[i]));
      if (shape) findings.push({ path: pathNow(), message: `a key of this object looks like ${shape}` });
    }
    for (let i = 0; i < keys.length; i++) {
      const name = String(keys[i]);
      parts.push(name);
      visit(map ? map.get(keys[i]) : (node as Record<string, unknown>)[name], name);
      parts.pop();
    }
  };
  visit(value, undefined);
  return findings;
}

export function joinPath(base: string, key: string): string {
  const part = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
  if (base === "") return /^[A-Za-z_$]/.test(part) ? part : `[${part}]`;
  return /^[A-Za-z_$]/.test(part) ? `${base}.${part}` : `${base}[${part}]`;
}

/** Replaces known secret values and credential shapes in free text. */
export function redactText(text: string, knownSecrets: string[] = secretValuesFromEnv()): string {
  let out = text;
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  if (!hasShapeHint(out)) return out;
  return out
    .replace(PRIVATE_KEY, REDACTED)
    .replace(NBT_TOKEN, REDACTED)
    .replace(AUTH_HEADER, (_m, prefix: string, quote: string) => `${prefix}${quote}${REDACTED}`)
    .replace(SCHEME_VALUE, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(URL_USERINFO_G, (_m, scheme: string) => `${scheme}${REDACTED}@`)
    .replace(CREDENTIAL_PARAM_G, (_m, name: string) => `${name}${REDACTED}`)
    .replace(KEY_VALUE_TEXT_G, (_m, name: string) => `${name}${REDACTED}`);
}

/**
 * What kind of credential a single value holds (a flag, an id, a URL), or undefined: every shape
 * the plan checks find, a token value from the environment, any URL user-info, a credential-named
 * query parameter, and a NetBox v1 token (40 hex digits) on its own.
 */
export function credentialIn(value: string, knownSecrets: string[] = secretValuesFromEnv()): string | undefined {
  if (holdsKnownSecret(value, knownSecrets)) return "the value of a token from the environment";
  const shape = describeShape(value);
  if (shape) return shape;
  if (URL_USERINFO.test(value)) return "a URL with user-info (user name or password)";
  if (URL_CREDENTIAL_PARAM.test(value)) return "a URL with a credential query parameter";
  if (/(?:^|[^0-9a-f])[0-9a-f]{40}(?:$|[^0-9a-f])/i.test(value)) return "a 40-hex value shaped like a NetBox v1 token";
  return undefined;
}

/**
 * Refuses (exit 2) a flag or input value that holds a credential, before anything is written or
 * sent. The message names where, never the value.
 */
export function assertNoCredential(value: string | undefined, where: string, knownSecrets: string[] = secretValuesFromEnv()): void {
  if (value === undefined) return;
  const shape = credentialIn(value, knownSecrets);
  if (shape === undefined) return;
  throw new UserError(`${where} looks like it holds ${shape}; refusing before anything is written or sent`, {
    where,
    hint: "credentials go in the environment (NETBOX_READ_TOKEN / NETBOX_WRITE_TOKEN), never in a flag, a name or a URL",
  });
}

/** A redacted deep copy of a JSON-like value: secret-keyed strings and credential shapes. */
export function redactValue<T>(value: T, knownSecrets: string[] = secretValuesFromEnv()): T {
  const visit = (node: unknown, key: string | undefined): unknown => {
    if (typeof node === "string") {
      if (key !== undefined && isSecretKey(key) && node.trim() !== "") return REDACTED;
      return redactText(node, knownSecrets);
    }
    if (Array.isArray(node)) return node.map((item) => visit(item, key));
    if (node instanceof Map) return new Map([...node].map(([k, item]) => [k, visit(item, String(k))]));
    if (node !== null && typeof node === "object" && Object.getPrototypeOf(node) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(node)) out[k] = visit(item, k);
      return out;
    }
    return node;
  };
  return visit(value, undefined) as T;
}

/**
 * The last line of defence before bytes reach a file or a stream: refuses text that still holds a
 * token value from the environment.
 */
export function assertNoKnownSecret(text: string, what: string, knownSecrets: string[] = secretValuesFromEnv()): void {
  if (holdsKnownSecret(text, knownSecrets)) {
    throw new UserError(`refusing to write ${what}: it would contain a token value`, {
      exitCode: ExitCode.gateRefused,
      hint: "this is a bug in redaction; nothing was written",
    });
  }
}
