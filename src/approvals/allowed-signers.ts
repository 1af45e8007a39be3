import { parseSshPublicKey, sshFingerprint, SshWireReader, type SshPublicKey } from "./ssh-key.js";

/**
 * `<approvals-root>/allowed_signers` in OpenSSH's format (ssh-keygen(1), "ALLOWED SIGNERS"):
 * `principals [options] keytype base64-key [comment]`. Who is who is a key: opsgate goes from the
 * key in a signature to the one principal it belongs to. So, stricter than OpenSSH: a principal
 * is a plain name (no wildcard pattern), `cert-authority` is not supported, and a key listed under
 * two principals belongs to nobody (its signatures are refused).
 */
export interface SignerEntry {
  principal: string;
  key: SshPublicKey;
  fingerprint: string;
  line: number;
  /** `namespaces="..."` patterns; undefined when the line allows every namespace. */
  namespaces?: string[];
  validAfter?: number;
  validBefore?: number;
}

export interface AllowedSigners {
  /** By key blob (base64). */
  byKey: Map<string, SignerEntry[]>;
  principals: Set<string>;
}

export class AllowedSignersError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const PRINCIPAL = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

/** Splits `a,b="x,y",c` at commas outside quotes. */
function splitOptions(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === "," && !quoted) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  if (quoted) throw new Error("unterminated quote in options");
  out.push(current);
  return out;
}

/** Next whitespace-separated token, a quoted span kept whole (options may quote spaces). */
function nextToken(text: string): [string, string] {
  let i = 0;
  let quoted = false;
  while (i < text.length && (quoted || !/\s/.test(text[i]!))) {
    if (text[i] === '"') quoted = !quoted;
    i++;
  }
  return [text.slice(0, i), text.slice(i).trimStart()];
}

/** `YYYYMMDD[HHMM[SS]][Z]`, as ssh-keygen reads it (local time without Z; opsgate reads UTC always). */
function parseTime(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?Z?$/.exec(value);
  if (!m) throw new Error(`bad time ${JSON.stringify(value)} (YYYYMMDD[HHMM[SS]][Z])`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  if (Number.isNaN(ms)) throw new Error(`bad time ${JSON.stringify(value)}`);
  return ms;
}

function isKeyType(token: string): boolean {
  return /^(ssh-|ecdsa-|sk-)/.test(token);
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
}

function parseLine(raw: string, lineNo: number): SignerEntry[] {
  const [principalsText, afterPrincipals] = nextToken(raw.trim());
  let rest = afterPrincipals;
  const [maybeOptions, afterOptions] = nextToken(rest);
  let options: string[] = [];
  if (!isKeyType(maybeOptions)) {
    options = splitOptions(maybeOptions);
    rest = afterOptions;
  }
  const [type, afterType] = nextToken(rest);
  const [base64] = nextToken(afterType);
  if (!type || !base64) throw new AllowedSignersError(lineNo, "expected `principal [options] keytype base64-key`");
  const entry: Omit<SignerEntry, "principal"> = { key: undefined as unknown as SshPublicKey, fingerprint: "", line: lineNo };
  for (const option of options) {
    const eq = option.indexOf("=");
    const name = (eq < 0 ? option : option.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? "" : unquote(option.slice(eq + 1));
    if (name === "namespaces") entry.namespaces = value.split(",").map((p) => p.trim()).filter((p) => p !== "");
    else if (name === "valid-after") entry.validAfter = parseTime(value);
    else if (name === "valid-before") entry.validBefore = parseTime(value);
    else if (name === "cert-authority") throw new AllowedSignersError(lineNo, "cert-authority lines are not supported: list each person's key");
    else throw new AllowedSignersError(lineNo, `unknown option ${JSON.stringify(name)}`);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new AllowedSignersError(lineNo, "the key is not base64");
  const blob = Buffer.from(base64, "base64");
  try {
    if (new SshWireReader(blob).text() !== type) throw new Error(`key type ${type} does not match the key`);
    entry.key = parseSshPublicKey(blob);
  } catch (error) {
    throw new AllowedSignersError(lineNo, (error as Error).message);
  }
  entry.fingerprint = sshFingerprint(blob);
  const principals = principalsText.split(",");
  for (const principal of principals) {
    if (!PRINCIPAL.test(principal)) {
      throw new AllowedSignersError(lineNo, `principal ${JSON.stringify(principal)} is not a plain name (letters, digits, . _ @ + -; no wildcards): opsgate records it as the actor`);
    }
  }
  return principals.map((principal) => ({ ...entry, principal }));
}

export function parseAllowedSigners(text: string): AllowedSigners {
  const byKey = new Map<string, SignerEntry[]>();
  const principals = new Set<string>();
  const folded = new Map<string, string>();
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    let entries: SignerEntry[];
    try {
      entries = parseLine(line, index + 1);
    } catch (error) {
      if (error instanceof AllowedSignersError) throw error;
      throw new AllowedSignersError(index + 1, (error as Error).message);
    }
    for (const entry of entries) {
      // Two principals that differ only in case (ops.maria, OPS.MARIA) would read as one person.
      const skeleton = entry.principal.toLowerCase();
      const twin = folded.get(skeleton);
      if (twin !== undefined && twin !== entry.principal) {
        throw new AllowedSignersError(entry.line, `principal ${JSON.stringify(entry.principal)} differs from ${JSON.stringify(twin)} only in case: one person, one name`);
      }
      folded.set(skeleton, entry.principal);
      const id = entry.key.blob.toString("base64");
      byKey.set(id, [...(byKey.get(id) ?? []), entry]);
      principals.add(entry.principal);
    }
  });
  return { byKey, principals };
}

/** OpenSSH's pattern match: `*` and `?`. */
export function matchPattern(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "s");
  return re.test(value);
}

export type SignerLookup = { ok: true; principal: string; fingerprint: string } | { ok: false; code: "unknown_signer" | "ambiguous_signer"; message: string };

/**
 * The principal a key belongs to for this namespace at time `at`: exactly one, or a refusal.
 */
export function principalOf(signers: AllowedSigners, key: SshPublicKey, namespace: string, at: number): SignerLookup {
  const fingerprint = sshFingerprint(key.blob);
  const entries = signers.byKey.get(key.blob.toString("base64")) ?? [];
  const names = [...new Set(entries.map((e) => e.principal))].sort();
  if (names.length > 1) {
    return { ok: false, code: "ambiguous_signer", message: `key ${fingerprint} is listed under ${names.length} principals (${names.join(", ")}) in allowed_signers: it names nobody` };
  }
  if (names.length === 0) return { ok: false, code: "unknown_signer", message: `key ${fingerprint} is not in allowed_signers` };
  const usable = entries.filter(
    (e) =>
      (e.namespaces === undefined || e.namespaces.some((p) => matchPattern(p, namespace))) &&
      (e.validAfter === undefined || at >= e.validAfter) &&
      (e.validBefore === undefined || at < e.validBefore),
  );
  if (usable.length === 0) {
    return { ok: false, code: "unknown_signer", message: `key ${fingerprint} of ${names[0]!} is not allowed for namespace ${namespace} at that time (allowed_signers line ${entries[0]!.line})` };
  }
  return { ok: true, principal: names[0]!, fingerprint };
}
