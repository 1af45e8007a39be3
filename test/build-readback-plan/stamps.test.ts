import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

function sourceDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "opsgate-stamps-"));
  cpSync(join(PROJECT_ROOT, "fixtures/readback/basic/source.json"), join(dir, "source.json"));
  return dir;
}

function report(stdout: string): { generated_at: string; git_commit: string } {
  return JSON.parse(stdout) as { generated_at: string; git_commit: string };
}

describe("build-readback-plan stamps", () => {
  it("takes git_commit from git in --root, or 'unknown' outside a repository, or --git-commit", async () => {
    const dir = sourceDir();
    const args = ["build-readback-plan", "--root", dir, "--source-report", "source.json", "--generated-at", "2026-05-01T10:00:00+08:00"];
    expect(report((await runCli(args)).stdout).git_commit).toBe("unknown");

    const git = (...a: string[]): string => execFileSync("git", a, { cwd: dir, encoding: "utf8" }).trim();
    git("init", "-q");
    git("-c", "user.email=t@example.net", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "x");
    expect(report((await runCli(args)).stdout).git_commit).toBe(git("rev-parse", "--short", "HEAD"));
    expect(report((await runCli([...args, "--git-commit", "abc1234"])).stdout).git_commit).toBe("abc1234");
  });

  it("stamps now in UTC+08:00 by default and honours SOURCE_DATE_EPOCH", async () => {
    const dir = sourceDir();
    const args = ["build-readback-plan", "--root", dir, "--source-report", "source.json"];
    expect(report((await runCli(args)).stdout).generated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    const pinned = await runCli(args, { env: { SOURCE_DATE_EPOCH: "1777600800" } });
    expect(report(pinned.stdout).generated_at).toBe("2026-05-01T10:00:00+08:00");
    // An empty --generated-at falls back like the seed's `generated_at or now`.
    const empty = await runCli([...args, "--generated-at", ""], { env: { SOURCE_DATE_EPOCH: "0" } });
    expect(report(empty.stdout).generated_at).toBe("1970-01-01T08:00:00+08:00");
  });
});
