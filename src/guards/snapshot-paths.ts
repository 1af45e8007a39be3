import { lstatSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { UserError } from "../errors.js";

/** The only folder `snapshots regenerate` writes in (relative to the project root). */
export const SNAPSHOTS_DIR = "snapshots";
export const SNAPSHOT_MANIFEST = "snapshots/manifest.json";

function refuse(output: string, why: string): UserError {
  // A name with a lone surrogate cannot be printed faithfully: describe it instead.
  const shown = output.isWellFormed() ? JSON.stringify(output) : "(a name with an unpaired UTF-16 surrogate)";
  return new UserError(`manifest output ${shown} ${why}`, {
    where: SNAPSHOT_MANIFEST,
    hint: "outputs are .json files under snapshots/ (not the manifest itself, nothing under .git)",
  });
}

/** The real path of the deepest existing ancestor of `path`, with the rest appended. */
function realpathOfExisting(path: string): string {
  const rest: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync(current), ...rest);
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      rest.unshift(relative(parent, current));
      current = parent;
    }
  }
}

/**
 * Where a manifest entry's output may be written: a `.json` file under `<root>/snapshots/`, never
 * the manifest, never anything under `.git`, never through a symlink that leaves `snapshots/`, and
 * never a name that cannot be a UTF-8 file name (a lone surrogate would silently become U+FFFD).
 * Returns the absolute path or throws (exit 2). Called for every entry before any generator runs.
 */
export function snapshotOutputPath(root: string, output: string): string {
  if (!output.isWellFormed()) throw refuse(output, "holds an unpaired UTF-16 surrogate, which no file name can hold");
  if (/[\u0000-\u001f\\]/.test(output)) throw refuse(output, "holds a control character or a backslash");
  if (isAbsolute(output)) throw refuse(output, "is absolute");
  const segments = output.split("/");
  if (segments.some((part) => part === "" || part === "." || part === "..")) throw refuse(output, "has an empty, '.' or '..' segment");
  if (segments.some((part) => part.toLowerCase() === ".git")) throw refuse(output, "is under .git");
  if (segments[0] !== SNAPSHOTS_DIR || segments.length < 2) throw refuse(output, "is not under snapshots/");
  if (output === SNAPSHOT_MANIFEST) throw refuse(output, "is the manifest itself");
  if (!output.endsWith(".json")) throw refuse(output, "is not a .json file");
  const absRoot = resolve(root);
  const target = resolve(absRoot, output);
  const snapshotsReal = realpathOfExisting(join(absRoot, SNAPSHOTS_DIR));
  const targetReal = realpathOfExisting(target);
  const rel = relative(snapshotsReal, targetReal);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) throw refuse(output, "resolves outside snapshots/ (a symbolic link?)");
  if (targetReal === realpathOfExisting(join(absRoot, SNAPSHOT_MANIFEST))) throw refuse(output, "is the manifest itself");
  try {
    const stat = lstatSync(target);
    if (stat.isSymbolicLink()) throw refuse(output, "is a symbolic link");
    if (!stat.isFile()) throw refuse(output, "is not a regular file (a folder, FIFO, device or socket)");
  } catch (error) {
    if (error instanceof UserError) throw error;
  }
  return target;
}
