import { UserError } from "../errors.js";
import { UTC_PLUS_8, isRealTimestamp, isoSeconds, reportTime } from "./timestamps.js";

/**
 * A report's `generated_at`: `--generated-at` (a real date and time with an offset, else exit 2),
 * else SOURCE_DATE_EPOCH, else now, in UTC+08:00. An empty `--generated-at` counts as not given
 * (the seed's `generated_at or now`).
 */
export function generatedAtOf(option: string | undefined): string {
  if (option === undefined || option === "") return isoSeconds(reportTime(), UTC_PLUS_8);
  if (!isRealTimestamp(option)) {
    throw new UserError(`--generated-at must be a real date and time in ISO 8601 with an offset, not ${JSON.stringify(option.slice(0, 60))}`, {
      where: "--generated-at",
      hint: "e.g. --generated-at 2026-05-01T10:00:00+08:00 (YYYY-MM-DDTHH:MM:SS, optional .fraction, then Z or ±HH:MM)",
    });
  }
  return option;
}
