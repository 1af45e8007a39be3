// Strict timestamps wherever one is accepted: --generated-at and SOURCE_DATE_EPOCH name a real
// calendar date and time in the documented form, or the run is exit 2 before any work.
import { describe, expect, it } from "vitest";
import { isRealTimestamp } from "../../src/clock/timestamps.js";
import { dryRunArgs, expectRefused, readbackArgs, readbackRoot, run, validateArgs, workspace } from "./kit.js";

describe("timestamps", () => {
  it("isRealTimestamp accepts real dates only", () => {
    for (const good of ["2026-05-01T10:00:00+08:00", "2024-02-29T23:59:59Z", "2026-12-31T00:00:00.123456-05:30"]) expect(isRealTimestamp(good), good).toBe(true);
    for (const bad of ["2026-02-30T00:00:00+08:00", "2025-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-01-01T00:00:00+24:00", "0000-01-01T00:00:00Z", "2026-01-01", "T"]) {
      expect(isRealTimestamp(bad), bad).toBe(false);
    }
  });

  it("--generated-at 2026-02-30 is exit 2 in every command that takes it", async () => {
    const ws = workspace();
    const ts = ["--generated-at", "2026-02-30T00:00:00+08:00"];
    const results = await Promise.all([
      run(validateArgs(ws.planPath, ts)),
      run(dryRunArgs(ws.planPath, ["--offline", ...ts])),
      run([...readbackArgs(readbackRoot("{}")).slice(0, 5), ...ts]),
    ]);
    for (const result of results) expectRefused(result, 2, /--generated-at must be a real date and time/);
  });

  it("SOURCE_DATE_EPOCH out of range or not whole seconds is exit 2, never 0NaN", async () => {
    const root = readbackRoot("{}");
    const args = readbackArgs(root).slice(0, 5);
    const results = await Promise.all(["99999999999999999", "253402271999999", "-1", "1.5", "0x10"].map((epoch) => run(args, { env: { SOURCE_DATE_EPOCH: epoch } })));
    for (const result of results) {
      expectRefused(result, 2, /SOURCE_DATE_EPOCH must be whole seconds since 1970/);
      expect(result.stdout).not.toContain("NaN");
    }
    const last = await run(args, { env: { SOURCE_DATE_EPOCH: "253402271999" } });
    expect(JSON.parse(last.stdout)).toMatchObject({ generated_at: "9999-12-31T23:59:59+08:00" });
  });
});
