import { inspect } from "node:util";

/**
 * Colour for terminals: SGR codes from Node's own table (`util.inspect.colors`), so no colour
 * library is loaded at start-up. Whether to colour at all is the caller's choice (`wantsColour`).
 */
export type Colour = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";

export function ansi(colour: Colour, text: string): string {
  const [open, close] = inspect.colors[colour] ?? [0, 0];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

/** Colour only on a terminal, never with NO_COLOR set (to anything) or on a dumb terminal. */
export function wantsColour(isTTY: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(isTTY) && !("NO_COLOR" in env) && env.TERM !== "dumb";
}
