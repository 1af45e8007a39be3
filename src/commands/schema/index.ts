import type { CommandResult } from "../../command.js";
import { UserError } from "../../errors.js";

// Placeholder until the command's issue lands.
export function runSchema(_options: unknown): Promise<CommandResult> {
  return Promise.reject(new UserError("this command is not built yet"));
}
