import { redactText } from "../guards/secrets.js";

/**
 * A free-text value (an actor name) made safe for a `key=value` summary line: one token, no
 * control characters, no secrets. Plain names pass unchanged; anything else is JSON-quoted.
 */
export function summaryValue(text: string): string {
  const clean = redactText(text);
  return /^[^\s="\\]+$/.test(clean) && !/[\u0000-\u001f\u007f]/.test(clean) ? clean : JSON.stringify(clean);
}
