import { createHash, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from "node:crypto";
import { parseSshPublicKey, sshString, SshWireReader, type SshPublicKey } from "./ssh-key.js";

/**
 * OpenSSH signatures (PROTOCOL.sshsig, what `ssh-keygen -Y sign` writes and git verifies with
 * `gpg.format=ssh`), verified in-process: no process per record.
 */
const MAGIC = Buffer.from("SSHSIG");
const BEGIN = "-----BEGIN SSH SIGNATURE-----";
const END = "-----END SSH SIGNATURE-----";
const HASHES = new Set(["sha256", "sha512"]);

export interface ParsedSshsig {
  publicKey: SshPublicKey;
  namespace: string;
  hashAlgorithm: string;
  sigType: string;
  sigBytes: Buffer;
}

/** Parses the armored signature; throws with what is wrong. */
export function parseSshsig(armored: string): ParsedSshsig {
  const text = armored.trim();
  if (!text.startsWith(BEGIN) || !text.endsWith(END)) throw new Error("not an armored SSH signature (-----BEGIN SSH SIGNATURE-----)");
  const body = text.slice(BEGIN.length, text.length - END.length).replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error("the signature is not base64");
  const blob = Buffer.from(body, "base64");
  const reader = new SshWireReader(blob);
  if (!reader.bytes(6).equals(MAGIC)) throw new Error("bad magic (not SSHSIG)");
  const version = reader.uint32();
  if (version !== 1) throw new Error(`unsupported SSHSIG version ${version}`);
  const keyBlob = reader.string();
  const namespace = reader.text();
  reader.string(); // reserved
  const hashAlgorithm = reader.text();
  const signature = reader.string();
  reader.end();
  if (!HASHES.has(hashAlgorithm)) throw new Error(`unsupported hash algorithm ${JSON.stringify(hashAlgorithm)}`);
  const sigReader = new SshWireReader(signature);
  const sigType = sigReader.text();
  const sigBytes = sigReader.string();
  sigReader.end();
  return { publicKey: parseSshPublicKey(Buffer.from(keyBlob)), namespace, hashAlgorithm, sigType, sigBytes: Buffer.from(sigBytes) };
}

/** The bytes the key actually signs: the magic, the namespace and the message's hash. */
function signedData(namespace: string, hashAlgorithm: string, message: Buffer): Buffer {
  const digest = createHash(hashAlgorithm).update(message).digest();
  return Buffer.concat([MAGIC, sshString(namespace), sshString(""), sshString(hashAlgorithm), sshString(digest)]);
}

/** ECDSA signatures travel as two mpints; node:crypto takes r||s of the curve's size. */
function ecdsaP1363(sigBytes: Buffer, size: number): Buffer {
  const reader = new SshWireReader(sigBytes);
  const r = reader.mpint();
  const s = reader.mpint();
  reader.end();
  if (r.length > size || s.length > size) throw new Error("malformed ECDSA signature");
  const out = Buffer.alloc(2 * size);
  r.copy(out, size - r.length);
  s.copy(out, 2 * size - s.length);
  return out;
}

/**
 * True when `parsed` is a valid signature of `message` under `namespace`. The namespace is part
 * of what was signed, so an `approve` signature never verifies as a `reject` one.
 */
export function verifySshsig(parsed: ParsedSshsig, namespace: string, message: Buffer): boolean {
  if (parsed.namespace !== namespace) return false;
  const data = signedData(namespace, parsed.hashAlgorithm, message);
  const { publicKey: pk, sigType, sigBytes } = parsed;
  try {
    if (pk.type === "ssh-ed25519") return sigType === "ssh-ed25519" && cryptoVerify(null, data, pk.key, sigBytes);
    if (pk.type === "ssh-rsa") {
      // SHA-1 ("ssh-rsa") signatures are refused, as OpenSSH does for SSHSIG.
      const hash = sigType === "rsa-sha2-256" ? "sha256" : sigType === "rsa-sha2-512" ? "sha512" : undefined;
      return hash !== undefined && cryptoVerify(hash, data, pk.key, sigBytes);
    }
    if (pk.curve && sigType === pk.type) {
      return cryptoVerify(pk.curve.hash, data, { key: pk.key, dsaEncoding: "ieee-p1363" }, ecdsaP1363(sigBytes, pk.curve.size));
    }
  } catch {
    return false;
  }
  return false;
}

function armor(blob: Buffer): string {
  const lines = blob.toString("base64").match(/.{1,70}/g) ?? [];
  return `${BEGIN}\n${lines.join("\n")}\n${END}\n`;
}

/**
 * An ed25519 SSHSIG made in-process, byte-for-byte what `ssh-keygen -Y sign` writes (ed25519 is
 * deterministic). Used by the fixture generator and tests with keys held by node:crypto; people
 * sign through ssh-keygen (see sign.ts) so their keys stay in their files or their agent.
 */
export function signSshsigEd25519(privateKey: KeyObject, publicBlob: Buffer, namespace: string, message: Buffer): string {
  const data = signedData(namespace, "sha512", message);
  const sig = cryptoSign(null, data, privateKey);
  const signature = Buffer.concat([sshString("ssh-ed25519"), sshString(sig)]);
  const version = Buffer.alloc(4);
  version.writeUInt32BE(1);
  const blob = Buffer.concat([MAGIC, version, sshString(publicBlob), sshString(namespace), sshString(""), sshString("sha512"), sshString(signature)]);
  return armor(blob);
}

/** The OpenSSH wire blob of an ed25519 node:crypto public key. */
export function ed25519Blob(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: "jwk" });
  return Buffer.concat([sshString("ssh-ed25519"), sshString(Buffer.from(jwk.x ?? "", "base64url"))]);
}
