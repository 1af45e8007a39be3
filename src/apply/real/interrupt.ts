import { diag } from "../../io/log.js";

/**
 * SIGINT/SIGTERM while a real write or --recover runs (SPEC §2.4). The first signal asks the run to
 * stop sending: the request in flight is still waited for and settled, what was created is rolled
 * back, and the run ends with its summary line (exit 3 or 4). A second signal exits at once — the
 * ledger already holds every request that may have reached NetBox, which `--recover` settles and
 * undoes — so the operator is never trapped.
 */
export class Interrupt {
  signal: NodeJS.Signals | undefined;
  private readonly listeners: (() => void)[] = [];
  private readonly handler = (signal: NodeJS.Signals): void => this.received(signal);

  constructor(private readonly onSecond: (signal: NodeJS.Signals) => void) {}

  get requested(): boolean {
    return this.signal !== undefined;
  }

  install(): this {
    process.on("SIGINT", this.handler);
    process.on("SIGTERM", this.handler);
    return this;
  }

  dispose(): void {
    process.off("SIGINT", this.handler);
    process.off("SIGTERM", this.handler);
  }

  /** Resolves when a stop is asked (at once if it already was). */
  whenRequested(): Promise<void> {
    if (this.requested) return Promise.resolve();
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  private received(signal: NodeJS.Signals): void {
    if (this.requested) {
      this.onSecond(signal);
      return;
    }
    this.signal = signal;
    diag(`apply-batch: ${signal} received: sending nothing more; settling the request(s) in flight, then rolling back (${signal} again to exit at once)`);
    for (const listener of this.listeners.splice(0)) listener();
  }
}

/** Never interrupted (simulate mode, tests of the write path). */
export const NO_INTERRUPT = new Interrupt(() => undefined);
