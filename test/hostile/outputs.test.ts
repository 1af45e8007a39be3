// Hostile output paths, black box: a device, FIFO, symlink or folder where an output goes is
// refused before any work and stays what it was; snapshots regenerate writes only .json files
// under snapshots/; an interrupted write leaves no temp file.
import { describe, expect, it } from "vitest";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OPSGATE_BIN } from "../helpers/cli.js";
import { bigReadbackSource, copyFixture, dryRunArgs, expectRefused, leftoverTemps, mkfifo, readbackArgs, readbackRoot, run, tempDir, validateArgs, workspace } from "./kit.js";

type Maker = (dir: string) => { path: string; unchanged: () => boolean };

const makers: Record<string, Maker> = {
  "a FIFO": (dir) => {
    const path = mkfifo(join(dir, "out.json"));
    return { path, unchanged: () => lstatSync(path).isFIFO() };
  },
  "a symlink to a file elsewhere": (dir) => {
    const target = join(dir, "elsewhere.txt");
    writeFileSync(target, "keep me");
    const path = join(dir, "out.json");
    symlinkSync(target, path);
    return { path, unchanged: () => lstatSync(path).isSymbolicLink() && readlinkSync(path) === target && readFileSync(target, "utf8") === "keep me" };
  },
  "a dangling symlink": (dir) => {
    const path = join(dir, "out.json");
    symlinkSync(join(dir, "nowhere.json"), path);
    return { path, unchanged: () => lstatSync(path).isSymbolicLink() && !existsSync(join(dir, "nowhere.json")) };
  },
  "a folder": (dir) => {
    const path = join(dir, "out.json");
    mkdirSync(path);
    return { path, unchanged: () => lstatSync(path).isDirectory() && readdirSync(path).length === 0 };
  },
  "a device node": (dir) => {
    const path = join(dir, "out.json");
    try {
      execFileSync("mknod", [path, "c", "1", "7"], { stdio: "ignore" }); // like /dev/full
    } catch {
      symlinkSync("/dev/full", path); // no mknod here: the device through a link
    }
    return { path, unchanged: () => !lstatSync(path).isFile() && lstatSync("/dev/full").isCharacterDevice() };
  },
};

const writers: Record<string, (out: string) => string[]> = {
  "validate-batch-plan --output": (out) => validateArgs(workspace().planPath, ["--output", out]),
  "build-readback-plan --output": (out) => readbackArgs(readbackRoot("{}"), ["--output", out]),
  "approvals list --output": (out) => ["approvals", "list", "--approvals-dir", copyFixture("approvals/lifecycle"), "--output", out],
  "apply-batch --report": (out) => dryRunArgs(workspace().planPath, ["--offline", "--report", out]),
};

describe.concurrent("hostile outputs: never replaced, refused before any work", () => {
  for (const [what, make] of Object.entries(makers)) {
    it(`${what} as every command's output`, async () => {
      const cases = Object.entries(writers).map(([name, args]) => {
        const dir = tempDir();
        const made = make(dir);
        return { name, dir, made, args: args(made.path) };
      });
      const results = await Promise.all(cases.map((c) => run(c.args)));
      results.forEach((result, i) => {
        const c = cases[i]!;
        expectRefused(result, 2, /cannot write the file: it is a /);
        expect(result.stdout, c.name).toBe("");
        expect(c.made.unchanged(), c.name).toBe(true);
        expect(leftoverTemps(c.dir), c.name).toEqual([]);
      });
    });
  }

  it("a parent that is a file: exit 2, nothing created", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "x");
    expectRefused(await run(validateArgs(workspace().planPath, ["--output", join(dir, "file/sub/out.json")])), 2, /is not a folder/);
    expect(readdirSync(dir)).toEqual(["file"]);
  });
});

describe("interrupted writes leave no temp file", () => {
  it("SIGINT or SIGTERM while build-readback-plan writes a large --output", async () => {
    const root = readbackRoot(bigReadbackSource(1_500));
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const outDir = tempDir();
      const child = spawn(process.execPath, [OPSGATE_BIN, ...readbackArgs(root, ["--output", join(outDir, "plan.json")])], { stdio: "ignore" });
      const ended = new Promise<void>((done) => child.on("close", () => done()));
      // Signal as soon as the temp file exists (or when the run is over: then there is nothing to leave).
      let over = false;
      void ended.then(() => (over = true));
      while (!over && !readdirSync(outDir).some((name) => name.includes(".tmp-"))) await new Promise((r) => setTimeout(r, 5));
      child.kill(signal);
      await ended;
      expect(leftoverTemps(outDir), signal).toEqual([]);
    }
  });
});

describe("snapshots regenerate writes only .json files under snapshots/", () => {
  const hostile = [".git/config", "snapshots/manifest.json", "fixtures/x.json", "snapshots/../src/x.json", "/tmp/x.json", "snapshots/.git/x.json", "snapshots/x.txt", "snapshots/\ud800.json", "snapshots//x.json"];
  it("refuses each hostile output before running anything; the tree is unchanged", async () => {
    const results = await Promise.all(
      hostile.map(async (output) => {
        const root = tempDir();
        mkdirSync(join(root, ".git"));
        writeFileSync(join(root, ".git/config"), "[core]\n");
        mkdirSync(join(root, "snapshots"));
        mkdirSync(join(root, "fixtures"));
        const manifest = JSON.stringify({ schema_version: "snapshot_manifest_v1", snapshots: [{ output, args: ["schema"], exit_code: 0 }] });
        writeFileSync(join(root, "snapshots/manifest.json"), manifest);
        const before = execFileSync("find", [root, "-printf", "%P %s\n"], { encoding: "utf8" });
        const result = await run(["snapshots", "regenerate", "--root", root]);
        return { output, result, root, before, manifest };
      }),
    );
    for (const { output, result, root, before, manifest } of results) {
      expectRefused(result, 2, /manifest output .* (is|has|holds|resolves)/);
      expect(result.stderr, output).not.toContain("\ufffd");
      expect(execFileSync("find", [root, "-printf", "%P %s\n"], { encoding: "utf8" }), output).toBe(before);
      expect(readFileSync(join(root, "snapshots/manifest.json"), "utf8")).toBe(manifest);
      expect(readFileSync(join(root, ".git/config"), "utf8")).toBe("[core]\n");
    }
  });

  it("a symlinked folder inside snapshots/ that leads out is refused", async () => {
    const root = tempDir();
    mkdirSync(join(root, "snapshots"));
    mkdirSync(join(root, "src"));
    symlinkSync(join(root, "src"), join(root, "snapshots/out"));
    writeFileSync(join(root, "snapshots/manifest.json"), JSON.stringify({ schema_version: "snapshot_manifest_v1", snapshots: [{ output: "snapshots/out/x.json", args: ["schema"] }] }));
    expectRefused(await run(["snapshots", "regenerate", "--root", root]), 2, /resolves outside snapshots/);
    expect(readdirSync(join(root, "src"))).toEqual([]);
  });
});
