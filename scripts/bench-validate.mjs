// Times `opsgate validate-batch-plan` on a generated 10,000-item plan (5,000 interfaces and their
// IP addresses, bound to approval records) with the BUILT CLI. Target (SPEC §6): under 1.5 s.
// Usage: node scripts/bench-validate.mjs [--items N] [--runs N]   (run `npm run build` first)
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { measure } from "./bench-measure.mjs";

const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const ITEMS = arg("--items", 10_000);
const RUNS = arg("--runs", 5);
const LIMIT_MS = 1500;
const bin = fileURLToPath(new URL("../bin/opsgate.js", import.meta.url));

// Canonical JSON (RFC 8785) of the plain ints/ASCII strings used here = sorted-key JSON.stringify.
const canonical = (v) =>
  Array.isArray(v) ? `[${v.map(canonical).join(",")}]`
  : v && typeof v === "object" ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`
  : JSON.stringify(v);
const sha = (v) => createHash("sha256").update(canonical(v)).digest("hex");

function makePlan(count) {
  const items = [];
  for (let i = 0; i < count / 2; i++) {
    const name = `ge-${Math.floor(i / 48)}/0/${i % 48}`;
    const ifId = `if-${i}`;
    const address = `10.${(i >> 14) & 255}.${(i >> 6) & 255}.${(i & 63) * 4 + 1}/30`;
    items.push({ item_id: ifId, object_type: "dcim.interface", action: "create", approval_id: `approval-${Math.floor(i / 500)}`, depends_on: [],
      lookup: { device_id: 1890, name }, staged_payload: { device: 1890, name, type: "1000base-t", description: `bench port ${i}` } });
    items.push({ item_id: `ip-${i}`, object_type: "ipam.ipaddress", action: "create", approval_id: `approval-${Math.floor(i / 500)}`, depends_on: [ifId],
      lookup: { address, vrf_id: null }, staged_payload: { address, status: "active", assigned_object_type: "dcim.interface", assigned_object_id: { $ref: ifId } } });
  }
  return { schema_version: "batch_staged_apply_plan_v1", batch_id: "BATCH-BENCH-1890", created_at: "2026-05-01T10:00:00+08:00", created_by: "ops.maria",
    device: { id: 1890, name: "4WNET-MNS-KTG-RX" }, items };
}

function writeApprovals(dir, plan) {
  const groups = new Map();
  for (const item of plan.items) {
    if (!groups.has(item.approval_id)) groups.set(item.approval_id, []);
    groups.get(item.approval_id).push({ item_id: item.item_id, object_type: item.object_type, payload_sha256: sha(item.staged_payload) });
  }
  mkdirSync(join(dir, "approved"), { recursive: true });
  // These records are unsigned: tolerated as legacy so the bench keeps timing validation (bench-approvals.mjs times signatures).
  writeFileSync(join(dir, "policy.json"), JSON.stringify({ schema_version: "approval_policy_v1", risk_levels: {}, allow_unsigned_legacy: true }));
  for (const [id, items] of groups) {
    const subject = sha(items);
    const at = "2026-04-30T14:00:00+08:00";
    writeFileSync(join(dir, "approved", `${id}.json`), JSON.stringify({ schema_version: "approval_record_v1", approval_id: id, state: "approved",
      device: { id: 1890, name: "4WNET-MNS-KTG-RX" }, requested_by: "ops.maria", requested_at: at, risk_level: "low", summary: "bench", items, subject_sha256: subject,
      decision: { action: "approve", actor: "ana.approver", reason: "bench approval", at, expires_at: "2099-12-31T23:59:59+08:00", subject_sha256: subject },
      applied: null, state_history: [] }));
  }
}

function benchSize(items, runs) {
  const dir = mkdtempSync(join(tmpdir(), "opsgate-bench-validate-"));
  try {
    const plan = makePlan(items);
    writeFileSync(join(dir, "plan.json"), JSON.stringify(plan, null, 2));
    writeApprovals(join(dir, "approvals"), plan);
    const args = [bin, "validate-batch-plan", "--plan", join(dir, "plan.json"), "--expected-device-id", "1890", "--expected-device", "4WNET-MNS-KTG-RX",
      "--approvals-dir", join(dir, "approvals"), "--output", join(dir, "report.json"), "--generated-at", "2026-05-01T10:00:00+08:00"];
    const results = Array.from({ length: runs }, () => measure([process.execPath, ...args])).map((r) => ({ ms: r.wall * 1000, rss: r.rss }));
    const times = results.map((r) => r.ms).sort((a, b) => a - b);
    return { items, runs, median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1], rss: Math.max(...results.map((r) => r.rss)) };
  } finally {
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log(dir);
  }
}

const sizes = process.argv.includes("--items") ? [[ITEMS, RUNS]] : [[10_000, RUNS], [100_000, 1]];
const rows = sizes.map(([items, runs]) => benchSize(items, runs));
console.log("\nvalidate-batch-plan (plans of interfaces + their IP addresses, bound to approval records)");
console.log("| items | median ms | min–max ms | runs | peak MiB | ms per 1,000 items |");
console.log("|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(`| ${r.items} | ${r.median.toFixed(0)} | ${r.min.toFixed(0)}–${r.max.toFixed(0)} | ${r.runs} | ${Number.isFinite(r.rss) ? r.rss.toFixed(0) : "n/a"} | ${((r.median / r.items) * 1000).toFixed(0)} |`);
}
console.log(`targets: 10,000 items under ${LIMIT_MS} ms (SPEC §6: under 1 s); 100,000 under 300 MiB peak and linear time (same ms per 1,000 items).`);
