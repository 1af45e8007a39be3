import { isUtf8 } from "node:buffer";
import type { JsonValue } from "./value.js";

/**
 * `parseJson`'s common case done by V8's own `JSON.parse`, several times faster than the reader on
 * a large plan. For most documents both give the same value; a quick scan of the bytes first looks
 * for what they treat differently, and on any of it the reader takes over (returning undefined):
 *
 * - an integer of more than 15 digits (the reader keeps it exact, as a bigint) or an integer `-0`
 *   (the reader makes it 0);
 * - nesting deeper than the reader allows (it refuses with a syntax error);
 * - any `\u` escape, when lone surrogates are to be refused;
 * - with repeats watched, a repeated key (JSON.parse keeps the last one without a word): the scan
 *   counts the members written, the parsed objects must hold as many;
 * - in Python mode (objects as Maps, in the order written), any fraction or exponent (the reader
 *   makes a PyFloat of `1.0`, JSON.parse the integer 1) and any integer-like key (JSON.parse lists
 *   those first, in numeric order). A repeated key needs nothing: both keep the first one's place
 *   and the last one's value, as a Python dict does.
 *
 * Anything JSON.parse refuses (NaN, a BOM, bad syntax) goes to the reader too, for its own value or
 * its precise error, and so do bytes that are not UTF-8.
 */
export interface NativeOptions {
  maxDepth: number;
  refuseLoneSurrogates: boolean;
  watchRepeats: boolean;
  python: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Integers of up to this many digits are safe integers (2^53 has 16). */
const SAFE_DIGITS = 15;

export function parseNatively(buf: Buffer, options: NativeOptions): JsonValue | undefined {
  if (options.refuseLoneSurrogates && buf.includes("\\u")) return undefined;
  const members = membersIfPlain(buf, options.maxDepth, options.python);
  if (members === undefined) return undefined;
  let value: JsonValue;
  try {
    const text = buf.toString("utf8");
    // Invalid UTF-8 decodes to U+FFFD: only a text holding one (rare) needs the bytes checked, and
    // the reader refuses them. A pure-ASCII text is told apart at once.
    if (text.includes("\uFFFD") && !isUtf8(buf)) return undefined;
    value = JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
  if (options.watchRepeats && countMembers(value) !== members) return undefined;
  return options.python ? asMaps(value) : value;
}

/** The number of object members in `buf`, or undefined if it holds what only the reader handles. */
function membersIfPlain(buf: Buffer, maxDepth: number, integersOnly: boolean): number | undefined {
  const end = buf.length;
  let depth = 0;
  let members = 0;
  for (let i = 0; i < end; i++) {
    const c = buf[i] as number;
    if (c === QUOTE) {
      i = stringEnd(buf, i);
      if (i === -1) return undefined;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return undefined;
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x3a) members++;
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      // A number: its integer digits (a fraction's or an exponent's digits are read as another run).
      const first = c === 0x2d ? i + 1 : i;
      let j = first;
      while (j < end && (buf[j] as number) >= 0x30 && (buf[j] as number) <= 0x39) j++;
      const next = buf[j];
      const integer = next !== 0x2e && next !== 0x65 && next !== 0x45;
      if (integer ? j - first > SAFE_DIGITS || (c === 0x2d && j - first === 1 && buf[first] === 0x30) : integersOnly) return undefined;
      i = Math.max(i, j - 1);
    }
  }
  return members;
}

/** The offset of the quote closing the string opened at `open`, or -1. */
function stringEnd(buf: Buffer, open: number): number {
  let at = buf.indexOf(QUOTE, open + 1);
  while (at !== -1) {
    let backslashes = 0;
    while (buf[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = buf.indexOf(QUOTE, at + 1);
  }
  return -1;
}

/** Members of every object in a parsed value. */
function countMembers(value: JsonValue): number {
  if (typeof value !== "object" || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += countMembers(item);
    return count;
  }
  const record = value as Record<string, JsonValue>;
  for (const key in record) count += 1 + countMembers(record[key] as JsonValue);
  return count;
}

/** Every object of a parsed value as a Map in its key order, or undefined if an integer-like key lost its place. */
function asMaps(value: JsonValue): JsonValue | undefined {
  try {
    return toMaps(value);
  } catch (error) {
    if (error instanceof KeyOrderLost) return undefined;
    throw error;
  }
}

/** An integer-like key lost its place (made only then: an error made at load costs its stack). */
class KeyOrderLost extends Error {}

function toMaps(value: JsonValue): JsonValue {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = toMaps(value[i] as JsonValue);
    return value;
  }
  const record = value as Record<string, JsonValue>;
  const map = new Map<string, JsonValue>();
  for (const key of Object.keys(record)) {
    const first = key.charCodeAt(0);
    if (first >= 0x30 && first <= 0x39 && /^(?:0|[1-9][0-9]*)$/.test(key)) throw new KeyOrderLost();
    map.set(key, toMaps(record[key] as JsonValue));
  }
  return map;
}
