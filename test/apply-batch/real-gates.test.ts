import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, summaryOf } from "../helpers/cli.js";
import type { NetBoxTestServer } from "../helpers/netbox-server.js";
import { interfacesWithIps, writeBatchWorkspace, type Workspace } from "../helpers/batch-workspace.js";
import { apply, BATCH_ID, baseArgs, cli, dryRun, expectNoToken, ledgerLines, REAL_FLAGS, reportOf, richItems, serve, TOKEN, writesOf } from "./real-kit.js";

let nb: NetBoxTestServer | undefined;
afterEach(async () => {
  await nb?.close();
  nb = undefined;
});

/** The gate refused, every later gate skipped, nothing but GETs reached NetBox. */
function expectRefusedAt(result: Awaited<ReturnType<typeof cli>>, gateId: string, server: NetBoxTestServer, from: number): void {
  const report = reportOf(result);
  const at = report.gates.findIndex((g) => g.gate_id === gateId);
  expect(at, JSON.stringify(report.gates)).toBeGreaterThanOrEqual(0);
  expect(report.gates[at]?.status).toBe("fail");
  expect(report.gates.slice(0, at).every((g) => g.status !== "fail")).toBe(true);
  expect(report.gates.slice(at + 1).every((g) => g.status === "skipped")).toBe(true);
  expect(report.gates).toHaveLength(10);
  expect(writesOf(server, from)).toEqual([]);
}

describe("apply-batch real write: the happy path", () => {
  it("creates level by level with $refs, verifies, moves approvals to applied, audits, and refuses a second run", async () => {
    nb = await serve();
    const ws = writeBatchWorkspace(richItems());
    expect((await dryRun(ws, nb.url)).code).toBe(0);
    const from = nb.log.length;
    const result = await apply(ws, nb.url);
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result)).toBe(`BATCH_APPLY_APPLIED mode=real batch_id=${BATCH_ID} items=6 created=6 requests=4`);
    const writes = writesOf(nb, from);
    expect(writes.map((w) => [w.method, w.path])).toEqual([
      ["POST", "/api/ipam/vlans/"],
      ["POST", "/api/dcim/interfaces/"],
      ["POST", "/api/ipam/prefixes/"],
      ["POST", "/api/ipam/ip-addresses/"],
    ]);
    for (const w of writes) {
      for (const object of w.body as { changelog_message: string }[]) {
        expect(object.changelog_message).toMatch(new RegExp(`^opsgate apply-batch ${BATCH_ID} operator=ops\\.maria approval=approval-000[78]$`));
      }
    }
    const state = nb.sim.snapshot().objects;
    const ifaces = state["dcim.interface"] ?? [];
    const ips = state["ipam.ipaddress"] ?? [];
    const vlan = state["ipam.vlan"]?.[0];
    expect(ips.map((ip) => [ip.address, ip.assigned_object_id])).toEqual([
      ["10.0.0.1/31", ifaces.find((i) => i.name === "xe-0/0/1")?.id],
      ["10.0.0.3/31", ifaces.find((i) => i.name === "xe-0/0/2")?.id],
    ]);
    expect(state["ipam.prefix"]?.[0]?.vlan).toBe(vlan?.id);
    const report = reportOf(result);
    expect(report.gates.map((g) => g.status)).toEqual(Array(10).fill("pass"));
    expect(report.verification.status).toBe("passed");
    expect(report.created.find((c) => c.item_id === "vlan-310")?.url).toBe(`${nb.url}/api/ipam/vlans/${vlan?.id}/`);
    expect(report.approvals).toEqual([
      { approval_id: "approval-0007", status: "applied", message: "moved to applied/" },
      { approval_id: "approval-0008", status: "applied", message: "moved to applied/" },
    ]);
    expect(existsSync(join(ws.approvalsDir, "applied", "approval-0007.json"))).toBe(true);
    expect(existsSync(join(ws.approvalsDir, "approved", "approval-0007.json"))).toBe(false);
    expect(readFileSync(join(ws.resultsDir, BATCH_ID, "apply-run-1.json"), "utf8")).toBe(result.stdout);
    const ledger = ledgerLines(ws);
    expect(ledger[0]).toMatchObject({ kind: "run_start", run_id: "run-1", mode: "real" });
    expect(ledger.at(-1)).toMatchObject({ kind: "run_end", outcome: "applied" });
    expect(ledger.filter((l) => l.kind === "intent")).toHaveLength(4);
    const verify = await runCli(["audit", "verify", "--log", join(ws.approvalsDir, "audit.jsonl")]);
    expect(verify.code, verify.stderr).toBe(0);
    const events = readFileSync(join(ws.approvalsDir, "audit.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { event: string });
    expect(events.filter((e) => e.event === "apply.gate")).toHaveLength(10);
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(["apply.start", "apply.write", "apply.readback", "apply.end", "approval.apply"]));

    const before = nb.log.length;
    const again = await apply(ws, nb.url);
    expect(again.code).toBe(1);
    expect(summaryOf(again)).toMatch(/^BATCH_APPLY_REFUSED mode=real /);
    expect(writesOf(nb, before)).toEqual([]);
    expectNoToken(ws, result, again);
  });

  it("simulate mode runs the same path in-process: no network, approvals untouched, same bytes twice", async () => {
    const ws = writeBatchWorkspace(richItems());
    const state = join(ws.root, "netbox-state.json");
    writeFileSync(state, JSON.stringify({ schema_version: "netbox_state_v1", objects: { "dcim.site": [{ id: 21, name: "KTG", slug: "ktg" }], "dcim.device": [{ id: 1890, name: "4WNET-MNS-KTG-RX", site: 21 }] } }));
    const sim = [...baseArgs(ws, undefined), "--simulate", "--netbox-state", state];
    const refused = await cli([...sim, ...REAL_FLAGS], { NETBOX_WRITE_TOKEN: "" });
    expect(refused.code).toBe(1);
    expect(reportOf(refused).gates.find((g) => g.status === "fail")?.gate_id).toBe("dry_run_recorded");
    expect((await cli(sim)).code).toBe(0);
    const first = await cli([...sim, ...REAL_FLAGS], { NETBOX_WRITE_TOKEN: "" });
    expect(first.code, first.stderr).toBe(0);
    expect(summaryOf(first)).toBe(`BATCH_APPLY_APPLIED mode=simulate batch_id=${BATCH_ID} items=6 created=6 requests=4`);
    const report = reportOf(first);
    expect(report.gates.filter((g) => g.status === "skipped").map((g) => g.gate_id)).toEqual(["token_present"]);
    expect(report.approvals).toEqual([]);
    expect(existsSync(join(ws.approvalsDir, "approved", "approval-0007.json"))).toBe(true);
    expect(ledgerLines(ws)).toEqual([]);
    const second = await cli([...sim, ...REAL_FLAGS], { NETBOX_WRITE_TOKEN: "" });
    expect(second.stdout.replace(/"run_id": "sim-\d+"/, "")).toBe(first.stdout.replace(/"run_id": "sim-\d+"/, ""));
  });
});

describe("apply-batch real write: each gate refuses on its own, with zero writes", () => {
  it("flags_present, token_present, batch_id_confirmed, operator_present, plan_valid, dry_run_recorded", async () => {
    nb = await serve();
    const ws = writeBatchWorkspace(interfacesWithIps(2));
    let from = nb.log.length;
    const noDryRun = await apply(ws, nb.url);
    expect(noDryRun.code).toBe(1);
    expect(summaryOf(noDryRun)).toBe(`BATCH_APPLY_REFUSED mode=real batch_id=${BATCH_ID} items=4 created=0 requests=0`);
    expectRefusedAt(noDryRun, "dry_run_recorded", nb, from);
    expect(nb.log.length).toBe(from); // the gates before the lock never call NetBox

    expect((await dryRun(ws, nb.url)).code).toBe(0);
    const cases: [string, () => Promise<Awaited<ReturnType<typeof cli>>>][] = [
      ["flags_present", () => cli([...baseArgs(ws, nb!.url), "--recover"])],
      ["token_present", () => apply(ws, nb!.url, [], { NETBOX_WRITE_TOKEN: "" })],
      ["batch_id_confirmed", () => cli([...baseArgs(ws, nb!.url).map((a) => (a === BATCH_ID ? "BATCH-OTHER" : a)), ...REAL_FLAGS])],
      ["operator_present", () => cli([...baseArgs(ws, nb!.url).map((a) => (a === "ops.maria" ? "  " : a)), ...REAL_FLAGS])],
    ];
    for (const [gate, run] of cases) {
      from = nb.log.length;
      const result = await run();
      expect(result.code, `${gate}: ${result.stderr}`).toBe(1);
      expectRefusedAt(result, gate, nb, from);
    }
    // plan_valid: the payload changed after approval.
    const plan = JSON.parse(readFileSync(ws.planPath, "utf8")) as { items: { staged_payload: Record<string, unknown> }[] };
    plan.items[0]!.staged_payload.description = "changed after approval";
    const original = readFileSync(ws.planPath, "utf8");
    writeFileSync(ws.planPath, JSON.stringify(plan));
    from = nb.log.length;
    const invalid = await apply(ws, nb.url);
    expectRefusedAt(invalid, "plan_valid", nb, from);
    writeFileSync(ws.planPath, original);
    expectNoToken(ws, noDryRun, invalid);
  });

  it("not_already_applied, lock_acquired, netbox_authenticated (exit 3), preflight_none_exist (blocked)", async () => {
    nb = await serve();
    const ws: Workspace = writeBatchWorkspace(interfacesWithIps(2));
    expect((await dryRun(ws, nb.url)).code).toBe(0);
    const batchDir = join(ws.resultsDir, BATCH_ID);
    mkdirSync(batchDir, { recursive: true });

    // An interrupted run in the ledger (no run_end).
    const ledger = join(batchDir, "ledger.jsonl");
    writeFileSync(ledger, `${JSON.stringify({ kind: "run_start", run_id: "run-1", mode: "real", batch_id: BATCH_ID, plan_sha256: "x", operator: "o", netbox_url: nb.url, at: "t" })}\n`);
    let from = nb.log.length;
    const interrupted = await apply(ws, nb.url);
    expectRefusedAt(interrupted, "not_already_applied", nb, from);
    expect(reportOf(interrupted).gates[6]?.message).toMatch(/--recover/);
    const dry = await dryRun(ws, nb.url);
    expect(dry.code).toBe(1);
    expect(summaryOf(dry)).toMatch(/^BATCH_APPLY_REFUSED mode=dry_run /);
    writeFileSync(ledger, "");

    // A live process holds the batch lock.
    writeFileSync(join(batchDir, "apply.lock"), `${process.pid}\n`);
    from = nb.log.length;
    const locked = await apply(ws, nb.url);
    expectRefusedAt(locked, "lock_acquired", nb, from);
    writeFileSync(join(batchDir, "apply.lock"), "");
    const { rmSync } = await import("node:fs");
    rmSync(join(batchDir, "apply.lock"));

    from = nb.log.length;
    const badToken = await apply(ws, nb.url, [], { NETBOX_WRITE_TOKEN: "nbt_WRONGkey.notthe1token2at3all" });
    expect(badToken.code).toBe(3);
    expect(summaryOf(badToken)).toMatch(/^BATCH_APPLY_REFUSED mode=real .* reason=netbox_auth$/);
    expectRefusedAt(badToken, "netbox_authenticated", nb, from);

    // Someone creates one of the batch's objects after the dry-run: all-or-none.
    nb.sim.handle({ method: "POST", path: "/api/dcim/interfaces/", query: new URLSearchParams(), body: { device: 1890, name: "xe-0/0/1", type: "10gbase-x-sfpp" }, origin: nb.url });
    from = nb.log.length;
    const blocked = await apply(ws, nb.url);
    expect(blocked.code).toBe(1);
    expect(summaryOf(blocked)).toBe(`BATCH_APPLY_BLOCKED mode=real batch_id=${BATCH_ID} items=4 created=0 requests=0`);
    expectRefusedAt(blocked, "preflight_none_exist", nb, from);
    expect(nb.log.slice(from).every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expectNoToken(ws, interrupted, locked, badToken, blocked);
  });
});
