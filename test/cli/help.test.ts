import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { OPSGATE_BIN, runCli } from "../helpers/cli.js";

const COMMANDS = ["build-readback-plan", "validate-batch-plan", "manage-approval-state", "approvals", "apply-batch", "audit", "schema", "snapshots", "serve", "completion"];

/** The "Exit codes:" section of a help text, as numbers. */
function exitCodesOf(help: string): number[] {
  const section = help.split("Exit codes:\n")[1]?.split("\n\n")[0] ?? "";
  return section.split("\n").map((line) => Number(line.trim().split(/\s+/)[0]));
}

function environmentOf(help: string): string[] {
  const section = help.split("Environment:\n")[1]?.split("\n\n")[0] ?? "";
  return section.split("\n").map((line) => line.trim().split(/\s+/)[0] ?? "");
}

describe("opsgate --help and usage errors", () => {
  it("lists every command, with examples, the exit codes and the environment", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toContain(command);
    expect(result.stdout).toContain("Examples:");
    expect(exitCodesOf(result.stdout)).toEqual([0, 1, 2, 3, 4, 70]);
    expect(environmentOf(result.stdout)).toContain("NETBOX_URL");
    expect(result.stderr).toBe("");
  });

  // Each command's help lists only the exit codes it can return, and the variables it reads.
  it.each([
    [["build-readback-plan"], [0, 2, 70], ["SOURCE_DATE_EPOCH", "HOME", "XDG_CONFIG_HOME", "NO_COLOR", "OPSGATE_DEBUG", "NETBOX_READ_TOKEN", "NETBOX_WRITE_TOKEN"]],
    [["validate-batch-plan"], [0, 1, 2, 70], ["SOURCE_DATE_EPOCH", "NO_COLOR", "OPSGATE_DEBUG", "NETBOX_READ_TOKEN", "NETBOX_WRITE_TOKEN"]],
    [["manage-approval-state"], [0, 1, 2, 70], ["OPSGATE_ACTOR", "OPSGATE_SIGNING_KEY", "SSH_AUTH_SOCK", "NO_COLOR", "OPSGATE_DEBUG", "NETBOX_READ_TOKEN", "NETBOX_WRITE_TOKEN"]],
    [["approvals", "list"], [0, 1, 2, 70], ["SOURCE_DATE_EPOCH", "NO_COLOR", "OPSGATE_DEBUG", "NETBOX_READ_TOKEN", "NETBOX_WRITE_TOKEN"]],
    [
      ["apply-batch"],
      [0, 1, 2, 3, 4, 70],
      ["NETBOX_URL", "NETBOX_READ_TOKEN", "NETBOX_WRITE_TOKEN", "OPSGATE_OPERATOR", "OPSGATE_NETBOX_TIMEOUT_MS", "OPSGATE_NETBOX_RETRIES", "OPSGATE_NETBOX_READ_CONCURRENCY", "SOURCE_DATE_EPOCH", "NO_COLOR", "OPSGATE_DEBUG"],
    ],
    [["audit", "verify"], [0, 1, 2, 70], ["NO_COLOR", "OPSGATE_DEBUG"]],
    [["audit", "show"], [0, 1, 2, 70], ["NO_COLOR", "OPSGATE_DEBUG"]],
    [["schema"], [0, 2, 70], ["NO_COLOR", "OPSGATE_DEBUG"]],
    [["snapshots", "regenerate"], [0, 1, 2, 70], ["NO_COLOR", "OPSGATE_DEBUG"]],
    [["serve"], [0, 2, 70], ["NO_COLOR", "OPSGATE_DEBUG"]],
    [["completion"], [0, 2, 70], ["NO_COLOR", "OPSGATE_DEBUG"]],
  ])("%j --help: examples, its own exit codes, its environment", async (command, codes, env) => {
    const result = await runCli([...command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`$ opsgate ${command[0]}`);
    expect(exitCodesOf(result.stdout)).toEqual(codes);
    expect(environmentOf(result.stdout)).toEqual(env);
    const viaHelp = await runCli(["help", ...command]);
    expect(viaHelp.stdout).toBe(result.stdout);
  });

  it.each([[[]], [["approvals"]], [["audit"]], [["snapshots"]]])("opsgate %j with no subcommand prints its help, not an error", async (args) => {
    const result = await runCli(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: opsgate/);
    expect(result.stderr).toBe("");
  });

  it("help output piped into head exits quietly (no EPIPE stack)", () => {
    for (const command of ["--help", "apply-batch --help", "schema batch-plan", "completion fish"]) {
      const result = spawnSync("sh", ["-c", `"${process.execPath}" "${OPSGATE_BIN}" ${command} | head -1`], { encoding: "utf8", env: { PATH: process.env.PATH, NO_COLOR: "1" } });
      expect(result.status).toBe(0);
      expect(result.stdout.split("\n").filter(Boolean)).toHaveLength(1);
      expect(result.stderr).not.toMatch(/EPIPE|\n\s+at /);
    }
  });

  it("a reader that closed stdout before the help was written: exit 0, no EPIPE stack", async () => {
    const { spawn } = await import("node:child_process");
    for (const args of [["--help"], ["apply-batch", "--help"], ["schema", "batch-plan"]]) {
      const child = spawn(process.execPath, [OPSGATE_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH, NO_COLOR: "1" } });
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((done) => child.on("close", done));
      expect(stderr, args.join(" ")).not.toMatch(/EPIPE|\n\s+at /);
      expect(code, args.join(" ")).toBe(0);
    }
  });

  it("help of an unknown command is an error, not the general help", async () => {
    const result = await runCli(["help", "valdate-batch-plan"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'valdate-batch-plan'");
    expect(result.stderr).toContain("validate-batch-plan");
    expect(result.stderr).not.toContain("(outputHelp)");
  });

  it("suggests the closest command for a typo (exit 2, no stack, a summary line last)", async () => {
    const result = await runCli(["validate-batch-plna"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("opsgate: error: unknown command 'validate-batch-plna'");
    expect(result.stderr).toContain("validate-batch-plan");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe("OPSGATE_USAGE_ERROR exit=2");
  });

  it("a typo in a required flag is an unknown option with a suggestion, not the flag missing", async () => {
    const result = await runCli(["validate-batch-plan", "--plna", "plan.json", "--expected-device-id", "1", "--expected-device", "R1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--plna'");
    expect(result.stderr).toContain("--plan");
    expect(result.stderr).not.toContain("required option");
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe("BATCH_PLAN_VALIDATION_USAGE_ERROR exit=2 command=validate-batch-plan");
    const missing = await runCli(["validate-batch-plan", "--expected-device-id", "1", "--expected-device", "R1"]);
    expect(missing.stderr).toContain("required option '--plan <file>' not specified");
  });

  it("every failure ends stderr with one summary line", async () => {
    const cases: [string[], string][] = [
      [["apply-batch", "--batch-plan", "x.json"], "BATCH_APPLY_USAGE_ERROR exit=2 command=apply-batch"],
      [["validate-batch-plan", "--plan", "no-such.json", "--expected-device-id", "1", "--expected-device", "R1"], "BATCH_PLAN_VALIDATION_INPUT_ERROR exit=2 command=validate-batch-plan"],
      [["approvals", "list", "--approvals-dir", "no-such"], "APPROVAL_QUEUE_UNREADABLE approvals_dir=no-such"],
      [["schema", "no-such-format"], "SCHEMA_INPUT_ERROR exit=2 command=schema"],
      [["audit", "show", "--log", "no-such.jsonl"], "AUDIT_EVENTS_UNREADABLE log=no-such.jsonl"],
      [["completion", "tcsh"], "COMPLETION_USAGE_ERROR exit=2 command=completion"],
      [["approvals", "lisst"], "APPROVAL_QUEUE_USAGE_ERROR exit=2 command=approvals"],
    ];
    for (const [args, summary] of cases) {
      const result = await runCli(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.trimEnd().split("\n").at(-1), args.join(" ")).toBe(summary);
    }
  });

  it("an unknown schema name is a usage error that lists the names", async () => {
    const result = await runCli(["schema", "no-such-format"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("batch-plan");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
