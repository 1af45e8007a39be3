import * as z from "./zod.js";
import { ID_PATTERN } from "../guards/paths.js";
import { credentialIn } from "../guards/secrets.js";
import { isRealTimestamp } from "../clock/timestamps.js";

/** An id that becomes a file name (batch_id, item_id, approval_id). */
export const IdSchema = z.string().check(
  z.regex(ID_PATTERN, "must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"),
  // Ids become file names and summary values: one shaped like a token must never be either.
  z.refine((id) => credentialIn(id) === undefined, "looks like a credential (ids become file names)"),
);

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** A lower-case SHA-256 hex digest. */
export const Sha256Schema = z.string().check(z.regex(SHA256_PATTERN, "must be a lower-case SHA-256 hex digest"));

/** An ISO 8601 timestamp with an offset, e.g. 2026-05-01T10:00:00+08:00. */
export const TimestampSchema = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, "must be an ISO 8601 timestamp with an offset"),
  z.refine(isRealTimestamp, "must be a real date and time"),
);

export const NonEmptyStringSchema = z.string().check(z.trim(), z.minLength(1, "must not be empty"));

export const DeviceRefSchema = z.strictObject({
  /** NetBox device id. */
  id: z.number().check(z.int(), z.positive()),
  /** NetBox device name. */
  name: NonEmptyStringSchema,
});

/*
 * Sure-acceptance predicates: the fast path for the many small objects of a large document (a
 * 10,000-item plan, a record approving thousands of items). Each is true only where its schema
 * surely accepts the value; false means "not sure", and the caller asks zod, which also words the
 * issue. `secrets` is `secretValuesFromEnv()`, read once per document instead of once per id.
 */

/** `IdSchema` surely accepts `value`. */
export function surelyId(value: unknown, secrets: string[]): value is string {
  return typeof value === "string" && ID_PATTERN.test(value) && credentialIn(value, secrets) === undefined;
}

/** `NonEmptyStringSchema` surely accepts `value`. */
export function surelyNonEmpty(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/** `Sha256Schema` surely accepts `value`. */
export function surelySha256(value: unknown): value is string {
  return typeof value === "string" && SHA256_PATTERN.test(value);
}

/** `value` is an ordinary object (zod's strict objects and records take it), with exactly `keys` when given. */
export function surelyPlainObject(value: unknown, keys?: readonly string[]): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return keys === undefined || (Object.keys(value).length === keys.length && keys.every((key) => Object.hasOwn(value, key)));
}
