/**
 * Exit codes (SPEC §1) and the two kinds of failure: a `UserError` is expected and already
 * explained (bad flag, bad file, refused gate); anything else is a bug.
 */
export const ExitCode = {
  ok: 0,
  gateRefused: 1,
  usage: 2,
  external: 3,
  needsHuman: 4,
  internal: 70,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface UserErrorDetails {
  exitCode?: ExitCodeValue;
  /** Where the problem is: a file, a flag, a JSON path. */
  where?: string;
  /** How to fix it. */
  hint?: string;
  /** A summary line to print last on stderr (when the command has one for this failure). */
  summary?: string;
}

/** Marks a UserError made by any copy of this module (each command bundle carries its own). */
const USER_ERROR = Symbol.for("opsgate.UserError");

export class UserError extends Error {
  /**
   * `instanceof UserError` holds for a UserError thrown by a command bundle too, whose class is
   * another copy of this one (the main bundle and each command bundle are built separately).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== UserError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[USER_ERROR] === true;
  }

  readonly [USER_ERROR] = true;
  readonly exitCode: ExitCodeValue;
  readonly where: string | undefined;
  readonly hint: string | undefined;
  readonly summary: string | undefined;

  constructor(message: string, details: UserErrorDetails = {}) {
    super(message);
    this.name = "UserError";
    this.exitCode = details.exitCode ?? ExitCode.usage;
    this.where = details.where;
    this.hint = details.hint;
    this.summary = details.summary;
  }
}

/** The lines printed for a user error: `opsgate: error: <what> (<where>)` and an optional hint. */
export function formatUserError(error: UserError): string[] {
  const lines = [`opsgate: error: ${error.message}${error.where ? ` (${error.where})` : ""}`];
  if (error.hint) lines.push(`hint: ${error.hint}`);
  return lines;
}
