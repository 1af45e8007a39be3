import { UserError } from "../errors.js";

/**
 * apply-batch's tuning knobs from the environment, each range-checked (a value out of range is a
 * usage error, never silently clamped). Documented in docs/apply-batch.md.
 */
export interface WriteTuning {
  /** At most this many objects per bulk POST/DELETE. */
  chunkSize: number;
  /** Bulk write chunks in flight at once (spread over NetBox's workers). */
  concurrency: number;
  /**
   * How long after it was sent a request whose answer never came may still commit in NetBox:
   * NetBox's own worker time-out (gunicorn `timeout = 120` in NetBox's contrib config) plus time
   * queued behind its workers. Its outcome is read only after this fence.
   */
  settleFenceMs: number;
}

/**
 * 100 objects: ~3.5 s of a real NetBox 4.5's work (~35 ms per object) and ~22 KB of body (5,000 IP
 * addresses were 1.09 MB), well under a proxy's common 1 MB and its time-outs.
 */
export const DEFAULT_CHUNK_SIZE = 100;
/** NetBox's workers in the measured install (3): more only queue; fewer leave workers idle. */
export const DEFAULT_CONCURRENCY = 3;
export const DEFAULT_SETTLE_FENCE_MS = 180_000;

export function writeTuning(env: NodeJS.ProcessEnv): WriteTuning {
  return {
    chunkSize: envIntInRange(env, "OPSGATE_APPLY_CHUNK_SIZE", DEFAULT_CHUNK_SIZE, 1, 1000),
    concurrency: envIntInRange(env, "OPSGATE_APPLY_CONCURRENCY", DEFAULT_CONCURRENCY, 1, 16),
    settleFenceMs: envIntInRange(env, "OPSGATE_SETTLE_FENCE_MS", DEFAULT_SETTLE_FENCE_MS, 100, 3_600_000),
  };
}

/** A whole number from the environment within [min, max], or the default when unset. */
export function envIntInRange(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UserError(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`, { where: "environment" });
  }
  return value;
}
