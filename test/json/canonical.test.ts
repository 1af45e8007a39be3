import { describe, expect, it } from "vitest";
import { seeded } from "../helpers/seeded.js";
import { canonicalJson, canonicalSha256Streamed } from "../../src/json/canonical.js";
import type { JsonValue } from "../../src/json/value.js";
import { jcs, sha256 } from "../helpers/jcs.js";

// canonicalJson remembers the sorted members of the last object shapes it met (plans repeat a few
// shapes thousands of times). Whatever the mix of shapes and key orders, the text stays RFC 8785's.
const KEYS = ["b", "a", "é", "A", "$ref", "10", "2", "z_z", "\u{1F600}", "ﬀ"];

/** Objects of many shapes: a deterministic walk through key subsets and orders, nested. */
function objects(count: number): JsonValue[] {
  const out: JsonValue[] = [];
  const next = seeded(7);
  for (let i = 0; i < count; i++) {
    const keys = KEYS.filter(() => next(3) !== 0);
    for (let j = keys.length - 1; j > 0; j--) {
      const k = next(j + 1);
      [keys[j], keys[k]] = [keys[k] as string, keys[j] as string];
    }
    const object: Record<string, JsonValue> = {};
    for (const key of keys) object[key] = next(4) === 0 ? { [key]: i, x: [key, null, true] } : `${key}-${i}`;
    out.push(object);
  }
  return out;
}

describe("canonical JSON over many object shapes", () => {
  const values = objects(400);

  it("each object's text is RFC 8785's, in any order of shapes", () => {
    for (const value of values) expect(canonicalJson(value)).toBe(jcs(value));
    for (const value of [...values].reverse()) expect(canonicalJson(value)).toBe(jcs(value));
  });

  it("the streamed hash of the whole is the hash of its text", () => {
    expect(canonicalSha256Streamed(values)).toBe(sha256(jcs(values)));
  });

  it("the same members in another order give the same text", () => {
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
    expect(canonicalJson({ a: 2, b: 1 })).toBe('{"a":2,"b":1}');
  });
});
