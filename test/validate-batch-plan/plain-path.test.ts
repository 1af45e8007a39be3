import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";
import { runMain } from "../helpers/in-process.js";
import { buildProgram } from "../../src/cli.js";
import { captureStderr } from "../../src/io/log.js";
import { runPlain } from "../../src/commands/validate-batch-plan/index.js";
import { OPTION_KEYS, REQUIRED_OPTIONS } from "../../src/commands/validate-batch-plan/options.js";
import { OUTPUT_FORMATS } from "../../src/views/output.js";

// validate-batch-plan's usual command line skips commander (bin/opsgate.js → runPlain); these
// tests hold the two ways of reading it to one behaviour.
const GENERATED_AT = "2026-05-01T10:00:00+08:00";
const DEVICE = ["--expected-device-id", "1890", "--expected-device", "4WNET-MNS-KTG-RX"];

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "opsgate-plain-validate-"));
  cpSync(join(PROJECT_ROOT, "fixtures/batch/good"), join(dir, "good"), { recursive: true });
  writeFileSync(join(dir, "broken.json"), '{"items": [}');
  return dir;
}

/** The same command line through commander (main, in this process), as the binary printed it. */
const throughCommander = (args: string[], cwd: string): ReturnType<typeof runMain> => runMain(["validate-batch-plan", ...args], cwd);

describe("validate-batch-plan's plain path", () => {
  it("knows exactly the options commander declares, which are required, and the formats", () => {
    const command = buildProgram({}, ["node", "opsgate", "validate-batch-plan"]).commands.find((c) => c.name() === "validate-batch-plan");
    const options = command?.options ?? [];
    const withValue = options.filter((option) => option.required || option.optional);
    expect(Object.fromEntries(withValue.map((option): [string, string] => [String(option.long).slice(2), option.attributeName()]))).toEqual(OPTION_KEYS);
    expect(options.filter((option) => option.mandatory).map((option) => String(option.long).slice(2))).toEqual([...REQUIRED_OPTIONS]);
    expect(options.filter((option) => !option.required && !option.optional).map((option) => option.long)).toEqual(["--no-approvals"]);
    expect(options.find((option) => option.long === "--format")?.argChoices).toEqual([...OUTPUT_FORMATS]);
  });

  it.each([
    ["help", ["--help"]],
    ["a short option", ["-o", "json", "--plan", "p.json", ...DEVICE]],
    ["an unknown option", ["--bogus", "x", "--plan", "p.json", ...DEVICE]],
    ["a missing required option", ["--plan", "p.json", "--expected-device-id", "1890"]],
    ["an option without its value", ["--plan"]],
    ["a value that looks like an option", ["--plan", "--output", ...DEVICE]],
    ["a format commander refuses", ["--plan", "p.json", ...DEVICE, "--format", "yaml"]],
    ["a value given to --no-approvals", ["--plan", "p.json", ...DEVICE, "--no-approvals=yes"]],
    ["a positional argument", ["p.json", ...DEVICE]],
  ])("leaves %s to commander", (_name, args) => {
    expect(runPlain(args)).toBeUndefined();
  });

  it.each(REQUIRED_OPTIONS)("leaves a command line without --%s to commander", (missing) => {
    const full = ["--plan", "p.json", ...DEVICE];
    const args = full.filter((arg, i) => arg !== `--${missing}` && full[i - 1] !== `--${missing}`);
    expect(args).toHaveLength(4);
    expect(runPlain(args)).toBeUndefined();
  });

  it("takes the usual command line itself", async () => {
    const dir = workspace();
    const args = ["--plan", join(dir, "good/plan.json"), ...DEVICE, "--no-approvals", "--generated-at", GENERATED_AT, "--output", join(dir, "out.json")];
    const { result } = await captureStderr(() => {
      const run = runPlain(args);
      expect(run).toBeInstanceOf(Promise);
      return run as Promise<number>;
    });
    expect(result).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "out.json"), "utf8"))).toMatchObject({ schema_version: "batch_plan_validation_v1", status: "valid" });
  });

  it.each([
    ["a valid plan bound to its approvals, to stdout", 0, ["--plan", "good/plan.json", ...DEVICE, "--approvals-dir", "good/approvals", "--generated-at", GENERATED_AT]],
    ["--option=value forms and --format json", 0, ["--plan=good/plan.json", "--expected-device-id=1890", "--expected-device=4WNET-MNS-KTG-RX", "--approvals-dir=good/approvals", `--generated-at=${GENERATED_AT}`, "--format=json"]],
    ["--no-approvals", 0, ["--plan", "good/plan.json", ...DEVICE, "--no-approvals", "--generated-at", GENERATED_AT]],
    ["a plan for another device", 1, ["--plan", "good/plan.json", "--expected-device-id", "1891", "--expected-device", "other", "--no-approvals", "--generated-at", GENERATED_AT]],
    ["a repeated option (the last one wins)", 0, ["--plan", "nope.json", "--plan", "good/plan.json", ...DEVICE, "--no-approvals", "--generated-at", GENERATED_AT]],
    ["a missing plan", 2, ["--plan", "nope.json", ...DEVICE]],
    ["malformed JSON", 2, ["--plan", "broken.json", ...DEVICE]],
    ["a bad device id", 2, ["--plan", "good/plan.json", "--expected-device-id", "x", "--expected-device", "d"]],
    ["--no-approvals with --approvals-dir", 2, ["--plan", "good/plan.json", ...DEVICE, "--no-approvals", "--approvals-dir", "good/approvals"]],
  ])("answers %s (exit %i) byte for byte as commander does", async (_name, code, args) => {
    const dir = workspace();
    const binary = await runCli(["validate-batch-plan", ...args], { cwd: dir });
    const commander = await throughCommander(args, dir);
    expect(binary.code).toBe(code);
    expect({ code: binary.code, stdout: binary.stdout, stderr: binary.stderr }).toEqual(commander);
  });

  it("writes --output the same way", async () => {
    const dir = workspace();
    const args = ["--plan", "good/plan.json", ...DEVICE, "--approvals-dir", "good/approvals", "--generated-at", GENERATED_AT];
    const binary = await runCli(["validate-batch-plan", ...args, "--output", "plain.json"], { cwd: dir });
    const commander = await throughCommander([...args, "--output", "commander.json"], dir);
    expect(binary.code).toBe(0);
    expect(commander.code).toBe(0);
    expect(readFileSync(join(dir, "plain.json"), "utf8")).toBe(readFileSync(join(dir, "commander.json"), "utf8"));
    expect(binary.stderr).toBe(commander.stderr);
  });
});
