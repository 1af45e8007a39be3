import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OPSGATE_BIN, PROJECT_ROOT, summaryOf, type CliResult } from "../helpers/cli.js";
import type { NetBoxTestServer, ServerOptions } from "../helpers/netbox-server.js";
import { interfaceItem, interfacesWithIps, writeBatchWorkspace, type PlanItem, type Workspace } from "../helpers/batch-workspace.js";
import { apply, BATCH_ID, baseArgs, cli, dryRun, expectNoToken, ledgerLines, REAL_FLAGS, recover, reportOf, richItems, serve, TOKEN, writesOf } from "./real-kit.js";

/**
 * A NetBox that costs time (test/helpers/netbox-server-timing.ts): a bulk create commits at the end
 * of its work, even after the client timed out, was killed or interrupted. Nothing may be reported
 * rolled back while an object of the batch can still appear. Costs are a few hundred ms to a few
 * seconds: large against a loaded machine's jitter, small for the suite.
 */
vi.setConfig({ testTimeout: 90_000 });
let nb: NetBoxTestServer | undefined;
afterEach(async () => {
  await nb?.close();
  nb = undefined;
});

/** GETs are retried (a loaded machine may be slow); writes never are. */
const SLOW_ENV = { OPSGATE_NETBOX_RETRIES: "2" };

async function prepared(items: PlanItem[], options: ServerOptions = {}): Promise<{ ws: Workspace; server: NetBoxTestServer; before: ReturnType<NetBoxTestServer["sim"]["snapshot"]> }> {
  nb = await serve(options);
  const ws = writeBatchWorkspace(items);
  const before = nb.sim.snapshot();
  const dry = await dryRun(ws, nb.url, SLOW_ENV);
  expect(dry.code, dry.stderr).toBe(0);
  return { ws, server: nb, before };
}

function sixInterfaces(): PlanItem[] {
  return [1, 2, 3, 4, 5, 6].map((i) => interfaceItem(`xe-0/0/${i}`));
}

/** The real write as a child we can signal; resolves with its result. */
function spawnApply(ws: Workspace, url: string, env: Record<string, string>): { child: ReturnType<typeof spawn>; done: Promise<CliResult>; stderr: () => string } {
  const child = spawn(process.execPath, [OPSGATE_BIN, ...baseArgs(ws, url), ...REAL_FLAGS], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", NETBOX_WRITE_TOKEN: TOKEN, OPSGATE_SETTLE_FENCE_MS: "3000", ...SLOW_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout: out, stderr: err, code }));
  });
  return { child, done, stderr: () => err };
}

/** Resolves once the ledger holds a write intent (the first POST is on its way). */
async function untilIntent(ws: Workspace): Promise<void> {
  const ledger = join(ws.resultsDir, BATCH_ID, "ledger.jsonl");
  for (;;) {
    if (existsSync(ledger) && readFileSync(ledger, "utf8").includes('"kind":"intent"')) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setTimeout(r, 5));
}

describe("the test server costs what NetBox costs, in time", () => {
  it("a look-up during a long bulk create sees nothing; the create commits although its client left", async () => {
    nb = await serve({ cost: { writeObjectMs: 400, workers: 3 } });
    const headers = { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" };
    const body = JSON.stringify([1, 2].map((i) => ({ device: 1890, name: `et-${i}`, type: "10gbase-x-sfpp" })));
    const controller = new AbortController();
    const post = fetch(`${nb.url}/api/dcim/interfaces/`, { method: "POST", headers, body, signal: controller.signal }).catch(() => "aborted");
    await until(() => nb!.log.some((r) => r.method === "POST"));
    const during = (await (await fetch(`${nb.url}/api/dcim/interfaces/?device_id=1890`, { headers })).json()) as { count: number };
    expect(during.count).toBe(0);
    controller.abort();
    expect(await post).toBe("aborted");
    await until(() => (nb!.sim.snapshot().objects["dcim.interface"]?.length ?? 0) === 2);
    const changes = (await (await fetch(`${nb.url}/api/core/object-changes/?q=${encodeURIComponent("et-")}&action=create`, { headers })).json()) as { count: number };
    expect(changes.count).toBe(0); // q searches message, user name and object_repr — not the payload
  });

  it("one worker: requests wait for it in arrival order; a body over the proxy's limit gets 413", async () => {
    nb = await serve({ cost: { writeObjectMs: 150, workers: 1 }, maxBodyBytes: 300 });
    const headers = { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" };
    const post = fetch(`${nb.url}/api/dcim/interfaces/`, { method: "POST", headers, body: JSON.stringify({ device: 1890, name: "et-1", type: "10gbase-x-sfpp" }) });
    await until(() => nb!.log.some((r) => r.method === "POST"));
    // Sent while the POST holds the only worker: it waits, then sees the commit.
    const after = (await (await fetch(`${nb.url}/api/dcim/interfaces/?device_id=1890`, { headers })).json()) as { count: number };
    expect((await post).status).toBe(201);
    expect(after.count).toBe(1);
    const big = await fetch(`${nb.url}/api/dcim/interfaces/`, { method: "POST", headers, body: JSON.stringify([{ description: "x".repeat(400) }]) });
    expect(big.status).toBe(413);
    expect(big.headers.get("api-version")).toBeNull();
  });
});

describe("apply-batch: a write that commits after the client gave up is settled, never called undone", () => {
  it("one chunk (a VLAN) commits after the time-out: the run waits out the fence, finds it, deletes it (exit 3)", async () => {
    const vlan = richItems().find((i) => i.item_id === "vlan-310")!;
    const { ws, server, before } = await prepared([vlan], { cost: { writeObjectMs: 2500, workers: 3 } });
    const result = await apply(ws, server.url, [], { ...SLOW_ENV, OPSGATE_NETBOX_TIMEOUT_MS: "1500", OPSGATE_SETTLE_FENCE_MS: "4500" });
    expect(result.code, result.stderr).toBe(3);
    // The rollback's DELETE costs as much and times out too: the read-back decides, never its status.
    expect(summaryOf(result)).toMatch(new RegExp(`^BATCH_APPLY_ROLLED_BACK mode=real batch_id=${BATCH_ID} items=1 created=1 requests=\\d+$`));
    expect(result.stderr).toMatch(/may still commit in NetBox until .*; waiting \d+ s/);
    expect(reportOf(result).failure?.message).toMatch(/did not answer within 1500 ms/);
    const resolution = ledgerLines(ws).find((l) => l.kind === "resolution") as unknown as { method: string; created: { item_id: string }[] };
    expect(resolution.method).toBe("fence+natural_key×2+changelog");
    expect(resolution.created.map((c) => c.item_id)).toEqual(["vlan-310"]);
    expect(server.sim.snapshot()).toEqual(before);
    expect(ledgerLines(ws).at(-1)).toMatchObject({ kind: "run_end", outcome: "rolled_back" });
  });

  it("several concurrent chunks all commit after their time-outs: every object found and deleted", async () => {
    const { ws, server, before } = await prepared(sixInterfaces(), { cost: { writeObjectMs: 1000, workers: 3 } });
    const env = { ...SLOW_ENV, OPSGATE_APPLY_CHUNK_SIZE: "2", OPSGATE_NETBOX_TIMEOUT_MS: "1200", OPSGATE_SETTLE_FENCE_MS: "4000" };
    const result = await apply(ws, server.url, [], env);
    expect(result.code, result.stderr).toBe(3);
    expect(summaryOf(result)).toMatch(/^BATCH_APPLY_ROLLED_BACK mode=real .* items=6 created=6 /);
    const report = reportOf(result);
    expect(report.requests.filter((r) => r.method === "POST").map((r) => r.result)).toEqual(["unknown", "unknown", "unknown"]);
    const resolutions = ledgerLines(ws).filter((l) => l.kind === "resolution") as unknown as { created: unknown[] }[];
    expect(resolutions.map((r) => r.created.length)).toEqual([2, 2, 2]);
    expect(server.sim.snapshot()).toEqual(before);
  });

  it("the wait is cut short by Ctrl-C: rollback_incomplete (exit 4) naming the unsettled request; --recover settles it later", async () => {
    const vlan = richItems().find((i) => i.item_id === "vlan-310")!;
    const { ws, server, before } = await prepared([vlan], { cost: { writeObjectMs: 1500, workers: 3 } });
    const run = spawnApply(ws, server.url, { OPSGATE_NETBOX_TIMEOUT_MS: "800", OPSGATE_SETTLE_FENCE_MS: "6000" });
    await until(() => /waiting \d+ s/.test(run.stderr()));
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code, result.stderr).toBe(4);
    expect(summaryOf(result)).toMatch(/^BATCH_APPLY_ROLLBACK_INCOMPLETE mode=real .* left=1 interrupted=SIGINT$/);
    const left = reportOf(result).left_in_netbox;
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ item_id: "vlan-310", netbox_id: null });
    expect(left[0]?.why).toMatch(/run-1 write 1 \(POST \/api\/ipam\/vlans\/, 1 item\(s\)\) got no answer and may still commit/);
    expect(ledgerLines(ws).some((l) => l.kind === "resolution")).toBe(false);
    await until(() => (server.sim.snapshot().objects["ipam.vlan"]?.length ?? 0) === 1);
    // The run recorded its fence in the ledger: --recover waits out what is left of it.
    const recovered = await recover(ws, server.url, { ...SLOW_ENV, OPSGATE_SETTLE_FENCE_MS: "500" });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stderr).toMatch(/may still commit in NetBox until .*; waiting \d+ s/);
    expect(server.sim.snapshot()).toEqual(before);
  });
});

describe("apply-batch: kill -9, signals", () => {
  it("kill -9 with a bulk create in flight, then an immediate --recover: it waits out the fence and removes what committed", async () => {
    const { ws, server, before } = await prepared(interfacesWithIps(2), { cost: { writeObjectMs: 600, workers: 3 } });
    const run = spawnApply(ws, server.url, {});
    await untilIntent(ws);
    await until(() => server.log.some((r) => r.method === "POST")); // NetBox is working on it
    run.child.kill("SIGKILL");
    await run.done;
    expect(server.sim.snapshot()).toEqual(before); // not committed yet
    const recovered = await recover(ws, server.url, { ...SLOW_ENV, OPSGATE_SETTLE_FENCE_MS: "3000" });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stderr).toMatch(/run-1 write 1 \(POST \/api\/dcim\/interfaces\/, 2 item\(s\)\) may still commit in NetBox until/);
    expect(summaryOf(recovered)).toMatch(/^BATCH_APPLY_ROLLED_BACK mode=recover /);
    expect(ledgerLines(ws).find((l) => l.kind === "resolution")).toMatchObject({ created: [{}, {}] });
    expect(server.sim.snapshot()).toEqual(before);
  });

  it("SIGINT mid-write: nothing more is sent, the request in flight is settled, everything rolled back (exit 3)", async () => {
    const { ws, server, before } = await prepared(interfacesWithIps(2), { cost: { writeObjectMs: 400, workers: 3 } });
    const from = server.log.length;
    const run = spawnApply(ws, server.url, {});
    await untilIntent(ws);
    await until(() => server.log.some((r) => r.method === "POST"));
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain("SIGINT received: sending nothing more");
    expect(summaryOf(result)).toBe(`BATCH_APPLY_ROLLED_BACK mode=real batch_id=${BATCH_ID} items=4 created=2 requests=2 interrupted=SIGINT`);
    expect(writesOf(server, from).map((w) => [w.method, w.path])).toEqual([
      ["POST", "/api/dcim/interfaces/"],
      ["DELETE", "/api/dcim/interfaces/"],
    ]);
    expect(reportOf(result).failure?.message).toMatch(/interrupted by SIGINT/);
    expect(server.sim.snapshot()).toEqual(before);
    expectNoToken(ws, result);
  });

  it("a second SIGINT exits at once (exit 4) saying the ledger is kept and what --recover does; --recover then cleans up", async () => {
    const { ws, server, before } = await prepared(interfacesWithIps(2), { cost: { writeObjectMs: 700, workers: 3 } });
    const run = spawnApply(ws, server.url, { OPSGATE_SETTLE_FENCE_MS: "3000" });
    await untilIntent(ws);
    await until(() => server.log.some((r) => r.method === "POST"));
    run.child.kill("SIGINT");
    await until(() => run.stderr().includes("SIGINT received"));
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/exiting at once\. The ledger .*ledger\.jsonl is kept/);
    expect(result.stderr).toMatch(/--recover .* waits out the settle fence/);
    expect(summaryOf(result)).toMatch(/^BATCH_APPLY_ROLLBACK_INCOMPLETE mode=real .* interrupted=SIGINT$/);
    const again = await apply(ws, server.url, [], SLOW_ENV);
    expect(again.code).toBe(1);
    expect(again.stderr.split("\n")[0]).toMatch(/has an interrupted run \(run-1\)/);
    expect(again.stderr).toMatch(/hint: run apply-batch --recover/);
    const recovered = await recover(ws, server.url, { ...SLOW_ENV, OPSGATE_SETTLE_FENCE_MS: "3000" });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(server.sim.snapshot()).toEqual(before);
  });
});

describe("apply-batch: bounded requests", () => {
  it("a 413 from a proxy: nothing created, a hint to lower the chunk size; smaller chunks then apply", async () => {
    const { ws, server, before } = await prepared(interfacesWithIps(3), { maxBodyBytes: 450 });
    const result = await apply(ws, server.url, [], SLOW_ENV);
    expect(result.code, result.stderr).toBe(3);
    expect(summaryOf(result)).toMatch(/created=0 requests=1$/);
    expect(reportOf(result).failure?.message).toMatch(/413.*too large; lower OPSGATE_APPLY_CHUNK_SIZE \(now 3 objects per request\)/);
    expect(result.stderr).toContain("NetBox created nothing in this run");
    expect(server.sim.snapshot()).toEqual(before);
    const env = { ...SLOW_ENV, OPSGATE_APPLY_CHUNK_SIZE: "1" };
    expect((await dryRun(ws, server.url, env)).code).toBe(0);
    const from = server.log.length;
    const applied = await apply(ws, server.url, [], env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(writesOf(server, from).map((w) => (w.body as unknown[]).length)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("the tuning is range-checked before anything is sent (exit 2)", async () => {
    const ws = writeBatchWorkspace(interfacesWithIps(1));
    const result = await apply(ws, "http://127.0.0.1:9", [], { OPSGATE_APPLY_CONCURRENCY: "99" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("OPSGATE_APPLY_CONCURRENCY must be a whole number from 1 to 16");
  });

  it("a 5xx on one of three concurrent chunks: the others are settled and everything is rolled back", async () => {
    const { ws, server, before } = await prepared(sixInterfaces(), { cost: { writeObjectMs: 50, workers: 3 } });
    server.faults = { failWrite: { n: 2, status: 503 } };
    const result = await apply(ws, server.url, [], { ...SLOW_ENV, OPSGATE_APPLY_CHUNK_SIZE: "2" });
    expect(result.code, result.stderr).toBe(3);
    expect(reportOf(result).requests.filter((r) => r.method === "POST")).toHaveLength(3);
    expect(server.sim.snapshot()).toEqual(before);
    // The rollback's bulk DELETEs are bounded too.
    const deletes = writesOf(server).filter((w) => w.method === "DELETE");
    expect(deletes.length).toBeGreaterThan(0);
    for (const d of deletes) expect((d.body as unknown[]).length).toBeLessThanOrEqual(2);
  });
});

describe("apply-batch: messages and outputs", () => {
  for (const indexed of [false, true]) {
    it(`a 400 in a bulk request names the refused items (${indexed ? "NetBox 4.7's {detail, errors: [{index}]}" : "a list per item"})`, async () => {
      const items = interfacesWithIps(2);
      // A VRF NetBox does not have: no plan check can know it (values_valid refuses bad values earlier).
      items[3]!.lookup.vrf_id = items[3]!.staged_payload.vrf = 999;
      const { ws, server, before } = await prepared(items, { indexedBulkErrors: indexed });
      const result = await apply(ws, server.url, [], SLOW_ENV);
      expect(result.code, result.stderr).toBe(3);
      expect(reportOf(result).failure?.message).toContain(`NetBox refused 1 item(s): ${items[3]!.item_id} {"vrf":["Related object not found using the provided numeric ID: 999"]}`);
      expect(server.sim.snapshot()).toEqual(before);
    });
  }

  it("--report on a folder is refused before anything is sent (exit 2); approvals stay where they are", async () => {
    const { ws, server } = await prepared(interfacesWithIps(1));
    const result = await apply(ws, server.url, ["--report", ws.approvalsDir], SLOW_ENV);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/cannot write the file: it is a folder; nothing was sent to NetBox/);
    expect(summaryOf(result)).toMatch(/^BATCH_APPLY_REFUSED mode=real .* created=0 requests=0$/);
    expect(writesOf(server)).toEqual([]);
    expect(existsSync(join(ws.approvalsDir, "approved", "approval-0007.json"))).toBe(true);
  });

  it("after NetBox was written, a report file that cannot be written is a warning: the outcome and exit code stand", async () => {
    const { ws, server } = await prepared(interfacesWithIps(1));
    mkdirSync(join(ws.resultsDir, BATCH_ID, "apply-run-1.json"), { recursive: true }); // in the way
    const result = await apply(ws, server.url, [], SLOW_ENV);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: the report was not written to .*apply-run-1\.json: cannot write the file/);
    expect(summaryOf(result)).toMatch(/^BATCH_APPLY_APPLIED mode=real .* created=2 /);
    expect(JSON.parse(result.stdout)).toMatchObject({ outcome: "applied" });
  });

  it("a --simulate dry-run keeps to simulate/: the real dry-run record still vouches for the real write", async () => {
    const { ws, server } = await prepared(interfacesWithIps(1));
    const statePath = join(ws.root, "state.json");
    writeFileSync(statePath, JSON.stringify(server.sim.snapshot()));
    const sim = await cli([...baseArgs(ws, undefined), "--simulate", "--netbox-state", statePath]);
    expect(sim.code, sim.stderr).toBe(0);
    const simDir = join(ws.resultsDir, BATCH_ID, "simulate");
    const [record] = readdirSync(simDir).filter((n) => n.startsWith("dry-run-"));
    expect(readFileSync(join(simDir, record!), "utf8")).toBe(sim.stdout);
    const applied = await apply(ws, server.url, [], SLOW_ENV);
    expect(applied.code, applied.stderr).toBe(0);
  });
});
