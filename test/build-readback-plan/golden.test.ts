import { cpSync, mkdtempSync, readFileSync, readdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

// Each fixtures/readback/<case>/ holds a source, and the seed's stdout and stderr for it, produced by
// running seeds/monitoring_post_incident_readback_plan.py in a folder that is not a git repository.
const fixtures = join(PROJECT_ROOT, "fixtures/readback");
const cases = readdirSync(fixtures).filter((name) => existsSync(join(fixtures, name, "expected.json")));
const GENERATED_AT = "2026-05-01T10:00:00+08:00";

function copyToTemp(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), "opsgate-readback-"));
  cpSync(join(fixtures, name, "source.json"), join(dir, "source.json"));
  return dir;
}

describe("build-readback-plan matches the seed byte for byte", () => {
  it.each(cases)("%s (stdout and stderr)", async (name) => {
    const dir = copyToTemp(name);
    const result = await runCli(["build-readback-plan", "--source-report", "source.json", "--generated-at", GENERATED_AT], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(fixtures, name, "expected.json"), "utf8"));
    expect(result.stderr).toBe(readFileSync(join(fixtures, name, "expected.stderr"), "utf8"));
  });

  it("writes the same bytes to --output, creating parent folders, and nothing to stdout", async () => {
    const dir = copyToTemp("unicode");
    const result = await runCli(
      ["build-readback-plan", "--root", dir, "--source-report", "source.json", "--output", "out/deep/plan.json", "--generated-at", GENERATED_AT],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(readFileSync(join(dir, "out/deep/plan.json"), "utf8")).toBe(readFileSync(join(fixtures, "unicode/expected.json"), "utf8"));
    expect(readdirSync(join(dir, "out/deep"))).toEqual(["plan.json"]);
  });

  it("resolves the default source report against --root", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opsgate-readback-"));
    cpSync(join(fixtures, "basic/source.json"), join(dir, "docs/security/monitoring-owner-response-acceptance.snapshot.json"), { recursive: true });
    const result = await runCli(["build-readback-plan", "--root", dir, "--generated-at", GENERATED_AT]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(fixtures, "basic/expected.json"), "utf8"));
  });
});
