import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli, summaryOf } from "../helpers/cli.js";

/** A small project: one fixture, one manifest entry, no snapshot yet. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), "opsgate-snap-"));
  mkdirSync(join(root, "snapshots"));
  cpSync(join(PROJECT_ROOT, "fixtures/readback/nested"), join(root, "fixtures/readback/nested"), { recursive: true });
  const manifest = {
    schema_version: "snapshot_manifest_v1",
    snapshots: [
      {
        output: "snapshots/nested.json",
        args: ["build-readback-plan", "--root", "fixtures/readback/nested", "--source-report", "source.json", "--generated-at", "2026-05-01T10:00:00+08:00", "--git-commit", "0000000"],
      },
    ],
  };
  writeFileSync(join(root, "snapshots/manifest.json"), JSON.stringify(manifest));
  return root;
}

describe("snapshots regenerate", () => {
  it("writes missing snapshots, then --check passes", async () => {
    const root = project();
    const check = await runCli(["snapshots", "regenerate", "--check", "--root", root]);
    expect(check.code).toBe(1);
    expect(summaryOf(check)).toBe("SNAPSHOTS_DRIFT checked=1 drifted=1 failed=0");

    const regenerate = await runCli(["snapshots", "regenerate", "--root", root]);
    expect(regenerate.code).toBe(0);
    expect(readFileSync(join(root, "snapshots/nested.json"), "utf8")).toBe(
      readFileSync(join(PROJECT_ROOT, "fixtures/readback/nested/expected.json"), "utf8").replace('"git_commit": "unknown"', '"git_commit": "0000000"'),
    );
    const again = await runCli(["snapshots", "regenerate", "--check", "--root", root]);
    expect(again.code).toBe(0);
    expect(summaryOf(again)).toBe("SNAPSHOTS_OK checked=1");
  });

  it("--check names a drifted file with a short diff and writes nothing", async () => {
    const root = project();
    await runCli(["snapshots", "regenerate", "--root", root]);
    const path = join(root, "snapshots/nested.json");
    const tampered = readFileSync(path, "utf8").replace('"generated_at": "2026-05-01T10:00:00+08:00"', '"generated_at": "2026-05-02T10:00:00+08:00"');
    writeFileSync(path, tampered);
    const check = await runCli(["snapshots", "regenerate", "--check", "--root", root]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("DRIFT snapshots/nested.json");
    expect(check.stderr).toContain('-   "generated_at": "2026-05-02T10:00:00+08:00",');
    expect(check.stderr).toContain('+   "generated_at": "2026-05-01T10:00:00+08:00",');
    expect(readFileSync(path, "utf8")).toBe(tampered);
  });

  it("fails when a generator does not end with the expected exit code", async () => {
    const root = project();
    const manifestPath = join(root, "snapshots/manifest.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { snapshots: { args: string[] }[] };
    manifest.snapshots[0]?.args.splice(3, 2, "--source-report", "missing.json");
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const check = await runCli(["snapshots", "regenerate", "--check", "--root", root]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("FAILED snapshots/nested.json");
    expect(check.stderr).toContain("exited 2, expected 0");
  });
});

describe("snapshots regenerate: orphans", () => {
  it("--check reports a snapshot no manifest entry produces; regenerate removes it", async () => {
    const root = project();
    await runCli(["snapshots", "regenerate", "--root", root]);
    mkdirSync(join(root, "snapshots/old"));
    writeFileSync(join(root, "snapshots/old/removed-fixture.json"), "{}\n");
    const check = await runCli(["snapshots", "regenerate", "--check", "--root", root]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("DRIFT snapshots/old/removed-fixture.json: no manifest entry produces it any more");
    const regenerate = await runCli(["snapshots", "regenerate", "--root", root]);
    expect(regenerate.code).toBe(0);
    expect(existsSync(join(root, "snapshots/old/removed-fixture.json"))).toBe(false);
    expect((await runCli(["snapshots", "regenerate", "--check", "--root", root])).code).toBe(0);
  });
});
