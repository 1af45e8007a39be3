import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PROJECT_ROOT } from "../helpers/cli.js";
import { ApprovalRecordSchema, safeParseApprovalRecord } from "../../src/schemas/approval-record.js";

// A record approving thousands of items has its items checked without zod when they are surely
// valid. The answer and the issues must stay the whole schema's, whatever the items hold.
const RECORD = JSON.parse(readFileSync(join(PROJECT_ROOT, "fixtures/batch/good/approvals/approved/approval-0007.json"), "utf8")) as Record<string, unknown> & {
  items: Record<string, unknown>[];
};
const withItems = (...patches: Record<string, unknown>[]): unknown => ({ ...RECORD, items: patches.map((patch) => ({ ...RECORD.items[0], ...patch })) });

const CASES: [string, unknown][] = [
  ["the fixture record", RECORD],
  ["a valid record with a bad top-level member", { ...RECORD, state: "maybe" }],
  ["no items", { ...RECORD, items: [] }],
  ["items not an array", { ...RECORD, items: "x" }],
  ["an upper-case digest", withItems({}, { payload_sha256: "A".repeat(64) })],
  ["an id shaped like a token", withItems({ item_id: "nbt_key.secret" })],
  ["a blank object type", withItems({ object_type: " \t" })],
  ["an unknown item member", withItems({ note: "x" })],
  ["a missing item member", withItems({ item_id: undefined })],
  ["an item that is not an object", { ...RECORD, items: [RECORD.items[0], 7] }],
  ["a bad item and a bad top-level member", { ...withItems({ item_id: "../x" }) as object, risk_level: "none" }],
];

const answer = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string; code: string }[] } }): unknown => ({
  success: result.success,
  issues: result.error?.issues.map((issue) => ({ path: issue.path, message: issue.message, code: issue.code })),
});

describe("approval record items checked without zod when surely valid", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(CASES)("%s: the whole schema's answer and issues", (_name, record) => {
    expect(answer(safeParseApprovalRecord(record))).toEqual(answer(ApprovalRecordSchema.safeParse(record)));
  });

  it("refuses an item id holding a token from the environment, as the schema does", () => {
    vi.stubEnv("NETBOX_WRITE_TOKEN", "w-token-8d1f");
    const record = withItems({ item_id: "if-w-token-8d1f" });
    expect(safeParseApprovalRecord(record).success).toBe(false);
    expect(answer(safeParseApprovalRecord(record))).toEqual(answer(ApprovalRecordSchema.safeParse(record)));
  });

  it("the cases are not vacuous: the fixture passes and most others fail", () => {
    expect(safeParseApprovalRecord(RECORD).success).toBe(true);
    expect(CASES.filter(([, record]) => !ApprovalRecordSchema.safeParse(record).success).length).toBeGreaterThanOrEqual(9);
  });
});
