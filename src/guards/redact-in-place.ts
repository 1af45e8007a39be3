import { REDACTED, isSecretKey, redactText } from "./secrets.js";

/**
 * `redactValue`'s rules (a secret-named key's non-blank string becomes [REDACTED], known token
 * values are cut out of any text; items of an array are judged by the array's key) applied to a
 * report the caller has just built and owns, instead of a redacted deep copy: at 100,000 items the
 * copy is tens of MB. Only plain objects and arrays are entered, as redactValue does.
 */
export function redactInPlace(node: unknown, knownSecrets: string[], key?: string): void {
  if (Array.isArray(node)) {
    const secretKeyed = key !== undefined && isSecretKey(key);
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i];
      if (typeof item === "string") node[i] = redactString(item, secretKeyed, knownSecrets);
      else redactInPlace(item, knownSecrets, key);
    }
    return;
  }
  if (typeof node !== "object" || node === null || Object.getPrototypeOf(node) !== Object.prototype) return;
  const record = node as Record<string, unknown>;
  // Names then values, not entry pairs: a report holds an object per item.
  const names = Object.keys(record);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = record[name];
    if (typeof value === "string") {
      const redacted = redactString(value, isSecretKey(name), knownSecrets);
      if (redacted !== value) record[name] = redacted;
    } else redactInPlace(value, knownSecrets, name);
  }
}

/** A string under a secret-named key, if not blank, becomes [REDACTED]; any other is redacted as text. */
function redactString(value: string, secretKeyed: boolean, knownSecrets: string[]): string {
  return secretKeyed && value.trim() !== "" ? REDACTED : redactText(value, knownSecrets);
}
