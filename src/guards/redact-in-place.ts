import { REDACTED, isSecretKey, redactText } from "./secrets.js";

/**
 * `redactValue`'s rules (a secret-named key's non-blank string becomes [REDACTED], known token
 * values are cut out of any text; items of an array are judged by the array's key) applied to a
 * report the caller has just built and owns, instead of a redacted deep copy: at 100,000 items the
 * copy is tens of MB. Only plain objects and arrays are entered, as redactValue does.
 */
export function redactInPlace(node: unknown, knownSecrets: string[], key?: string): void {
  const redact = (value: string): string => (key !== undefined && isSecretKey(key) && value.trim() !== "" ? REDACTED : redactText(value, knownSecrets));
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i];
      if (typeof item === "string") node[i] = redact(item);
      else redactInPlace(item, knownSecrets, key);
    }
    return;
  }
  if (typeof node !== "object" || node === null || Object.getPrototypeOf(node) !== Object.prototype) return;
  const record = node as Record<string, unknown>;
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === "string") {
      const redacted = isSecretKey(name) && value.trim() !== "" ? REDACTED : redactText(value, knownSecrets);
      if (redacted !== value) record[name] = redacted;
    } else redactInPlace(value, knownSecrets, name);
  }
}
