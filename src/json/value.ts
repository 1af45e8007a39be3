/**
 * The JSON value model shared by the reader and the writers.
 *
 * Integers are kept exact: a `number` when it is a safe integer, a `bigint` beyond that.
 * In "python" mode the reader keeps what Python's `json` module would see: objects as `Map`
 * (insertion order with duplicates collapsed, last value wins) and non-integer literals as
 * `PyFloat`, so that `1.0` is written back as `1.0` and not `1`.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type JsonObject = { [key: string]: JsonValue };
export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyFloat
  | JsonValue[]
  | JsonObject
  | Map<string, JsonValue>;

export function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Map) &&
    !(value instanceof PyFloat)
  );
}

/** A short name of a value's JSON type, for error messages. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value instanceof Map) return "object";
  if (value instanceof PyFloat || typeof value === "number" || typeof value === "bigint") {
    return "number";
  }
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  return "object";
}
