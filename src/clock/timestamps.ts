import { UserError } from "../errors.js";

/**
 * Report timestamps. `--generated-at` wins; else SOURCE_DATE_EPOCH (reproducible builds); else
 * the clock. Decisions that must be judged by real time (approval expiry) never come here.
 */
export function reportTime(now: Date = new Date(), env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  if (epoch) {
    const seconds = /^\d{1,12}$/.test(epoch) ? Number(epoch) : Number.NaN;
    if (!(seconds <= MAX_EPOCH_SECONDS)) {
      throw new UserError(`SOURCE_DATE_EPOCH must be whole seconds since 1970, at most ${MAX_EPOCH_SECONDS} (9999-12-31), not ${JSON.stringify(epoch.slice(0, 40))}`, {
        where: "environment",
      });
    }
    return new Date(seconds * 1000);
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

/** The last second whose UTC+08:00 stamp still has a four-digit year (9999-12-31T23:59:59+08:00). */
export const MAX_EPOCH_SECONDS = 253_402_271_999;

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * True for `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` naming a real calendar date and time:
 * 2026-02-30, hour 24, second 60 and an offset of 24 hours or more are refused (JavaScript's
 * Date.parse rolls 2026-02-30 over to March; Python's datetime refuses it).
 */
export function isRealTimestamp(text: string): boolean {
  const m = TIMESTAMP.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[8] !== "Z" && (Number(m[10]) > 23 || Number(m[11]) > 59)) return false;
  return true;
}

/** Taipei time, as the seed stamps its reports. */
export const UTC_PLUS_8 = 8 * 60;
