import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GENESIS_HASH } from "../../src/audit/chain.js";
import { canonicalSha256 } from "../../src/json/canonical.js";
import { decideTransition } from "../../src/approvals/transition.js";
import { ed25519Blob, signSshsigEd25519 } from "../../src/approvals/sshsig.js";
import { namespaceOf, statementFor, statementMessage } from "../../src/approvals/statement.js";
import type { TransitionAction } from "../../src/approvals/states.js";
import type { ApprovalRecord } from "../../src/schemas/approval-record.js";

/**
 * Signing in-process for fixtures and tests: ed25519 keys held by node:crypto, signatures
 * byte-for-byte what `ssh-keygen -Y sign` writes. TEST-ONLY: fixture keys are derived from a
 * public seed (anyone can recompute them), so they prove nothing outside this repository.
 */
export interface TestKey {
  principal: string;
  privateKey: KeyObject;
  blob: Buffer;
  /** `principal ssh-ed25519 AAAA...` for allowed_signers. */
  line: string;
}

function keyFrom(principal: string, privateKey: KeyObject): TestKey {
  const blob = ed25519Blob(createPublicKey(privateKey));
  return { principal, privateKey, blob, line: `${principal} ssh-ed25519 ${blob.toString("base64")}` };
}

/** A deterministic TEST-ONLY key: the seed is SHA-256 of a public phrase. */
export function fixtureKey(principal: string): TestKey {
  const seed = Buffer.from(canonicalSha256(`opsgate TEST-ONLY fixture key for ${principal}`), "hex");
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  return keyFrom(principal, createPrivateKey({ key: der, format: "der", type: "pkcs8" }));
}

/** A fresh key generated at run time. */
export function freshKey(principal: string): TestKey {
  return keyFrom(principal, generateKeyPairSync("ed25519").privateKey);
}

/** A fresh OpenSSH key file made by ssh-keygen, its principal appended to `<root>/allowed_signers`. */
export function addSshKeygenSigner(root: string, principal: string): string {
  const dir = mkdtempSync(join(tmpdir(), "opsgate-key-"));
  const path = join(dir, "id_ed25519");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", principal, "-f", path]);
  const pub = readFileSync(`${path}.pub`, "utf8").trim().split(/\s+/);
  appendFileSync(join(root, "allowed_signers"), `${principal} ${pub[0]} ${pub[1]}\n`);
  return path;
}

export interface Step {
  action: TransitionAction | "create";
  /** apply only. */
  batchId?: string;
  key: TestKey;
  reason: string;
  at: string;
  expiresInDays?: number;
  /** An approve that still needs more approvers keeps the record pending. */
  collect?: boolean;
  auditHead?: { seq: number; hash: string };
}

export interface NewRecord {
  approval_id: string;
  device: { id: number; name: string };
  risk_level: ApprovalRecord["risk_level"];
  summary: string;
  items: ApprovalRecord["items"];
}

function signed(next: ApprovalRecord, step: Step, action: Exclude<Step["action"], "apply">, expiresAt: string | null): ApprovalRecord {
  const statement = statementFor({ action, next, expiresAt, auditHead: step.auditHead ?? { seq: 0, hash: GENESIS_HASH } });
  const signature = signSshsigEd25519(step.key.privateKey, step.key.blob, namespaceOf(action), statementMessage(statement));
  return { ...next, signatures: [...(next.signatures ?? []), { statement, signature }] };
}

/** Builds a signed record by replaying steps (create first), as opsgate would have written it. */
export function buildSignedRecord(base: NewRecord, steps: Step[]): ApprovalRecord {
  const [create, ...rest] = steps;
  if (!create || create.action !== "create") throw new Error("the first step is create");
  let record: ApprovalRecord = {
    schema_version: "approval_record_v1",
    approval_id: base.approval_id,
    state: "proposed",
    device: base.device,
    requested_by: create.key.principal,
    requested_at: create.at,
    risk_level: base.risk_level,
    summary: base.summary,
    items: base.items,
    subject_sha256: canonicalSha256(base.items),
    decision: null,
    applied: null,
    state_history: [{ from: null, to: "proposed", actor: create.key.principal, reason: create.reason, at: create.at }],
  };
  record = signed(record, create, "create", null);
  for (const step of rest) {
    if (step.action === "create") throw new Error("create only once");
    const decision = decideTransition(record, { folder: record.state, fileName: `${record.approval_id}.json` }, {
      action: step.action,
      actor: step.key.principal,
      reason: step.reason,
      now: new Date(step.at),
      ...(step.expiresInDays === undefined ? {} : { expiresInDays: step.expiresInDays }),
      ...(step.batchId === undefined ? {} : { batchId: step.batchId, validAt: new Date(step.at) }),
    });
    if (!decision.ok) throw new Error(`${step.action}: ${decision.refusal.code} ${decision.refusal.message}`);
    let next = decision.record;
    if (step.collect && step.action === "approve") {
      next = { ...next, state: "pending", decision: record.decision, state_history: next.state_history.map((h, i) => (i === next.state_history.length - 1 ? { ...h, to: "pending" } : h)) };
    }
    record = step.action === "apply" ? next : signed(next, step, step.action, decision.expiresAt);
  }
  return record;
}
