import { UserError } from "../errors.js";

/**
 * Report timestamps. `--generated-at` wins; else SOURCE_DATE_EPOCH (reproducible builds); else
 * the clock. Decisions that must be judged by real time (approval expiry) never come here.
 */
export function reportTime(now: Date = new Date(), env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  if (epoch) {
    if (!/^\d+$/.test(epoch)) {
      throw new UserError(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not ${JSON.stringify(epoch)}`, {
        where: "environment",
      });
    }
    return new Date(Number(epoch) * 1000);
  }
  return now;
}

/** `YYYY-MM-DDTHH:MM:SS±HH:MM` in a fixed offset (Python's `isoformat(timespec="seconds")`). */
export function isoSeconds(date: Date, offsetMinutes: number): string {
  const shifted = new Date(date.getTime() + offsetMinutes * 60_000);
  const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return (
    `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}` +
    `T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** Taipei time, as the seed stamps its reports. */
export const UTC_PLUS_8 = 8 * 60;
