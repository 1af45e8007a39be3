import { afterEach, describe, expect, it } from "vitest";
import { summaryOf } from "../helpers/cli.js";
import type { Faults, NetBoxTestServer } from "../helpers/netbox-server.js";
import { interfacesWithIps, writeBatchWorkspace, type PlanItem } from "../helpers/batch-workspace.js";
import { apply, BATCH_ID, dryRun, expectNoToken, ledgerLines, recover, reportOf, serve, writesOf } from "./real-kit.js";

let nb: NetBoxTestServer | undefined;
afterEach(async () => {
  await nb?.close();
  nb = undefined;
});

/**
 * A dry-run, then the real write with `faults` set relative to the write's own requests (its
 * gates send 4 GETs: status (authentication, reused by the preflight), device and one look-up per
 * object type; then POST interfaces = 5th, POST ip-addresses = 6th).
 */
async function faultyApply(items: PlanItem[], faults: (base: number) => Faults, env: Record<string, string> = {}) {
  nb = await serve();
  const ws = writeBatchWorkspace(items);
  const before = nb.sim.snapshot();
  expect((await dryRun(ws, nb.url)).code).toBe(0);
  const base = nb.log.length;
  nb.faults = faults(base);
  const result = await apply(ws, nb.url, [], env);
  return { ws, before, result, base, server: nb };
}

describe("apply-batch real write: faults after the first write end rolled back, NetBox as before", () => {
  it("5xx on the second write", async () => {
    const { ws, before, result, server } = await faultyApply(interfacesWithIps(3), () => ({ failWrite: { n: 2, status: 503 } }));
    expect(result.code, result.stderr).toBe(3);
    expect(summaryOf(result)).toBe(`BATCH_APPLY_ROLLED_BACK mode=real batch_id=${BATCH_ID} items=6 created=3 requests=3`);
    expect(server.sim.snapshot()).toEqual(before);
    const report = reportOf(result);
    expect(report.requests.map((r) => [r.method, r.phase, r.result])).toEqual([
      ["POST", "write", "ok"],
      ["POST", "write", "unknown"],
      ["DELETE", "rollback", "ok"],
    ]);
    expect(report.left_in_netbox).toEqual([]);
    expect(ledgerLines(ws).at(-1)).toMatchObject({ kind: "run_end", outcome: "rolled_back" });
    // A 503 carries X-Request-ID: the outcome is settled exactly by created_by_request.
    expect(ledgerLines(ws).find((l) => l.kind === "resolution")).toMatchObject({ created: [] });
  });

  it("a dropped connection after NetBox committed the write: settled by natural key, then rolled back", async () => {
    const { ws, before, result, server } = await faultyApply(interfacesWithIps(2), (base) => ({ commitThenDrop: base + 6 }));
    expect(result.code, result.stderr).toBe(3);
    expect(server.sim.snapshot()).toEqual(before);
    const resolution = ledgerLines(ws).find((l) => l.kind === "resolution") as unknown as { method: string; created: unknown[] };
    // No answer: settled after the fence by two natural-key passes and the change log.
    expect(resolution.method).toBe("fence+natural_key×2+changelog");
    expect(resolution.created).toHaveLength(2);
    expect(summaryOf(result)).toMatch(/created=4 /);
  });

  it("a hung write (timeout) after commit: settled by look-up, then rolled back", async () => {
    const { ws, before, result, server } = await faultyApply(interfacesWithIps(2), (base) => ({ commitThenHang: base + 5 }), { OPSGATE_NETBOX_TIMEOUT_MS: "800" });
    expect(result.code, result.stderr).toBe(3);
    expect(reportOf(result).failure?.message).toMatch(/did not answer within 800 ms/);
    expect(server.sim.snapshot()).toEqual(before);
    expect(ledgerLines(ws).find((l) => l.kind === "resolution")).toMatchObject({ method: "fence+natural_key×2+changelog" });
  });

  it("a 400 in a bulk request: nothing of that request saved, the earlier level deleted", async () => {
    const items = interfacesWithIps(2);
    // A VRF NetBox does not have: no plan check can know it (values_valid refuses bad values earlier).
    items[3]!.lookup.vrf_id = items[3]!.staged_payload.vrf = 999;
    const { ws, before, result, server } = await faultyApply(items, () => ({}));
    expect(result.code, result.stderr).toBe(3);
    const report = reportOf(result);
    expect(report.failure).toMatchObject({ seq: 2, status: 400, body: [{}, { vrf: ["Related object not found using the provided numeric ID: 999"] }] });
    expect(server.sim.snapshot()).toEqual(before);
    expect(ledgerLines(ws).some((l) => l.kind === "resolution")).toBe(false);
    expect(result.stderr).toContain("numeric ID: 999");
  });

  it("a staged field NetBox does not know (a typo) fails the read-back and is rolled back", async () => {
    const items = interfacesWithIps(1);
    items[0]!.staged_payload.descriptoin = "typo";
    const { before, result, server } = await faultyApply(items, () => ({}));
    expect(result.code, result.stderr).toBe(3);
    const report = reportOf(result);
    expect(report.verification.status).toBe("failed");
    expect(report.verification.mismatches.map((m) => [m.item_id, m.field])).toEqual([["if-xe-0-0-0", "descriptoin"]]);
    expect(server.sim.snapshot()).toEqual(before);
  });

  it("a token echoed in an error body never reaches any output or file", async () => {
    const { ws, before, result, server } = await faultyApply(interfacesWithIps(2), () => ({ failWrite: { n: 2, status: 400 }, echoTokenInErrors: true }));
    expect(result.code).toBe(3);
    expect(server.sim.snapshot()).toEqual(before);
    expect(JSON.stringify(reportOf(result).failure?.body)).toContain("[REDACTED]");
    expectNoToken(ws, result);
  });
});

describe("apply-batch real write: a rollback that cannot finish", () => {
  it("is rollback_incomplete (exit 4) listing every object left, blocks the batch, and --recover clears it", async () => {
    const { ws, before, result, server, base } = await faultyApply(interfacesWithIps(2), () => ({ failWritesFrom: { n: 2, status: 500 } }));
    expect(result.code, result.stderr).toBe(4);
    expect(summaryOf(result)).toMatch(/^BATCH_APPLY_ROLLBACK_INCOMPLETE mode=real .* created=2 requests=\d+ left=2$/);
    const left = reportOf(result).left_in_netbox;
    expect(left.map((l) => [l.item_id, l.object_type])).toEqual([
      ["if-xe-0-0-0", "dcim.interface"],
      ["if-xe-0-0-1", "dcim.interface"],
    ]);
    for (const l of left) expect(l.url).toBe(`${server.url}/api/dcim/interfaces/${l.netbox_id}/`);
    expect(result.stderr).toContain("LEFT IN NETBOX");
    expect(writesOf(server, base).filter((w) => w.method === "DELETE").length).toBeGreaterThanOrEqual(3);

    const dry = await dryRun(ws, server.url);
    expect(dry.code).toBe(1);
    expect(summaryOf(dry)).toMatch(/^BATCH_APPLY_REFUSED mode=dry_run/);
    server.faults = {};
    const recovered = await recover(ws, server.url);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(summaryOf(recovered)).toMatch(/^BATCH_APPLY_ROLLED_BACK mode=recover /);
    expect(server.sim.snapshot()).toEqual(before);
    expect(ledgerLines(ws).at(-1)).toMatchObject({ kind: "run_end", run_id: "recover-2", outcome: "recovered" });
    expectNoToken(ws, result, recovered);
  });
});
