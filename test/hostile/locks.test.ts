// Lock-path tricks, black box: something that is not a lock file where a lock goes is refused by
// name (never spun on, never removed); a dead owner's lock is broken; two spellings of one audit
// log share its lock, so concurrent writers never fork the chain.
import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { linkSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { approveArgs, copyFixture, dryRunArgs, expectRefused, leftoverTemps, mkfifo, run } from "./kit.js";
import { summaryOf } from "../helpers/cli.js";

const lockTricks: Record<string, (path: string) => () => boolean> = {
  "a folder": (path) => (mkdirSync(path, { recursive: true }), () => lstatSync(path).isDirectory()),
  "a dangling symlink": (path) => (symlinkSync(`${path}.nowhere`, path), () => lstatSync(path).isSymbolicLink()),
  "a FIFO": (path) => (mkfifo(path), () => lstatSync(path).isFIFO()),
  "a file that is not a lock": (path) => (writeFileSync(path, "my notes\n"), () => readFileSync(path, "utf8") === "my notes\n"),
};

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout as unknown as number;
}

describe("lock paths", () => {
  for (const [trick, make] of Object.entries(lockTricks)) {
    it(`${trick} where a record's lock goes (.locks/<id>.lock): exit 2 naming it, left alone`, async () => {
      const root = copyFixture("approvals/lifecycle");
      mkdirSync(join(root, ".locks"));
      const still = make(join(root, ".locks/approval-0007.lock"));
      const result = await run(approveArgs(join(root, "pending/approval-0007.json")));
      expectRefused(result, 2, /is not a lock file/);
      expect(still()).toBe(true);
      expect(statSync(join(root, "pending/approval-0007.json")).isFile()).toBe(true);
    });

    it(`${trick} where the audit log's lock goes: the transition is blocked (exit 1), left alone`, async () => {
      const root = copyFixture("approvals/lifecycle");
      const log = join(root, "audit.jsonl");
      writeFileSync(log, "");
      const { dev, ino } = statSync(log);
      const still = make(join(root, `.opsgate-${dev}-${ino}.lock`));
      const result = await run(approveArgs(join(root, "pending/approval-0007.json")));
      expectRefused(result, 1, /is not a lock file/);
      expect(still()).toBe(true);
      expect(readFileSync(log, "utf8")).toBe("");
      expect(leftoverTemps(root)).toEqual([]);
    });
  }

  it("a folder where apply-batch's simulate lock goes (simulate/apply.lock): exit 2, no spin", async () => {
    const { workspace } = await import("./kit.js");
    const ws = workspace();
    const state = join(ws.root, "state.json");
    writeFileSync(state, JSON.stringify({ schema_version: "netbox_state_v1", objects: { "dcim.site": [{ id: 21, name: "KTG", slug: "ktg" }], "dcim.device": [{ id: 1890, name: "4WNET-MNS-KTG-RX", site: 21 }] } }));
    const sim = dryRunArgs(ws.planPath, ["--simulate", "--netbox-state", state, "--results-dir", ws.resultsDir]);
    expect((await run(sim)).code).toBe(0);
    const lock = join(ws.resultsDir, "BATCH-20260501-1890-001", "simulate", "apply.lock");
    mkdirSync(lock, { recursive: true });
    const result = await run([...sim, "--confirm-real-write-batch", "--enable-real-post-implementation"]);
    expectRefused(result, 2, /is not a lock file/);
    expect(lstatSync(lock).isDirectory()).toBe(true);
  });

  it("a lock left by a dead process is broken; a live one is refused", async () => {
    const root = copyFixture("approvals/lifecycle");
    mkdirSync(join(root, ".locks"));
    writeFileSync(join(root, ".locks/approval-0007.lock"), `${deadPid()}\n`);
    const broken = await run(approveArgs(join(root, "pending/approval-0007.json")));
    expect(broken.code, broken.stderr).toBe(0);

    expect(readFileSync(join(root, "audit.jsonl"), "utf8")).toMatch(/approval\.approve/);
    // A live owner (this test process) is refused at once, and the lock is left to it.
    writeFileSync(join(root, ".locks/approval-0008.lock"), `${process.pid}\n`);
    const held = await run(["manage-approval-state", "--approval-record", join(root, "proposed/approval-0008.json"), "--action", "submit", "--reason", "ready for review by the team", "--actor", "ops.maria"]);
    expect(held.code, held.stderr).toBe(1);
    expect(summaryOf(held)).toMatch(/reason=locked$/);
    expect(readFileSync(join(root, ".locks/approval-0008.lock"), "utf8")).toBe(`${process.pid}\n`);
  }, 30_000);

  it("two spellings of one audit.jsonl (symlink, hard link, ../) written at once: one unbroken chain", async () => {
    const root = copyFixture("approvals/lifecycle");
    const log = join(root, "audit.jsonl");
    writeFileSync(log, "");
    symlinkSync(log, join(root, "sym.jsonl"));
    linkSync(log, join(root, "hard.jsonl"));
    const spellings = [log, join(root, "sym.jsonl"), join(root, "hard.jsonl"), join(root, "approved", "..", "audit.jsonl")];
    // approval-0005 is already approved: each run is refused, and each refusal is one audited event.
    const runs = Array.from({ length: 8 }, (_, i) => run(approveArgs(join(root, "approved/approval-0005.json"), ["--audit-log", spellings[i % spellings.length]!])));
    for (const result of await Promise.all(runs)) expect(result.code, result.stderr).toBe(1);
    const verify = await run(["audit", "verify", "--log", log]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(summaryOf(verify)).toMatch(/^AUDIT_CHAIN_OK events=8 /);
    expect(execFileSync("ls", ["-A", root], { encoding: "utf8" })).not.toMatch(/\.lock/);
  }, 60_000);
});
