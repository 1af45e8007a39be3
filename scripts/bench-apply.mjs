// apply-batch bench (SPEC §6, issue 14): 1,000 items (500 interfaces + their 500 IP addresses), two
// models of NetBox, each measured against a naive client in the same run:
//
// 1. NETBOX COST MODEL (the figure that matters): the test server charges what a real NetBox 4.5
//    costs — ~55 ms per request, ~35 ms per object written (inside the transaction), a per-object
//    serialization cost on reads — each request holding one of 3 workers for its whole cost, first
//    come first served. opsgate (dry-run, then the real write) against one GET + one POST per
//    object, and against the floor: the server's total work for opsgate's requests / its workers.
// 2. LATENCY MODEL (20 ms per request, no server work, unlimited workers): the older figures.
//
// Environment: BENCH_PAIRS (500), BENCH_MODEL (both | netbox | latency), BENCH_RUNS (opsgate runs
// per model, median; 1), BENCH_READ_OBJECT_MS (10), BENCH_LATENCY_MS (20), BENCH_NAIVE=0 (skip the
// naive client, e.g. to compare tunings), and any OPSGATE_* tuning (passed to opsgate).
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const PAIRS = Number(process.env.BENCH_PAIRS ?? 500);
const MODEL = process.env.BENCH_MODEL ?? "both";
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const COST = { requestMs: 55, writeObjectMs: 35, readObjectMs: Number(process.env.BENCH_READ_OBJECT_MS ?? 10), workers: 3 };

const kitFile = join(mkdtempSync(join(tmpdir(), "opsgate-bench-")), "bench-kit.mjs");
await build({ entryPoints: [join(root, "test/helpers/bench-kit.ts")], outfile: kitFile, bundle: true, format: "esm", platform: "node", target: "node20", logLevel: "warning" });
const kit = await import(pathToFileURL(kitFile).href);
const items = kit.interfacesWithIps(PAIRS);
const headers = { Authorization: `Bearer ${kit.TEST_WRITE_TOKEN}`, Accept: "application/json" };
const passEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("OPSGATE_")));

function opsgate(ws, url, extra = []) {
  return new Promise((resolve, reject) => {
    const args = [join(root, "bin/opsgate.js"), "apply-batch", "--batch-plan", ws.planPath, "--confirm-batch-id", kit.BATCH_ID, "--operator", "bench.operator", "--netbox-url", url, ...extra];
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", NETBOX_WRITE_TOKEN: kit.TEST_WRITE_TOKEN, ...passEnv },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

async function timed(label, fn) {
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  if (result && result.code !== undefined && result.code !== 0) {
    console.error(result.stderr);
    throw new Error(`${label} exited ${result.code}`);
  }
  return ms;
}

/** One GET (natural-key look-up) then one POST per item, one after another, as pynetbox would. */
async function naiveWriter(url) {
  const ids = new Map();
  for (const item of items) {
    const path = item.object_type === "dcim.interface" ? "dcim/interfaces" : "ipam/ip-addresses";
    const query = new URLSearchParams(Object.entries(item.lookup).map(([k, v]) => [k, v === null ? "null" : String(v)]));
    await (await fetch(`${url}/api/${path}/?${query}`, { headers })).json();
    const body = JSON.parse(JSON.stringify(item.staged_payload), (_k, v) => (v && typeof v === "object" && "$ref" in v ? ids.get(v.$ref) : v));
    const response = await fetch(`${url}/api/${path}/`, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const created = await response.json();
    if (response.status !== 201) throw new Error(`naive POST answered ${response.status}: ${JSON.stringify(created)}`);
    ids.set(item.item_id, created.id);
  }
}

/** opsgate's dry-run then real write on a fresh server, `RUNS` times; medians and the server's work. */
async function measureOpsgate(serverOptions) {
  const samples = [];
  for (let run = 0; run < RUNS; run++) {
    const server = await kit.startNetBoxServer({ state: kit.deviceState(), ...serverOptions });
    const ws = kit.writeBatchWorkspace(items);
    const dryMs = await timed("the dry-run", () => opsgate(ws, server.url));
    const dryWork = server.workers?.busyMs ?? 0;
    const dryRequests = server.log.length;
    const realMs = await timed("the real write", () => opsgate(ws, server.url, ["--confirm-real-write-batch", "--enable-real-post-implementation"]));
    samples.push({
      dryMs,
      realMs,
      dryWork,
      realWork: (server.workers?.busyMs ?? 0) - dryWork,
      dryRequests,
      realRequests: server.log.length - dryRequests,
      realWrites: server.log.slice(dryRequests).filter((r) => r.method !== "GET").length,
    });
    await server.close();
  }
  const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  return Object.fromEntries(Object.keys(samples[0]).map((k) => [k, median(k)]));
}

async function measureNaive(serverOptions) {
  if (process.env.BENCH_NAIVE === "0") return { ms: Number.NaN, requests: 0, work: Number.NaN };
  const server = await kit.startNetBoxServer({ state: kit.deviceState(), ...serverOptions });
  const ms = await timed("the naive writer", () => naiveWriter(server.url));
  const result = { ms, requests: server.log.length, work: server.workers?.busyMs ?? 0 };
  await server.close();
  return result;
}

function table(title, rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(title);
  for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  "));
}
const s = (ms) => (ms / 1000).toFixed(1);
const x = (a, b) => `${(a / b).toFixed(2)}x`;
const tuning = Object.keys(passEnv).length ? ` (${Object.entries(passEnv).map(([k, v]) => `${k}=${v}`).join(" ")})` : "";

if (MODEL === "both" || MODEL === "netbox") {
  const options = { cost: COST };
  const ops = await measureOpsgate(options);
  const naive = await measureNaive(options);
  const floorReal = ops.realWork / COST.workers;
  const floorBoth = (ops.dryWork + ops.realWork) / COST.workers;
  table(
    `\napply-batch on the NETBOX COST MODEL: ${items.length} items; ${COST.requestMs} ms per request, ${COST.writeObjectMs} ms per object written, ${COST.readObjectMs} ms per object read, ${COST.workers} workers${tuning}${RUNS > 1 ? `; opsgate median of ${RUNS}` : ""}`,
    [
      ["client", "requests", "wall s", "server work s", "floor s (work / workers)"],
      ["opsgate dry-run", String(ops.dryRequests), s(ops.dryMs), s(ops.dryWork), s(ops.dryWork / COST.workers)],
      [`opsgate real write (gates + ${ops.realWrites} bulk POSTs + read-back)`, String(ops.realRequests), s(ops.realMs), s(ops.realWork), s(floorReal)],
      ["opsgate dry-run + real write", String(ops.dryRequests + ops.realRequests), s(ops.dryMs + ops.realMs), s(ops.dryWork + ops.realWork), s(floorBoth)],
      ["naive: one GET + one POST per object", String(naive.requests), s(naive.ms), s(naive.work), s(naive.work / COST.workers)],
    ],
  );
  console.log(`real write: ${x(naive.ms, ops.realMs)} faster than naive (goal >= 8x), ${x(ops.realMs, floorReal)} its floor (goal <= 1.5x)`);
  console.log(`dry-run + real write: ${x(naive.ms, ops.dryMs + ops.realMs)} faster than naive, ${x(ops.dryMs + ops.realMs, floorBoth)} its floor`);
}

if (MODEL === "both" || MODEL === "latency") {
  const options = { faults: { latencyMs: LATENCY_MS } };
  const ops = await measureOpsgate(options);
  const naive = await measureNaive(options);
  table(`\napply-batch on the LATENCY MODEL (every request answered after ${LATENCY_MS} ms, no server work, no worker limit): ${items.length} items${tuning}`, [
    ["client", "requests", "wall s"],
    ["opsgate dry-run", String(ops.dryRequests), s(ops.dryMs)],
    [`opsgate real write (gates + ${ops.realWrites} bulk POSTs + read-back)`, String(ops.realRequests), s(ops.realMs)],
    ...(naive.requests > 0 ? [["naive: one GET + one POST per object", String(naive.requests), s(naive.ms)]] : []),
  ]);
  if (naive.requests > 0) console.log(`real write: ${x(naive.ms, ops.realMs)} faster than naive, ${(naive.requests / ops.realRequests).toFixed(0)}x fewer requests`);
}
