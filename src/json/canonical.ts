import * as crypto from "node:crypto";
import { forEachRun, plainShape, type PlainShape } from "./plain.js";
import { PyFloat, type JsonValue } from "./value.js";

/**
 * RFC 8785 (JCS) canonical JSON, the input of every hash opsgate records (payload_sha256,
 * subject_sha256, plan_sha256, audit chain). Keys are sorted by UTF-16 code unit as the RFC says;
 * numbers use ECMAScript's shortest form; integers beyond 2^53 keep their exact digits.
 */
type JsonObject = Map<string, JsonValue> | { [key: string]: JsonValue };

/** An object's keys in UTF-16 code unit order (RFC 8785), each with its text: `"key":`. */
interface Members {
  keys: string[];
  heads: string[];
}

// Plans repeat a few object shapes thousands of times: the sorted members of the last shapes seen
// are kept, found again by comparing the key order (a plain object's keys come back as the same
// strings, so the comparison is cheap), and sorted and quoted only for a new shape.
const SHAPES_KEPT = 16;
const shapes: { order: string[]; members: Members }[] = [];

function sameOrder(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function membersOf(value: JsonObject): Members {
  const order = value instanceof Map ? [...value.keys()] : Object.keys(value);
  for (const shape of shapes) if (sameOrder(shape.order, order)) return shape.members;
  const keys = [...order].sort();
  const members = { keys, heads: keys.map((key) => `${JSON.stringify(key)}:`) };
  if (shapes.length === SHAPES_KEPT) shapes.pop();
  shapes.unshift({ order, members });
  return members;
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
  const { keys, heads } = membersOf(value);
  for (let i = 0; i < keys.length; i++) {
    const item = member(value, keys[i] as string);
    if (item === undefined) continue;
    out += `${first ? "" : ","}${heads[i] as string}${canonicalJson(item)}`;
    first = false;
  }
  return `${out}}`;
}

// One-shot hashing (Node >= 20.12) costs a fifth of a Hash object for the small texts hashed by the
// thousand (payloads, subjects); older Node 20 releases take the Hash object.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

export function sha256Hex(text: string): string {
  return oneShot ? oneShot("sha256", text, "hex") : crypto.createHash("sha256").update(text, "utf8").digest("hex");
}

/** SHA-256 of the canonical JSON of `value`. */
export function canonicalSha256(value: JsonValue | undefined): string {
  return sha256Hex(canonicalJson(value));
}

/** A SHA-256 fed text in pieces of about 64 KiB (a piece per token would cost more than the hash). */
function streamedHash(): { emit: (text: string) => void; digest: () => string } {
  const hash = crypto.createHash("sha256");
  let pending = "";
  return {
    emit: (text) => {
      pending += text;
      if (pending.length >= 1 << 16) {
        hash.update(pending, "utf8");
        pending = "";
      }
    },
    digest: () => hash.update(pending, "utf8").digest("hex"),
  };
}

/**
 * SHA-256 of the canonical JSON of `value`, the text fed to the hash in pieces instead of built
 * whole (a 100,000-item plan's text is tens of MB). Same bytes as `canonicalJson`.
 */
export function canonicalSha256Streamed(value: JsonValue | undefined): string {
  const shape = plainShape(value, { floats: true, surrogates: true });
  if (shape) return plainSha256(value, shape);
  const { emit, digest } = streamedHash();
  const walk = (node: JsonValue | undefined): void => {
    if (node === null || node === undefined || typeof node !== "object" || node instanceof PyFloat) {
      emit(canonicalJson(node));
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
    const { keys, heads } = membersOf(node);
    for (let i = 0; i < keys.length; i++) {
      const item = member(node, keys[i] as string);
      if (item === undefined) continue;
      emit(first ? (heads[i] as string) : `,${heads[i] as string}`);
      walk(item);
      first = false;
    }
    emit("}");
  };
  walk(value);
  return digest();
}

/**
 * `canonicalSha256Streamed` for a plain value (see plain.ts): its large containers are walked, the
 * rest written natively, JSON.stringify writing numbers and strings exactly as canonicalJson does.
 */
function plainSha256(value: unknown, shape: PlainShape): string {
  const { emit, digest } = streamedHash();
  const walk = (node: unknown): void => {
    if (typeof node !== "object" || node === null || !shape.large.has(node)) {
      emit(JSON.stringify(node, shape.keys));
      return;
    }
    if (Array.isArray(node)) {
      forEachRun(
        node,
        shape,
        (run, first) => emit(`${first ? "[" : ","}${JSON.stringify(run, shape.keys).slice(1, -1)}`),
        (element, first) => {
          emit(first ? "[" : ",");
          walk(element);
        },
      );
      emit("]");
      return;
    }
    const record = node as Record<string, unknown>;
    Object.keys(record)
      .sort()
      .forEach((key, i) => {
        emit(`${i === 0 ? "{" : ","}${JSON.stringify(key)}:`);
        walk(record[key]);
      });
    emit("}");
  };
  walk(value);
  return digest();
}
