import { pyFloatRepr } from "../json/python.js";
import { PyFloat, type JsonValue } from "../json/value.js";

/**
 * Python's `str()` of a parsed JSON value. The seed builds the candidate id with
 * `f"monitoring_post_incident_readback:{surface_id}"`, so a non-string surface_id shows up in
 * Python's own notation (`None`, `True`, `1e+16`, `['a', 1]`, `{'k': 'v'}`).
 */
export function pyStr(value: JsonValue): string {
  return typeof value === "string" ? value : pyRepr(value);
}

// Characters Python's str.isprintable() rejects (besides ASCII controls handled below). Made on
// first use: creating it (the unassigned code points alone are a huge class) takes ~0.4 ms, a tenth
// of a small readback's own work, and only a non-string surface_id holding non-ASCII text needs it.
let nonPrintable: RegExp | undefined;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}

/** Python's `repr(str)`. */
export function pyReprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x7f) out += ch;
    else if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff) out += `\\u${hex(code, 4)}`;
    else if (!(nonPrintable ??= /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u).test(ch)) out += ch;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out + quote;
}

function pyReprFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  return pyFloatRepr(value);
}

/** Python's `repr()` of a parsed JSON value. */
export function pyRepr(value: JsonValue): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return pyReprString(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : pyReprFloat(value);
  if (value instanceof PyFloat) return pyReprFloat(value.value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return `{${entries.map(([key, item]) => `${pyReprString(key)}: ${pyRepr(item)}`).join(", ")}}`;
}
