import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyPlanView, type ApplyReport } from "../../src/views/apply-plan.js";
import { approvalQueueView } from "../../src/views/approval-queue.js";
import { auditLogView } from "../../src/views/audit-log.js";
import { validationView } from "../../src/views/validation.js";
import type { QueueReport } from "../../src/approvals/queue.js";
import type { BatchPlanValidationReport } from "../../src/plan/validate.js";

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../../fixtures/views/${name}`, import.meta.url), "utf8")) as T;

describe("applyPlanView", () => {
  it("groups a ready dry-run by level and type, with key fields and $ref edges", () => {
    const view = applyPlanView(fixture<ApplyReport>("dry-run-ready.json"));
    expect(view.headline).toBe("Plan: 8 to create, 0 exist.");
    expect(view.groups.map((g) => `${g.level}:${g.object_type}:${g.items.length}`)).toEqual([
      "0:ipam.vlan:1",
      "0:dcim.interface:1",
      "1:ipam.prefix:1",
      "1:dcim.interface:3",
      "1:ipam.ipaddress:1",
      "2:ipam.ipaddress:1",
    ]);
    const member = view.groups[3]?.items[0];
    expect(member?.fields).toEqual([
      { name: "name", value: "xe-0/0/1" },
      { name: "type", value: "10gbase-x-sfpp" },
      { name: "enabled", value: "true" },
    ]);
    expect(member?.refs).toEqual([{ field: "lag", item_id: "if-ae0" }]);
    expect(view.counts).toMatchObject({ items: 8, to_create: 8, exist: 0, created: 0 });
  });

  it("marks existing objects and blocks", () => {
    const report = fixture<ApplyReport & { verdict: string }>("dry-run-ready.json");
    const blocked = { ...report, verdict: "blocked", existing: [{ item_id: "if-ae0", object_type: "dcim.interface", netbox_id: 7, url: "https://nb/api/dcim/interfaces/7/", display: "ae0" }] } as ApplyReport;
    const view = applyPlanView(blocked);
    expect(view.headline).toBe("Plan: 7 to create, 1 exist. Blocked (all-or-none: objects already exist); nothing would be written.");
    const ae0 = view.groups.flatMap((g) => g.items).find((i) => i.item_id === "if-ae0");
    expect(ae0).toMatchObject({ status: "exists", netbox_id: 7 });
    expect(view.tone).toBe("bad");
  });

  it("after a write: created objects with their NetBox URLs, fields from the plan", () => {
    const plan = JSON.parse(readFileSync(new URL("../../fixtures/batch/good/plan.json", import.meta.url), "utf8")) as { items: [] };
    const view = applyPlanView(fixture<ApplyReport>("simulate-applied.json"), { items: plan.items });
    expect(view.headline).toBe("Applied: 8 created and verified.");
    const items = view.groups.flatMap((g) => g.items);
    expect(items.every((i) => i.status === "created" && i.url?.startsWith("http"))).toBe(true);
    expect(items.find((i) => i.item_id === "if-ae0")?.fields[0]).toEqual({ name: "name", value: "ae0" });
  });

  it("a refused run with the plan still shows the plan, nothing created", () => {
    const report = fixture<ApplyReport>("simulate-applied.json") as ApplyReport & Record<string, unknown>;
    const refused = { ...report, outcome: "refused", requests: [], created: [], gates: [{ gate_id: "batch_id_confirmed", status: "fail", message: "x" }], summary: { ...(report.summary as object), created_count: 0 } } as unknown as ApplyReport;
    const plan = JSON.parse(readFileSync(new URL("../../fixtures/batch/good/plan.json", import.meta.url), "utf8")) as { items: [] };
    const view = applyPlanView(refused, { items: plan.items });
    expect(view.headline).toBe("Refused at gate batch_id_confirmed: nothing was written.");
    expect(view.groups.flatMap((g) => g.items).every((i) => i.status === "create")).toBe(true);
    expect(view.groups[0]?.level).toBe(0);
  });
});

describe("validationView", () => {
  it("lists checks with status, titles and findings", () => {
    const report: BatchPlanValidationReport = {
      schema_version: "batch_plan_validation_v1",
      generated_at: "2026-05-01T10:00:00+08:00",
      batch_id: "B-1",
      device: { id: 1, name: "R1" },
      plan_sha256: null,
      status: "invalid",
      checks: [
        { check_id: "schema_valid", status: "fail", findings: [{ item_id: "a", path: "items[0].x", message: "bad" }] },
        { check_id: "approvals_bound", status: "skipped", findings: [] },
        { check_id: "no_secrets", status: "pass", findings: [] },
      ],
      items: [],
      summary: { item_count: 1, object_type_counts: { "ipam.vlan": 1 }, check_count: 3, failed_check_count: 1, finding_count: 1 },
    };
    const view = validationView(report);
    expect(view.headline).toBe("Invalid: 1 of 3 checks failed with 1 finding(s).");
    expect(view.checks[0]?.findings[0]).toEqual({ item_id: "a", path: "items[0].x", message: "bad" });
    expect(view.counts).toMatchObject({ passed: 1, failed: 1, skipped: 1 });
  });
});

describe("approvalQueueView", () => {
  it("one row per record with age, expiry and problems", () => {
    const report = fixture<QueueReport>("queue.json");
    const now = Date.parse("2099-12-21T23:59:59+08:00");
    const view = approvalQueueView(report, now);
    expect(view.rows.map((r) => [r.approval_id, r.state, r.expires_in])).toEqual([
      ["approval-0007", "approved", "10d"],
      ["approval-0008", "approved", "10d"],
    ]);
    expect(view.columns.map((c) => c.title)).toEqual(["ID", "STATE", "DEVICE", "REQUESTER", "RISK", "AGE", "EXPIRES IN", "ITEMS", "PROBLEMS"]);
    const late = approvalQueueView(report, Date.parse("2100-01-03T00:00:00+08:00"));
    expect(late.rows[0]?.expires_in).toBe("expired 2d ago");
  });
});

describe("auditLogView", () => {
  it("rows with compact details and the chain verdict", () => {
    const event = { seq: 1, at: "2026-05-01T10:00:00+08:00", actor: "ana", command: "manage-approval-state", event: "approval.approve", subject: "approval-1", details: { from: "pending", to: "approved", reason: "looks good to me", items: [1, 2] }, hash: "a".repeat(64) };
    const view = auditLogView([event], { status: "ok", events: 1, head: "a".repeat(64), at_seq: null, reason: null, message: null });
    expect(view.rows[0]?.details).toBe('from=pending items=[2] reason="looks good to me" to=approved');
    expect(view.headline).toBe("1 event; chain verified (1 events).");
  });
});
