import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/cli.js";

/**
 * Every command line of the README's ```sh blocks, run as written, in order, from a copy of the
 * repository (bin/, dist/, fixtures/, snapshots/) with `opsgate` on PATH. Set-up and developer
 * lines (npm, npx, node) are left out: they build or test the repository itself; so is
 * `snapshots regenerate`, which `npm test` itself runs (--check) on every snapshot, and
 * test/snapshots covers (a rewrite) — here it would rerun every generator twice.
 */
export function readmeCommandLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const block of markdown.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
    const joined = (block[1] ?? "").replace(/\\\n\s*/g, "");
    for (const raw of joined.split("\n")) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#") || /^(npm|npx|node)\b/.test(line) || line.startsWith("opsgate snapshots regenerate")) continue;
      lines.push(line);
    }
  }
  return lines;
}

describe("README examples", () => {
  it("every shell example runs as written from a fresh copy", () => {
    const lines = readmeCommandLines(readFileSync(join(PROJECT_ROOT, "README.md"), "utf8"));
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((line) => line.startsWith("opsgate build-readback-plan"))).toBe(true);
    const root = mkdtempSync(join(tmpdir(), "opsgate-readme-"));
    try {
      for (const folder of ["bin", "dist", "fixtures", "snapshots"]) cpSync(join(PROJECT_ROOT, folder), join(root, folder), { recursive: true });
      cpSync(join(PROJECT_ROOT, "package.json"), join(root, "package.json"));
      mkdirSync(join(root, ".path"));
      const shim = join(root, ".path/opsgate");
      writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(root, "bin/opsgate.js")}" "$@"\n`);
      chmodSync(shim, 0o755);
      // One shell: exports carry over as they would for a reader following along; the first
      // failing line stops the run and is named.
      const script = ["set -e", "trap 'echo \"README example failed: $BASH_COMMAND\" >&2' ERR", ...lines].join("\n");
      const result = spawnSync("bash", ["--norc", "--noprofile", "-c", script], {
        cwd: root,
        encoding: "utf8",
        env: { PATH: `${join(root, ".path")}:${process.env.PATH ?? "/usr/bin:/bin"}`, HOME: root, NO_COLOR: "1" },
        timeout: 240_000,
      });
      expect(result.stderr).not.toContain("README example failed");
      expect(result.status).toBe(0);
      expect(readFileSync(join(root, "readback-plan.json"), "utf8")).toContain("monitoring_post_incident_readback_plan_v1");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 300_000);
});
