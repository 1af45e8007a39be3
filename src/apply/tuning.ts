import { envInteger } from "../guards/env.js";

/**
 * apply-batch's tuning knobs from the environment, each range-checked (src/guards/env.ts: a value
 * out of range is a usage error, never silently clamped). Documented in docs/apply-batch.md.
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
    chunkSize: envInteger(env, "OPSGATE_APPLY_CHUNK_SIZE", DEFAULT_CHUNK_SIZE),
    concurrency: envInteger(env, "OPSGATE_APPLY_CONCURRENCY", DEFAULT_CONCURRENCY),
    settleFenceMs: envInteger(env, "OPSGATE_SETTLE_FENCE_MS", DEFAULT_SETTLE_FENCE_MS),
  };
}
