import { describe, expect, it } from "vitest";
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { summaryOf } from "../helpers/cli.js";
import { copyFixture, QUEUE, runCli } from "./helpers.js";

interface Queue {
  schema_version: string;
  generated_at: string;
  state_filter: string | null;
  approvals: { approval_id: string; state: string; path: string; age_days: number; age_seconds: number; expired: boolean; item_count: number; expires_at: string | null; requested_by: string; device: { id: number; name: string } }[];
  inconsistencies: { kind: string; approval_id: string | null; paths: string[] }[];
  summary: { record_count: number; inconsistency_count: number; expired_count: number; by_state: Record<string, number> };
}

const list = (root: string, ...extra: string[]) => runCli(["approvals", "list", "--approvals-dir", root, ...extra], { env: { SOURCE_DATE_EPOCH: "1778284800" } });
const parse = (stdout: string) => JSON.parse(stdout) as Queue;

function editRecord(path: string, change: (record: Record<string, unknown>) => void): void {
  const record = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  change(record);
  writeFileSync(path, JSON.stringify(record, null, 2));
}

describe("approvals list", () => {
  it("lists records sorted by id, skips other JSON files, and is deterministic", async () => {
    const root = copyFixture(QUEUE);
    const result = await list(root);
    expect(result.code).toBe(0);
    expect(summaryOf(result)).toBe("APPROVAL_QUEUE_OK records=4 inconsistencies=0");
    const queue = parse(result.stdout);
    expect(queue.schema_version).toBe("approval_queue_v1");
    expect(queue.generated_at).toBe("2026-05-09T00:00:00+00:00");
    expect(queue.approvals.map((a) => [a.approval_id, a.state, a.item_count])).toEqual([
      ["approval-0004", "rejected", 1],
      ["approval-0005", "approved", 1],
      ["approval-0007", "pending", 2],
      ["approval-0008", "proposed", 1],
    ]);
    const pending = queue.approvals[2]!;
    expect(pending).toMatchObject({ requested_by: "ops.maria", device: { id: 1890, name: "4WNET-MNS-KTG-RX" }, path: "pending/approval-0007.json", expired: false, expires_at: null });
    // requested 2026-05-01T10:05+08:00 (02:05Z), report at 2026-05-09T00:00Z.
    expect(pending.age_seconds).toBe(8 * 86_400 - (2 * 3_600 + 5 * 60));
    expect(pending.age_days).toBe(7);
    expect(queue.summary.by_state).toEqual({ proposed: 1, pending: 1, approved: 1, rejected: 1, revoked: 0, applied: 0 });
    expect((await list(root)).stdout).toBe(result.stdout);
  });

  it("--state filters; --output writes the file instead of stdout", async () => {
    const root = copyFixture(QUEUE);
    const out = join(root, "reports", "queue.json");
    const result = await list(root, "--state", "approved", "--output", out);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    const queue = parse(readFileSync(out, "utf8"));
    expect(queue.state_filter).toBe("approved");
    expect(queue.approvals.map((a) => a.approval_id)).toEqual(["approval-0005"]);
    expect(readFileSync(out, "utf8").endsWith("}\n")).toBe(true);
  });

  it("reports every inconsistency and exits 1", async () => {
    const root = copyFixture(QUEUE);
    // A duplicate left by a crash between rename and remove.
    copyFileSync(join(root, "pending/approval-0007.json"), join(root, "approved/approval-0007.json"));
    // A file name that disagrees with its id.
    renameSync(join(root, "proposed/approval-0008.json"), join(root, "proposed/approval-0018.json"));
    // An expired approval and a tampered one.
    editRecord(join(root, "approved/approval-0005.json"), (r) => {
      (r.decision as Record<string, string>).expires_at = "2020-01-01T00:00:00+00:00";
    });
    editRecord(join(root, "rejected/approval-0004.json"), (r) => {
      (r.items as Record<string, string>[])[0]!.object_type = "dcim.interface";
    });
    mkdirSync(join(root, "applied"));
    writeFileSync(join(root, "applied/approval-0003.json"), "{ torn");
    writeFileSync(join(root, "applied/approval-0002.json"), JSON.stringify({ schema_version: "approval_record_v1", approval_id: "approval-0002" }));

    const result = await list(root);
    expect(result.code).toBe(1);
    const queue = parse(result.stdout);
    const kinds = queue.inconsistencies.map((i) => [i.kind, i.approval_id, i.paths.join(",")]);
    expect(kinds).toEqual([
      ["schema_invalid", null, "applied/approval-0002.json"],
      ["unreadable_file", null, "applied/approval-0003.json"],
      ["subject_tampered", "approval-0004", "rejected/approval-0004.json"],
      ["expired", "approval-0005", "approved/approval-0005.json"],
      // expires_at edited by hand: no longer the signed one.
      ["signed_field_mismatch", "approval-0005", "approved/approval-0005.json"],
      ["duplicate_record", "approval-0007", "approved/approval-0007.json,pending/approval-0007.json"],
      ["state_folder_mismatch", "approval-0007", "approved/approval-0007.json"],
      ["file_name_mismatch", "approval-0008", "proposed/approval-0018.json"],
    ]);
    expect(queue.approvals.find((a) => a.approval_id === "approval-0005")?.expired).toBe(true);
    expect(summaryOf(result)).toBe("APPROVAL_QUEUE_INCONSISTENT records=5 inconsistencies=8");
  });

  it("a missing approvals folder is exit 2", async () => {
    const result = await list("/nonexistent/approvals");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^opsgate: error: approvals folder not found/);
  });
});
