import { principalOf } from "./allowed-signers.js";
import type { Refusal } from "./refusal.js";
import { readSigningKey, SigningError, type SigningKey } from "./sign.js";
import { namespaceOf, type SignedAction } from "./statement.js";
import type { Trust } from "./verify.js";

export type SignerIdentity = { ok: true; key: SigningKey; principal: string } | { ok: false; actor: string; refusal: Refusal };

/**
 * The principal behind a signing key: the one name allowed_signers lists for it. A claimed name
 * (--actor, OPSGATE_ACTOR) is only checked against it: it never chooses who acts.
 */
export async function resolveSigner(trust: Trust, keyPath: string | undefined, action: SignedAction, claimed: string | undefined, now: Date): Promise<SignerIdentity> {
  const claim = claimed?.trim() ?? "";
  if (keyPath === undefined || keyPath.trim() === "") {
    return {
      ok: false,
      actor: claim,
      refusal: { code: "missing_signing_key", message: "no signing key: every transition is signed", hint: "pass --signing-key ~/.ssh/id_ed25519 (or its .pub with the key in ssh-agent), or set OPSGATE_SIGNING_KEY" },
    };
  }
  let key: SigningKey;
  try {
    key = await readSigningKey(keyPath);
  } catch (error) {
    if (!(error instanceof SigningError)) throw error;
    return { ok: false, actor: claim, refusal: { code: "signing_failed", message: error.message, ...(error.hint ? { hint: error.hint } : {}) } };
  }
  const who = principalOf(trust.signers, key.publicKey, namespaceOf(action), now.getTime());
  if (!who.ok) {
    const where = trust.signersFound ? "" : ` (there is no ${trust.signersPath})`;
    return { ok: false, actor: claim, refusal: { code: who.code, message: `${who.message}${where}`, hint: "add `<principal> <public key>` to allowed_signers and have it reviewed and committed" } };
  }
  if (claim !== "" && claim !== who.principal) {
    return {
      ok: false,
      actor: claim,
      refusal: { code: "actor_mismatch", message: `the signing key belongs to ${who.principal}, not ${claim}`, hint: "drop --actor/OPSGATE_ACTOR (the key says who you are) or use your own key" },
    };
  }
  return { ok: true, key, principal: who.principal };
}
