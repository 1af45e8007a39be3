// Interim regenerator for the snapshots/manifest.json entries until `opsgate snapshots regenerate`
// lands: runs each entry's args with the built CLI and writes (or, with --check, compares) stdout.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const check = process.argv.includes("--check");
const manifest = JSON.parse(readFileSync(join(root, "snapshots/manifest.json"), "utf8"));
let drifted = 0;
for (const entry of manifest.entries) {
  const run = spawnSync(process.execPath, [join(root, "bin/opsgate.js"), ...entry.args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1" },
    encoding: "utf8",
  });
  if (run.status !== entry.exit_code) {
    console.error(`${entry.output}: exit ${run.status}, expected ${entry.exit_code}\n${run.stderr}`);
    drifted++;
    continue;
  }
  const path = join(root, entry.output);
  const before = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  if (before === run.stdout) continue;
  if (check) {
    console.error(`drift: ${entry.output}`);
    drifted++;
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, run.stdout);
    console.error(`wrote ${entry.output}`);
  }
}
process.exitCode = drifted === 0 ? 0 : 1;
