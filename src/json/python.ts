import { forEachRun, plainShape, type PlainShape } from "./plain.js";
import { PyFloat, type JsonValue } from "./value.js";

/**
 * Writes JSON exactly as Python's `json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True)`
 * does, so reports are byte-identical to the seed's and stable across machines.
 */

/** Where text goes: a string builder for small reports, a buffered stream for large ones. */
export interface TextSink {
  write(text: string): void;
}

const INDENT = "  ";
// Python escapes only these with ensure_ascii=False; everything else is written as itself.
const ESCAPE_RE = /[\x00-\x1f"\\]/g;
const ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

export function pyString(text: string): string {
  // JSON.stringify escapes the same characters the same way (see writePlain), without a regular
  // expression to compile; it differs only on a lone surrogate, which it escapes and Python does not.
  if (text.isWellFormed()) return JSON.stringify(text);
  return `"${text.replace(ESCAPE_RE, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

/** Python's `repr(float)`: shortest round-trip digits, scientific below 1e-4 and from 1e16. */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa = "", expText = "0"] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  const decpt = exp + 1; // position of the decimal point relative to the digits
  if (decpt > 16 || decpt < -3) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const expSign = exp < 0 ? "-" : "+";
    return `${sign}${digits[0]}${frac}e${expSign}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** Orders strings by Unicode code point (Python's order), not by UTF-16 unit (JS's default). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (astral characters) sort after U+E000..U+FFFF in code point order.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * An object's members in code point order of their keys. The native sort orders by UTF-16 unit,
 * which differs only when a key holds a surrogate (an astral character): then compareCodePoints.
 */
function sortedEntries(value: Map<string, JsonValue> | { [key: string]: JsonValue }): [string, JsonValue][] {
  const keys = value instanceof Map ? [...value.keys()] : Object.keys(value);
  keys.sort();
  if (keys.some((key) => SURROGATE.test(key))) keys.sort(compareCodePoints);
  return value instanceof Map ? keys.map((key) => [key, value.get(key) as JsonValue]) : keys.map((key) => [key, value[key] as JsonValue]);
}

function scalar(value: JsonValue): string | undefined {
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "string") return pyString(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isInteger(value) ? String(value === 0 ? 0 : value) : pyFloatRepr(value);
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  return undefined;
}

/** Writes `value` as if it stood at nesting `level` (its closing bracket is indented by `level`). */
export function writePyJson(value: JsonValue, sink: TextSink, level = 0): void {
  const flat = scalar(value);
  if (flat !== undefined) {
    sink.write(flat);
    return;
  }
  const shape = plainShape(value, { floats: false, surrogates: false });
  if (shape) writePlain(value, shape, sink, level);
  else writeAny(value, sink, level);
}

/**
 * A plain value (see plain.ts; no floats, no surrogates) written natively: JSON.stringify escapes
 * exactly the characters Python does, the same way, and with an indent of 2 lays out nesting as
 * Python's indent=2 does; only its lines are indented from column 0, so each gets `level` more.
 */
function writePlain(value: unknown, shape: PlainShape, sink: TextSink, level: number): void {
  const indented = (text: string): string => (level === 0 ? text : text.replaceAll("\n", `\n${INDENT.repeat(level)}`));
  if (typeof value !== "object" || value === null || !shape.large.has(value)) {
    sink.write(indented(JSON.stringify(value, shape.keys, 2)));
    return;
  }
  if (Array.isArray(value)) {
    // A run's text is "[\n  A,\n  B\n]": its elements already one level in, as they stand here.
    const opening = (first: boolean): string => (first ? "[\n" : ",\n");
    forEachRun(
      value,
      shape,
      (run, first) => sink.write(opening(first) + indented(INDENT.repeat(level) + JSON.stringify(run, shape.keys, 2).slice(2, -2))),
      (element, first) => {
        sink.write(opening(first) + INDENT.repeat(level + 1));
        writePlain(element, shape, sink, level + 1);
      },
    );
    sink.write(`\n${INDENT.repeat(level)}]`);
    return;
  }
  writeContainer(value as JsonValue[] | { [key: string]: JsonValue }, sink, level, (item, itemLevel) => writePlain(item, shape, sink, itemLevel));
}

function writeAny(value: JsonValue, sink: TextSink, level: number): void {
  const flat = scalar(value);
  if (flat !== undefined) sink.write(flat);
  else writeContainer(value as JsonValue[] | Map<string, JsonValue>, sink, level, (item, itemLevel) => writeAny(item, sink, itemLevel));
}

/** An array or object laid out as Python's indent=2 does, each member's value by `writeItem`. */
function writeContainer(
  value: JsonValue[] | Map<string, JsonValue> | { [key: string]: JsonValue },
  sink: TextSink,
  level: number,
  writeItem: (item: JsonValue, level: number) => void,
): void {
  const inner = INDENT.repeat(level + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      sink.write("[]");
      return;
    }
    sink.write("[\n");
    value.forEach((item, i) => {
      sink.write(i === 0 ? inner : `,\n${inner}`);
      writeItem(item, level + 1);
    });
    sink.write(`\n${INDENT.repeat(level)}]`);
    return;
  }
  const entries = sortedEntries(value);
  if (entries.length === 0) {
    sink.write("{}");
    return;
  }
  sink.write("{\n");
  entries.forEach(([key, item], i) => {
    sink.write(`${i === 0 ? inner : `,\n${inner}`}${pyString(key)}: `);
    writeItem(item, level + 1);
  });
  sink.write(`\n${INDENT.repeat(level)}}`);
}

/** The whole document as one string, without the trailing newline. */
export function pyJsonStringify(value: JsonValue, level = 0): string {
  const parts: string[] = [];
  writePyJson(value, { write: (text) => parts.push(text) }, level);
  return parts.join("");
}
