import { readFileSync } from "node:fs";
import type { execa as Execa } from "execa";
import { redactText } from "../guards/secrets.js";
import { parseAuthorizedKeyLine, parseSshPublicKey, type SshPublicKey } from "./ssh-key.js";

/**
 * Signing through OpenSSH, as git does with `gpg.format=ssh`: `ssh-keygen -Y sign -f KEY -n NS`.
 * KEY is a private key file, or a public key (`.pub`) whose private half ssh-agent holds
 * (SSH_AUTH_SOCK). Where the key comes from: --signing-key, else OPSGATE_SIGNING_KEY (git's
 * user.signingkey). Verification never runs a process (sshsig.ts).
 */
export interface SigningKey {
  path: string;
  publicKey: SshPublicKey;
}

export class SigningError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

// execa is loaded only when a transition is signed (start-up of every other command stays light).
async function execaOf(): Promise<typeof Execa> {
  return (await import("execa")).execa;
}

/** The public half: KEY itself when it is a .pub, else KEY.pub, else what `ssh-keygen -y` derives. */
export async function readSigningKey(path: string): Promise<SigningKey> {
  const candidates = path.endsWith(".pub") ? [path] : [`${path}.pub`];
  for (const candidate of candidates) {
    let text: string;
    try {
      text = readFileSync(candidate, "utf8");
    } catch {
      continue;
    }
    try {
      return { path, publicKey: parseSshPublicKey(parseAuthorizedKeyLine(text).blob) };
    } catch (error) {
      throw new SigningError(`${candidate} is not a usable OpenSSH public key: ${(error as Error).message}`);
    }
  }
  if (path.endsWith(".pub")) throw new SigningError(`cannot read the public key ${path}`, "pass a key file made by ssh-keygen -t ed25519 (or its .pub with the key in ssh-agent)");
  const execa = await execaOf();
  const derived = await execa("ssh-keygen", ["-y", "-f", path], { reject: false, stdin: "ignore", timeout: 30_000 });
  if (derived.exitCode !== 0) {
    throw new SigningError(`cannot read the signing key ${path}: ${redactText(String(derived.stderr || derived.message)).trim().split("\n")[0] ?? "ssh-keygen failed"}`, "check the path (ssh-keygen -t ed25519 -f FILE makes one)");
  }
  try {
    return { path, publicKey: parseSshPublicKey(parseAuthorizedKeyLine(String(derived.stdout)).blob) };
  } catch (error) {
    throw new SigningError(`the signing key ${path} is not usable: ${(error as Error).message}`);
  }
}

/** An armored SSHSIG of `message` in `namespace`, made by ssh-keygen (the agent when KEY is a .pub). */
export async function signWithSshKeygen(key: SigningKey, namespace: string, message: Buffer): Promise<string> {
  const execa = await execaOf();
  let result;
  try {
    result = await execa("ssh-keygen", ["-Y", "sign", "-f", key.path, "-n", namespace], { input: message, reject: false, timeout: 120_000, stripFinalNewline: false });
  } catch (error) {
    throw new SigningError(`cannot run ssh-keygen: ${(error as Error).message}`, "install OpenSSH (Debian: apt-get install openssh-client)");
  }
  if (result.exitCode !== 0 || !String(result.stdout).includes("-----BEGIN SSH SIGNATURE-----")) {
    const why = redactText(String(result.stderr).replace(/^Signing data on standard input\s*/m, "")).trim().split("\n")[0] || (result.failed ? result.shortMessage : "no signature produced");
    throw new SigningError(`ssh-keygen could not sign with ${key.path}: ${why}`, "a .pub key needs its private half in ssh-agent (ssh-add); a private key needs mode 600 and no passphrase prompt");
  }
  return String(result.stdout);
}
