import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.js";
import { startNetBoxServer, type NetBoxTestServer, type ServerOptions } from "../helpers/netbox-server.js";
import { deviceState } from "../helpers/netbox-fixtures.js";
import { BATCH_ID, DEVICE, interfaceItem, ipItem, type PlanItem, type Workspace } from "../helpers/batch-workspace.js";

/** Shared by the real-write e2e tests: a server, the CLI's three modes, and the leak check. */
export const TOKEN = "nbt_REALWRITE.Qx7sentinelTOKENvalue4242zz";
export const GENERATED_AT = "2026-05-01T10:00:00+08:00";
export const REAL_FLAGS = ["--confirm-real-write-batch", "--enable-real-post-implementation"];

export const SITE_STATE = () => deviceState({ "dcim.site": [{ id: 21, name: "KTG", slug: "ktg" }] });

export async function serve(options: ServerOptions = {}): Promise<NetBoxTestServer> {
  return startNetBoxServer({ writeTokens: [TOKEN], ...options, state: options.state ?? SITE_STATE() });
}

/** Interfaces with their IPs, a VLAN and a prefix on it: two levels, four bulk POSTs. */
export function richItems(): PlanItem[] {
  const a = interfaceItem("xe-0/0/1");
  const b = interfaceItem("xe-0/0/2");
  const vlan: PlanItem = {
    item_id: "vlan-310",
    object_type: "ipam.vlan",
    action: "create",
    approval_id: "approval-0008",
    depends_on: [],
    lookup: { vid: 310, site_id: 21 },
    staged_payload: { vid: 310, name: "KTG-MGMT-310", site: 21, status: "active" },
  };
  const prefix: PlanItem = {
    item_id: "pfx-10-31-40-0-24",
    object_type: "ipam.prefix",
    action: "create",
    approval_id: "approval-0008",
    depends_on: ["vlan-310"],
    lookup: { prefix: "10.31.40.0/24", vrf_id: null },
    staged_payload: { prefix: "10.31.40.0/24", status: "active", vlan: { $ref: "vlan-310" } },
  };
  return [a, b, vlan, prefix, ipItem("10.0.0.1/31", a.item_id), ipItem("10.0.0.3/31", b.item_id)];
}

export function baseArgs(ws: Workspace, url: string | undefined): string[] {
  const args = ["apply-batch", "--batch-plan", ws.planPath, "--confirm-batch-id", BATCH_ID, "--operator", "ops.maria", "--generated-at", GENERATED_AT];
  return url ? [...args, "--netbox-url", url] : args;
}

export function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  // A short settle fence: the test server's requests are over in well under it.
  return runCli(args, { env: { NETBOX_WRITE_TOKEN: TOKEN, OPSGATE_NETBOX_RETRIES: "0", OPSGATE_SETTLE_FENCE_MS: "400", ...env } });
}

export const dryRun = (ws: Workspace, url: string, env: Record<string, string> = {}) => cli(baseArgs(ws, url), env);
export const apply = (ws: Workspace, url: string, extra: string[] = [], env: Record<string, string> = {}) => cli([...baseArgs(ws, url), ...REAL_FLAGS, ...extra], env);
export const recover = (ws: Workspace, url: string, env: Record<string, string> = {}) => cli([...baseArgs(ws, url), ...REAL_FLAGS, "--recover"], env);

export function writesOf(nb: NetBoxTestServer, from = 0) {
  return nb.log.slice(from).filter((r) => r.method !== "GET");
}

export interface RunReportView {
  outcome: string;
  mode: string;
  run_id: string | null;
  gates: { gate_id: string; status: string; message: string }[];
  created: { item_id: string; object_type: string; netbox_id: number; url: string }[];
  left_in_netbox: { item_id: string; object_type: string; netbox_id: number | null; url: string | null; why: string }[];
  verification: { status: string; mismatches: { item_id: string; field: string }[] };
  failure: { seq: number | null; status: number | null; message: string; body: unknown } | null;
  requests: { method: string; phase: string; result: string; status: number | null }[];
  approvals: { approval_id: string; status: string }[];
}

export const reportOf = (result: CliResult): RunReportView => JSON.parse(result.stdout) as RunReportView;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The token's secret part appears in no stream and no file the runs wrote. */
export function expectNoToken(ws: Workspace, ...results: CliResult[]): void {
  const needle = "Qx7sentinelTOKENvalue4242";
  for (const result of results) expect(result.stdout + result.stderr).not.toContain(needle);
  const files = filesUnder(ws.root);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) expect(readFileSync(file, "utf8"), file).not.toContain(needle);
}

export function ledgerLines(ws: Workspace): { kind: string; [key: string]: unknown }[] {
  const path = join(ws.resultsDir, BATCH_ID, "ledger.jsonl");
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { kind: string });
}

export { BATCH_ID, DEVICE };
