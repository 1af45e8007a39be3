import { wantsColour } from "../io/ansi.js";
import { isTerminal } from "../io/terminal.js";

/**
 * Progress on a long phase, for a person watching: one line on stderr, redrawn in place at most
 * ten times a second, cleared when the phase ends. Nothing at all when stderr is not a terminal
 * (logs and CI stay clean) — stdout is never touched. Commands and domains call it through
 * `startProgress`; tests pass their own stream.
 */
export interface Progress {
  /** `done` of `total` (total as given at the start unless given here). */
  update(done: number, total?: number): void;
  /** A new label for the same line (the next phase of the same work). */
  phase(label: string, total?: number): void;
  /** Clears the line. */
  end(): void;
}

const REDRAW_MS = 100;

const silent: Progress = { update: () => undefined, phase: () => undefined, end: () => undefined };

export function startProgress(label: string, total?: number, to?: NodeJS.WriteStream, now: () => number = Date.now): Progress {
  if (to ? !to.isTTY : !isTerminal(2)) return silent;
  const stream = to ?? process.stderr;
  const colour = wantsColour(true);
  let current = label;
  let max = total;
  let last = -Infinity;
  let shown = false;
  const draw = (done: number | undefined, force: boolean): void => {
    const at = now();
    if (!force && at - last < REDRAW_MS) return;
    last = at;
    const count = done === undefined ? "" : max ? ` ${done}/${max} (${Math.floor((done * 100) / Math.max(1, max))}%)` : ` ${done}`;
    const text = `${current}${count}`;
    const width = stream.columns ? stream.columns - 1 : text.length;
    const line = text.length > width ? text.slice(0, Math.max(0, width)) : text;
    stream.write(`\r${colour ? `\u001b[2m${line}\u001b[22m` : line}\u001b[K`);
    shown = true;
  };
  draw(undefined, true);
  return {
    update: (done, newTotal) => {
      if (newTotal !== undefined) max = newTotal;
      draw(done, done === max);
    },
    phase: (next, newTotal) => {
      current = next;
      max = newTotal;
      draw(undefined, true);
    },
    end: () => {
      if (shown) stream.write("\r\u001b[K");
      shown = false;
    },
  };
}
