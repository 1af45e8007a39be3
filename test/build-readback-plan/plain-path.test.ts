import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";
import { runMain } from "../helpers/in-process.js";
import { buildProgram } from "../../src/cli.js";
import { runPlain } from "../../src/commands/build-readback-plan/index.js";
import { DEFAULT_ROOT, DEFAULT_SOURCE_REPORT, OPTION_KEYS } from "../../src/commands/build-readback-plan/options.js";

// build-readback-plan's usual command line skips commander (bin/opsgate.js → runPlain); these
// tests hold the two ways of reading it to one behaviour.
const GENERATED_AT = "2026-05-01T10:00:00+08:00";

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "opsgate-plain-"));
  cpSync(join(PROJECT_ROOT, "fixtures/readback/unicode/source.json"), join(dir, "source.json"));
  writeFileSync(join(dir, "broken.json"), '{"acceptance_candidates": [}');
  return dir;
}

/** The same command line through commander (main, in this process), as the binary printed it. */
const throughCommander = (args: string[], cwd: string): ReturnType<typeof runMain> => runMain(["build-readback-plan", ...args], cwd);

describe("build-readback-plan's plain path", () => {
  it("knows exactly the options (and defaults) commander declares", () => {
    const command = buildProgram({}, ["node", "opsgate", "build-readback-plan"]).commands.find((c) => c.name() === "build-readback-plan");
    const declared = Object.fromEntries((command?.options ?? []).map((option): [string, string] => [String(option.long).slice(2), option.attributeName()]));
    expect(declared).toEqual(OPTION_KEYS);
    const defaults = Object.fromEntries((command?.options ?? []).filter((o) => o.defaultValue !== undefined).map((o) => [o.attributeName(), o.defaultValue as unknown]));
    expect(defaults).toEqual({ root: DEFAULT_ROOT, sourceReport: DEFAULT_SOURCE_REPORT });
  });

  it.each([
    ["help", ["--help"]],
    ["a short option", ["-h"]],
    ["an unknown option", ["--bogus", "x"]],
    ["an option without its value", ["--root"]],
    ["a value that looks like an option", ["--output", "--root"]],
    ["a positional argument", ["source.json"]],
    ["the end of options", ["--", "x"]],
    ["a name every object has", ["--constructor", "x"]],
  ])("leaves %s to commander", (_name, args) => {
    expect(runPlain(args)).toBeUndefined();
  });

  it.each([
    ["a report to stdout", ["--source-report", "source.json", "--generated-at", GENERATED_AT, "--git-commit", "abc1234"]],
    ["--option=value forms", ["--source-report=source.json", `--generated-at=${GENERATED_AT}`, "--git-commit=abc1234", "--root=."]],
    ["a repeated option (the last one wins)", ["--source-report", "nope.json", "--source-report", "source.json", "--generated-at", GENERATED_AT, "--git-commit", "x"]],
    ["a lone dash as a value, and an empty one", ["--source-report", "source.json", "--generated-at", GENERATED_AT, "--git-commit=", "--output", "-"]],
    ["a missing source", ["--source-report", "nope.json"]],
    ["malformed JSON", ["--source-report", "broken.json"]],
    ["a bad timestamp", ["--source-report", "source.json", "--generated-at", "yesterday"]],
  ])("answers %s byte for byte as commander does", async (_name, args) => {
    const dir = workspace();
    const binary = await runCli(["build-readback-plan", ...args], { cwd: dir });
    const commander = await throughCommander(args, dir);
    expect({ code: binary.code, stdout: binary.stdout, stderr: binary.stderr }).toEqual(commander);
  });

  it("writes --output the same way", async () => {
    const dir = workspace();
    const args = ["--source-report", "source.json", "--generated-at", GENERATED_AT, "--git-commit", "abc1234"];
    const binary = await runCli(["build-readback-plan", ...args, "--output", "plain.json"], { cwd: dir });
    const commander = await throughCommander([...args, "--output", "commander.json"], dir);
    expect(binary.code).toBe(0);
    expect(commander.code).toBe(0);
    expect(readFileSync(join(dir, "plain.json"), "utf8")).toBe(readFileSync(join(dir, "commander.json"), "utf8"));
    expect(binary.stderr).toBe(commander.stderr);
  });
});
