import { isUtf8 } from "node:buffer";
import { parseNatively } from "./native.js";
import { PyFloat, type JsonValue } from "./value.js";

/**
 * A lossless JSON reader that accepts exactly what Python's `json.loads` accepts (including the
 * `NaN`, `Infinity` and `-Infinity` literals) and keeps integers of any size exact.
 */
export interface ReadOptions {
  /** Objects as insertion-ordered `Map`s and non-integer numbers as `PyFloat` (see value.ts). */
  python?: boolean;
  /**
   * Called for a key an object already holds (the later value wins, as in Python). JSON allows
   * repeated keys, but RFC 8785 hashing assumes I-JSON (no repeats), so a hashed input may refuse them.
   */
  onDuplicateKey?: (container: object, key: string) => void;
  /**
   * Refuse `\uD800`-style escapes that do not form a pair. Python keeps them, but no UTF-8 file can
   * hold one: an input that opsgate rewrites whole (an approval record) refuses them up front.
   */
  refuseLoneSurrogates?: boolean;
}

/**
 * The deepest nesting of arrays and objects any opsgate input may have. The parser counts it, so a
 * hostile 100,000-level document is refused with a syntax error instead of exhausting the stack;
 * and every recursive walk over parsed values (canonical JSON, the Python writer, redaction, zod)
 * is thereby bounded too. Real inputs nest fewer than 10 levels.
 */
export const MAX_JSON_DEPTH = 512;

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line} column ${column}`);
    this.name = "JsonSyntaxError";
  }
}

const WS_SPACE = 0x20;
const WS_TAB = 0x09;
const WS_LF = 0x0a;
const WS_CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CONTROL_CHARACTER = /[\u0000-\u001f]/;
/** Strings up to this many bytes are interned (see JsonReader.intern), up to this many at a time. */
const INTERN_MAX_BYTES = 32;
const INTERN_MAX_STRINGS = 1 << 16;

export function parseJson(input: Buffer | string, options: ReadOptions = {}): JsonValue {
  const buf = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  const native = parseNatively(buf, {
    maxDepth: MAX_JSON_DEPTH,
    refuseLoneSurrogates: options.refuseLoneSurrogates ?? false,
    watchRepeats: options.onDuplicateKey !== undefined,
    python: options.python ?? false,
  });
  if (native !== undefined) return native;
  return new JsonReader(buf, options).parseDocument();
}

/**
 * The reader works on bytes so that a large file is never turned into one large string; callers
 * that stream (build-readback-plan) use `parseValueAt` to parse one element at a time.
 */
export class JsonReader {
  pos = 0;
  /** Arrays and objects open at `pos` (bounded by MAX_JSON_DEPTH). */
  private depth = 0;
  private readonly python: boolean;
  private readonly onDuplicateKey: ((container: object, key: string) => void) | undefined;
  private readonly refuseLoneSurrogates: boolean;
  private readonly interned = new Map<string, string>();
  /**
   * No backslash in buf[backslashFreeFrom, nextBackslash): each stretch of the file is searched
   * once, not once per string (nor once per re-read candidate: that would be quadratic).
   */
  private backslashFreeFrom = 0;
  private nextBackslash = -1;

  constructor(
    readonly buf: Buffer,
    options: ReadOptions = {},
  ) {
    this.python = options.python ?? false;
    this.onDuplicateKey = options.onDuplicateKey;
    this.refuseLoneSurrogates = options.refuseLoneSurrogates ?? false;
    if (!isUtf8(buf)) {
      throw new JsonSyntaxError("invalid UTF-8", 1, 1);
    }
  }

  parseDocument(): JsonValue {
    this.pos = 0;
    this.depth = 0;
    if (this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) {
      throw this.error("unexpected UTF-8 BOM (save the file without one)");
    }
    this.skipWhitespace();
    const value = this.parseValue();
    this.expectEnd();
    return value;
  }

  /** Parses the value that starts at `offset` (used to re-read a remembered element). */
  parseValueAt(offset: number): JsonValue {
    this.pos = offset;
    this.depth = 0;
    return this.parseValue();
  }

  expectEnd(): void {
    this.skipWhitespace();
    if (this.pos < this.buf.length) throw this.error("extra data after the JSON value");
  }

  skipWhitespace(): void {
    const buf = this.buf;
    let pos = this.pos;
    while (pos < buf.length) {
      const c = buf[pos];
      if (c !== WS_SPACE && c !== WS_LF && c !== WS_CR && c !== WS_TAB) break;
      pos++;
    }
    this.pos = pos;
  }

  peek(): number | undefined {
    return this.buf[this.pos];
  }

  /** Consumes `byte` after optional whitespace, or returns false. */
  consume(byte: number): boolean {
    this.skipWhitespace();
    if (this.buf[this.pos] === byte) {
      this.pos++;
      return true;
    }
    return false;
  }

  error(reason: string, at = this.pos): JsonSyntaxError {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.buf.length; i++) {
      if (this.buf[i] === WS_LF) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = this.buf.toString("utf8", lineStart, Math.min(at, this.buf.length)).length + 1;
    return new JsonSyntaxError(reason, line, column);
  }

  parseValue(): JsonValue {
    this.skipWhitespace();
    const c = this.buf[this.pos];
    switch (c) {
      case 0x7b: // {
        return this.parseObject();
      case 0x5b: // [
        return this.parseArray();
      case QUOTE:
        return this.parseString();
      case 0x74: // t
        return this.literal("true", true);
      case 0x66: // f
        return this.literal("false", false);
      case 0x6e: // n
        return this.literal("null", null);
      case 0x4e: // N
        return this.literal("NaN", this.float(Number.NaN));
      case 0x49: // I
        return this.literal("Infinity", this.float(Number.POSITIVE_INFINITY));
      default:
        if (c === 0x2d && this.startsWith("-Infinity")) {
          return this.literal("-Infinity", this.float(Number.NEGATIVE_INFINITY));
        }
        if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) return this.parseNumber();
        throw this.error(c === undefined ? "expected a value, found the end of the file" : "expected a value");
    }
  }

  private float(value: number): JsonValue {
    return this.python ? new PyFloat(value) : value;
  }

  private startsWith(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
      if (this.buf[this.pos + i] !== text.charCodeAt(i)) return false;
    }
    return true;
  }

  private literal(text: string, value: JsonValue): JsonValue {
    if (!this.startsWith(text)) throw this.error("expected a value");
    this.pos += text.length;
    return value;
  }

  private enter(): void {
    if (++this.depth > MAX_JSON_DEPTH) throw this.error(`nested deeper than ${MAX_JSON_DEPTH} levels`);
  }

  private parseObject(): JsonValue {
    this.enter();
    const value = this.parseObjectBody();
    this.depth--;
    return value;
  }

  private parseObjectBody(): JsonValue {
    this.pos++; // {
    const map = this.python ? new Map<string, JsonValue>() : undefined;
    const obj: Record<string, JsonValue> = {};
    if (this.consume(0x7d)) return map ?? obj;
    for (;;) {
      this.skipWhitespace();
      if (this.buf[this.pos] !== QUOTE) throw this.error("expected a property name in double quotes");
      const key = this.parseString();
      if (!this.consume(0x3a)) throw this.error("expected ':' after a property name");
      const value = this.parseValue();
      if (this.onDuplicateKey && (map ? map.has(key) : Object.hasOwn(obj, key))) this.onDuplicateKey(map ?? obj, key);
      if (map) map.set(key, value);
      else if (key === "__proto__") {
        Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      } else obj[key] = value;
      if (this.consume(0x2c)) continue;
      if (this.consume(0x7d)) return map ?? obj;
      throw this.error("expected ',' or '}' in an object");
    }
  }

  private parseArray(): JsonValue[] {
    this.enter();
    const value = this.parseArrayBody();
    this.depth--;
    return value;
  }

  private parseArrayBody(): JsonValue[] {
    this.pos++; // [
    const items: JsonValue[] = [];
    if (this.consume(0x5d)) return items;
    for (;;) {
      items.push(this.parseValue());
      if (this.consume(0x2c)) continue;
      if (this.consume(0x5d)) return items;
      throw this.error("expected ',' or ']' in an array");
    }
  }

  /**
   * Walks the array that starts here and calls `onElement` with each element's start offset,
   * leaving the reader after the closing bracket. The callback must leave `pos` after the element.
   */
  forEachArrayElement(onElement: (offset: number) => void): void {
    this.skipWhitespace();
    if (this.buf[this.pos] !== 0x5b) throw this.error("expected an array");
    this.pos++;
    if (this.consume(0x5d)) return;
    for (;;) {
      this.skipWhitespace();
      onElement(this.pos);
      if (this.consume(0x2c)) continue;
      if (this.consume(0x5d)) return;
      throw this.error("expected ',' or ']' in an array");
    }
  }

  parseString(): string {
    const buf = this.buf;
    const start = ++this.pos;
    // Fast path, natively: up to the next quote, no backslash and no control character.
    const quote = buf.indexOf(QUOTE, start);
    if (start < this.backslashFreeFrom) {
      // Moved back (parseValueAt): only the stretch before the known one needs looking at.
      const found = buf.subarray(start, this.backslashFreeFrom).indexOf(BACKSLASH);
      if (found !== -1) this.nextBackslash = start + found;
      this.backslashFreeFrom = start;
    } else if (start > this.nextBackslash) {
      const found = buf.indexOf(BACKSLASH, start);
      this.nextBackslash = found === -1 ? buf.length : found;
      this.backslashFreeFrom = start;
    }
    if (quote !== -1 && this.nextBackslash > quote) {
      const text = buf.toString("utf8", start, quote);
      if (!CONTROL_CHARACTER.test(text)) {
        this.pos = quote + 1;
        return quote - start <= INTERN_MAX_BYTES ? this.intern(text) : text;
      }
    }
    let pos = start;
    // The errors' positions, and escapes.
    for (;;) {
      const c = buf[pos];
      if (c === undefined) throw this.error("unterminated string", start - 1);
      if (c === QUOTE) {
        this.pos = pos + 1;
        return buf.toString("utf8", start, pos);
      }
      if (c === BACKSLASH) break;
      if (c < 0x20) throw this.error("invalid control character in a string", pos);
      pos++;
    }
    let out = buf.toString("utf8", start, pos);
    let chunkStart = pos;
    for (;;) {
      const c = buf[pos];
      if (c === undefined) throw this.error("unterminated string", start - 1);
      if (c === QUOTE) {
        out += buf.toString("utf8", chunkStart, pos);
        this.pos = pos + 1;
        return out;
      }
      if (c < 0x20) throw this.error("invalid control character in a string", pos);
      if (c !== BACKSLASH) {
        pos++;
        continue;
      }
      out += buf.toString("utf8", chunkStart, pos);
      const esc = buf[pos + 1];
      pos += 2;
      switch (esc) {
        case QUOTE:
          out += '"';
          break;
        case BACKSLASH:
          out += "\\";
          break;
        case 0x2f:
          out += "/";
          break;
        case 0x62:
          out += "\b";
          break;
        case 0x66:
          out += "\f";
          break;
        case 0x6e:
          out += "\n";
          break;
        case 0x72:
          out += "\r";
          break;
        case 0x74:
          out += "\t";
          break;
        case 0x75: {
          // Python pairs a high surrogate with a following low one; a lone one stays lone.
          const unit = this.hex4(pos);
          pos += 4;
          if (unit >= 0xd800 && unit <= 0xdbff && buf[pos] === BACKSLASH && buf[pos + 1] === 0x75) {
            const low = this.hex4(pos + 2);
            if (low >= 0xdc00 && low <= 0xdfff) {
              out += String.fromCharCode(unit, low);
              pos += 6;
              break;
            }
          }
          if (this.refuseLoneSurrogates && unit >= 0xd800 && unit <= 0xdfff) {
            throw this.error("unpaired UTF-16 surrogate escape in a string (it cannot be written as UTF-8)", pos - 6);
          }
          out += String.fromCharCode(unit);
          break;
        }
        default:
          throw this.error("invalid escape in a string", pos - 2);
      }
      chunkStart = pos;
    }
  }

  /**
   * One copy of each short string: plans repeat the same object types, actions, approval ids and
   * field values thousands of times, and a parsed 100,000-item plan is a third smaller for it.
   */
  private intern(text: string): string {
    const known = this.interned.get(text);
    if (known !== undefined) return known;
    if (this.interned.size >= INTERN_MAX_STRINGS) this.interned.clear();
    this.interned.set(text, text);
    return text;
  }

  private hex4(at: number): number {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.buf[at + i];
      let digit: number;
      if (c !== undefined && c >= 0x30 && c <= 0x39) digit = c - 0x30;
      else if (c !== undefined && c >= 0x61 && c <= 0x66) digit = c - 0x57;
      else if (c !== undefined && c >= 0x41 && c <= 0x46) digit = c - 0x37;
      else throw this.error("invalid \\uXXXX escape", at - 2);
      value = value * 16 + digit;
    }
    return value;
  }

  private parseNumber(): JsonValue {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    if (buf[pos] === 0x2d) pos++;
    const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
    if (buf[pos] === 0x30) pos++;
    else if (isDigit(buf[pos])) while (isDigit(buf[pos])) pos++;
    else throw this.error("expected a value", start);
    let isFloat = false;
    if (buf[pos] === 0x2e && isDigit(buf[pos + 1])) {
      isFloat = true;
      pos++;
      while (isDigit(buf[pos])) pos++;
    }
    if (buf[pos] === 0x65 || buf[pos] === 0x45) {
      let exp = pos + 1;
      if (buf[exp] === 0x2b || buf[exp] === 0x2d) exp++;
      if (isDigit(buf[exp])) {
        isFloat = true;
        pos = exp;
        while (isDigit(buf[pos])) pos++;
      }
    }
    this.pos = pos;
    const text = buf.toString("latin1", start, pos);
    if (isFloat) return this.float(Number(text));
    const asNumber = Number(text);
    if (Number.isSafeInteger(asNumber)) return asNumber === 0 ? 0 : asNumber;
    return BigInt(text);
  }
}
