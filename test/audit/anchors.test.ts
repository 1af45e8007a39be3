// The audit log is anchored by the signatures (each carries the head it signed), and one log has
// one lock whatever path names it.
import { describe, expect, it } from "vitest";
import { jcs, sha256 } from "../helpers/jcs.js";
import { linkSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, summaryOf } from "../helpers/cli.js";
import { copyFixture } from "../approvals/helpers.js";
import { approvalFindings, approvedWorkspace, manageSigned } from "../approvals/signed-helpers.js";


describe("audit anchors", () => {
  it("a log rewritten at event 2 and re-hashed from there on chains again, but no longer matches the signatures", async () => {
    const ws = await approvedWorkspace();
    expect((await manageSigned(ws, "approved", "revoke", ws.keys["ana.approver"], "Change window moved to next week")).code).toBe(0);
    const log = join(ws.root, "audit.jsonl");
    const events = readFileSync(log, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toHaveLength(4);
    // Rewrite event 2 (the submit) and re-hash the chain from there on, as a careful forger would.
    (events[1]!.details as Record<string, unknown>).reason = "submitted by someone else";
    let prev = events[0]!.hash as string;
    for (const event of events.slice(1)) {
      event.prev_hash = prev;
      delete event.hash;
      event.hash = sha256(jcs(event));
      prev = event.hash as string;
    }
    writeFileSync(log, `${events.map((e) => jcs(e)).join("\n")}\n`);

    const plain = await runCli(["audit", "verify", "--log", log]);
    expect(summaryOf(plain)).toMatch(/^AUDIT_CHAIN_OK events=4 /); // the chain alone cannot tell
    const anchored = await runCli(["audit", "verify", "--log", log, "--approvals-dir", ws.root]);
    expect(anchored.code).toBe(1);
    expect(summaryOf(anchored)).toBe("AUDIT_CHAIN_BROKEN at_seq=2 reason=anchor_mismatch");
    expect(anchored.stderr).toContain("revoked/approval-0007.json signature 3 (approve by ana.approver) anchors audit event 2");
    // Readers see it too.
    const queue = await runCli(["approvals", "list", "--approvals-dir", ws.root]);
    expect((JSON.parse(queue.stdout) as { inconsistencies: { kind: string }[] }).inconsistencies.map((i) => i.kind)).toContain("anchor_mismatch");
  }, 60_000);

  it("validate refuses an approval whose anchors the log no longer holds (log replaced)", async () => {
    const ws = await approvedWorkspace();
    writeFileSync(join(ws.root, "audit.jsonl"), "");
    const result = await runCli(["validate-batch-plan", "--plan", ws.plan, "--expected-device-id", "1890", "--expected-device", "4WNET-MNS-KTG-RX"]);
    expect(result.code).toBe(1);
    expect(approvalFindings(result).join("\n")).toMatch(/anchors audit event 2, but the log verifies only 0 event\(s\) \[anchor_mismatch\]/);
  }, 60_000);
});

describe("one log, one lock, whatever path names it", () => {
  it("appends through the file, a hard link and a symlink at once never fork the chain", async () => {
    const root = copyFixture("approvals/queue");
    const log = join(root, "audit.jsonl");
    writeFileSync(log, "");
    linkSync(log, join(root, "hard.jsonl"));
    symlinkSync(log, join(root, "soft.jsonl"));
    const spellings = [log, join(root, "hard.jsonl"), join(root, "soft.jsonl")];
    // Refusals are audited: 18 concurrent appends through three spellings of one log.
    const runs = Array.from({ length: 18 }, (_, i) =>
      runCli(["manage-approval-state", "--approval-record", join(root, "rejected/approval-0004.json"), "--action", "revoke", "--reason", "Revoking a rejected record", "--audit-log", spellings[i % 3]!]),
    );
    const results = await Promise.all(runs);
    for (const result of results) expect(summaryOf(result)).toMatch(/reason=missing_signing_key$/);
    const seqs = readFileSync(log, "utf8").trimEnd().split("\n").map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(seqs).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(summaryOf(await runCli(["audit", "verify", "--log", join(root, "soft.jsonl")]))).toMatch(/^AUDIT_CHAIN_OK events=18 /);
  }, 120_000);
});
