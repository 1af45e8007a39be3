import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/cli.js";
import { BatchPlanSchema, batchPlanIssues } from "../../src/schemas/batch-plan.js";
import { parseJson } from "../../src/json/read.js";

// schema_valid checks a plan's items one at a time (memory: a parsed copy of 100,000 items at
// once is promoted to the old generation). Its issues must be the whole schema's, in its order.
const GOOD = JSON.parse(readFileSync(join(PROJECT_ROOT, "fixtures/batch/good/plan.json"), "utf8")) as Record<string, unknown> & { items: Record<string, unknown>[] };
const item = (i: number, patch: Record<string, unknown>): Record<string, unknown> => ({ ...GOOD.items[i], ...patch });

const CASES: [string, unknown][] = [
  ["the good plan", GOOD],
  ["not an object", ["x"]],
  ["an empty object", {}],
  ["items not an array", { ...GOOD, items: { a: 1 } }],
  ["no items", { ...GOOD, items: [] }],
  ["an unknown top-level member", { ...GOOD, colour: "red", items: [item(0, { extra: 1 })] }],
  ["bad top-level members and bad items", { ...GOOD, batch_id: "../x", created_at: "yesterday", device: { id: "x" }, items: [item(0, { item_id: 5 }), "x", item(1, { staged_payload: { a: { $ref: 3, b: 1 } } })] }],
  ["an unknown member before the items and bad items", { zz: 1, ...GOOD, items: [item(0, { depends_on: [1, "../x"], lookup: { a: [] } }), null] }],
  ["a bad schema_version only", { ...GOOD, schema_version: "v2" }],
  ["items with NaN and unknown keys", { ...GOOD, items: [item(0, { staged_payload: { mtu: Number.NaN } }), item(1, { foo: 1, bar: 2 })] }],
];

/** Every plan under fixtures/batch, good and bad. */
function fixturePlans(): [string, unknown][] {
  const found: [string, unknown][] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".json") && dir.split("/").at(-1) !== "approved" && !dir.includes("approvals")) {
        try {
          found.push([path.slice(PROJECT_ROOT.length), parseJson(readFileSync(path))]);
        } catch {
          // not JSON: not a plan
        }
      }
    }
  };
  walk(join(PROJECT_ROOT, "fixtures/batch"));
  return found;
}

const issuesOf = (plan: unknown): unknown[] => {
  const parsed = BatchPlanSchema.safeParse(plan);
  return (parsed.success ? [] : parsed.error.issues).map((issue) => ({ path: issue.path, message: issue.message, code: issue.code }));
};

describe("schema_valid item by item", () => {
  it.each([...CASES, ...fixturePlans()])("%s: the whole schema's issues, in order", (_name, plan) => {
    const expected = issuesOf(plan);
    expect(batchPlanIssues(plan).map((issue) => ({ path: issue.path, message: issue.message, code: issue.code }))).toEqual(expected);
  });

  it("finds issues in the cases above (the comparison is not vacuous)", () => {
    expect(CASES.filter(([, plan]) => issuesOf(plan).length > 2).length).toBeGreaterThanOrEqual(3);
  });
});
