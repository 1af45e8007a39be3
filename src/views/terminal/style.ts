import { ansi, wantsColour } from "../../io/ansi.js";
import { isTerminal, stdoutColumns } from "../../io/terminal.js";

/**
 * How a human view is drawn: the colours (none off a TTY or with NO_COLOR) and the width (the
 * terminal's). Renderers take a `Term`, so they stay pure and are tested with `plainTerm`.
 */
export interface Style {
  bold: (text: string) => string;
  dim: (text: string) => string;
  red: (text: string) => string;
  green: (text: string) => string;
  yellow: (text: string) => string;
  cyan: (text: string) => string;
}

export interface Term {
  style: Style;
  /** Columns available; lines are cut to fit. */
  width: number;
}

const same = (text: string): string => text;
export const plainStyle: Style = { bold: same, dim: same, red: same, green: same, yellow: same, cyan: same };

export function plainTerm(width = 100): Term {
  return { style: plainStyle, width };
}

const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 40;

const colourStyle: Style = {
  bold: (text) => ansi("bold", text),
  dim: (text) => ansi("dim", text),
  red: (text) => ansi("red", text),
  green: (text) => ansi("green", text),
  yellow: (text) => ansi("yellow", text),
  cyan: (text) => ansi("cyan", text),
};

/** The terminal of stdout: colour only on a TTY, never with NO_COLOR or on a dumb terminal. */
export function stdoutTerm(env: NodeJS.ProcessEnv = process.env): Term {
  return { style: wantsColour(isTerminal(1), env) ? colourStyle : plainStyle, width: Math.max(MIN_WIDTH, stdoutColumns() ?? DEFAULT_WIDTH) };
}

const SGR = /\u001b\[[0-9;]*m/g;

/** The visible length of a line (colour codes do not count). */
export function visibleLength(text: string): number {
  return [...text.replace(SGR, "")].length;
}

/** Cuts a line to `width` visible characters (with "…"), keeping colour codes balanced. */
export function fitLine(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  let out = "";
  let shown = 0;
  let hadColour = false;
  for (let i = 0; i < text.length; ) {
    if (text[i] === "\u001b") {
      const match = /^\u001b\[[0-9;]*m/.exec(text.slice(i));
      if (match) {
        out += match[0];
        hadColour = true;
        i += match[0].length;
        continue;
      }
    }
    const char = String.fromCodePoint(text.codePointAt(i) ?? 32);
    if (shown === width - 1) {
      out += "…";
      break;
    }
    out += char;
    shown++;
    i += char.length;
  }
  return hadColour ? `${out}\u001b[0m` : out;
}

/** Lines joined with "\n", each cut to the terminal, ending with a newline. */
export function screen(lines: readonly string[], term: Term): string {
  return `${lines.map((line) => fitLine(line, term.width)).join("\n")}\n`;
}
