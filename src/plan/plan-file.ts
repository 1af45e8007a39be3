import { readInputFile, releaseInput } from "../io/input.js";
import { keepYoungGenerationSmall } from "../io/heap.js";
import { JsonSyntaxError, parseJson } from "../json/read.js";
import type { JsonValue } from "../json/value.js";
import { UserError } from "../errors.js";

/** A key repeated inside one object of the plan file: `path` is the object, `key` the repeated key. */
export interface DuplicateKey {
  path: (string | number)[];
  key: string;
}

// Repeated keys are a property of the file's text, which the parsed value no longer shows; they
// are kept beside the parsed plan (keyed by its root object) so every caller of readBatchPlanFile
// (validate-batch-plan and apply-batch's dry-run) gets the same schema_valid finding.
const duplicatesByPlan = new WeakMap<object, DuplicateKey[]>();

/** The repeated keys found when `plan` was read by readBatchPlanFile (none for any other value). */
export function duplicateKeysOf(plan: unknown): readonly DuplicateKey[] {
  return typeof plan === "object" && plan !== null ? (duplicatesByPlan.get(plan) ?? []) : [];
}

/** The JSON path of each object in `targets`, found by walking `root` (only when a file repeats keys). */
function pathsOf(root: JsonValue, targets: ReadonlySet<object>): Map<object, (string | number)[]> {
  const found = new Map<object, (string | number)[]>();
  const stack: [unknown, (string | number)[]][] = [[root, []]];
  while (stack.length > 0 && found.size < targets.size) {
    const [node, path] = stack.pop() as [unknown, (string | number)[]];
    if (typeof node !== "object" || node === null) continue;
    if (targets.has(node)) found.set(node, path);
    if (Array.isArray(node)) node.forEach((item, i) => stack.push([item, [...path, i]]));
    else for (const [key, item] of Object.entries(node)) stack.push([item, [...path, key]]);
  }
  return found;
}

/** Only JSON whitespace (or nothing): checked on the bytes, so a 20 MB plan is not copied into a string for it. */
function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return false;
  return true;
}

/**
 * Reads a batch plan file losslessly. Unreadable, empty or malformed files are input errors
 * (exit 2) naming the file; a plan that parses but breaks the format (repeated keys included) is
 * left to schema_valid.
 */
export function readBatchPlanFile(path: string, flag = "--plan"): JsonValue {
  // `-` is stdin (`--plan -`), as for most Unix tools.
  const bytes = readInputFile(path, "batch plan", { flag });
  if (isBlank(bytes)) {
    throw new UserError("batch plan is empty", { where: path === "-" ? "stdin" : path, hint: "the file must hold one batch_staged_apply_plan_v1 JSON object" });
  }
  keepYoungGenerationSmall(bytes.length);
  const repeats: { container: object; key: string }[] = [];
  let plan: JsonValue;
  try {
    plan = parseJson(bytes, { onDuplicateKey: (container, key) => repeats.push({ container, key }) });
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new UserError(`batch plan is not valid JSON: ${error.message}`, { where: path === "-" ? "stdin" : path, hint: "fix the JSON syntax (a linter or `opsgate schema batch-plan` helps)" });
  }
  releaseInput(bytes);
  if (repeats.length > 0 && typeof plan === "object" && plan !== null) {
    const paths = pathsOf(plan, new Set(repeats.map((repeat) => repeat.container)));
    duplicatesByPlan.set(
      plan,
      repeats.map((repeat) => ({ path: paths.get(repeat.container) ?? [], key: repeat.key })),
    );
  }
  return plan;
}
