// Times verifying 1,000 signed approval records (`opsgate approvals list` verifies every signature
// of every record against allowed_signers) with the BUILT CLI, against a single record (start-up).
// Verification is in-process (node:crypto): the runs below have no ssh-keygen on PATH at all.
// Usage: node scripts/bench-approvals.mjs [--records N] [--runs N]   (run `npm run build` first)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

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

try {
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
