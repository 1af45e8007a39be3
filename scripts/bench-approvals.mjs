// Times verifying 1,000 signed approval records (`opsgate approvals list` verifies every signature
// of every record against allowed_signers) with the BUILT CLI, against a single record (start-up).
// Verification is in-process (node:crypto): the runs below have no ssh-keygen on PATH at all.
// With --scale, first `approvals list` over 10,000 and 100,000 unsigned legacy records: time and peak memory.
// Usage: node scripts/bench-approvals.mjs [--records N] [--runs N] [--scale]   (run `npm run build` first)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { measure } from "./bench-measure.mjs";

const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const RECORDS = arg("--records", 1000);
const RUNS = arg("--runs", 5);
const bin = fileURLToPath(new URL("../bin/opsgate.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "opsgate-bench-approvals-"));

// The test helper that signs in-process (byte-for-byte what ssh-keygen -Y sign writes).
const helper = join(dir, "signed-records.mjs");
await build({ entryPoints: [fileURLToPath(new URL("../test/helpers/signed-records.ts", import.meta.url))], bundle: true, platform: "node", format: "esm", outfile: helper, logLevel: "warning" });
const { buildSignedRecord, freshKey } = await import(pathToFileURL(helper).href);

function writeRoot(root, count) {
  const maria = freshKey("ops.maria");
  const ana = freshKey("ana.approver");
  mkdirSync(join(root, "approved"), { recursive: true });
  writeFileSync(join(root, "allowed_signers"), `${maria.line}\n${ana.line}\n`);
  const at = (min) => new Date(Math.floor((Date.now() - min * 60_000) / 1000) * 1000).toISOString().replace(".000Z", "+00:00");
  for (let i = 0; i < count; i++) {
    const id = `approval-${String(i).padStart(5, "0")}`;
    const items = [{ item_id: `if-${i}`, object_type: "dcim.interface", payload_sha256: "a".repeat(64) }];
    const record = buildSignedRecord({ approval_id: id, device: { id: 1890, name: "4WNET-MNS-KTG-RX" }, risk_level: "low", summary: "bench", items }, [
      { action: "create", key: maria, reason: "created", at: at(30) },
      { action: "submit", key: maria, reason: "ready", at: at(20) },
      { action: "approve", key: ana, reason: "bench approval, change window checked", at: at(10), expiresInDays: 14 },
    ]);
    writeFileSync(join(root, "approved", `${id}.json`), JSON.stringify(record));
  }
}

function median(root) {
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    // No PATH: a process per record (ssh-keygen) would fail here.
    const result = spawnSync(process.execPath, [bin, "approvals", "list", "--approvals-dir", root, "--output", join(dir, "queue.json")], { encoding: "utf8", env: { PATH: "" } });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) throw new Error(`approvals list exited ${result.status}: ${result.stderr}`);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1] };
}

/** Unsigned records, tolerated as legacy by the policy: `approvals list` at scale without the signature cost. */
function writeLegacyRoot(root, count) {
  mkdirSync(join(root, "approved"), { recursive: true });
  writeFileSync(join(root, "policy.json"), JSON.stringify({ schema_version: "approval_policy_v1", risk_levels: {}, allow_unsigned_legacy: true }));
  const at = "2026-04-30T14:00:00+08:00";
  for (let i = 0; i < count; i++) {
    const id = `approval-${String(i).padStart(6, "0")}`;
    const items = [{ item_id: `if-${i}`, object_type: "dcim.interface", payload_sha256: (i * 2654435761).toString(16).padStart(64, "0") }];
    // Canonical JSON of these items (ASCII, keys already in order) is JSON.stringify's.
    const subject = createHash("sha256").update(JSON.stringify(items)).digest("hex");
    writeFileSync(join(root, "approved", `${id}.json`), JSON.stringify({ schema_version: "approval_record_v1", approval_id: id, state: "approved",
      device: { id: 1890, name: "4WNET-MNS-KTG-RX" }, requested_by: "ops.maria", requested_at: at, risk_level: "low", summary: `bench ${i}`, items, subject_sha256: subject,
      decision: { action: "approve", actor: "ana.approver", reason: "bench approval", at, expires_at: "2099-12-31T23:59:59+08:00", subject_sha256: subject },
      applied: null, state_history: [] }));
  }
}

try {
  if (process.argv.includes("--scale")) {
    console.log("\napprovals list, unsigned records tolerated as legacy (memory and linear time; signatures are timed below)");
    console.log("| records | wall ms | peak MiB | ms per 1,000 records |");
    console.log("|---:|---:|---:|---:|");
    for (const count of [10_000, 100_000]) {
      const root = join(dir, `legacy-${count}`);
      writeLegacyRoot(root, count);
      // Exit 1 is a queue with problems (none expected here); anything else is a failure.
      const { wall, rss } = measure([process.execPath, bin, "approvals", "list", "--approvals-dir", root, "--output", join(dir, "queue.json")], { ok: [0, 1] });
      const ms = wall * 1000;
      rmSync(root, { recursive: true, force: true });
      console.log(`| ${count} | ${ms.toFixed(0)} | ${rss.toFixed(0)} | ${((ms / count) * 1000).toFixed(0)} |`);
    }
    console.log("target: 100,000 records under 300 MiB peak, linear time.");
  }
  writeRoot(join(dir, "many"), RECORDS);
  writeRoot(join(dir, "one"), 1);
  const many = median(join(dir, "many"));
  const one = median(join(dir, "one"));
  const per = (many.median - one.median) / RECORDS;
  console.log(`approvals list verifying ${RECORDS} signed records (3 signatures each, no ssh-keygen on PATH): median ${many.median.toFixed(0)} ms over ${RUNS} runs ` +
    `(min ${many.min.toFixed(0)}, max ${many.max.toFixed(0)}); 1 record: ${one.median.toFixed(0)} ms; about ${per.toFixed(2)} ms per record, in-process`);
} finally {
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  else console.log(dir);
}
