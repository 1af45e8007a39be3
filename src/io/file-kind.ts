import type { BigIntStats, Stats } from "node:fs";

/** What a path is when it is not a regular file, for a message: "a folder", "a FIFO (named pipe)", ... */
export function fileKind(stat: Stats | BigIntStats): string {
  if (stat.isSymbolicLink()) return "a symbolic link";
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  return "not a regular file";
}
