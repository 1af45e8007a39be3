import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJson } from "../../src/json/read.js";
import { compareCodePoints, pyFloatRepr, pyJsonStringify, pyString } from "../../src/json/python.js";
import { PROJECT_ROOT } from "../helpers/cli.js";

// Expected outputs were produced once with python3's json.dumps(ensure_ascii=False, indent=2, sort_keys=True).
const dir = join(PROJECT_ROOT, "fixtures/json");
const cases = readdirSync(dir)
  .filter((name) => name.endsWith(".input.json"))
  .map((name) => name.replace(".input.json", ""));

describe("Python-compatible JSON writer", () => {
  it.each(cases)("writes %s exactly as Python does", (name) => {
    const input = readFileSync(join(dir, `${name}.input.json`));
    const expected = readFileSync(join(dir, `${name}.expected.json`), "utf8");
    expect(`${pyJsonStringify(parseJson(input, { python: true }))}\n`).toBe(expected);
  });

  it("formats floats as Python's repr", () => {
    const table: [number, string][] = [
      [1, "1.0"],
      [0.1, "0.1"],
      [1e-5, "1e-05"],
      [1e16, "1e+16"],
      [1.5e300, "1.5e+300"],
      [-0, "-0.0"],
      [123456789.12345679, "123456789.12345679"],
      [1e15, "1000000000000000.0"],
      [0.0001, "0.0001"],
    ];
    for (const [value, repr] of table) expect(pyFloatRepr(value)).toBe(repr);
  });

  it("sorts keys by code point, not by UTF-16 unit", () => {
    const keys = ["\u{1F600}", "\uffff", "\ue000", "z"];
    expect([...keys].sort(compareCodePoints)).toEqual(["z", "\ue000", "\uffff", "\u{1F600}"]);
    expect([...keys].sort()).not.toEqual([...keys].sort(compareCodePoints));
  });

  it("escapes strings as json.dumps(ensure_ascii=False) does, and leaves a lone surrogate for the writer to refuse", () => {
    // Python's table: the C0 controls as \u00XX but for \b \f \n \r \t, the quote and the backslash.
    const named: Record<string, string> = { "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\" };
    for (let code = 0; code < 0x80; code++) {
      const ch = String.fromCharCode(code);
      const escaped = named[ch] ?? (code < 0x20 ? `\\u${code.toString(16).padStart(4, "0")}` : ch);
      expect(pyString(`a${ch}b`), `U+${code.toString(16)}`).toBe(`"a${escaped}b"`);
    }
    for (const text of ["\u2028\u2029", "\ufeff\u00e9", "監控 🚀", "\u{10ffff}"]) expect(pyString(text)).toBe(`"${text}"`);
    expect(pyString("x\ud800\n")).toBe('"x\ud800\\n"');
  });

  it("keeps integers of any size exact", () => {
    const text = '{"n": 12345678901234567890, "m": -99999999999999999999999}';
    expect(pyJsonStringify(parseJson(text))).toBe('{\n  "m": -99999999999999999999999,\n  "n": 12345678901234567890\n}');
  });
});

describe("lossless JSON reader", () => {
  it.each([
    ["", "expected a value"],
    ["{", "expected a property name"],
    ['{"a": 1,}', "expected a property name"],
    ["[1, 2", "expected ',' or ']'"],
    ['"\u0001"', "invalid control character"],
    ["01", "extra data"],
    ['"\\x"', "invalid escape"],
    ["\ufeff{}", "BOM"],
  ])("rejects %j (%s)", (text, reason) => {
    expect(() => parseJson(text)).toThrow(reason);
  });

  it("reports the line and column of a syntax error", () => {
    expect(() => parseJson('{\n  "a": tru\n}')).toThrow("line 2 column 8");
  });

  it("rejects invalid UTF-8", () => {
    expect(() => parseJson(Buffer.from([0x22, 0xff, 0x22]))).toThrow("invalid UTF-8");
  });

  it("reads strings with and without escapes wherever they fall, and equal strings equal", () => {
    const text = '["plain", "a\\"b", "after", "x\\\\", "dcim.interface", {"k": "dcim.interface", "\\u00e9t\\u00e9": "\\ud83d\\ude80"}, "tail"]';
    expect(parseJson(text)).toEqual(JSON.parse(text));
    expect(parseJson(`[${'"x", '.repeat(1000)}"a\\nb"]`)).toEqual([...Array<string>(1000).fill("x"), "a\nb"]);
  });

  it("does not let __proto__ change the object's prototype", () => {
    const value = parseJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__"]);
  });
});
