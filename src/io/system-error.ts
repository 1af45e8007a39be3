import { ExitCode, UserError } from "../errors.js";

/**
 * System errors are user errors: a read-only folder, a full disk or a missing parent is the
 * machine or the path saying no, not a bug in opsgate. Each code gets words and a hint.
 */
const SYSTEM_ERRORS: Record<string, { what: string; hint: string }> = {
  ENOENT: { what: "no such file or folder", hint: "check the path" },
  EACCES: { what: "permission denied", hint: "check the permissions of the path and its folders" },
  EPERM: { what: "operation not permitted", hint: "check the permissions of the path and its folders" },
  EROFS: { what: "read-only file system", hint: "use a writable location" },
  ENOSPC: { what: "no space left on the device", hint: "free some space and run again" },
  EDQUOT: { what: "disk quota exceeded", hint: "free some space and run again" },
  EFBIG: { what: "file too large for the file system", hint: "use another location" },
  EIO: { what: "input/output error", hint: "check the disk" },
  EMFILE: { what: "too many open files in this process", hint: "raise the open-file limit (ulimit -n) and run again" },
  ENFILE: { what: "too many open files on the system", hint: "close other programs or raise the system limit" },
  ENAMETOOLONG: { what: "file name too long", hint: "use a shorter path" },
  ENOTDIR: { what: "a part of the path is not a folder", hint: "check the path" },
  EISDIR: { what: "it is a folder", hint: "name a file, not a folder" },
  ELOOP: { what: "too many symbolic links (a loop?)", hint: "check the symbolic links on the path" },
  EEXIST: { what: "something is already there", hint: "check the path" },
  ENXIO: { what: "no such device (a FIFO without a reader, or a device that is gone)", hint: "name a regular file" },
  ENODEV: { what: "no such device", hint: "name a regular file" },
  ETXTBSY: { what: "file busy", hint: "retry when the other program is done" },
  EBUSY: { what: "device or resource busy", hint: "retry later" },
  EXDEV: { what: "the path crosses file systems", hint: "keep the file and its folder on one file system" },
  EINVAL: { what: "invalid argument for this file system", hint: "check the path" },
  EILSEQ: { what: "the file name is not valid for this file system", hint: "use plain characters in the file name" },
  ENOTEMPTY: { what: "the folder is not empty", hint: "check the path" },
  EOVERFLOW: { what: "value too large for the file system", hint: "check the path" },
};

export function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string" && (error as NodeJS.ErrnoException).code! in SYSTEM_ERRORS;
}

/** `permission denied (EACCES)`, never the raw Node message (which may repeat a path's secret). */
export function systemErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== "string") return error instanceof Error ? error.message : String(error);
  return `${SYSTEM_ERRORS[code]?.what ?? "system error"} (${code})`;
}

/** A UserError (exit 2 unless told) for a system error on `path` while doing `action`. */
export function systemUserError(error: unknown, action: string, path?: string, exitCode: 1 | 2 = ExitCode.usage): UserError {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const where = path ?? (error as NodeJS.ErrnoException).path;
  return new UserError(`${action}: ${systemErrorText(error)}`, {
    exitCode,
    ...(where ? { where } : {}),
    hint: SYSTEM_ERRORS[code]?.hint ?? "check the path",
  });
}
