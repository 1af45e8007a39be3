import { rmSync } from "node:fs";

/**
 * Every temp file opsgate has on disk right now. They are removed on SIGINT, SIGTERM and SIGHUP
 * (then the process exits as the signal would have ended it) and at exit, so an interrupted write
 * never leaves a hidden half-file behind. Node runs signal handlers between tasks: a synchronous
 * write in progress finishes (or fails) first, and its own `finally` removes its temp file.
 */
const live = new Set<string>();
let installed = false;

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export function removeLiveTemps(): void {
  for (const path of live) {
    try {
      rmSync(path, { force: true });
    } catch {
      // best effort: the process is ending
    }
  }
  live.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of Object.entries(SIGNAL_EXIT)) {
    process.on(signal, () => {
      // A command that handles the signal itself (a real write settles and rolls back; serve
      // stops listening) ends the process in its own time; the exit hook still removes the temps.
      if (process.listenerCount(signal) > 1) return;
      removeLiveTemps();
      process.exit(code);
    });
  }
  process.on("exit", removeLiveTemps);
}

/**
 * `<pid>-<8 hex digits>`: a temp name's tag. Unique enough with the pid (every temp file is created
 * with O_EXCL, so a clash fails loudly, never overwrites); Math.random, not node:crypto, whose
 * loading costs more than a small command's whole run.
 */
export function tempTag(): string {
  return `${process.pid}-${Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, "0")}`;
}

export function registerTemp(path: string): void {
  install();
  live.add(path);
}

export function forgetTemp(path: string): void {
  live.delete(path);
}
