import { redactText } from "../guards/secrets.js";

const UNSAFE = /[\s="\\\p{Cc}\p{Cf}]/u;
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

/**
 * A free-text value (an actor name, a file name) made safe for a `key=value` summary line: one
 * token, no control or invisible characters, no secrets. Plain names pass unchanged; anything else
 * is JSON-quoted with invisible characters escaped, so `ops.maria\u200b` cannot pass for `ops.maria`.
 */
export function summaryValue(text: string): string {
  const clean = redactText(text);
  if (clean !== "" && !UNSAFE.test(clean)) return clean;
  return JSON.stringify(clean).replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
