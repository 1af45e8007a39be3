import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli, summaryOf } from "../helpers/cli.js";
import { ANSI, runInTty } from "./tty.js";
import { BATCH, PLAN, SIM, goodBatch } from "./workspace.js";
import { GOOD_REASON, manageSigned, newRecord, signedWorkspace } from "../approvals/signed-helpers.js";

/** Human views on a terminal (through a pseudo-terminal), the exact JSON everywhere else. */
describe("apply-batch views", () => {
  it("a dry-run on a terminal is the plan, grouped by level and type, with $ref arrows and the count", async () => {
    const root = goodBatch();
    const result = await runInTty(["apply-batch", "--batch-plan", PLAN, ...SIM], { cwd: root, env: { NO_COLOR: "1" } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("apply-batch dry-run: batch BATCH-20260501-1890-001");
    expect(result.stdout).toMatch(/Level 0 .*\n\s+ipam\.vlan \(1\)\s+POST \/api\/ipam\/vlans\/\n\s+\+ vlan-310-ktg-mgmt\s+vid=310 name=KTG-MGMT-310 status=active/);
    expect(result.stdout).toMatch(/\+ if-xe-0-0-1\s+name=xe-0\/0\/1 type=10gbase-x-sfpp enabled=true\n\s+lag → if-ae0/);
    expect(result.stdout).toContain("Level 2");
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("Plan: 8 to create, 0 exist.");
    expect(result.stdout).not.toContain('"schema_version"');
    expect(result.stdout).not.toMatch(ANSI);
    expect(summaryOf(result)).toBe(`BATCH_APPLY_READY mode=dry_run batch_id=${BATCH} items=8 created=0 requests=6`);
  });

  it("off a terminal (and with -o json on one) stdout is exactly the JSON report", async () => {
    const root = goodBatch();
    const piped = await runCli(["apply-batch", "--batch-plan", PLAN, ...SIM], { cwd: root });
    const json = await runInTty(["apply-batch", "--batch-plan", PLAN, ...SIM, "-o", "json"], { cwd: root, env: { NO_COLOR: "1" } });
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({ schema_version: "batch_apply_report_v1", verdict: "ready" });
    expect(json.stdout).toBe(piped.stdout);
    const table = await runCli(["apply-batch", "--batch-plan", PLAN, ...SIM, "--format", "table"], { cwd: root });
    expect(table.stdout).toContain("Plan: 8 to create, 0 exist.");
  });

  it("colour on a terminal only without NO_COLOR; existing objects marked and the plan blocked", async () => {
    const root = goodBatch([{ id: 5, device: 1890, name: "ae0", type: "lag" }]);
    const result = await runInTty(["apply-batch", "--batch-plan", PLAN, ...SIM], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(ANSI);
    const plain = result.stdout.replace(new RegExp(ANSI.source, "g"), "");
    expect(plain).toMatch(/= if-ae0\s+name=ae0 type=lag mtu=9192\s+exists in NetBox/);
    expect(plain).toContain("Plan: 7 to create, 1 exist. Blocked (all-or-none: objects already exist); nothing would be written.");
  });

  it("after a (simulated) write: what was created, with NetBox URLs", async () => {
    const root = goodBatch();
    await runCli(["apply-batch", "--batch-plan", PLAN, ...SIM], { cwd: root });
    const result = await runInTty(["apply-batch", "--batch-plan", PLAN, ...SIM, "--confirm-real-write-batch", "--enable-real-post-implementation"], {
      cwd: root,
      env: { NO_COLOR: "1" },
      columns: 160,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ if-ae0\s+name=ae0 type=lag mtu=9192\s+created http:\/\/netbox-simulator\.invalid\/api\/dcim\/interfaces\/1\//);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("Applied: 8 created and verified.");
    expect(summaryOf(result)).toMatch(/^BATCH_APPLY_APPLIED mode=simulate /);
  });

  it("lines follow the terminal's width", async () => {
    const root = goodBatch();
    const result = await runInTty(["apply-batch", "--batch-plan", PLAN, ...SIM], { cwd: root, env: { NO_COLOR: "1" }, columns: 60 });
    const lines = result.stdout.trimEnd().split("\n");
    expect(Math.max(...lines.map((line) => [...line].length))).toBeLessThanOrEqual(60);
    expect(lines.some((line) => line.endsWith("…"))).toBe(true);
  });
});

describe("validate-batch-plan, approvals list, manage-approval-state, audit views", () => {
  it("validate: checks with PASS/FAIL/SKIP and findings under each, with item and path", async () => {
    const plan = join(PROJECT_ROOT, "fixtures/batch/payload_complete/plan.json");
    const result = await runInTty(["validate-batch-plan", "--plan", plan, "--expected-device-id", "1890", "--expected-device", "4WNET-MNS-KTG-RX", "--no-approvals"], { env: { NO_COLOR: "1" } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/PASS {2}schema_valid/);
    expect(result.stdout).toMatch(/FAIL {2}payload_complete .*\n {10}\S+ items\[\d+\]\.staged_payload\.\S+: /);
    expect(result.stdout).toMatch(/SKIP {2}approvals_bound/);
    expect(result.stdout).toMatch(/Invalid: 1 of 11 checks failed/);
    // The findings are on stdout already: stderr holds only the summary line.
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("approvals list: a table with every column and the problems", async () => {
    const result = await runInTty(["approvals", "list", "--approvals-dir", "fixtures/approvals/queue"], { env: { NO_COLOR: "1" }, columns: 160 });
    const header = result.stdout.split("\n")[0] ?? "";
    expect(header.split(/\s{2,}/)).toEqual(["ID", "STATE", "DEVICE", "REQUESTER", "RISK", "AGE", "EXPIRES IN", "ITEMS", "PROBLEMS"]);
    expect(result.stdout).toMatch(/\d+ records? \(/);
    const piped = await runCli(["approvals", "list", "--approvals-dir", "fixtures/approvals/queue"]);
    expect(JSON.parse(piped.stdout)).toMatchObject({ schema_version: "approval_queue_v1" });
    expect(piped.code).toBe(result.code);
  });

  it("manage-approval-state: the transition in one line and the essentials, not the record", async () => {
    const ws = signedWorkspace();
    expect((await newRecord(ws, ws.keys["ops.maria"]!)).code).toBe(0);
    expect((await manageSigned(ws, "proposed", "submit", ws.keys["ops.maria"], "Ready for review")).code).toBe(0);
    const result = await runInTty(
      ["manage-approval-state", "--approval-record", join(ws.root, "pending/approval-0007.json"), "--action", "approve", "--reason", GOOD_REASON, "--signing-key", ws.keys["ana.approver"]!],
      { env: { NO_COLOR: "1" } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe("approval-0007: pending → approved by ana.approver");
    expect(result.stdout).toMatch(/device\s+4WNET-MNS-KTG-RX \(1890\)/);
    expect(result.stdout).toMatch(/expires\s+\d{4}-/);
    expect(result.stdout).not.toContain("state_history");
  });

  it("audit verify and audit show: the events as a readable log, filters, JSON off a terminal", async () => {
    const log = "fixtures/audit/chain/audit.jsonl";
    const verify = await runInTty(["audit", "verify", "--log", log], { env: { NO_COLOR: "1" }, columns: 140 });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/SEQ\s+AT\s+ACTOR\s+EVENT\s+SUBJECT\s+DETAILS/);
    expect(verify.stdout).toMatch(/ 4 {2}2026-05-01T02:09:00\+00:00 {2}ana\.approver\s+approval\.approve/);
    expect(verify.stdout).toContain("6 events; chain verified (6 events).");
    const quiet = await runCli(["audit", "verify", "--log", log]);
    expect(quiet.stdout).toBe("");
    const show = await runInTty(["audit", "show", "--log", log, "--actor", "ana.approver"], { env: { NO_COLOR: "1" }, columns: 140 });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("3 of 6 events; chain verified (6 events).");
    expect(show.stdout).not.toContain("ops.maria");
    const json = await runCli(["audit", "show", "--log", log, "--approval", "approval-0008"]);
    const report = JSON.parse(json.stdout) as { schema_version: string; events: { subject: string }[]; chain: { status: string } };
    expect(report.schema_version).toBe("audit_events_v1");
    expect(report.events.map((e) => e.subject)).toEqual(["approval-0008", "approval-0008"]);
    expect(report.chain.status).toBe("ok");
    expect(summaryOf(json)).toBe("AUDIT_EVENTS_OK events=2 total=6");
  });
});

describe("help", () => {
  it("wraps option descriptions to the terminal's width on a terminal, and to 80 columns in a pipe", async () => {
    const approvalsLine = (text: string): string => text.split("\n").find((line) => line.includes("--approvals-dir <dir>")) ?? "";
    const wide = await runInTty(["validate-batch-plan", "--help"], { columns: 200 });
    expect(wide.code).toBe(0);
    expect(approvalsLine(wide.stdout)).toContain("binds every item to a signed, approved record");
    const medium = await runInTty(["validate-batch-plan", "--help"], { columns: 100 });
    expect(approvalsLine(medium.stdout).length).toBeLessThanOrEqual(100);
    expect(approvalsLine(medium.stdout).length).toBeGreaterThan(80);
    const piped = await runCli(["validate-batch-plan", "--help"]);
    expect(piped.code).toBe(0);
    expect(approvalsLine(piped.stdout).length).toBeLessThanOrEqual(80);
    expect(approvalsLine(piped.stdout)).not.toContain("binds every item");
    expect(piped.stdout).not.toMatch(ANSI);
  });
});
