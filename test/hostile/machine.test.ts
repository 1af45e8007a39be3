// The machine saying no, black box: a read-only file system, a full disk, a path too long and
// out-of-range numeric settings are exit 1 or 2 with the path and a hint — never 70, nothing
// half-written, no temp or lock file left. Read-only and full disks are small tmpfs mounts
// (tests run as root here, and chmod does not stop root); where mount is not allowed they skip.
import { afterAll, describe, expect, it } from "vitest";
import { cpSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../helpers/cli.js";
import { approveArgs, bigReadbackSource, dryRunArgs, expectRefused, leftoverTemps, mountTmpfs, readbackArgs, readbackRoot, run, validateArgs, workspace } from "./kit.js";

const mounts: { unmount(): void }[] = [];
afterAll(() => {
  for (const mount of mounts) mount.unmount();
});

function mounted(sizeKb: number): ReturnType<typeof mountTmpfs> {
  const mount = mountTmpfs(sizeKb);
  if (mount) mounts.push(mount);
  return mount;
}

const canMount = (() => {
  const probe = mountTmpfs(64);
  probe?.unmount();
  return probe !== undefined;
})();

describe.skipIf(!canMount)("a read-only file system (tmpfs remounted ro)", () => {
  it("manage-approval-state, validate --output, build-readback-plan --output: exit 1 or 2, nothing written", async () => {
    const mount = mounted(1024)!;
    cpSync(join(PROJECT_ROOT, "fixtures/approvals/lifecycle"), join(mount.dir, "approvals"), { recursive: true });
    const before = readFileSync(join(mount.dir, "approvals/pending/approval-0007.json"));
    mount.remountReadOnly();
    const [manage, validate, readback, list] = await Promise.all([
      run(approveArgs(join(mount.dir, "approvals/pending/approval-0007.json"))),
      run(validateArgs(workspace().planPath, ["--output", join(mount.dir, "out/report.json")])),
      run(readbackArgs(readbackRoot("{}"), ["--output", join(mount.dir, "plan.json")])),
      run(["approvals", "list", "--approvals-dir", join(mount.dir, "approvals"), "--output", join(mount.dir, "queue.json")]),
    ]);
    for (const result of [manage, validate, readback, list]) {
      expectRefused(result, result.code === 1 ? 1 : 2, /read-only file system \(EROFS\)/);
      expect(result.stderr).toMatch(/\nhint: /);
    }
    expect(readFileSync(join(mount.dir, "approvals/pending/approval-0007.json"))).toEqual(before);
    expect(readdirSync(mount.dir).sort()).toEqual(["approvals"]);
  });
});

describe.skipIf(!canMount)("a full disk (a 256 KiB tmpfs)", () => {
  it("build-readback-plan --output larger than the disk: exit 2 (ENOSPC), no temp file, old output kept", async () => {
    const mount = mounted(256)!;
    writeFileSync(join(mount.dir, "plan.json"), "previous\n");
    const result = await run(readbackArgs(readbackRoot(bigReadbackSource(3000)), ["--output", join(mount.dir, "plan.json")]));
    expectRefused(result, 2, /no space left on the device \(ENOSPC\)/);
    expect(readFileSync(join(mount.dir, "plan.json"), "utf8")).toBe("previous\n");
    expect(leftoverTemps(mount.dir)).toEqual([]);
  });

  it("manage-approval-state on a full disk: no transition, no torn audit line, no temp or lock left", async () => {
    const mount = mounted(128)!;
    cpSync(join(PROJECT_ROOT, "fixtures/approvals/lifecycle"), join(mount.dir, "approvals"), { recursive: true });
    const before = readFileSync(join(mount.dir, "approvals/pending/approval-0007.json"));
    // Fill the disk to the last block.
    try {
      writeFileSync(join(mount.dir, "filler"), Buffer.alloc(1024 * 1024));
    } catch {
      // ENOSPC: full, as wanted
    }
    const result = await run(approveArgs(join(mount.dir, "approvals/pending/approval-0007.json")));
    expectRefused(result, result.code === 1 ? 1 : 2, /ENOSPC/);
    expect(readFileSync(join(mount.dir, "approvals/pending/approval-0007.json"))).toEqual(before);
    expect(readdirSync(join(mount.dir, "approvals/approved"))).toEqual(["approval-0005.json"]);
    expect(leftoverTemps(mount.dir)).toEqual([]);
  });

  it("stdout that is a full device (/dev/full): exit 2, no stack", async () => {
    const { spawnSync } = await import("node:child_process");
    const { OPSGATE_BIN } = await import("../helpers/cli.js");
    const { openSync } = await import("node:fs");
    const full = openSync("/dev/full", "w");
    const child = spawnSync(process.execPath, [OPSGATE_BIN, ...readbackArgs(readbackRoot("{}"))], { stdio: ["ignore", full, "pipe"], encoding: "utf8" });
    expect(child.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(child.status).toBe(2);
    expect(child.stderr).toMatch(/ENOSPC/);
  });
});

describe("paths and settings the machine refuses", () => {
  it("a name too long, a parent that is a file: exit 2 with the path", async () => {
    const long = join(workspace().root, `${"a".repeat(300)}.json`);
    const [name, notDir] = await Promise.all([
      run(validateArgs(workspace().planPath, ["--output", long])),
      run(validateArgs(join(workspace().planPath, "x.json"))),
    ]);
    expectRefused(name, 2, /file name too long \(ENAMETOOLONG\)/);
    expectRefused(notDir, 2, /not a folder \(ENOTDIR\)/);
  });

  it("numeric environment settings out of range: exit 2, the value not repeated", async () => {
    const ws = workspace();
    const cases: Record<string, string>[] = [
      { OPSGATE_NETBOX_TIMEOUT_MS: "4294967296" },
      { OPSGATE_NETBOX_TIMEOUT_MS: "0" },
      { OPSGATE_NETBOX_TIMEOUT_MS: "1e3" },
      { OPSGATE_NETBOX_RETRIES: "99999999999999999999" },
      { OPSGATE_NETBOX_RETRIES: "-1" },
    ];
    const results = await Promise.all(cases.map((env) => run(dryRunArgs(ws.planPath, ["--netbox-url", "http://127.0.0.1:9"]), { env })));
    results.forEach((result, i) => {
      expectRefused(result, 2, /must be a whole number from \d+ to \d+/);
      const value = Object.values(cases[i]!)[0]!;
      if (value.length > 3) expect(result.stderr).not.toContain(value);
    });
  });
});
