// npm run demo: the main jobs on the bundled fixtures, in a temporary folder (the repo is untouched).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/opsgate.js");
const work = mkdtempSync(join(tmpdir(), "opsgate-demo-"));

function step(title, args, { okCodes = [0] } = {}) {
  console.log(`\n$ opsgate ${args.join(" ")}`);
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: work, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (!okCodes.includes(result.status ?? -1)) {
    console.error(`demo step failed (${title}): exit ${result.status}`);
    process.exit(1);
  }
  const lines = result.stdout.split("\n");
  console.log(lines.length > 12 ? `${lines.slice(0, 8).join("\n")}\n  ... (${lines.length} lines)` : result.stdout);
  return result;
}

console.log(`opsgate demo in ${work}`);
cpSync(join(ROOT, "fixtures/readback/basic/source.json"), join(work, "docs/security/monitoring-owner-response-acceptance.snapshot.json"), { recursive: true });
step("readback plan", ["build-readback-plan", "--root", ".", "--output", "docs/security/monitoring-post-incident-readback-plan.snapshot.json"]);
step("readback plan to stdout", ["build-readback-plan", "--generated-at", "2026-05-01T10:00:00+08:00", "--git-commit", "demo"]);
console.log(`\ndemo done; files are in ${work}`);
