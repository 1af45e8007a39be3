import { UserError } from "../errors.js";

/**
 * Numeric environment settings and their allowed ranges: a value outside is an input error
 * (exit 2), never a silent wrap (Node's timers take at most 2^31-1 ms) or a crash.
 */
export interface IntRange {
  min: number;
  max: number;
}

export const ENV_INT_RANGES: Record<string, IntRange> = {
  OPSGATE_NETBOX_TIMEOUT_MS: { min: 1, max: 2_147_483_647 },
  OPSGATE_NETBOX_RETRIES: { min: 0, max: 100 },
  OPSGATE_NETBOX_READ_CONCURRENCY: { min: 1, max: 16 },
  OPSGATE_APPLY_CHUNK_SIZE: { min: 1, max: 1000 },
  OPSGATE_APPLY_CONCURRENCY: { min: 1, max: 16 },
  OPSGATE_SETTLE_FENCE_MS: { min: 100, max: 3_600_000 },
};

/** A whole number from the environment within its range, or the default when unset or empty. */
export function envInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, range: IntRange = ENV_INT_RANGES[name] ?? { min: 0, max: Number.MAX_SAFE_INTEGER }): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    // The value is not repeated: an environment variable may hold anything.
    throw new UserError(`${name} must be a whole number from ${range.min} to ${range.max}`, { where: "environment", hint: `unset ${name} to use the default (${fallback})` });
  }
  return value;
}
