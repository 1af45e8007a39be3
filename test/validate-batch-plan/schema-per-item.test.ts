import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
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
  // Items a fast path could wrongly let through: each must get exactly the schema's issues.
  ["lookup values zod refuses", { ...GOOD, items: [item(0, { lookup: { a: 1.5 } }), item(1, { lookup: { a: 2 ** 60, b: { c: 1 } } })] }],
  ["lookup values zod takes", { ...GOOD, items: [item(0, { lookup: { a: 10n ** 30n, b: null, c: -7, d: "" } })] }],
  ["payload numbers and refs", { ...GOOD, items: [item(0, { staged_payload: { a: [1, { b: Infinity }] } }), item(1, { staged_payload: { a: { $ref: "x", b: 1 } } })] }],
  ["a bad ref deep in an array", { ...GOOD, items: [item(0, { staged_payload: { tagged: [{ x: [{ $ref: "a..b" }] }] } }), item(1, { staged_payload: { a: { $ref: 7 } } })] }],
  ["a payload that is itself a ref-shaped object", { ...GOOD, items: [item(0, { staged_payload: { $ref: "a..b" } })] }],
  ["ids shaped like credentials", { ...GOOD, items: [item(0, { item_id: "nbt_abc.def" }), item(1, { approval_id: "a..b", depends_on: ["nbt_k.v", "ok"] })] }],
  ["blank and non-string text", { ...GOOD, items: [item(0, { object_type: "  " }), item(1, { action: 3, depends_on: "x" })] }],
  ["objects zod treats apart", { ...GOOD, items: [item(0, { constructor: "x" }), item(1, { lookup: new Map(), staged_payload: Object.create(null) as object })] }],
  ["parsed __proto__ and constructor members", parseJson(Buffer.from(JSON.stringify({ ...GOOD, items: [item(0, { staged_payload: "@P" }), item(1, { lookup: "@C" })] }).replace('"@P"', '{"__proto__":{"$ref":"x"}}').replace('"@C"', '{"constructor":{"a":1},"__proto__":1.5}')))],
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
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([...CASES, ...fixturePlans()])("%s: the whole schema's issues, in order", (_name, plan) => {
    const expected = issuesOf(plan);
    expect(batchPlanIssues(plan).map((issue) => ({ path: issue.path, message: issue.message, code: issue.code }))).toEqual(expected);
  });

  it("refuses an id holding the value of a token from the environment, as the schema does", () => {
    vi.stubEnv("NETBOX_READ_TOKEN", "s3cr3t-token-value");
    const plan = { ...GOOD, items: [item(0, { item_id: "port-s3cr3t-token-value" })] };
    expect(issuesOf(plan)).toContainEqual(expect.objectContaining({ path: ["items", 0, "item_id"] }));
    expect(batchPlanIssues(plan).map((issue) => ({ path: issue.path, message: issue.message, code: issue.code }))).toEqual(issuesOf(plan));
  });

  it("finds issues in the cases above (the comparison is not vacuous)", () => {
    expect(CASES.filter(([, plan]) => issuesOf(plan).length > 2).length).toBeGreaterThanOrEqual(3);
  });
});
