import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { PROJECT_ROOT, runCli, type CliOptions, type CliResult } from "../helpers/cli.js";
import { BATCH_ID, DEVICE, interfaceItem, writeBatchWorkspace, type Workspace } from "../helpers/batch-workspace.js";

export { BATCH_ID, DEVICE, runCli, type CliResult, type Workspace };

/** Every hostile case runs under this deadline: a hang is a failure, not a slow test. */
const HANG_MS = 20_000;

/** runCli that is killed (and fails the test) if it does not end in time. */
export async function run(args: string[], options: CliOptions = {}): Promise<CliResult> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`opsgate ${args.join(" ")} did not end: a hang`)), HANG_MS);
  });
  try {
    return await Promise.race([runCli(args, options), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** A clean refusal: the exit code, one `opsgate: error:` line, no stack, never 70. */
export function expectRefused(result: CliResult, code: number, message?: RegExp): void {
  expect(result.stderr, result.stderr).not.toMatch(/internal error|\n\s+at |Maximum call stack/);
  expect(result.code, result.stderr).toBe(code);
  if (message) expect(result.stderr).toMatch(message);
}

export function tempDir(prefix = "opsgate-hostile-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function workspace(): Workspace {
  return writeBatchWorkspace([interfaceItem("xe-0/0/1")]);
}

export function copyFixture(name: string): string {
  const dir = tempDir();
  cpSync(join(PROJECT_ROOT, "fixtures", name), dir, { recursive: true });
  return dir;
}

export function mkfifo(path: string): string {
  execFileSync("mkfifo", [path]);
  return path;
}

/** JSON nested `depth` levels deep. */
export function deepJson(depth: number): string {
  return `${"[".repeat(depth)}${"]".repeat(depth)}`;
}

/** Every file under `dir` whose name says it is a temp file opsgate left behind. */
export function leftoverTemps(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tmp-\d+-|\.lock\.\d+-/.test(entry.name)) found.push(path);
    }
  };
  walk(dir);
  return found;
}

export function validateArgs(plan: string, extra: string[] = []): string[] {
  return ["validate-batch-plan", "--plan", plan, "--expected-device-id", String(DEVICE.id), "--expected-device", DEVICE.name, ...extra];
}

export function dryRunArgs(plan: string, extra: string[] = []): string[] {
  return ["apply-batch", "--batch-plan", plan, "--confirm-batch-id", BATCH_ID, "--operator", "ops.maria", ...extra];
}

export const REASON = "Change window CHG-4410 and rollback plan checked";

export function approveArgs(record: string, extra: string[] = []): string[] {
  return ["manage-approval-state", "--approval-record", record, "--action", "approve", "--reason", REASON, "--actor", "ana.approver", ...extra];
}

export function readbackArgs(root: string, extra: string[] = []): string[] {
  return ["build-readback-plan", "--root", root, "--source-report", "source.json", "--generated-at", "2026-05-01T10:00:00+08:00", "--git-commit", "0000000", ...extra];
}

export function readbackRoot(source: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, "source.json"), source);
  return dir;
}

/** Mounts a small tmpfs at a new folder (root only); undefined where mount is not allowed. */
export function mountTmpfs(sizeKb: number): { dir: string; remountReadOnly(): void; unmount(): void } | undefined {
  const dir = tempDir("opsgate-mnt-");
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKb}k`, "tmpfs", dir], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  return {
    dir,
    remountReadOnly: () => execFileSync("mount", ["-o", "remount,ro", dir], { stdio: "ignore" }),
    unmount: () => execFileSync("umount", ["-l", dir], { stdio: "ignore" }),
  };
}

export function isFifo(path: string): boolean {
  return statSync(path).isFIFO();
}

/** A valid readback source with `count` candidates (copies of the basic fixture's first). */
export function bigReadbackSource(count: number): string {
  const source = JSON.parse(readFileSync(join(PROJECT_ROOT, "fixtures/readback/basic/source.json"), "utf8")) as { acceptance_candidates: Record<string, unknown>[] };
  const first = source.acceptance_candidates[0]!;
  source.acceptance_candidates = Array.from({ length: count }, (_, i) => ({ ...first, acceptance_candidate_id: `cand-${i}` }));
  return JSON.stringify(source);
}
