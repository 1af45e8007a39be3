import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSignedRecord, fixtureKey } from "../helpers/signed-records.js";
import type { ApprovalRecord } from "../../src/schemas/approval-record.js";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli, summaryOf } from "../helpers/cli.js";
import { DEVICE_ARGS, FIXTURES, GOOD_APPROVALS, PINNED } from "./helpers.js";

interface ManifestEntry {
  output: string;
  args: string[];
  exit_code: number;
}
const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, "snapshots/manifest.json"), "utf8")) as { snapshots: ManifestEntry[] };
const validateEntries = manifest.snapshots.filter((entry) => entry.args[0] === "validate-batch-plan");
const validate = (plan: string, extra: string[] = [], env?: Record<string, string>) =>
  runCli(["validate-batch-plan", "--plan", plan, ...DEVICE_ARGS, ...extra], env ? { env } : {});

describe("validate-batch-plan (built CLI)", () => {
  it("passes the good plan with its approvals: exit 0 and the OK summary", async () => {
    const result = await validate(join(FIXTURES, "good/plan.json"), ["--approvals-dir", GOOD_APPROVALS, "--generated-at", PINNED]);
    expect(result.code).toBe(0);
    expect(summaryOf(result)).toBe("BATCH_PLAN_VALIDATION_OK batch_id=BATCH-20260501-1890-001 items=8 checks=11 failed=0 findings=0");
    expect(JSON.parse(result.stdout)).toMatchObject({ schema_version: "batch_plan_validation_v1", status: "valid" });
  });

  it.each(validateEntries.map((entry) => [entry.output, entry] as const))("matches the committed snapshot %s, byte for byte, twice", async (_name, entry) => {
    const first = await runCli(entry.args);
    const second = await runCli(entry.args);
    expect(first.code).toBe(entry.exit_code);
    expect(first.stdout).toBe(readFileSync(join(PROJECT_ROOT, entry.output), "utf8"));
    expect(second.stdout).toBe(first.stdout);
    const failed = (JSON.parse(first.stdout) as { checks: { check_id: string; status: string }[] }).checks.filter((c) => c.status === "fail");
    const caseName = entry.output.replace(/^.*\/(.*)\.json$/, "$1");
    expect(failed.map((c) => c.check_id)).toEqual(caseName === "good" ? [] : [caseName]);
    expect(summaryOf(first)).toMatch(caseName === "good" ? /^BATCH_PLAN_VALIDATION_OK / : /^BATCH_PLAN_VALIDATION_FAILED batch_id=\S+ items=\d+ checks=11 failed=1 findings=\d+$/);
  });

  it("writes --output atomically and prints nothing on stdout", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opsgate-vbp-"));
    const output = join(dir, "nested/report.json");
    const result = await validate(join(FIXTURES, "good/plan.json"), ["--output", output, "--generated-at", PINNED]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(readFileSync(output, "utf8")).toMatch(/^\{\n {2}"batch_id": "BATCH-20260501-1890-001",[\s\S]*\}\n$/);
  });

  describe("input errors are exit 2, name the file and print no stack", () => {
    const dir = mkdtempSync(join(tmpdir(), "opsgate-vbp-bad-"));
    const cases: [string, string | undefined, RegExp][] = [
      ["malformed.json", '{"schema_version": "batch_staged_apply_plan_v1", "items": [', /batch plan is not valid JSON: .* at line 1 column \d+/],
      ["empty.json", "", /batch plan is empty/],
      ["missing.json", undefined, /batch plan not found/],
    ];
    it.each(cases)("%s", async (name, content, message) => {
      const path = join(dir, name);
      if (content !== undefined) writeFileSync(path, content);
      const result = await validate(path);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain(`(${path})`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it("refuses a non-integer --expected-device-id with exit 2", async () => {
    const result = await runCli(["validate-batch-plan", "--plan", join(FIXTURES, "good/plan.json"), "--expected-device-id", "18x90", "--expected-device", "4WNET-MNS-KTG-RX"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--expected-device-id must be a positive integer");
  });

  it("refuses a missing approvals folder with exit 2", async () => {
    const result = await validate(join(FIXTURES, "good/plan.json"), ["--approvals-dir", join(FIXTURES, "no-such-approvals")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("approvals folder not found");
  });

  describe("approval expiry is judged by the real clock, never SOURCE_DATE_EPOCH or --generated-at", () => {
    /** The good approvals, signed again (TEST-ONLY fixture keys) with an approval made at `approvedAt` for `days`. */
    function approvalsApprovedAt(approvedAt: string, days: number): string {
      const dir = mkdtempSync(join(tmpdir(), "opsgate-vbp-exp-"));
      cpSync(GOOD_APPROVALS, dir, { recursive: true });
      for (const id of ["approval-0007", "approval-0008"]) {
        const path = join(dir, "approved", `${id}.json`);
        const old = JSON.parse(readFileSync(path, "utf8")) as ApprovalRecord;
        const record = buildSignedRecord({ approval_id: id, device: old.device, risk_level: old.risk_level, summary: old.summary, items: old.items }, [
          { action: "create", key: fixtureKey("ops.maria"), reason: "created", at: "2019-12-01T00:00:00+08:00" },
          { action: "submit", key: fixtureKey("ops.maria"), reason: "ready", at: "2019-12-01T00:00:00+08:00" },
          { action: "approve", key: fixtureKey("ana.approver"), reason: "Reviewed change window and rollback", at: approvedAt, expiresInDays: days },
        ]);
        writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
      }
      mkdirSync(join(dir, "pending"), { recursive: true });
      return dir;
    }

    it("an approval expired in reality fails although SOURCE_DATE_EPOCH and --generated-at lie in 2017", async () => {
      const approvals = approvalsApprovedAt("2019-12-25T00:00:00+08:00", 7);
      const result = await validate(join(FIXTURES, "good/plan.json"), ["--approvals-dir", approvals, "--generated-at", "2017-07-14T02:40:00+00:00"], {
        SOURCE_DATE_EPOCH: "1500000000",
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("expired at 2019-12-31T16:00:00+00:00");
    });

    it("a live approval passes although SOURCE_DATE_EPOCH lies after its expiry", async () => {
      const approvals = approvalsApprovedAt(new Date().toISOString().replace(/\.\d+Z$/, "+00:00"), 14);
      const result = await validate(join(FIXTURES, "good/plan.json"), ["--approvals-dir", approvals], { SOURCE_DATE_EPOCH: "4200000000" });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ generated_at: "2103-02-04T10:40:00+08:00" });
    });
  });

  it("never echoes a secret found in the plan or the environment", async () => {
    const token = "0123456789abcdef0123456789abcdef01234567";
    const plan = JSON.parse(readFileSync(join(FIXTURES, "good/plan.json"), "utf8")) as { items: { staged_payload: Record<string, unknown> }[] };
    const first = plan.items[2];
    if (first) {
      first.staged_payload.description = `Authorization: Token ${token}`;
      first.staged_payload.comments = "nbt_Ab12Cd34Ef56.Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp";
      first.staged_payload.label = "ENVSECRETVALUE-42";
    }
    const dir = mkdtempSync(join(tmpdir(), "opsgate-vbp-sec-"));
    writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
    const result = await validate(join(dir, "plan.json"), [], { NETBOX_WRITE_TOKEN: "ENVSECRETVALUE-42" });
    expect(result.code).toBe(1);
    const all = result.stdout + result.stderr;
    for (const secret of [token, "Zz9Yy8Xx7Ww6", "ENVSECRETVALUE-42"]) expect(all).not.toContain(secret);
    const report = JSON.parse(result.stdout) as { checks: { check_id: string; findings: { path: string }[] }[] };
    expect(report.checks.find((c) => c.check_id === "no_secrets")?.findings.map((f) => f.path)).toEqual([
      "items[2].staged_payload.description",
      "items[2].staged_payload.comments",
      "items[2].staged_payload.label",
    ]);
  });
});
