import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

/**
 * `git rev-parse --short HEAD` for the readback plan's `git_commit`, read from `.git` directly:
 * spawning git costs more than the whole plan at 12 candidates. Every case this reader is not
 * sure to answer exactly as git would (an unusual layout, a config that may change the
 * abbreviation, a large repository, a prefix shared with another object) returns undefined, and
 * the caller asks git itself.
 *
 * What it mirrors: discovery walking up from the folder (a `.git` folder, or a `.git` file naming
 * the git dir, as in linked worktrees and submodules), HEAD as a symbolic ref or detached, refs
 * loose or in `packed-refs` (worktrees keep HEAD in their own git dir, branches in the common
 * dir), and git's default abbreviation: 7 hex digits while the repository holds fewer than 2^14
 * objects and no other object shares them (core.abbrev=auto).
 */

/**
 * GIT_ variables that cannot change what `rev-parse --short HEAD` prints (transport, identity, UI):
 * these names, and names starting with these prefixes, after `GIT_`. (Kept as lists, not one
 * regular expression: compiling that one took ~0.2 ms of every readback run where a GIT_ variable
 * is set, as GIT_SSL_CAINFO often is.)
 */
const HARMLESS_GIT_NAMES = new Set(["ASKPASS", "TERMINAL_PROMPT", "EDITOR", "SEQUENCE_EDITOR", "PAGER", "FLUSH", "PROTOCOL_FROM_USER", "ALLOW_PROTOCOL"]);
const HARMLESS_GIT_PREFIXES = ["SSL_", "HTTP_", "SSH", "CURL_", "PROXY_", "AUTHOR_", "COMMITTER_", "TRACE", "MERGE_"];
const HEX40 = /^[0-9a-f]{40}$/;
const SHORT = 7;
/** Below this many objects git's `auto` abbreviation is 7 whether or not it counts loose objects. */
const SMALL_REPOSITORY = 8192;

/**
 * The short HEAD; `unknown` (what the seed writes when git fails) when no folder from here up to
 * the root holds a repository; undefined when git must be asked.
 */
export function readShortHead(folder: string): string | undefined {
  try {
    return shortHead(resolve(folder));
  } catch {
    return undefined;
  }
}

function shortHead(folder: string): string | undefined {
  // Variables that change discovery, config or object lookup (GIT_DIR, GIT_CEILING_DIRECTORIES,
  // GIT_CONFIG_*, GIT_OBJECT_DIRECTORY, ...): leave them to git.
  if (Object.keys(process.env).some((name) => name.startsWith("GIT_") && !harmlessGitVariable(name))) return undefined;
  const found = discover(folder);
  if (found === "none") return "unknown";
  if (!found) return undefined;
  const { gitDir, top } = found;
  const uid = process.getuid?.();
  // git refuses a repository another user owns (safe.directory): let it say so.
  if (uid === undefined || statSync(top).uid !== uid || statSync(gitDir).uid !== uid) return undefined;
  const commonDir = readCommonDir(gitDir);
  const userConfig = userConfigFiles();
  if (!userConfig || !configIsPlain([join(commonDir, "config"), join(gitDir, "config.worktree"), ...userConfig])) return undefined;
  const oid = resolveHead(gitDir, commonDir);
  if (!oid) return undefined;
  return uniqueShort(join(commonDir, "objects"), oid);
}

function harmlessGitVariable(name: string): boolean {
  const rest = name.slice("GIT_".length);
  return HARMLESS_GIT_NAMES.has(rest) || HARMLESS_GIT_PREFIXES.some((prefix) => rest.startsWith(prefix));
}

/**
 * The git dir git would find from `folder` and the work tree folder holding it; "none" when no
 * folder up to the root has a `.git` or is a git dir (git then fails too); undefined when unsure.
 */
function discover(folder: string): { gitDir: string; top: string } | "none" | undefined {
  const device = statSync(folder).dev;
  for (let dir = folder; ; dir = dirname(dir)) {
    const dotGit = join(dir, ".git");
    let stat;
    try {
      // Absent is the usual answer on the way up: told, not thrown (an error costs ~50 µs to make).
      stat = statSync(dotGit, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    if (stat) {
      // git stops at a file-system boundary unless told otherwise.
      if (statSync(dir).dev !== device) return undefined;
      if (stat.isDirectory()) return looksLikeGitDir(dotGit) ? { gitDir: dotGit, top: dir } : undefined;
      if (!stat.isFile()) return undefined;
      const match = /^gitdir: (.+)$/.exec(readFileSync(dotGit, "utf8").trim());
      if (!match?.[1]) return undefined;
      const gitDir = resolve(dir, match[1]);
      return looksLikeGitDir(gitDir) ? { gitDir, top: dir } : undefined;
    }
    // A bare repository, or a folder inside a git dir: git handles those.
    if (looksLikeGitDir(dir)) return undefined;
    if (dirname(dir) === dir) return "none";
  }
}

function looksLikeGitDir(dir: string): boolean {
  try {
    return statSync(join(dir, "HEAD"), { throwIfNoEntry: false })?.isFile() === true && (statSync(join(dir, "commondir"), { throwIfNoEntry: false }) !== undefined || statSync(join(dir, "objects")).isDirectory());
  } catch {
    return false;
  }
}

function readCommonDir(gitDir: string): string {
  let text: string;
  try {
    text = readFileSync(join(gitDir, "commondir"), "utf8").trim();
  } catch {
    return gitDir;
  }
  return isAbsolute(text) ? text : resolve(gitDir, text);
}

function userConfigFiles(): string[] | undefined {
  const home = process.env.HOME;
  if (!home) return undefined;
  const xdg = process.env.XDG_CONFIG_HOME || join(home, ".config");
  return [join(home, ".gitconfig"), join(xdg, "git", "config"), "/etc/gitconfig"];
}

/** False when a config file may change what `rev-parse --short HEAD` prints (or cannot be read). */
function configIsPlain(files: string[]): boolean {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      return false;
    }
    // core.abbrev, any [extensions] (object format, ref storage, worktree config), includes that may
    // hold either, and a repository marked bare.
    if (/^\s*\[\s*(extensions|include|includeif)\b/im.test(text)) return false;
    if (/^\s*abbrev\b/im.test(text)) return false;
    for (const match of text.matchAll(/^\s*bare\b\s*(?:=\s*(\S*))?/gim)) if (match[1]?.toLowerCase() !== "false") return false;
  }
  return true;
}

/** HEAD's object id, following symbolic refs through loose and packed refs. */
function resolveHead(gitDir: string, commonDir: string): string | undefined {
  let text = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
  for (let depth = 0; depth < 5; depth++) {
    if (HEX40.test(text)) return text;
    const ref = /^ref: (refs\/\S+)$/.exec(text)?.[1];
    if (!ref || ref.includes("..")) return undefined;
    // Per-worktree refs live in the worktree's git dir, the others in the common dir.
    const home = /^refs\/(bisect|worktree|rewritten)\//.test(ref) ? gitDir : commonDir;
    let loose: string | undefined;
    try {
      loose = readFileSync(join(home, ref), "utf8").trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") return undefined;
    }
    if (loose === undefined) return packedRef(home, ref);
    text = loose;
  }
  return undefined;
}

function packedRef(dir: string, ref: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, "packed-refs"), "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split("\n")) {
    if (line.length > 41 && line[40] === " " && line.slice(41) === ref) {
      const oid = line.slice(0, 40);
      return HEX40.test(oid) ? oid : undefined;
    }
  }
  return undefined;
}

/**
 * The 7-digit prefix when the repository is small and no other object starts with it; else
 * undefined (git then picks the length).
 */
function uniqueShort(objects: string, oid: string): string | undefined {
  const prefix = oid.slice(0, SHORT);
  let entries: string[];
  try {
    entries = readdirSync(objects);
  } catch {
    return undefined;
  }
  if (entries.includes("info") && readdirSync(join(objects, "info")).some((name) => name === "alternates")) return undefined;
  let count = 0;
  let sharing = 0;
  for (const name of entries) {
    if (!/^[0-9a-f]{2}$/.test(name)) continue;
    const files = readdirSync(join(objects, name));
    count += files.length;
    if (count >= SMALL_REPOSITORY) return undefined;
    if (name === oid.slice(0, 2)) sharing += files.filter((file) => file.startsWith(oid.slice(2, SHORT)) && file !== oid.slice(2)).length;
  }
  let packs: string[] = [];
  if (entries.includes("pack")) packs = readdirSync(join(objects, "pack"));
  if (packs.some((name) => name.startsWith("multi-pack-index"))) return undefined;
  for (const name of packs) {
    if (!name.endsWith(".idx")) continue;
    const found = searchPackIndex(join(objects, "pack", name), oid, SMALL_REPOSITORY - count);
    if (found === undefined) return undefined;
    count += found.objects;
    sharing += found.sharing;
    if (count >= SMALL_REPOSITORY) return undefined;
  }
  return sharing === 0 ? prefix : undefined;
}

/** Objects in a version-2 pack index, and how many of them other than `oid` share its prefix. */
function searchPackIndex(file: string, oid: string, room: number): { objects: number; sharing: number } | undefined {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(8 + 256 * 4);
    if (readSync(fd, head, 0, head.length, 0) !== head.length) return undefined;
    if (head.readUInt32BE(0) !== 0xff744f63 || head.readUInt32BE(4) !== 2) return undefined;
    const objects = head.readUInt32BE(8 + 255 * 4);
    if (objects >= room) return { objects, sharing: 0 };
    const first = parseInt(oid.slice(0, 2), 16);
    const from = first === 0 ? 0 : head.readUInt32BE(8 + (first - 1) * 4);
    const to = head.readUInt32BE(8 + first * 4);
    if (to < from || to > objects) return undefined;
    const names = Buffer.alloc((to - from) * 20);
    if (names.length > 0 && readSync(fd, names, 0, names.length, head.length + from * 20) !== names.length) return undefined;
    let sharing = 0;
    for (let i = 0; i < to - from; i++) {
      const hex = names.toString("hex", i * 20, i * 20 + 20);
      if (hex !== oid && hex.startsWith(oid.slice(0, SHORT))) sharing++;
    }
    return { objects, sharing };
  } finally {
    closeSync(fd);
  }
}
