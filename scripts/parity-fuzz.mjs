// Developer tool: compares build-readback-plan with the Python seed on random tricky sources.
// Usage: node scripts/parity-fuzz.mjs [cases=200] [seed=1]
// Needs python3 and the Python seed (default ../shared/seeds/monitoring_post_incident_readback_plan.py,
// or OPSGATE_PARITY_SEED=/path/to/seed.py); exits 1 when either is missing or any case differs.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SEED = process.env.OPSGATE_PARITY_SEED || fileURLToPath(new URL("../../shared/seeds/monitoring_post_incident_readback_plan.py", import.meta.url));
if (!existsSync(SEED)) {
  console.error(`parity-fuzz: needs the Python seed to compare with, and it is not at ${SEED}`);
  console.error("hint: set OPSGATE_PARITY_SEED=/path/to/monitoring_post_incident_readback_plan.py");
  process.exit(1);
}
if (spawnSync("python3", ["--version"]).status !== 0) {
  console.error("parity-fuzz: needs python3 on PATH to run the seed");
  process.exit(1);
}
const BIN = fileURLToPath(new URL("../bin/opsgate.js", import.meta.url));
const cases = Number(process.argv[2] ?? 200);
let state = Number(process.argv[3] ?? 1);
const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(rand() * list.length)];

const NUMBERS = ["0", "-0", "1", "-1", "1.0", "-0.0", "0.1", "1e16", "1e15", "1E400", "-1e400", "1e-05", "0.0001", "2.5e-7", "123456789012345678901234567890",
  "9007199254740993", "1.7976931348623157e308", "5e-324", "100.0", "1e+2", "3.14159265358979323846", "NaN", "Infinity", "-Infinity", "12.50", "1e22", "1e21", "0.000123"];
const PIECES = ["a", "é", "🚀", "監", "\\n", "\\t", "\\u0000", "\\u001f", "\\u007f", "\\\"", "\\\\", "'", "\\u2028", "\\ud83d\\ude00", "\u00a0", "\u200b", "\\/", " ", "\u0378", "\ue000", "\uffff", "𝔘", "\\u00ad", "\u0085"];
const str = () => `"${Array.from({ length: Math.floor(rand() * 6) }, () => pick(PIECES)).join("")}"`;
function value(depth = 0) {
  const r = rand();
  if (depth > 2 || r < 0.35) return str();
  if (r < 0.6) return pick(NUMBERS);
  if (r < 0.7) return pick(["true", "false", "null"]);
  if (r < 0.85) return `[${Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1)).join(", ")}]`;
  return `{${Array.from({ length: Math.floor(rand() * 4) }, () => `${str()}: ${value(depth + 1)}`).join(", ")}}`;
}
const FIELDS = ["acceptance_candidate_id", "request_id", "surface_id", "label", "expected_scope", "config_kind", "observability_scope", "control_tier", "repo_source_path", "repo_sha256", "source_line_count"];
const KINDS = ['"prometheus_alert_rules"', '"host_deploy_script"', '"x"', "1", "null"];
function candidate() {
  const members = FIELDS.map((f) => `"${f}": ${f === "config_kind" ? pick(KINDS) : value()}`);
  members.push(`"write_capable_surface": ${pick(["true", "false"])}`, `"requires_live_evidence": ${pick(["true", "false"])}`);
  if (rand() < 0.3) members.push(`"extra": ${value()}`);
  return `{${members.join(", ")}}`;
}
function source() {
  const summaryKeys = ["acceptance_candidate_count", "runtime_gate_count", "blocked_action_count", "unrelated"];
  const summary = rand() < 0.2 ? "" : `"summary": {${summaryKeys.filter(() => rand() < 0.6).map((k) => `"${k}": ${value()}`).join(", ")}}, `;
  const n = Math.floor(rand() * 5);
  return `{${summary}"schema_version": ${value()}, "status": ${value()}, "acceptance_candidates": [${Array.from({ length: n }, candidate).join(",\n")}]}`;
}

const dir = mkdtempSync(join(tmpdir(), "opsgate-fuzz-"));
let same = 0;
let bothFailed = 0;
let different = 0;
for (let i = 0; i < cases; i++) {
  const text = source();
  writeFileSync(join(dir, "source.json"), text);
  const args = ["--source-report", "source.json", "--generated-at", "2026-05-01T10:00:00+08:00"];
  const py = spawnSync("python3", [SEED, ...args], { cwd: dir, encoding: "buffer", env: { ...process.env, PYTHONIOENCODING: "utf-8" } });
  const js = spawnSync(process.execPath, [BIN, "build-readback-plan", ...args, "--git-commit", "unknown"], { cwd: dir, encoding: "buffer" });
  if (py.status !== 0) {
    if (js.status === 2) bothFailed++;
    else console.log(`case ${i}: seed failed, opsgate exit ${js.status}\n${text}\n${py.stderr.toString().split("\n").slice(-2).join(" ")}`);
    continue;
  }
  if (Buffer.compare(py.stdout, js.stdout) === 0 && Buffer.compare(py.stderr, js.stderr) === 0) same++;
  else {
    different++;
    writeFileSync(join(dir, `case-${i}.json`), text);
    console.log(`case ${i}: DIFFERENT (exit ${js.status}) saved as ${join(dir, `case-${i}.json`)}`);
    console.log(execFileSync("bash", ["--norc", "--noprofile", "-c", `diff <(printf '%s' "$A") <(printf '%s' "$B") | head -8`], { env: { A: py.stdout.toString(), B: js.stdout.toString() + js.stderr.toString() } }).toString());
  }
}
console.log(`${same} identical, ${bothFailed} rejected by both, of ${cases}`);
if (different === 0) rmSync(dir, { recursive: true, force: true });
process.exitCode = different === 0 ? 0 : 1;
