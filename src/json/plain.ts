/**
 * Large documents written by V8's own `JSON.stringify` where it writes what opsgate's writers would
 * (canonical JSON, Python's json.dumps): for a "plain" value, JSON.stringify with the value's keys in
 * sorted order as its property list writes every object's members in that order, which is what both
 * writers do, at native speed. `plainShape` walks the value once to find out.
 *
 * Plain means: strings, booleans, null, finite numbers, arrays, and ordinary objects (no Map, no
 * bigint, no PyFloat, no undefined member, no own `__proto__` member, which the property list would
 * read through to Object.prototype), with few distinct keys (JSON.stringify looks each object up
 * under every key of the list).
 */
export interface PlainShape {
  /** Every key in the value, sorted by UTF-16 code unit. */
  keys: string[];
  /** Containers of more than LARGE_NODES nodes: written part by part, not as one string. */
  large: Set<object>;
}

export interface PlainRules {
  /** Non-integer numbers allowed (canonical JSON writes them as JSON.stringify does; Python not). */
  floats: boolean;
  /** Surrogates allowed in strings and keys (Python's writer orders and writes them otherwise). */
  surrogates: boolean;
}

const MAX_KEYS = 64;
const LARGE_NODES = 512;
/** Small elements of a large array written by one JSON.stringify call (each call converts the property list anew). */
const RUN_ELEMENTS = 128;
const SURROGATE = /[\uD800-\uDFFF]/;

export function plainShape(value: unknown, rules: PlainRules): PlainShape | undefined {
  const keys = new Set<string>();
  const large = new Set<object>();
  /** The nodes under `node`, itself included, or -1 if it is not plain. */
  const visit = (node: unknown): number => {
    switch (typeof node) {
      case "string":
        return !rules.surrogates && SURROGATE.test(node) ? -1 : 1;
      case "number":
        return Number.isFinite(node) && (rules.floats || Number.isInteger(node)) ? 1 : -1;
      case "boolean":
        return 1;
      case "object":
        break;
      default:
        return -1;
    }
    if (node === null) return 1;
    let count = 1;
    if (Array.isArray(node)) {
      for (const item of node as unknown[]) {
        const under = visit(item);
        if (under < 0) return -1;
        count += under;
      }
    } else {
      if (Object.getPrototypeOf(node) !== Object.prototype) return -1;
      const record = node as Record<string, unknown>;
      for (const key in record) {
        if (key === "__proto__" || (!rules.surrogates && SURROGATE.test(key))) return -1;
        keys.add(key);
        const under = visit(record[key]);
        if (under < 0) return -1;
        count += under;
      }
      if (keys.size > MAX_KEYS) return -1;
    }
    if (count > LARGE_NODES) large.add(node);
    return count;
  };
  return visit(value) < 0 ? undefined : { keys: [...keys].sort(), large };
}

/**
 * A large array's elements, in order: runs of up to RUN_ELEMENTS small ones (to be written by one
 * JSON.stringify call, some 64,000 nodes at most), and each large one on its own; `first` tells
 * the piece that opens the array.
 */
export function forEachRun(
  array: unknown[],
  shape: PlainShape,
  onRun: (run: unknown[], first: boolean) => void,
  onLarge: (element: object, first: boolean) => void,
): void {
  let start = 0;
  for (let i = 0; i <= array.length; i++) {
    const element = array[i];
    const large = i < array.length && typeof element === "object" && element !== null && shape.large.has(element);
    if (i === array.length || large || i - start === RUN_ELEMENTS) {
      if (i > start) onRun(array.slice(start, i), start === 0);
      if (large) onLarge(element, i === 0);
      start = large ? i + 1 : i;
    }
  }
}
