"use strict";
// Part of `npm run build` (scripts/build.mjs): exercises every bundle in dist/ on the bundled
// fixtures, in one process, then writes each bundle's V8 code cache (dist/<bundle>.cache) with the
// functions those runs compiled. Outputs go to the scratch folder given as the only argument.
const { readdirSync } = require("node:fs");
const { join } = require("node:path");
const launcher = require("../bin/opsgate.js");

const scratch = process.argv[2];
if (!scratch) throw new Error("usage: build-code-cache.cjs <scratch-dir>");
const opsgate = (...args) => ["node", "opsgate", ...args];
const at = "2026-05-01T10:00:00+08:00";
const RUNS = [
  opsgate("--help"),
  opsgate("build-readback-plan", "--help"),
  opsgate("build-readback-plan", "--root", "fixtures/readback/basic", "--source-report", "source.json", "--generated-at", at, "--output", join(scratch, "readback.json")),
  opsgate("validate-batch-plan", "--plan", "fixtures/batch/good/plan.json", "--expected-device-id", "1890", "--expected-device", "4WNET-MNS-KTG-RX",
    "--approvals-dir", "fixtures/batch/good/approvals", "--generated-at", at, "--output", join(scratch, "validate.json")),
  opsgate("approvals", "list", "--approvals-dir", "fixtures/batch/good/approvals", "--output", join(scratch, "approvals.json")),
  opsgate("schema", "batch-plan"),
  opsgate("audit", "verify", "--log", "fixtures/audit/chain/audit.jsonl"),
  opsgate("snapshots", "regenerate", "--check"),
];

async function main() {
  for (const argv of RUNS) await launcher.run(argv);
  // The usual command lines of build-readback-plan and validate-batch-plan skip main (runPlain in
  // bin/opsgate.js): their own paths too.
  await launcher.loadBundle("commands/build-readback-plan").runPlain(["--root", "fixtures/readback/basic", "--source-report", "source.json", "--generated-at", at, "--output", join(scratch, "readback-plain.json")]);
  await launcher.loadBundle("commands/validate-batch-plan").runPlain(["--plan", "fixtures/batch/good/plan.json", "--expected-device-id", "1890", "--expected-device", "4WNET-MNS-KTG-RX",
    "--approvals-dir", "fixtures/batch/good/approvals", "--generated-at", at, "--output", join(scratch, "validate-plain.json")]);
  // Bundles no run above reached still get a cache of their top level.
  for (const file of readdirSync(join(__dirname, "../dist/commands"))) {
    if (file.endsWith(".js")) launcher.loadBundle(`commands/${file.slice(0, -3)}`);
  }
  launcher.writeCodeCaches();
  process.exitCode = 0;
}
main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
