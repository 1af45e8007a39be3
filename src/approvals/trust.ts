import { closeSync, fstatSync, openSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { readOpenFileCapped } from "../io/files.js";
import { JsonSyntaxError, parseJson } from "../json/read.js";
import { ApprovalPolicySchema, type ApprovalPolicy } from "../schemas/approval-policy.js";
import { readAuditIndex } from "../audit/anchors.js";
import { AllowedSignersError, parseAllowedSigners, type AllowedSigners } from "./allowed-signers.js";
import { issuePath } from "./parse.js";
import type { Trust } from "./verify.js";

const MAX_TRUST_FILE_BYTES = 4 * 1024 * 1024;

export function allowedSignersPath(root: string): string {
  return join(root, "allowed_signers");
}

export function policyPath(root: string): string {
  return join(root, "policy.json");
}

/** A regular file's bytes, or undefined when it does not exist (a folder, a FIFO: an input error). */
function readOptional(path: string, what: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UserError(`cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? "error"})`, { where: path });
  }
  try {
    if (!fstatSync(fd).isFile()) throw new UserError(`${what} is not a regular file`, { where: path });
    const bytes = readOpenFileCapped(fd, MAX_TRUST_FILE_BYTES + 1);
    if (bytes.length > MAX_TRUST_FILE_BYTES) throw new UserError(`${what} is larger than ${MAX_TRUST_FILE_BYTES} bytes`, { where: path });
    return bytes;
  } finally {
    closeSync(fd);
  }
}

export function loadAllowedSigners(root: string): { signers: AllowedSigners; found: boolean } {
  const path = allowedSignersPath(root);
  const bytes = readOptional(path, "allowed_signers");
  if (bytes === undefined) return { signers: { byKey: new Map(), principals: new Set() }, found: false };
  try {
    return { signers: parseAllowedSigners(bytes.toString("utf8")), found: true };
  } catch (error) {
    if (!(error instanceof AllowedSignersError)) throw error;
    throw new UserError(`allowed_signers is malformed: ${error.message}`, { where: `${path}:${error.line}`, hint: "each line is `principal [namespaces=\"...\"] ssh-ed25519 AAAA... [comment]` (ssh-keygen(1), ALLOWED SIGNERS)" });
  }
}

export function loadPolicy(root: string): ApprovalPolicy | undefined {
  const path = policyPath(root);
  const bytes = readOptional(path, "policy.json");
  if (bytes === undefined) return undefined;
  let value;
  try {
    value = parseJson(bytes, { onDuplicateKey: (_c, key) => { throw new JsonSyntaxError(`duplicate key ${JSON.stringify(key)}`, 0, 0); } });
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new UserError(`policy.json is not valid JSON: ${error.message}`, { where: path });
  }
  const checked = ApprovalPolicySchema.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new UserError(`policy.json is not a valid approval_policy_v1: ${issue ? `${issuePath(issue)}: ${issue.message}` : "schema violation"}`, { where: path, hint: "`opsgate schema approval-policy` prints its JSON Schema" });
  }
  return value as unknown as ApprovalPolicy;
}

/**
 * Everything a reader of records needs to verify them, read once per run: allowed_signers, the
 * policy, and the audit log (anchors and roll-backs). Malformed trust files are input errors.
 */
export function loadTrust(root: string, options: { auditLog?: string } = {}): Trust {
  const { signers, found } = loadAllowedSigners(root);
  return {
    signers,
    signersPath: allowedSignersPath(root),
    signersFound: found,
    policy: loadPolicy(root),
    audit: readAuditIndex(options.auditLog ?? join(root, "audit.jsonl")),
  };
}
