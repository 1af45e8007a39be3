import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalSha256Streamed } from "../../src/json/canonical.js";
import { pyJsonStringify } from "../../src/json/python.js";
import { JsonReader, MAX_JSON_DEPTH, parseJson } from "../../src/json/read.js";
import type { JsonValue } from "../../src/json/value.js";
import { jcs, sha256 } from "../helpers/jcs.js";

// Large documents are read by JSON.parse and written by JSON.stringify where those give the same
// bytes as opsgate's own reader and writers. Each native path is compared here with the path it
// stands in for, on what they could treat differently.

/** The reader's own value (no native path). */
const readByReader = (text: string, options = {}): JsonValue => new JsonReader(Buffer.from(text, "utf8"), options).parseDocument();

/** Objects turned into Maps: the Python writer then takes its own path, checked against Python's output elsewhere. */
const asMaps = (value: JsonValue): JsonValue =>
  Array.isArray(value)
    ? value.map(asMaps)
    : value !== null && typeof value === "object" && !(value instanceof Map) && Object.getPrototypeOf(value) === Object.prototype
      ? new Map(Object.entries(value).map(([key, item]) => [key, asMaps(item as JsonValue)]))
      : value;

/** A document of some 20,000 nodes: runs of small items, large items among them, every kind of scalar and text. */
function largeDocument(): JsonValue {
  const texts = ['quote " and \\ backslash', "tab\tnew\nline\u0001\u001f\u007f", "é ü 中文", "", "10", "</script>"];
  const small = (i: number): JsonValue => ({ id: i, name: texts[i % texts.length] as string, tags: i % 3 === 0 ? [] : ["a", i], meta: i % 5 === 0 ? {} : { "10": true, "2": null, z: -0, big: 1e21 } });
  const items: JsonValue[] = [];
  for (let i = 0; i < 1200; i++) items.push(i % 400 === 0 || i === 7 ? { id: i, nested: Array.from({ length: 300 }, (_, j) => small(j)) } : small(i));
  return { items, summary: { count: items.length, empty: [], nothing: null }, "é": "last" };
}

describe("reading with JSON.parse where it reads as the reader does", () => {
  it.each([
    ["a plain document", '{"a": [1, -2, 3.5, "x\\"y", true, null], "b": {"c": {}}}'],
    ["integers of 15 digits and floats of many", '[999999999999999, -999999999999999, 1.2345678901234567890, 1e400, -0.0, 0]'],
    ["a __proto__ member", '{"__proto__": {"polluted": true}, "a": 1}'],
    ["escapes and astral characters", '["\\u00e9", "\\ud83d\\ude80", "\\ud800 lone", "a\\\\", "\\\\\\""]'],
  ])("%s: the reader's value", (_name, text) => {
    expect(parseJson(text)).toEqual(readByReader(text));
  });

  it("keeps integers beyond 15 digits exact and an integer -0 as 0, as the reader does", () => {
    expect(parseJson("[12345678901234567890, 9007199254740993, -0]")).toEqual([12345678901234567890n, 9007199254740993n, 0]);
    expect(Object.is((parseJson("[-0]") as number[])[0], 0)).toBe(true);
  });

  it("still reports a repeated key to the caller", () => {
    const seen: string[] = [];
    const value = parseJson('{"a": 1, "b": {"c": 1, "c": 2}}', { onDuplicateKey: (_container, key) => seen.push(key) });
    expect(seen).toEqual(["c"]);
    expect(value).toEqual({ a: 1, b: { c: 2 } });
  });

  it("still refuses a lone surrogate escape when asked to, and nesting beyond the limit", () => {
    expect(() => parseJson('["\\udc00"]', { refuseLoneSurrogates: true })).toThrow("unpaired UTF-16 surrogate");
    expect(parseJson('["\\ud83d\\ude80"]', { refuseLoneSurrogates: true })).toEqual(["\u{1F680}"]);
    expect(() => parseJson(`${"[".repeat(MAX_JSON_DEPTH + 1)}${"]".repeat(MAX_JSON_DEPTH + 1)}`)).toThrow("nested deeper");
    expect(parseJson(`${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`)).toBeInstanceOf(Array);
  });

  it("leaves what JSON.parse refuses to the reader: its values and its errors", () => {
    expect(Number.isNaN(parseJson("NaN"))).toBe(true);
    expect(parseJson("[Infinity, -Infinity]")).toEqual([Infinity, -Infinity]);
    expect(() => parseJson('{"a": tru}')).toThrow("line 1 column 7");
  });

  it("reads a large document as the reader does", () => {
    const text = JSON.stringify(largeDocument(), null, 2);
    expect(parseJson(text)).toEqual(readByReader(text));
  });
});

describe("reading in Python mode (objects as Maps in the order written) with JSON.parse", () => {
  const python = { python: true };
  /** The value with every Map's members in order (toEqual compares Maps regardless of order). */
  const inOrder = (value: JsonValue): string =>
    JSON.stringify(value, (_key, item: unknown) => (item instanceof Map ? [...item] : typeof item === "bigint" ? String(item) : item));
  it.each([
    ["a plain document", '{"b": [1, -2, "x\\"y", true, null], "a": {"c": {}, "__proto__": 1}}'],
    ["a repeated key: the first one's place, the last one's value", '{"a": 1, "b": 2, "a": 3}'],
    ["integer-like keys, which JSON.parse would list first", '{"z": 1, "10": 2, "2": 3, "0": 4, "01": 5}'],
    ["fractions and exponents, which the reader keeps as floats", '{"a": 1.0, "b": [2e3, -0.0, 1.5]}'],
    ["integers beyond 15 digits and an integer -0", '[12345678901234567890, -0]'],
    ["what only Python reads", '{"a": NaN, "b": -Infinity}'],
  ])("%s: the reader's value", (_name, text) => {
    const value = parseJson(text, python);
    const reader = readByReader(text, python);
    expect(value).toEqual(reader);
    expect(inOrder(value)).toBe(inOrder(reader));
  });

  it("reads a large document as the reader does", () => {
    const text = JSON.stringify(largeDocument(), null, 2).replaceAll('"10": true', '"ten": true').replaceAll('"2": null', '"two": null').replaceAll("1e+21", "1");
    expect(parseJson(text, python)).toEqual(readByReader(text, python));
  });
});

describe("writing with JSON.stringify where it writes as opsgate's writers do", () => {
  const document = largeDocument();

  it("the Python writer's bytes, large arrays written run by run", () => {
    const text = pyJsonStringify(document);
    expect(text).toBe(pyJsonStringify(asMaps(document)));
    expect(text).toContain('"10": true,\n        "2": null,');
  });

  it("the Python writer's bytes at a nesting level", () => {
    expect(pyJsonStringify(document, 3)).toBe(pyJsonStringify(asMaps(document), 3));
  });

  it("a parsed __proto__ member is written as a member, never read through to Object.prototype", () => {
    const value = parseJson('{"a": {"x": 1}, "b": {"__proto__": {"y": 2}}}');
    expect(pyJsonStringify(value)).toBe(pyJsonStringify(asMaps(value)));
    expect(canonicalSha256Streamed(value)).toBe(sha256('{"a":{"x":1},"b":{"__proto__":{"y":2}}}'));
  });

  it("what is not plain still goes the writers' own way", () => {
    expect(pyJsonStringify({ f: 1.5, n: 10n ** 20n, s: "\u{1F600}" })).toBe('{\n  "f": 1.5,\n  "n": 100000000000000000000,\n  "s": "\u{1F600}"\n}');
  });

  it("the canonical hash of RFC 8785 text, large or not", () => {
    expect(canonicalSha256Streamed(document)).toBe(sha256(jcs(document)));
    expect(canonicalSha256Streamed(document)).toBe(sha256(canonicalJson(document)));
    const odd = { n: 10n ** 20n, list: [1, 2] } as unknown as JsonValue;
    expect(canonicalSha256Streamed(odd)).toBe(sha256('{"list":[1,2],"n":100000000000000000000}'));
  });
});
