import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { UserError } from "../errors.js";
import { credentialIn } from "./secrets.js";

/** Ids that become file names (batch_id, item_id, approval_id): SPEC §3.1. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** An id that may become a file name: the pattern, no `..`, and nothing shaped like a credential. */
export function isSafeId(id: unknown): id is string {
  return typeof id === "string" && ID_PATTERN.test(id) && !id.includes("..") && credentialIn(id) === undefined;
}

export function assertSafeId(id: unknown, what: string): string {
  if (typeof id === "string" && credentialIn(id) !== undefined) {
    throw new UserError(`${what} looks like a credential; it would become a file name`, { hint: "ids name things; credentials go in the environment" });
  }
  if (!isSafeId(id)) {
    throw new UserError(`${what} ${JSON.stringify(id)} is not a valid id`, {
      hint: "ids are 1-128 characters of A-Z a-z 0-9 . _ - starting with a letter or digit",
    });
  }
  return id;
}

/** The real path of the nearest existing ancestor, so a symlink anywhere above is followed. */
function realpathOfExisting(path: string): string {
  let current = path;
  const rest: string[] = [];
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) break;
    rest.unshift(current.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
    current = parent;
  }
  return resolve(realpathSync(current), ...rest);
}

/**
 * Resolves `parts` under `root` and refuses any result that leaves it: `..`, absolute parts, or a
 * symlink pointing outside.
 */
export function resolveInside(root: string, ...parts: string[]): string {
  for (const part of parts) {
    if (credentialIn(part) !== undefined) throw new UserError("a path part looks like a credential; it would become a file name", { where: root });
    if (isAbsolute(part) || part.split(/[\\/]/).includes("..")) {
      throw new UserError(`path ${JSON.stringify(part)} would leave ${root}`);
    }
  }
  const target = resolve(root, ...parts);
  const realRoot = realpathOfExisting(resolve(root));
  const realTarget = realpathOfExisting(target);
  const rel = relative(realRoot, realTarget);
  if (rel.startsWith("..") || isAbsolute(rel)) {
    throw new UserError(`path ${JSON.stringify(parts.join("/"))} resolves outside ${root}`);
  }
  return target;
}
