import { createHash, createPublicKey, type KeyObject } from "node:crypto";

/**
 * OpenSSH public keys in their wire form (RFC 4253 §6.6, RFC 5656 §3.1), turned into node:crypto
 * keys through JWK. Strict: a trailing byte, a short field or an unknown type is an error.
 */
export class SshWireReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  uint32(): number {
    if (this.pos + 4 > this.buf.length) throw new Error("truncated (uint32)");
    const value = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return value;
  }

  bytes(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new Error("truncated");
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): Buffer {
    return this.bytes(this.uint32());
  }

  text(): string {
    return this.string().toString("latin1");
  }

  /** An mpint without its sign byte (the values here are positive). */
  mpint(): Buffer {
    const raw = this.string();
    if (raw.length > 0 && (raw[0]! & 0x80) !== 0) throw new Error("negative mpint");
    let start = 0;
    while (start < raw.length && raw[start] === 0) start++;
    return raw.subarray(start);
  }

  end(): void {
    if (this.pos !== this.buf.length) throw new Error("trailing bytes");
  }
}

export function sshString(value: Buffer | string): Buffer {
  const data = typeof value === "string" ? Buffer.from(value, "latin1") : value;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
}

const CURVES: Record<string, { crv: string; size: number; hash: string }> = {
  nistp256: { crv: "P-256", size: 32, hash: "sha256" },
  nistp384: { crv: "P-384", size: 48, hash: "sha384" },
  nistp521: { crv: "P-521", size: 66, hash: "sha512" },
};

export interface SshPublicKey {
  /** ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, ... */
  type: string;
  /** The wire blob: what allowed_signers and the SSHSIG blob carry. */
  blob: Buffer;
  key: KeyObject;
  /** ECDSA only: the curve's field size in bytes and its hash. */
  curve?: { size: number; hash: string };
}

const b64url = (buf: Buffer): string => buf.toString("base64url");

// A handful of people sign thousands of records: each key is turned into a KeyObject once.
const parsedKeys = new Map<string, SshPublicKey>();

/** Parses a public key blob (memoized); throws on anything opsgate cannot verify. */
export function parseSshPublicKey(blob: Buffer): SshPublicKey {
  const id = blob.toString("base64");
  let key = parsedKeys.get(id);
  if (!key) {
    key = parseUncached(blob);
    if (parsedKeys.size < 10_000) parsedKeys.set(id, key);
  }
  return key;
}

function parseUncached(blob: Buffer): SshPublicKey {
  const reader = new SshWireReader(blob);
  const type = reader.text();
  if (type === "ssh-ed25519") {
    const pk = reader.string();
    reader.end();
    if (pk.length !== 32) throw new Error("ed25519 key is not 32 bytes");
    return { type, blob, key: createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: b64url(pk) }, format: "jwk" }) };
  }
  if (type === "ssh-rsa") {
    const e = reader.mpint();
    const n = reader.mpint();
    reader.end();
    if (n.length * 8 < 2048) throw new Error(`RSA key of ${n.length * 8} bits: at least 2048 are required`);
    return { type, blob, key: createPublicKey({ key: { kty: "RSA", e: b64url(e), n: b64url(n) }, format: "jwk" }) };
  }
  const ecdsa = /^ecdsa-sha2-(nistp\d+)$/.exec(type);
  const curve = ecdsa ? CURVES[ecdsa[1]!] : undefined;
  if (curve) {
    const name = reader.text();
    const point = reader.string();
    reader.end();
    if (`ecdsa-sha2-${name}` !== type || point.length !== 1 + 2 * curve.size || point[0] !== 0x04) throw new Error("malformed ECDSA key");
    const x = point.subarray(1, 1 + curve.size);
    const y = point.subarray(1 + curve.size);
    return { type, blob, key: createPublicKey({ key: { kty: "EC", crv: curve.crv, x: b64url(x), y: b64url(y) }, format: "jwk" }), curve };
  }
  throw new Error(`unsupported key type ${JSON.stringify(type)} (ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa are)`);
}

/** `SHA256:...` as `ssh-keygen -l` prints it. */
export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** `ssh-ed25519 AAAA... comment` → the key blob (the comment is ignored). */
export function parseAuthorizedKeyLine(line: string): { type: string; blob: Buffer } {
  const [type, base64] = line.trim().split(/\s+/);
  if (!type || !base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new Error("not an OpenSSH public key line");
  const blob = Buffer.from(base64, "base64");
  if (new SshWireReader(blob).text() !== type) throw new Error("the key type does not match the key blob");
  return { type, blob };
}
