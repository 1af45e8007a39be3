import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, summaryOf, type CliResult } from "../helpers/cli.js";
import { startNetBoxServer, type NetBoxTestServer, type ServerOptions } from "../helpers/netbox-server.js";
import { deviceState } from "../helpers/netbox-fixtures.js";
import { BATCH_ID, interfaceItem, interfacesWithIps, ipItem, writeBatchWorkspace, type Workspace } from "../helpers/batch-workspace.js";

// A distinctive token: any byte of it in any output is a leak.
const TOKEN = "nbt_LEAKCHECK.Zq9sentinelTOKENvalue7731xx";
const GENERATED_AT = "2026-05-01T10:00:00+08:00";

let server: NetBoxTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(options: ServerOptions = {}): Promise<NetBoxTestServer> {
  server = await startNetBoxServer({ writeTokens: [TOKEN], ...options, state: options.state ?? deviceState() });
  return server;
}

function dryRun(ws: Workspace, url: string | undefined, extra: string[] = [], env: Record<string, string> = {}): Promise<CliResult> {
  const args = ["apply-batch", "--batch-plan", ws.planPath, "--confirm-batch-id", BATCH_ID, "--operator", "ops.maria", "--generated-at", GENERATED_AT];
  if (url) args.push("--netbox-url", url);
  return runCli([...args, ...extra], { env: { NETBOX_WRITE_TOKEN: TOKEN, OPSGATE_NETBOX_RETRIES: "0", ...env } });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function expectNoToken(ws: Workspace, ...results: CliResult[]): void {
  for (const result of results) expect(result.stdout + result.stderr).not.toContain("LEAKCHECK.Zq9sentinel");
  for (const file of filesUnder(ws.root)) expect(readFileSync(file, "utf8"), file).not.toContain("Zq9sentinel");
}

const recordOf = (ws: Workspace): string[] => {
  const dir = join(ws.resultsDir, BATCH_ID);
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe("apply-batch dry-run against a NetBox test server", () => {
  it("is ready, sends only GETs, plans one bulk POST per type and level, and records itself", async () => {
    const nb = await serve();
    const ws = writeBatchWorkspace(interfacesWithIps(3));
    const result = await dryRun(ws, nb.url);
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result)).toBe(`BATCH_APPLY_READY mode=dry_run batch_id=${BATCH_ID} items=6 created=0 requests=2`);
    expect(nb.log.every((r) => r.method === "GET")).toBe(true);
    // status + device + one look-up per object type, whatever the item count.
    expect(nb.log.map((r) => r.path)).toEqual(["/api/status/", "/api/dcim/devices/1890/", "/api/dcim/interfaces/", "/api/ipam/ip-addresses/"]);
    expect(nb.log[3]?.query).toContain("address=10.100.0.1&address=10.100.1.1");
    expect(nb.log.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const report = JSON.parse(result.stdout) as { verdict: string; requests: { method: string; level: number; item_ids: string[]; payload: Record<string, unknown>[] }[] };
    expect(report.verdict).toBe("ready");
    expect(report.requests.map((r) => [r.method, r.level, r.item_ids.length])).toEqual([
      ["POST", 0, 3],
      ["POST", 1, 3],
    ]);
    expect(report.requests[1]?.payload[0]).toMatchObject({
      assigned_object_id: { $ref: "if-xe-0-0-0" },
      changelog_message: `opsgate apply-batch ${BATCH_ID} operator=ops.maria approval=approval-0007`,
    });
    const [record] = recordOf(ws);
    expect(record).toMatch(/^dry-run-[0-9a-f]{64}\.json$/);
    expect(readFileSync(join(ws.resultsDir, BATCH_ID, record!), "utf8")).toBe(result.stdout);
    const again = await dryRun(ws, nb.url);
    expect(again.stdout).toBe(result.stdout);
    expectNoToken(ws, result, again);
  });

  it("is blocked when one object exists, naming it with its NetBox id and URL", async () => {
    const nb = await serve({ state: deviceState({ "dcim.interface": [{ id: 77, device: 1890, name: "xe-0/0/1", type: "10gbase-x-sfpp" }] }) });
    const ws = writeBatchWorkspace(interfacesWithIps(3));
    const result = await dryRun(ws, nb.url);
    expect(result.code).toBe(1);
    expect(summaryOf(result)).toMatch(/^BATCH_APPLY_BLOCKED mode=dry_run batch_id=\S+ items=6 created=0 requests=2$/);
    const report = JSON.parse(result.stdout) as { existing: unknown[] };
    expect(report.existing).toEqual([
      { item_id: "if-xe-0-0-1", object_type: "dcim.interface", netbox_id: 77, url: `${nb.url}/api/dcim/interfaces/77/`, display: "xe-0/0/1" },
    ]);
    expect(result.stderr).toContain("exists: if-xe-0-0-1");
    expect(recordOf(ws)).toEqual([]);
    expect(nb.log.every((r) => r.method === "GET")).toBe(true);
  });

  it("is blocked by a global IP that exists under a different mask", async () => {
    const nb = await serve({ state: deviceState({ "ipam.ipaddress": [{ id: 5, address: "10.100.1.1/24" }] }) });
    const ws = writeBatchWorkspace(interfacesWithIps(2));
    const result = await dryRun(ws, nb.url);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { existing: { item_id: string; display: string }[] };
    expect(report.existing.map((e) => [e.item_id, e.display])).toEqual([["ip-10-100-1-1-31", "10.100.1.1/24"]]);
  });

  it("follows pagination across pages (MAX_PAGE_SIZE 2)", async () => {
    const existing = Array.from({ length: 5 }, (_, i) => ({ id: 100 + i, device: 1890, name: `xe-0/0/${i}`, type: "10gbase-x-sfpp" }));
    const nb = await serve({ state: deviceState({ "dcim.interface": existing }), maxPageSize: 2 });
    const ws = writeBatchWorkspace(Array.from({ length: 5 }, (_, i) => interfaceItem(`xe-0/0/${i}`)));
    const result = await dryRun(ws, nb.url);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as { existing: unknown[] }).existing).toHaveLength(5);
    expect(nb.log.filter((r) => r.path === "/api/dcim/interfaces/")).toHaveLength(3);
  });

  it("reports an invalid plan without asking NetBox anything", async () => {
    const nb = await serve();
    const bad = interfaceItem("xe-0/0/9");
    delete bad.staged_payload.type;
    const ws = writeBatchWorkspace([bad, ipItem("10.9.9.9/31", bad.item_id)]);
    const result = await dryRun(ws, nb.url);
    expect(result.code).toBe(1);
    expect(summaryOf(result)).toBe(`BATCH_APPLY_INVALID mode=dry_run batch_id=${BATCH_ID} items=2 created=0 requests=0`);
    expect(result.stderr).toContain("payload_complete");
    expect(nb.log).toHaveLength(0);
  });

  it("reports an item whose approval does not cover its payload as invalid", async () => {
    const nb = await serve();
    const ws = writeBatchWorkspace([interfaceItem("xe-0/0/1")]);
    const plan = JSON.parse(readFileSync(ws.planPath, "utf8")) as { items: { staged_payload: Record<string, unknown> }[] };
    plan.items[0]!.staged_payload.description = "changed after approval";
    const { writeFileSync } = await import("node:fs");
    writeFileSync(ws.planPath, JSON.stringify(plan));
    const result = await dryRun(ws, nb.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("approvals_bound");
  });

  it("exits 3 when NetBox is unreachable, refuses the token, or hangs", async () => {
    const ws = writeBatchWorkspace([interfaceItem("xe-0/0/1")]);
    const nb = await serve({ faults: { echoTokenInErrors: true } });
    const wrong = await dryRun(ws, nb.url, [], { NETBOX_WRITE_TOKEN: "nbt_LEAKCHECK.Zq9sentinelWRONGvalue" });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain("Invalid token");
    expect(summaryOf(wrong)).toMatch(/^BATCH_APPLY_BLOCKED .* reason=netbox_auth$/);
    const anonymous = await runCli(
      ["apply-batch", "--batch-plan", ws.planPath, "--confirm-batch-id", BATCH_ID, "--operator", "ops.maria", "--netbox-url", nb.url],
      { env: { OPSGATE_NETBOX_RETRIES: "0" } },
    );
    expect(anonymous.code).toBe(3);
    expect(anonymous.stderr).toContain("Authentication credentials were not provided");
    nb.faults = { hangRequest: nb.log.length + 1 };
    const hung = await dryRun(ws, nb.url, [], { OPSGATE_NETBOX_TIMEOUT_MS: "300" });
    expect(hung.code).toBe(3);
    expect(hung.stderr).toMatch(/did not answer within 300 ms/);
    const port = nb.port;
    await nb.close();
    server = undefined;
    const down = await dryRun(ws, `http://127.0.0.1:${port}`);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain("unreachable");
    for (const result of [wrong, anonymous, hung, down]) expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(recordOf(ws)).toEqual([]);
    expectNoToken(ws, wrong, anonymous, hung, down);
  });

  it("never writes the token, even when NetBox echoes it in an error body", async () => {
    const nb = await serve({ faults: { echoTokenInErrors: true, failRequest: { n: 3, status: 400 } } });
    const ws = writeBatchWorkspace(interfacesWithIps(2));
    const failed = await dryRun(ws, nb.url, ["--report", join(ws.root, "out", "report.json")]);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain("[REDACTED]");
    nb.faults = { echoTokenInErrors: true };
    const ok = await dryRun(ws, nb.url, ["--report", join(ws.root, "out", "report.json")]);
    expect(ok.code).toBe(0);
    expect(readFileSync(join(ws.root, "out", "report.json"), "utf8")).toBe(ok.stdout);
    expectNoToken(ws, failed, ok);
  });

  it("skips the preflight offline and does not record the dry-run", async () => {
    const ws = writeBatchWorkspace(interfacesWithIps(1));
    const result = await dryRun(ws, undefined, ["--offline"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: "ready", netbox: { preflight: "skipped_offline" } });
    expect(recordOf(ws)).toEqual([]);
  });

  it("dry-runs against the simulator from a state file", async () => {
    const ws = writeBatchWorkspace(interfacesWithIps(2));
    const statePath = join(ws.root, "state.json");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(statePath, JSON.stringify(deviceState({ "ipam.ipaddress": [{ id: 9, address: "10.100.0.1/32" }] })));
    const result = await dryRun(ws, undefined, ["--simulate", "--netbox-state", statePath]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: "blocked", netbox: { target: "simulator" }, existing: [{ netbox_id: 9 }] });
  });

  it("treats the real-write flags as gated: one alone is a usage error, both refuse for now", async () => {
    const ws = writeBatchWorkspace([interfaceItem("xe-0/0/1")]);
    const one = await dryRun(ws, "http://127.0.0.1:9", ["--confirm-real-write-batch"]);
    expect(one.code).toBe(2);
    const both = await dryRun(ws, "http://127.0.0.1:9", ["--confirm-real-write-batch", "--enable-real-post-implementation"]);
    expect(both.code).toBe(1);
    expect(summaryOf(both)).toMatch(/^BATCH_APPLY_REFUSED mode=real /);
    const mismatch = await runCli(["apply-batch", "--batch-plan", ws.planPath, "--confirm-batch-id", "OTHER", "--operator", "x", "--offline"]);
    // The same outcome as the real write's batch_id_confirmed gate: refused, exit 1.
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain("does not match the plan's batch_id");
    expect(summaryOf(mismatch)).toMatch(/^BATCH_APPLY_REFUSED mode=dry_run .*reason=batch_id_not_confirmed$/);
  });
});
