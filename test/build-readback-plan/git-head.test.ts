import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readShortHead } from "../../src/readback/git-head.js";

// Each case builds a real repository with git and compares the reader with `git rev-parse --short HEAD`.
const base = mkdtempSync(join(tmpdir(), "opsgate-git-head-"));
const home = join(base, "home");
const saved = { ...process.env };

beforeAll(() => {
  mkdirSync(home);
  for (const name of Object.keys(process.env)) if (name.startsWith("GIT_")) delete process.env[name];
  process.env.HOME = home;
  process.env.XDG_CONFIG_HOME = join(home, ".config");
});
afterAll(() => {
  process.env = saved;
  rmSync(base, { recursive: true, force: true });
});

let serial = 0;
function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=t@example.net", "-c", "user.name=t", "-c", "init.defaultBranch=main", ...args], {
    cwd,
    encoding: "utf8",
    env: process.env,
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
}
function repo(commits = 1): string {
  const dir = join(base, `repo-${++serial}`);
  mkdirSync(join(dir, "sub", "deeper"), { recursive: true });
  git(dir, "init", "-q");
  for (let i = 0; i < commits; i++) {
    writeFileSync(join(dir, "sub", `file-${i}.txt`), `content ${i}\n`);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", `commit ${i}`);
  }
  return dir;
}
const expected = (dir: string): string => git(dir, "rev-parse", "--short", "HEAD");

describe("git_commit read from .git", () => {
  it("matches git for loose refs, from the top and from a subfolder", () => {
    const dir = repo(2);
    expect(readShortHead(dir)).toBe(expected(dir));
    expect(readShortHead(join(dir, "sub", "deeper"))).toBe(expected(dir));
    expect(readShortHead(dir)).toHaveLength(7);
  });

  it("matches git with packed refs and packed objects (after gc)", () => {
    const dir = repo(3);
    git(dir, "gc", "-q");
    git(dir, "pack-refs", "--all");
    expect(readShortHead(dir)).toBe(expected(dir));
  });

  it("matches git on a detached HEAD and on a branch that is only in packed-refs", () => {
    const dir = repo(3);
    git(dir, "checkout", "-q", "--detach", "HEAD~1");
    expect(readShortHead(dir)).toBe(expected(dir));
    git(dir, "checkout", "-q", "-b", "side");
    git(dir, "pack-refs", "--all");
    expect(readShortHead(dir)).toBe(expected(dir));
  });

  it("matches git in a linked worktree (a .git file) on another commit", () => {
    const dir = repo(2);
    const linked = join(base, `linked-${serial}`);
    git(dir, "worktree", "add", "-q", "-b", "other", linked, "HEAD~1");
    expect(readShortHead(linked)).toBe(expected(linked));
    expect(readShortHead(join(linked, "sub"))).toBe(expected(linked));
    expect(expected(linked)).not.toBe(expected(dir));
  });

  it("leaves git to decide when the abbreviation is configured or the prefix is shared", () => {
    const configured = repo(1);
    git(configured, "config", "core.abbrev", "12");
    expect(readShortHead(configured)).toBeUndefined();
    expect(expected(configured)).toHaveLength(12);

    const shared = repo(1);
    const head = expected(shared);
    const full = git(shared, "rev-parse", "HEAD");
    // A loose object whose name starts with the same 7 digits makes git print more of them.
    const twin = `${full.slice(0, 7)}${full[7] === "0" ? "1" : "0"}${full.slice(8)}`;
    mkdirSync(join(shared, ".git", "objects", twin.slice(0, 2)), { recursive: true });
    writeFileSync(join(shared, ".git", "objects", twin.slice(0, 2), twin.slice(2)), "");
    expect(readShortHead(shared)).toBeUndefined();
    expect(expected(shared).length).toBeGreaterThan(head.length);
  });

  it("says unknown outside any repository, as the seed does when git fails", () => {
    const outside = join(base, "outside");
    mkdirSync(outside);
    expect(readShortHead(outside)).toBe("unknown");
    expect(() => git(outside, "rev-parse", "--short", "HEAD")).toThrow();
  });

  it("leaves git to decide on an unborn branch and with GIT_ variables", () => {
    const unborn = repo(0);
    expect(readShortHead(unborn)).toBeUndefined();
    const dir = repo(1);
    process.env.GIT_DIR = join(dir, ".git");
    try {
      expect(readShortHead(dir)).toBeUndefined();
    } finally {
      delete process.env.GIT_DIR;
    }
  });

  it("reads .git itself with transport, identity and UI variables set, and leaves look-alikes to git", () => {
    const dir = repo(1);
    const harmless = { GIT_SSL_CAINFO: "/etc/ssl/ca.pem", GIT_TERMINAL_PROMPT: "0", GIT_SSH_COMMAND: "ssh -v", GIT_TRACE2_EVENT: "/dev/null", GIT_AUTHOR_NAME: "a" };
    const lookAlikes = ["GIT_PAGER_IN_USE", "GIT_EDITOR_X", "GIT_CONFIG_GLOBAL", "GIT_SS"];
    Object.assign(process.env, harmless);
    try {
      expect(readShortHead(dir)).toBe(expected(dir));
      for (const name of lookAlikes) {
        process.env[name] = "1";
        try {
          expect(readShortHead(dir), name).toBeUndefined();
        } finally {
          delete process.env[name];
        }
      }
    } finally {
      for (const name of Object.keys(harmless)) delete process.env[name];
    }
  });
});
