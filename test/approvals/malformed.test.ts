import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { summaryOf } from "../helpers/cli.js";
import { copyFixture, runCli } from "./helpers.js";

const REASON = "Change window CHG-4410 and rollback checked";
const approve = (path: string) =>
  runCli(["manage-approval-state", "--approval-record", path, "--action", "approve", "--reason", REASON, "--actor", "ana.approver"]);

describe("malformed and hostile records: exit 2, a JSON path, no stack, nothing written", () => {
  const cases: [string, RegExp][] = [
    ["bad-json.json", /malformed JSON: .* at line \d+ column \d+/],
    ["wrong-type.json", /invalid approval record: must be a lower-case SHA-256.*: items\[0\]\.payload_sha256\)/],
    ["unknown-key.json", /Unrecognized key.*: approved_by\)/],
    ["traversal-id.json", /: approval_id\)/],
    ["absolute-id.json", /: approval_id\)/],
    ["long-id.json", /: approval_id\)/],
    ["lookalike-id.json", /: approval_id\)/],
    ["bad-state.json", /: state\)/],
    ["not-a-record.json", /not an approval record \(schema_version is "batch_staged_apply_plan_v1"\)/],
    ["huge-device-id.json", /: device\.id\)/],
  ];
  for (const [name, message] of cases) {
    it(name, async () => {
      const root = copyFixture("approvals/malformed");
      const path = join(root, "pending", name);
      const before = readFileSync(path);
      const result = await approve(path);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^opsgate: error: /);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain(path);
      expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
      expect(summaryOf(result)).toMatch(/^APPROVAL_STATE_INVALID /);
      expect(result.stdout).toBe("");
      expect(readFileSync(path)).toEqual(before);
      expect(readdirSync(root).filter((n) => n !== "allowed_signers").sort()).toEqual(["pending"]);
    });
  }

  it("a missing record file", async () => {
    const root = copyFixture("approvals/malformed");
    const result = await approve(join(root, "pending", "approval-0042.json"));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("approval record not found");
    expect(summaryOf(result)).toBe("APPROVAL_STATE_INVALID approval_id=approval-0042 reason=not_found");
  });

  it("a hostile path given on the command line resolves to no record and writes nothing outside", async () => {
    const root = copyFixture("approvals/malformed");
    const result = await approve(join(root, "pending", "..", "..", "..", "etc", "passwd"));
    expect(result.code).toBe(2);
    expect(existsSync(join(root, "audit.jsonl"))).toBe(false);
  });
});
