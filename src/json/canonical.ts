import { createHash } from "node:crypto";
import { PyFloat, type JsonValue } from "./value.js";

/**
 * RFC 8785 (JCS) canonical JSON, the input of every hash opsgate records (payload_sha256,
 * subject_sha256, plan_sha256, audit chain). Keys are sorted by UTF-16 code unit as the RFC says;
 * numbers use ECMAScript's shortest form; integers beyond 2^53 keep their exact digits.
 */
type JsonObject = Map<string, JsonValue> | { [key: string]: JsonValue };

/** An object's keys in UTF-16 code unit order (RFC 8785), sorted natively. */
function sortedKeys(value: JsonObject): string[] {
  return (value instanceof Map ? [...value.keys()] : Object.keys(value)).sort();
}

/** A member's value (own members only: a parsed "__proto__" member is own and shadows the accessor). */
function member(value: JsonObject, key: string): JsonValue | undefined {
  return value instanceof Map ? value.get(key) : value[key];
}

export function canonicalJson(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number" || value instanceof PyFloat) {
    const n = typeof value === "number" ? value : value.value;
    if (!Number.isFinite(n)) throw new TypeError("canonical JSON cannot hold NaN or Infinity");
    return JSON.stringify(n);
  }
  // Plain loops and string concatenation: this runs over every payload of a 10,000-item plan.
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${out}]`;
  }
  let out = "{";
  let first = true;
  for (const key of sortedKeys(value)) {
    const item = member(value, key);
    if (item === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${canonicalJson(item)}`;
    first = false;
  }
  return `${out}}`;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** SHA-256 of the canonical JSON of `value`. */
export function canonicalSha256(value: JsonValue | undefined): string {
  return sha256Hex(canonicalJson(value));
}

/**
 * SHA-256 of the canonical JSON of `value`, the text fed to the hash in pieces instead of built
 * whole (a 100,000-item plan's text is tens of MB). Same bytes as `canonicalJson`; `textOf` may
 * give the canonical text of a sub-object (fed as it is).
 */
export function canonicalSha256Streamed(value: JsonValue | undefined, textOf?: (node: object) => string | undefined): string {
  const hash = createHash("sha256");
  let pending = "";
  const emit = (text: string): void => {
    pending += text;
    if (pending.length >= 1 << 16) {
      hash.update(pending, "utf8");
      pending = "";
    }
  };
  const walk = (node: JsonValue | undefined): void => {
    if (node === null || node === undefined || typeof node !== "object" || node instanceof PyFloat) {
      emit(canonicalJson(node));
      return;
    }
    const known = textOf?.(node);
    if (known !== undefined) {
      emit(known);
      return;
    }
    if (Array.isArray(node)) {
      emit("[");
      for (let i = 0; i < node.length; i++) {
        if (i > 0) emit(",");
        walk(node[i]);
      }
      emit("]");
      return;
    }
    emit("{");
    let first = true;
    for (const key of sortedKeys(node)) {
      const item = member(node, key);
      if (item === undefined) continue;
      emit(`${first ? "" : ","}${JSON.stringify(key)}:`);
      walk(item);
      first = false;
    }
    emit("}");
  };
  walk(value);
  hash.update(pending, "utf8");
  return hash.digest("hex");
}
