// npm run bench: opsgate against the Python seed (when python3 and ../shared/seeds are present),
// measured in the same run and reported as ratios. Nothing here is asserted by the tests.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/opsgate.js", import.meta.url));
const SEED = fileURLToPath(new URL("../../shared/seeds/monitoring_post_incident_readback_plan.py", import.meta.url));
// The real interpreter, not a version-manager shim in front of it (a shim would flatter opsgate).
const PYTHON = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout?.trim() || "";
const hasPython = PYTHON !== "";
const hasSeed = hasPython && existsSync(SEED);
// NODE_EXTRA_CA_CERTS (set machine-wide on some hosts) makes every Node start-up parse a CA bundle
// (~60 ms here) although these runs open no TLS connection; it is dropped so the start-up figures
// measure opsgate, and the bench says so.
const droppedCaCerts = process.env.NODE_EXTRA_CA_CERTS !== undefined;
delete process.env.NODE_EXTRA_CA_CERTS;
const only = process.argv[2]; // optional: "readback", "startup", "validate", "apply"

/** Wall time (s) and peak RSS (MiB) of one run, measured by a tiny python wrapper (wait4 rusage). */
const MEASURE = `
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
w = time.perf_counter() - t
print(r.returncode, w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
`;
function measure(cmd, cwd) {
  if (hasPython) {
    const out = spawnSync(PYTHON, ["-c", MEASURE, ...cmd], { cwd, encoding: "utf8" });
    const [code, wall, rss] = out.stdout.trim().split(" ").map(Number);
    if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code}`);
    return { wall, rss };
  }
  const start = process.hrtime.bigint();
  const out = spawnSync(cmd[0], cmd.slice(1), { cwd, stdio: "ignore" });
  if (out.status !== 0) throw new Error(`${cmd.join(" ")} exited ${out.status}`);
  return { wall: Number(process.hrtime.bigint() - start) / 1e9, rss: NaN };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function repeat(n, cmd, cwd) {
  const runs = Array.from({ length: n }, () => measure(cmd, cwd));
  return { wall: median(runs.map((r) => r.wall)), rss: Math.max(...runs.map((r) => r.rss)) };
}

const KINDS = ["prometheus_alert_rules", "grafana_alert_rules", "host_deploy_script", "alertmanager_route", "otel_collector_config"];
function writeSource(path, n) {
  const parts = [];
  for (let i = 0; i < n; i++) {
    parts.push(JSON.stringify({
      acceptance_candidate_id: `monitoring_owner_response_acceptance:surface-${i}`,
      request_id: `monitoring_owner_request:surface-${i}`,
      surface_id: `surface-${i}`,
      label: `監控告警規則 ${i} 🚀`,
      expected_scope: "repo_metadata_only",
      config_kind: KINDS[i % KINDS.length],
      observability_scope: "alerting",
      control_tier: "tier_1_config",
      repo_source_path: `infra/monitoring/rules/${i}.yaml`,
      repo_sha256: (i * 2654435761).toString(16).padStart(64, "0"),
      source_line_count: 100 + (i % 900),
      write_capable_surface: i % 3 === 0,
      requires_live_evidence: i % 2 === 0,
    }));
  }
  writeFileSync(path, `{"schema_version": "monitoring_owner_response_acceptance_v1", "status": "ready", "summary": {"acceptance_candidate_count": ${n}}, "acceptance_candidates": [\n${parts.join(",\n")}\n]}\n`);
}

const fmt = (x, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : "n/a");
function readbackBench() {
  const dir = mkdtempSync(join(tmpdir(), "opsgate-bench-"));
  const rows = [];
  for (const [n, runs, seedToo] of [[12, 9, true], [10_000, 3, true], [100_000, 1, false]]) {
    writeSource(join(dir, `source-${n}.json`), n);
    const args = ["--root", dir, "--source-report", `source-${n}.json`, "--generated-at", "2026-05-01T10:00:00+08:00"];
    const ours = repeat(runs, [process.execPath, BIN, "build-readback-plan", ...args, "--output", join(dir, `ours-${n}.json`)], dir);
    const seed = hasSeed && seedToo ? repeat(runs, [PYTHON, SEED, ...args, "--output", join(dir, `seed-${n}.json`)], dir) : undefined;
    rows.push({ n, ours, seed });
  }
  rmSync(dir, { recursive: true, force: true });
  console.log("\nbuild-readback-plan (median wall of repeated runs; peak RSS)");
  console.log("| candidates | opsgate wall s | seed wall s | wall ratio | opsgate peak MiB | seed peak MiB | memory ratio |");
  console.log("|---:|---:|---:|---:|---:|---:|---:|");
  for (const { n, ours, seed } of rows) {
    console.log(`| ${n} | ${fmt(ours.wall)} | ${fmt(seed?.wall ?? NaN)} | ${seed ? fmt(ours.wall / seed.wall, 2) + "×" : "n/a"} | ${fmt(ours.rss, 0)} | ${fmt(seed?.rss ?? NaN, 0)} | ${seed ? fmt(ours.rss / seed.rss, 2) + "×" : "n/a"} |`);
  }
  console.log("targets: ≤0.8× wall at 12; ≤0.35× wall and ≤0.25× memory at 10,000; <256 MiB at 100,000 (seed not run there).");
}

function startupBench() {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const help = repeat(15, [process.execPath, BIN, "--help"], root).wall;
  const validate = repeat(15, [process.execPath, BIN, "validate-batch-plan", "--plan", "fixtures/batch/good/plan.json", "--expected-device-id", "1890",
    "--expected-device", "4WNET-MNS-KTG-RX", "--approvals-dir", "fixtures/batch/good/approvals"], root).wall;
  const bare = repeat(15, [process.execPath, "-e", "0"], root).wall;
  console.log("\nstart-up (median of 15 runs; target < 120 ms)");
  console.log(`opsgate --help: ${fmt(help * 1000, 0)} ms; small validate-batch-plan (8 items, with approvals): ${fmt(validate * 1000, 0)} ms; bare \`node -e 0\` on this machine: ${fmt(bare * 1000, 0)} ms`);
}

console.log(`opsgate bench, ${new Date().toISOString().slice(0, 10)}, node ${process.version}${hasSeed ? "" : " (seed not found: opsgate only)"}`);
if (droppedCaCerts) console.log("(NODE_EXTRA_CA_CERTS was set: unset for these runs, see scripts/bench.mjs)");
if (!only || only === "readback") readbackBench();
if (!only || only === "startup") startupBench();
for (const [name, script] of [["validate", "bench-validate.mjs"], ["apply", "bench-apply.mjs"], ["approvals", "bench-approvals.mjs"]]) {
  const path = fileURLToPath(new URL(script, import.meta.url));
  if ((!only || only === name) && existsSync(path)) spawnSync(process.execPath, [path], { stdio: "inherit" });
}
