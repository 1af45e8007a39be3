import { readFileSync } from "node:fs";
import { JsonSyntaxError, parseJson } from "../../json/read.js";
import type { JsonValue } from "../../json/value.js";
import { UserError } from "../../errors.js";

/**
 * Reads a batch plan file losslessly. Unreadable, empty or malformed files are input errors
 * (exit 2) naming the file; a plan that parses but breaks the format is left to schema_valid.
 */
export function readBatchPlanFile(path: string, flag = "--plan"): JsonValue {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what =
      code === "ENOENT" ? "batch plan not found" : code === "EISDIR" ? "batch plan is a folder, not a file" : `cannot read the batch plan (${code ?? "error"})`;
    throw new UserError(what, { where: path, hint: `pass ${flag} <file> (a batch_staged_apply_plan_v1 JSON file)` });
  }
  if (bytes.toString("utf8").trim() === "") {
    throw new UserError("batch plan is empty", { where: path, hint: "the file must hold one batch_staged_apply_plan_v1 JSON object" });
  }
  try {
    return parseJson(bytes);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new UserError(`batch plan is not valid JSON: ${error.message}`, { where: path, hint: "fix the JSON syntax (a linter or `opsgate schema batch-plan` helps)" });
  }
}
