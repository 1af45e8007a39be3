import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const COMMANDS = ["build-readback-plan", "validate-batch-plan", "manage-approval-state", "approvals", "apply-batch", "audit", "schema", "snapshots"];

describe("opsgate --help and usage errors", () => {
  it("lists every command, with examples and the exit codes", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toContain(command);
    expect(result.stdout).toContain("Examples:");
    expect(result.stdout).toMatch(/Exit codes:\n\s+0 {2}done/);
    expect(result.stderr).toBe("");
  });

  it.each(COMMANDS.filter((c) => !["approvals", "audit", "snapshots"].includes(c)))("%s --help has examples and exit codes", async (command) => {
    const result = await runCli([command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`$ opsgate ${command}`);
    expect(result.stdout).toContain(" 4  ");
  });

  it("suggests the closest command for a typo (exit 2, no stack)", async () => {
    const result = await runCli(["validate-batch-plna"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("opsgate: error: unknown command 'validate-batch-plna'");
    expect(result.stderr).toContain("validate-batch-plan");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("an unknown schema name is a usage error that lists the names", async () => {
    const result = await runCli(["schema", "no-such-format"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("batch-plan");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
