import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { summaryOf } from "../helpers/cli.js";
import { QUEUE, auditLines, copyFixture, readJson, runCli } from "./helpers.js";

const REASON = "Change window CHG-4410 and rollback checked";

function manage(root: string, rel: string, action: string, reason: string, actor?: string, env: Record<string, string> = {}) {
  const args = ["manage-approval-state", "--approval-record", join(root, rel), "--action", action, "--reason", reason];
  if (actor !== undefined) args.push("--actor", actor);
  return runCli(args, { env });
}

async function verifyChain(root: string) {
  return runCli(["audit", "verify", "--log", join(root, "audit.jsonl")]);
}

describe("manage-approval-state: allowed transitions", () => {
  it("submit, approve, revoke: the record moves, history grows, each step is audited", async () => {
    const root = copyFixture(QUEUE);
    const submit = await manage(root, "proposed/approval-0008.json", "submit", "Ready for review", "ops.joao");
    expect(summaryOf(submit)).toBe("APPROVAL_STATE_OK approval_id=approval-0008 from=proposed to=pending actor=ops.joao");
    expect(submit.code).toBe(0);
    expect(existsSync(join(root, "proposed/approval-0008.json"))).toBe(false);
    const moved = readJson(join(root, "pending/approval-0008.json"));
    expect(JSON.parse(submit.stdout)).toEqual(moved);
    expect(submit.stdout).toBe(readFileSync(join(root, "pending/approval-0008.json"), "utf8"));

    const approve = await manage(root, "pending/approval-0008.json", "approve", REASON, "ana.approver");
    expect(approve.code).toBe(0);
    expect(summaryOf(approve)).toBe("APPROVAL_STATE_OK approval_id=approval-0008 from=pending to=approved actor=ana.approver");
    const approved = readJson(join(root, "approved/approval-0008.json"));
    const decision = approved.decision as Record<string, string>;
    expect(decision.actor).toBe("ana.approver");
    expect(decision.subject_sha256).toBe(approved.subject_sha256);
    // Real clock, 14 days by default.
    expect(Date.parse(decision.expires_at!) - Date.parse(decision.at!)).toBe(14 * 86_400_000);
    expect(Math.abs(Date.parse(decision.at!) - Date.now())).toBeLessThan(60_000);

    const revoke = await manage(root, "approved/approval-0008.json", "revoke", "VLAN plan changed after approval", "ana.approver");
    expect(revoke.code).toBe(0);
    const revoked = readJson(join(root, "revoked/approval-0008.json"));
    expect((revoked.state_history as unknown[]).map((h) => (h as { to: string }).to)).toEqual(["proposed", "pending", "approved", "revoked"]);
    expect(auditLines(root).map((e) => e.event)).toEqual(["approval.submit", "approval.approve", "approval.revoke"]);
    expect(summaryOf(await verifyChain(root))).toMatch(/^AUDIT_CHAIN_OK events=3 head=[0-9a-f]{64}$/);
  });

  it("reject is terminal; --expires-in-days and OPSGATE_ACTOR are honoured", async () => {
    const root = copyFixture(QUEUE);
    const approve = await runCli(
      ["manage-approval-state", "--approval-record", join(root, "pending/approval-0007.json"), "--action", "approve", "--reason", REASON, "--expires-in-days", "3"],
      { env: { OPSGATE_ACTOR: "ana.approver" } },
    );
    expect(approve.code).toBe(0);
    const decision = readJson(join(root, "approved/approval-0007.json")).decision as Record<string, string>;
    expect(Date.parse(decision.expires_at!) - Date.parse(decision.at!)).toBe(3 * 86_400_000);

    const rejected = join(root, "rejected/approval-0004.json");
    for (const action of ["submit", "approve", "reject", "revoke"]) {
      const result = await manage(root, "rejected/approval-0004.json", action, REASON, "ana.approver");
      expect(result.code).toBe(1);
      expect(summaryOf(result)).toContain("reason=transition_not_allowed");
    }
    expect(existsSync(rejected)).toBe(true);
  });

  it("refuses --expires-in-days with any action but approve, record untouched", async () => {
    const root = copyFixture(QUEUE);
    const result = await runCli(["manage-approval-state", "--approval-record", join(root, "pending/approval-0007.json"), "--action", "reject", "--reason", REASON, "--actor", "ana.approver", "--expires-in-days", "3"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--expires-in-days applies to --action approve only");
    expect(existsSync(join(root, "pending/approval-0007.json"))).toBe(true);
  });

  it("refuses a bad --expires-in-days as a usage error", async () => {
    const root = copyFixture(QUEUE);
    const result = await runCli(["manage-approval-state", "--approval-record", join(root, "pending/approval-0007.json"), "--action", "approve", "--reason", REASON, "--actor", "ana.approver", "--expires-in-days", "-1"]);
    expect(result.code).toBe(2);
    expect(existsSync(join(root, "pending/approval-0007.json"))).toBe(true);
  });
});

describe("manage-approval-state: refusals leave the record untouched and are audited", () => {
  const cases: { name: string; code: string; prepare?: (root: string) => string; action?: string; reason?: string; actor?: string }[] = [
    { name: "self-approval", code: "self_approval", actor: "ops.maria" },
    // A name is not a key: "OPS.MARIA" has none, so nothing is signed.
    { name: "a look-alike of the requester without a key", code: "missing_signing_key", actor: "OPS.MARIA" },
    { name: "a short reason", code: "reason_too_short", reason: "ok by me" },
    { name: "a blank reason", code: "reason_blank", reason: "    " },
    { name: "an empty reason", code: "reason_blank", reason: "" },
    { name: "a missing actor and no key", code: "missing_signing_key", actor: "" },
    { name: "no actor and no key at all", code: "missing_signing_key", actor: undefined },
    { name: "a transition not in the table", code: "transition_not_allowed", action: "revoke" },
    { name: "a submit of a pending record", code: "transition_not_allowed", action: "submit", reason: "again please" },
    {
      name: "a folder that disagrees with the state",
      code: "state_folder_mismatch",
      prepare: (root) => {
        renameSync(join(root, "pending/approval-0007.json"), join(root, "approved/approval-0007.json"));
        return "approved/approval-0007.json";
      },
    },
    {
      name: "a file name that disagrees with the id",
      code: "file_name_mismatch",
      prepare: (root) => {
        renameSync(join(root, "pending/approval-0007.json"), join(root, "pending/approval-0009.json"));
        return "pending/approval-0009.json";
      },
    },
    {
      name: "a tampered subject",
      code: "subject_tampered",
      prepare: (root) => {
        const path = join(root, "pending/approval-0007.json");
        writeFileSync(path, readFileSync(path, "utf8").replace('"object_type": "ipam.ipaddress"', '"object_type": "ipam.prefix"'));
        return "pending/approval-0007.json";
      },
    },
    {
      name: "a record another approver holds",
      code: "locked",
      prepare: (root) => {
        mkdirSync(join(root, ".locks"), { recursive: true });
        writeFileSync(join(root, ".locks/approval-0007.lock"), `${process.pid}\n`);
        return "pending/approval-0007.json";
      },
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const root = copyFixture(QUEUE);
      const rel = c.prepare?.(root) ?? "pending/approval-0007.json";
      const before = readFileSync(join(root, rel));
      const actor = "actor" in c ? c.actor : "ana.approver";
      const result = await manage(root, rel, c.action ?? "approve", c.reason ?? REASON, actor);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(summaryOf(result)).toMatch(new RegExp(`^APPROVAL_STATE_REFUSED approval_id=approval-0007 from=\\w+ to=\\w+ actor=\\S+ reason=${c.code}$`));
      expect(readFileSync(join(root, rel))).toEqual(before);
      const events = auditLines(root);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ event: "approval.refused", subject: "approval-0007", details: { refusal: c.code } });
      expect((await verifyChain(root)).code).toBe(0);
    });
  }

  it("double approval: the second approver is refused, even with the stale path", async () => {
    const root = copyFixture(QUEUE);
    expect((await manage(root, "pending/approval-0007.json", "approve", REASON, "ana.approver")).code).toBe(0);
    const again = await manage(root, "pending/approval-0007.json", "approve", REASON, "bruno.approver");
    expect(again.code).toBe(1);
    expect(summaryOf(again)).toBe("APPROVAL_STATE_REFUSED approval_id=approval-0007 from=approved to=approved actor=bruno.approver reason=transition_not_allowed");
    const direct = await manage(root, "approved/approval-0007.json", "approve", REASON, "bruno.approver");
    expect(summaryOf(direct)).toContain("reason=transition_not_allowed");
    expect((readJson(join(root, "approved/approval-0007.json")).decision as { actor: string }).actor).toBe("ana.approver");
  });

  it("a duplicate left by a crash is reported, not acted on", async () => {
    const root = copyFixture(QUEUE);
    writeFileSync(join(root, "approved/approval-0005.json.bak"), "ignored");
    mkdirSync(join(root, "applied"), { recursive: true });
    writeFileSync(join(root, "applied/approval-0005.json"), readFileSync(join(root, "approved/approval-0005.json")));
    const result = await manage(root, "approved/approval-0005.json", "revoke", "Prefix plan withdrawn by IPAM team", "ana.approver");
    expect(result.code).toBe(1);
    expect(summaryOf(result)).toContain("reason=duplicate_record");
    expect(result.stderr).toContain("applied/approval-0005.json");
  });

  it("secrets in a reason never reach the audit log or stderr", async () => {
    const root = copyFixture(QUEUE);
    const token = "nbt_abcdef123456.0123456789abcdef0123456789abcdef";
    const result = await manage(root, "pending/approval-0007.json", "approve", `use token ${token}`, "ops.maria", { NETBOX_WRITE_TOKEN: token });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain(token);
    expect(readFileSync(join(root, "audit.jsonl"), "utf8")).not.toContain(token);
    expect(readFileSync(join(root, "audit.jsonl"), "utf8")).toContain("[REDACTED]");
  });
});
