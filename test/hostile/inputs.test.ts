// Hostile inputs, black box: JSON nested past the cap, special files and oversized files, for every
// command that reads each kind of file. Each ends in a clean exit 2 naming the file — no hang, no
// exit 70, no stack.
import { describe, expect, it } from "vitest";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { approveArgs, copyFixture, deepJson, dryRunArgs, expectRefused, mkfifo, readbackArgs, readbackRoot, run, tempDir, validateArgs, workspace } from "./kit.js";

const DEEP = deepJson(5000);
const NESTING = /nested deeper than 512 levels/;

/** Each kind of input in each command that reads it, given a path to put there. */
function readers(put: (path: string) => string) {
  return {
    "validate --plan": () => {
      const ws = workspace();
      return run(validateArgs(put(ws.planPath)));
    },
    "apply-batch --batch-plan": () => {
      const ws = workspace();
      return run(dryRunArgs(put(ws.planPath), ["--offline"]));
    },
    "apply-batch --netbox-state": () => {
      const ws = workspace();
      return run(dryRunArgs(ws.planPath, ["--simulate", "--netbox-state", put(join(ws.root, "state.json"))]));
    },
    "build-readback-plan --source-report": () => {
      const root = readbackRoot("{}");
      put(join(root, "source.json"));
      return run(readbackArgs(root));
    },
    "snapshots regenerate (manifest)": () => {
      const root = tempDir();
      mkdirSync(join(root, "snapshots"));
      put(join(root, "snapshots", "manifest.json"));
      return run(["snapshots", "regenerate", "--check", "--root", root]);
    },
  };
}

function replace(path: string, write: (path: string) => void): string {
  rmSync(path, { force: true });
  write(path);
  return path;
}

describe.concurrent("hostile inputs: depth", () => {
  for (const [name, go] of Object.entries(readers((path) => replace(path, (p) => writeFileSync(p, DEEP))))) {
    it(`${name}: 5,000 levels is exit 2 naming the cap`, async () => {
      expectRefused(await go(), 2, NESTING);
    });
  }

  it("2,000 levels inside one payload field of a valid plan: exit 2 (validate, dry-run)", async () => {
    const ws = workspace();
    const text = readFileSync(ws.planPath, "utf8").replace('"type": "10gbase-x-sfpp"', `"type": ${deepJson(2000)}`);
    writeFileSync(ws.planPath, text);
    const [validate, dry] = await Promise.all([run(validateArgs(ws.planPath)), run(dryRunArgs(ws.planPath, ["--offline"]))]);
    expectRefused(validate, 2, NESTING);
    expectRefused(dry, 2, NESTING);
  });

  it("an approval record 5,000 deep: manage exit 2, validate and list report it", async () => {
    const root = copyFixture("approvals/lifecycle");
    writeFileSync(join(root, "pending/approval-0007.json"), DEEP);
    const ws = workspace();
    writeFileSync(join(ws.approvalsDir, "approved/approval-0007.json"), DEEP);
    const [manage, validate, list] = await Promise.all([
      run(approveArgs(join(root, "pending/approval-0007.json"))),
      run(validateArgs(ws.planPath, ["--approvals-dir", ws.approvalsDir])),
      run(["approvals", "list", "--approvals-dir", root]),
    ]);
    expectRefused(manage, 2, NESTING);
    expectRefused(validate, 1);
    expect(validate.stdout).toMatch(/nested deeper than 512 levels/);
    expectRefused(list, 1);
    expect(list.stdout).toContain("pending/approval-0007.json");
  });

  it("511 levels is still read (the cap is not lower than documented)", async () => {
    const root = readbackRoot(`{"x": ${deepJson(500)}}`);
    const result = await run(readbackArgs(root));
    expect(result.code, result.stderr).toBe(0);
  });
});

describe.concurrent("hostile inputs: special and oversized files", () => {
  const kinds: [string, (path: string) => string, RegExp][] = [
    ["a FIFO", (path) => replace(path, mkfifo), /is a FIFO \(named pipe\), not a regular file/],
    ["/dev/zero (through a symlink)", (path) => replace(path, (p) => symlinkSync("/dev/zero", p)), /is a character device, not a regular file/],
    ["a folder", (path) => replace(path, (p) => mkdirSync(p)), /is a folder, not a regular file/],
  ];
  for (const [kind, put, message] of kinds) {
    for (const [name, go] of Object.entries(readers(put))) {
      it(`${name}: ${kind} is exit 2 naming the path`, async () => {
        expectRefused(await go(), 2, message);
      });
    }
  }

  it("an approval record that is a FIFO or 17 MiB: validate and dry-run report, never hang or read it", async () => {
    const ws = workspace();
    const record = join(ws.approvalsDir, "approved/approval-0007.json");
    for (const make of [() => replace(record, mkfifo), () => replace(record, (p) => writeFileSync(p, Buffer.alloc(17 * 1024 * 1024, 0x20)))]) {
      make();
      const [validate, dry] = await Promise.all([run(validateArgs(ws.planPath, ["--approvals-dir", ws.approvalsDir])), run(dryRunArgs(ws.planPath, ["--offline"]))]);
      expectRefused(validate, 1);
      expect(validate.stdout).toMatch(/approved\/approval-0007\.json cannot be read: the approval record is (a FIFO|larger than 16 MiB)/);
      expectRefused(dry, 1);
    }
  });

  it("the same cap for an approval record wherever it is read (manage, list, validate)", async () => {
    const root = copyFixture("approvals/lifecycle");
    const huge = join(root, "pending/approval-0007.json");
    writeFileSync(huge, Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
    const [manage, list] = await Promise.all([run(approveArgs(huge)), run(["approvals", "list", "--approvals-dir", root])]);
    expectRefused(manage, 2, /16777216/);
    expectRefused(list, 1);
    expect(list.stdout).toMatch(/larger than any record \(16777216\)/);
  });
});
