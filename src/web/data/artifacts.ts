import { lstatSync, realpathSync } from "node:fs";
import { join, relative, sep, isAbsolute } from "node:path";
import { findSecrets, secretValuesFromEnv } from "../../guards/secrets.js";
import { parseJson } from "../../json/read.js";
import { listDir, readFileSafely, type Read } from "./files.js";

/**
 * Downloadable artifacts: regular files with an allowed extension found by walking the configured
 * folders (dot files and dot folders skipped, symbolic links never followed). A download names an
 * artifact by `<root>/<relative path>` and is served only if that exact id is in this index: the URL
 * is looked up, never turned into a path.
 */
export const DOWNLOAD_EXTENSIONS = [".json", ".jsonl", ".csv", ".txt", ".log"] as const;
const MAX_DEPTH = 6;
const MAX_ARTIFACTS = 20_000;
export const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;

export interface ArtifactRoot {
  /** `approvals`, `results`, `reports`, `reports-2`, ...: the first part of every artifact id. */
  key: string;
  dir: string;
}

export interface Artifact {
  id: string;
  root: string;
  rel: string;
  path: string;
  size: number;
  ext: string;
}

export function artifactRoots(options: { approvalsDir?: string; resultsDir?: string; reportsDirs: readonly string[] }): ArtifactRoot[] {
  const roots: ArtifactRoot[] = [];
  if (options.approvalsDir) roots.push({ key: "approvals", dir: options.approvalsDir });
  if (options.resultsDir) roots.push({ key: "results", dir: options.resultsDir });
  options.reportsDirs.forEach((dir, i) => roots.push({ key: i === 0 ? "reports" : `reports-${i + 1}`, dir }));
  return roots;
}

const extOf = (name: string): string => DOWNLOAD_EXTENSIONS.find((ext) => name.toLowerCase().endsWith(ext)) ?? "";

export function listArtifacts(roots: readonly ArtifactRoot[]): Artifact[] {
  const found: Artifact[] = [];
  const walk = (root: ArtifactRoot, dir: string, depth: number): void => {
    for (const entry of listDir(dir)) {
      if (found.length >= MAX_ARTIFACTS) return;
      if (entry.kind === "dir" && depth < MAX_DEPTH) walk(root, entry.path, depth + 1);
      if (entry.kind !== "file") continue;
      const ext = extOf(entry.name);
      if (!ext) continue;
      const rel = relative(root.dir, entry.path).split(sep).join("/");
      let size = 0;
      try {
        size = lstatSync(entry.path).size;
      } catch {
        continue;
      }
      found.push({ id: `${root.key}/${rel}`, root: root.key, rel, path: entry.path, size, ext });
    }
  };
  for (const root of roots) {
    try {
      if (lstatSync(root.dir).isDirectory()) walk(root, root.dir, 0);
    } catch {
      // A missing folder has no artifacts; the pages that read it say so.
    }
  }
  return found;
}

/** Refusals a raw request path earns before any look-up: traversal and encoding tricks. */
export function suspiciousPath(rawPath: string): string | undefined {
  const lower = rawPath.toLowerCase();
  if (lower.includes("%2f") || lower.includes("%5c")) return "encoded slash or backslash";
  if (rawPath.includes("\\")) return "backslash";
  if (lower.includes("%00") || rawPath.includes("\0")) return "NUL byte";
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return "bad percent-encoding";
  }
  if (decoded.split("/").some((part) => part === ".." || part === ".")) return "dot segment";
  if (decoded.split("/").some((part) => part.startsWith("."))) return "dot file";
  return undefined;
}

export type ArtifactBytes = Read<Buffer>;

/**
 * The bytes of an indexed artifact, if it is still a regular file inside its root and holds no
 * credential shape (a download is the file as it is: it cannot be redacted, so it is refused).
 */
export function artifactBytes(artifact: Artifact, roots: readonly ArtifactRoot[]): ArtifactBytes & { secret?: boolean } {
  const root = roots.find((r) => r.key === artifact.root);
  if (!root) return { ok: false, problem: "unknown folder" };
  try {
    const rel = relative(realpathSync(root.dir), realpathSync(artifact.path));
    if (rel.startsWith("..") || isAbsolute(rel)) return { ok: false, problem: "resolves outside its folder" };
  } catch {
    return { ok: false, problem: "gone" };
  }
  const bytes = readFileSafely(join(artifact.path), MAX_DOWNLOAD_BYTES);
  if (!bytes.ok) return bytes;
  if (holdsCredential(bytes.value, artifact.ext)) return { ok: false, problem: "holds a credential shape", secret: true };
  return bytes;
}

/** Any token value from the environment or credential shape, in the text or in its JSON values/keys. */
export function holdsCredential(bytes: Buffer, ext: string): boolean {
  const secrets = secretValuesFromEnv();
  const text = bytes.toString("utf8");
  if (findSecrets(text, secrets).length > 0) return true;
  const documents = ext === ".json" ? [text] : ext === ".jsonl" ? text.split("\n").filter((line) => line.trim() !== "") : [];
  for (const doc of documents) {
    try {
      if (findSecrets(parseJson(doc), secrets).length > 0) return true;
    } catch {
      // Not JSON after all: the text check above is what applies.
    }
  }
  // Line by line too: one shape per line is the common case in a .log or .txt.
  return text.split("\n").some((line) => findSecrets(line, secrets).length > 0);
}
