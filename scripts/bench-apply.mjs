// apply-batch bench (SPEC §6): 1,000 items (500 interfaces + their 500 IP addresses) against the
// NetBox test server answering every request after 20 ms: the dry-run against one GET per item, and
// the real write (gates, bulk POSTs, read-back) against one GET + one POST per item, each pair
// measured in the same run. Prints two small tables.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 500);

const kitFile = join(mkdtempSync(join(tmpdir(), "opsgate-bench-")), "bench-kit.mjs");
await build({
  entryPoints: [join(root, "test/helpers/bench-kit.ts")],
  outfile: kitFile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});
const kit = await import(pathToFileURL(kitFile).href);

const server = await kit.startNetBoxServer({ state: kit.deviceState(), faults: { latencyMs: LATENCY_MS } });
const items = kit.interfacesWithIps(PAIRS);
const ws = kit.writeBatchWorkspace(items);

function runDryRun(extra = []) {
  return new Promise((resolve, reject) => {
    const args = [join(root, "bin/opsgate.js"), "apply-batch", "--batch-plan", ws.planPath, "--confirm-batch-id", kit.BATCH_ID, "--operator", "bench.operator", "--netbox-url", server.url, ...extra];
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", NETBOX_WRITE_TOKEN: kit.TEST_WRITE_TOKEN },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

// Median of three runs (the first pays for cold caches); requests counted per run.
const times = [];
let dryRunRequests = 0;
for (let run = 0; run < 3; run++) {
  server.log.length = 0;
  const t0 = performance.now();
  const result = await runDryRun();
  times.push(performance.now() - t0);
  dryRunRequests = server.log.length;
  if (result.code !== 0) {
    console.error(result.stderr);
    throw new Error(`the dry-run exited ${result.code}`);
  }
}
const dryRunMs = times.sort((a, b) => a - b)[1];

// Naive baseline: one look-up GET per item, sequential (what a per-item client does).
server.log.length = 0;
const headers = { Authorization: `Bearer ${kit.TEST_WRITE_TOKEN}`, Accept: "application/json" };
const t1 = performance.now();
for (const item of items) {
  const rule = item.object_type === "dcim.interface" ? "dcim/interfaces" : "ipam/ip-addresses";
  const query = new URLSearchParams(Object.entries(item.lookup).map(([k, v]) => [k, v === null ? "null" : String(v)]));
  const response = await fetch(`${server.url}/api/${rule}/?${query}`, { headers });
  await response.json();
}
const naiveMs = performance.now() - t1;
const naiveRequests = server.log.length;

// The real write: the last dry-run is recorded as ready; the gates, two bulk POSTs, the read-back.
server.log.length = 0;
const t2 = performance.now();
const real = await runDryRun(["--confirm-real-write-batch", "--enable-real-post-implementation"]);
const realMs = performance.now() - t2;
const realRequests = server.log.length;
const realWrites = server.log.filter((r) => r.method !== "GET").length;
if (real.code !== 0) {
  console.error(real.stderr);
  throw new Error(`the real write exited ${real.code}`);
}
await server.close();

// Naive writer on a fresh NetBox: per item, one look-up GET then one POST (refs from earlier POSTs).
const naiveServer = await kit.startNetBoxServer({ state: kit.deviceState(), faults: { latencyMs: LATENCY_MS } });
const ids = new Map();
const t3 = performance.now();
for (const item of items) {
  const path = item.object_type === "dcim.interface" ? "dcim/interfaces" : "ipam/ip-addresses";
  const query = new URLSearchParams(Object.entries(item.lookup).map(([k, v]) => [k, v === null ? "null" : String(v)]));
  await (await fetch(`${naiveServer.url}/api/${path}/?${query}`, { headers })).json();
  const body = JSON.parse(JSON.stringify(item.staged_payload), (_k, v) => (v && typeof v === "object" && "$ref" in v ? ids.get(v.$ref) : v));
  const response = await fetch(`${naiveServer.url}/api/${path}/`, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const created = await response.json();
  if (response.status !== 201) throw new Error(`naive POST answered ${response.status}: ${JSON.stringify(created)}`);
  ids.set(item.item_id, created.id);
}
const naiveWriteMs = performance.now() - t3;
const naiveWriteRequests = naiveServer.log.length;
await naiveServer.close();

function table(title, rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(title);
  for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  "));
}
table(`apply-batch dry-run: ${items.length} items, ${LATENCY_MS} ms per request`, [
  ["client", "requests", "wall ms"],
  ["opsgate dry-run (batched, median of 3)", String(dryRunRequests), dryRunMs.toFixed(0)],
  ["naive: one GET per item", String(naiveRequests), naiveMs.toFixed(0)],
]);
console.log(`speed-up: ${(naiveMs / dryRunMs).toFixed(1)}x wall, ${(naiveRequests / dryRunRequests).toFixed(0)}x fewer requests\n`);
table(`apply-batch real write: ${items.length} items, ${LATENCY_MS} ms per request`, [
  ["client", "requests", "wall ms"],
  [`opsgate real write (gates + ${realWrites} bulk POSTs + read-back)`, String(realRequests), realMs.toFixed(0)],
  ["naive: one GET + one POST per item", String(naiveWriteRequests), naiveWriteMs.toFixed(0)],
]);
console.log(`speed-up: ${(naiveWriteMs / realMs).toFixed(1)}x wall, ${(naiveWriteRequests / realRequests).toFixed(0)}x fewer requests (target >= 20x)`);
