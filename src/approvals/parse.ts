import type * as z from "../schemas/zod.js";
import { JsonSyntaxError, parseJson } from "../json/read.js";
import type { JsonValue } from "../json/value.js";
import { isJsonObject } from "../json/value.js";
import { joinPath } from "../guards/secrets.js";
import { safeParseApprovalRecord, type ApprovalRecord } from "../schemas/approval-record.js";

export const RECORD_SCHEMA_VERSION = "approval_record_v1";

export type RecordParse =
  | { kind: "record"; record: ApprovalRecord }
  /** Valid JSON that is not an approval record (a batch plan kept in approved/, say). */
  | { kind: "other"; schemaVersion: string | undefined }
  | { kind: "malformed"; message: string }
  | { kind: "invalid"; path: string; message: string };

/** `items[0].payload_sha256` from a zod issue (an unknown key is named too). */
export function issuePath(issue: z.core.$ZodIssue): string {
  let path = "";
  for (const part of issue.path) {
    path = typeof part === "number" ? `${path}[${part}]` : joinPath(path, String(part));
  }
  if (issue.code === "unrecognized_keys" && issue.keys[0] !== undefined) path = joinPath(path, issue.keys[0]);
  return path === "" ? "(root)" : path;
}

class DuplicateKeyError extends Error {
  constructor(readonly key: string) {
    super(`duplicate key ${key}`);
  }
}

/** Classifies a file's bytes: a record, another JSON document, malformed JSON, or a bad record. */
export function parseRecordBytes(bytes: Buffer): RecordParse {
  let value: JsonValue;
  try {
    // A repeated key ("state" twice) would let two readers see two records: refused.
    value = parseJson(bytes, {
      refuseLoneSurrogates: true,
      onDuplicateKey: (_container, key) => {
        throw new DuplicateKeyError(key);
      },
    });
  } catch (error) {
    if (error instanceof DuplicateKeyError) return { kind: "malformed", message: `malformed JSON: the key ${JSON.stringify(error.key)} appears twice in one object` };
    if (error instanceof JsonSyntaxError) return { kind: "malformed", message: `malformed JSON: ${error.message}` };
    throw error;
  }
  const version = isJsonObject(value) ? value.schema_version : undefined;
  if (version !== RECORD_SCHEMA_VERSION) {
    return { kind: "other", schemaVersion: typeof version === "string" ? version : undefined };
  }
  const checked = safeParseApprovalRecord(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return issue
      ? { kind: "invalid", path: issuePath(issue), message: issue.message }
      : { kind: "invalid", path: "(root)", message: "does not match approval_record_v1" };
  }
  // The value as read, not zod's output: `z.trim()` in the schema must not rewrite what was hashed.
  return { kind: "record", record: value as unknown as ApprovalRecord };
}
