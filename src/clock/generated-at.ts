import { UserError } from "../errors.js";
import { TimestampSchema } from "../schemas/common.js";
import { UTC_PLUS_8, isoSeconds, reportTime } from "./timestamps.js";

/** A report's `generated_at`: `--generated-at` (checked), else SOURCE_DATE_EPOCH, else now, in UTC+08:00. */
export function generatedAtOf(option: string | undefined): string {
  if (option === undefined) return isoSeconds(reportTime(), UTC_PLUS_8);
  if (!TimestampSchema.safeParse(option).success) {
    throw new UserError(`--generated-at must be an ISO 8601 timestamp with an offset, not ${JSON.stringify(option)}`, {
      where: "--generated-at",
      hint: "e.g. --generated-at 2026-05-01T10:00:00+08:00",
    });
  }
  return option;
}
