import { diag, progress, progressDone } from "../../io/log.js";
import { isTerminal } from "../../io/terminal.js";
import type { Interrupt } from "./interrupt.js";

/**
 * Waits until `untilMs` (a settle fence: after it, a request whose answer never came can no
 * longer commit in NetBox), showing what it waits for: a countdown on a TTY, a line every 10 s
 * otherwise. Returns false if a stop was asked before the fence was reached.
 */
export async function waitOutFence(untilMs: number, what: string, interrupt: Interrupt, now: () => number = Date.now): Promise<boolean> {
  let left = untilMs - now();
  if (left <= 0) return true;
  const tty = isTerminal(2);
  diag(`apply-batch: ${what} may still commit in NetBox until ${new Date(untilMs).toISOString()}; waiting ${Math.ceil(left / 1000)} s before reading NetBox (OPSGATE_SETTLE_FENCE_MS)`);
  let lastLine = now();
  const stopped = interrupt.whenRequested().then(() => "stopped" as const);
  while (left > 0) {
    const tick = new Promise<"tick">((resolve) => setTimeout(() => resolve("tick"), Math.min(left, 1000)));
    if ((await Promise.race([tick, stopped])) === "stopped") {
      if (tty) progressDone();
      return false;
    }
    left = untilMs - now();
    if (left <= 0) break;
    if (tty) progress(`apply-batch: settling ${what}: ${Math.ceil(left / 1000)} s left`);
    else if (now() - lastLine >= 10_000) {
      diag(`apply-batch: settling ${what}: ${Math.ceil(left / 1000)} s left`);
      lastLine = now();
    }
  }
  if (tty) progressDone();
  return true;
}
