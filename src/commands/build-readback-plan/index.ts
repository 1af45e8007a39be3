import { resolve } from "node:path";
import type { CommandResult } from "../../command.js";
import { ExitCode } from "../../errors.js";
import { checkOutputPath, writeFileAtomic, writeToStdout } from "../../io/files.js";
import { readInputFile } from "../../io/input.js";
import { assertNoKnownSecret, secretValuesFromEnv } from "../../guards/secrets.js";
import { generatedAtOf } from "../../clock/generated-at.js";
import { readReadbackSource } from "../../readback/source.js";
import { readbackSummaryLine, writeReadbackPlan } from "../../readback/plan.js";
import { readShortHead } from "../../readback/git-head.js";
import type { TextSink } from "../../json/python.js";
import { endPlain, readPlainArgs } from "../../plain-run.js";
import { DEFAULT_ROOT, DEFAULT_SOURCE_REPORT, OPTION_KEYS, type BuildReadbackPlanOptions } from "./options.js";


/**
 * `git rev-parse --short HEAD` in the root, or `unknown` (the seed's behaviour): read from `.git`
 * when that is sure to give git's answer, else asked of git. Node's own child_process, loaded only
 * then, not execa: loading execa alone costs more than the whole seed's start-up budget.
 */
async function gitShortSha(root: string): Promise<string> {
  const read = readShortHead(root);
  if (read !== undefined) return read;
  const { execFileSync } = await import("node:child_process");
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return "unknown";
  }
}

export function readSourceFile(path: string): Buffer {
  return readInputFile(path, "source report", { flag: "--source-report" });
}

export async function runBuildReadbackPlan(options: BuildReadbackPlanOptions): Promise<CommandResult> {
  if (options.output) checkOutputPath(options.output);
  const generatedAt = generatedAtOf(options.generatedAt);
  const root = resolve(options.root);
  const sourcePath = resolve(root, options.sourceReport);
  const source = readReadbackSource(readSourceFile(sourcePath), sourcePath);
  const gitCommit = options.gitCommit ?? (await gitShortSha(root));

  const secrets = secretValuesFromEnv();
  const produce = (sink: TextSink): void => {
    const guarded: TextSink =
      secrets.length === 0 ? sink : { write: (text) => (assertNoKnownSecret(text, "the readback plan", secrets), sink.write(text)) };
    writeReadbackPlan(guarded, { source, generatedAt, gitCommit });
    sink.write("\n");
  };
  if (options.output) writeFileAtomic(resolve(options.output), produce);
  else writeToStdout(produce);
  return { exitCode: ExitCode.ok, summary: readbackSummaryLine(source.counts) };
}

/**
 * The usual command line, read without commander (src/plain-run.ts): build-readback-plan runs on
 * every CI commit and is timed against the seed, and loading commander is a third of its start-up.
 * `args` follow the command name; undefined leaves the command line to `main`.
 */
export function runPlain(args: string[]): Promise<number> | undefined {
  const read = readPlainArgs(args, OPTION_KEYS);
  if (!read) return undefined;
  return endPlain("build-readback-plan", () => runBuildReadbackPlan({ root: DEFAULT_ROOT, sourceReport: DEFAULT_SOURCE_REPORT, ...read.options }));
}
