// Hostile paths and concurrent approvers, black box: nothing outside the approvals root is read
// into the state machine or written, no stack traces, and of N approvers exactly one wins.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { summaryOf } from "../helpers/cli.js";
import { copyFixture, readJson, runCli } from "./helpers.js";

const REASON = "Change window CHG-4410 and rollback plan checked";
const approve = (path: string, actor = "ana.approver") => runCli(["manage-approval-state", "--approval-record", path, "--action", "approve", "--reason", REASON, "--actor", actor]);

function expectInvalid(result: { code: number | null; stdout: string; stderr: string }, reason: string): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/^opsgate: error: /);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(summaryOf(result)).toMatch(new RegExp(`^APPROVAL_STATE_INVALID approval_id=\\S+ reason=${reason}$`));
}

describe("hostile paths: exit 2, nothing moved, nothing audited", () => {
  it("a record that is a symlink to a file outside the root", async () => {
    const root = copyFixture("approvals/lifecycle");
    const outside = copyFixture("approvals/lifecycle");
    const record = join(root, "pending/approval-0007.json");
    execFileSync("rm", [record]);
    symlinkSync(join(outside, "pending/approval-0007.json"), record);
    const result = await approve(record);
    expectInvalid(result, "unsafe_path");
    expect(existsSync(join(root, "approved/approval-0007.json"))).toBe(false);
    expect(existsSync(join(outside, "pending/approval-0007.json"))).toBe(true);
    expect(existsSync(join(root, "audit.jsonl"))).toBe(false);
  });

  it("a state folder that is a symlink outside the root (source or target)", async () => {
    const root = copyFixture("approvals/lifecycle");
    const outside = copyFixture("approvals/lifecycle");
    renameSync(join(root, "pending"), join(root, "pending.real"));
    symlinkSync(join(outside, "pending"), join(root, "pending"));
    expectInvalid(await approve(join(root, "pending/approval-0007.json")), "unsafe_path");
    expect(readdirSync(join(outside, "pending"))).toEqual(["approval-0007.json"]);

    const root2 = copyFixture("approvals/lifecycle");
    renameSync(join(root2, "approved"), join(root2, "approved.real"));
    symlinkSync(join(outside, "approved"), join(root2, "approved"));
    expectInvalid(await approve(join(root2, "pending/approval-0007.json")), "unsafe_path");
    expect(existsSync(join(root2, "pending/approval-0007.json"))).toBe(true);
    expect(existsSync(join(outside, "approved/approval-0007.json"))).toBe(false);
    expect(existsSync(join(root2, "audit.jsonl"))).toBe(false);
  });

  it("a folder, a FIFO and a huge file where the record should be", async () => {
    const root = copyFixture("approvals/lifecycle");
    mkdirSync(join(root, "pending/approval-0020.json"));
    execFileSync("mkfifo", [join(root, "pending/approval-0021.json")]);
    writeFileSync(join(root, "pending/approval-0022.json"), Buffer.alloc(17 * 1024 * 1024, 0x20));
    const [dir, fifo, huge] = await Promise.all(["approval-0020", "approval-0021", "approval-0022"].map((id) => approve(join(root, "pending", `${id}.json`))));
    expectInvalid(dir!, "unreadable");
    expectInvalid(fifo!, "unreadable");
    expectInvalid(huge!, "too_large");
    // approvals list reports them instead of hanging on the FIFO or reading the huge file.
    const list = await runCli(["approvals", "list", "--approvals-dir", root]);
    expect(list.code).toBe(1);
    const kinds = (JSON.parse(list.stdout) as { inconsistencies: { kind: string; paths: string[] }[] }).inconsistencies.map((i) => `${i.kind} ${i.paths.join()}`);
    expect(kinds).toEqual(["unreadable_file pending/approval-0020.json", "unreadable_file pending/approval-0021.json", "unreadable_file pending/approval-0022.json"]);
  });

  it("a path with spaces and = keeps the summary line parseable; a long name is exit 2", async () => {
    const root = copyFixture("approvals/lifecycle");
    const odd = await approve(join(root, "pending", "x y=1.json"));
    expect(odd.code).toBe(2);
    expect(summaryOf(odd)).toBe('APPROVAL_STATE_INVALID approval_id="x y=1" reason=not_found');
    const long = await approve(join(root, "pending", `${"a".repeat(300)}.json`));
    expect(long.code).toBe(2);
    expect(long.stderr).not.toMatch(/\n\s+at /);
  });

  it("approvals list reports a symlinked record instead of following it", async () => {
    const root = copyFixture("approvals/lifecycle");
    symlinkSync("/etc/hostname", join(root, "approved/approval-0099.json"));
    const list = await runCli(["approvals", "list", "--approvals-dir", root]);
    expect(list.code).toBe(1);
    expect((JSON.parse(list.stdout) as { inconsistencies: unknown[] }).inconsistencies).toEqual([expect.objectContaining({ kind: "unsafe_path", paths: ["approved/approval-0099.json"] })]);
  });
});

describe("concurrent approvers, repeated", () => {
  it("of six approvers at once exactly one wins, three times over", async () => {
    for (let round = 0; round < 3; round++) {
      const root = copyFixture("approvals/lifecycle");
      const record = join(root, "pending/approval-0007.json");
      const actors = ["ana", "bruno", "carla", "davi", "eva", "fabio"].map((name) => `${name}.approver`);
      const results = await Promise.all(actors.map((actor) => approve(record, actor)));
      const winners = results.filter((r) => r.code === 0);
      expect(winners).toHaveLength(1);
      for (const loser of results.filter((r) => r.code !== 0)) {
        expect(loser.code).toBe(1);
        expect(loser.stdout).toBe("");
        expect(summaryOf(loser)).toMatch(/ reason=(locked|transition_not_allowed)$/);
        expect(loser.stderr).toMatch(/^opsgate: refused: (another opsgate process is changing|cannot approve)/m);
      }
      const winner = /actor=(\S+)/.exec(summaryOf(winners[0]!))![1];
      const final = readJson(join(root, "approved/approval-0007.json"));
      expect((final.decision as { actor: string }).actor).toBe(winner);
      expect(existsSync(record)).toBe(false);
      const verify = await runCli(["audit", "verify", "--log", join(root, "audit.jsonl")]);
      expect(summaryOf(verify)).toMatch(/^AUDIT_CHAIN_OK events=6 /);
      const log = readFileSync(join(root, "audit.jsonl"), "utf8");
      expect(log.match(/"event":"approval.approve"/g)).toHaveLength(1);
    }
  }, 60_000);
});
