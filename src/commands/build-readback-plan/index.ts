import { execFileSync } from "node:child_process";
import { readInputFile } from "../../io/input.js";
import { resolve } from "node:path";
import type { CommandResult } from "../../command.js";
import { ExitCode } from "../../errors.js";
import { checkOutputPath, writeFileAtomic, writeToStdout } from "../../io/files.js";
import { assertNoKnownSecret, secretValuesFromEnv } from "../../guards/secrets.js";
import { generatedAtOf } from "../../clock/generated-at.js";
import { readReadbackSource } from "../../readback/source.js";
import { readbackSummaryLine, writeReadbackPlan } from "../../readback/plan.js";
import type { TextSink } from "../../json/python.js";

export interface BuildReadbackPlanOptions {
  root: string;
  sourceReport: string;
  output?: string;
  generatedAt?: string;
  gitCommit?: string;
}

/**
 * `git rev-parse --short HEAD` in the root, or `unknown` (the seed's behaviour). Node's own
 * child_process, not execa: loading execa alone costs more than the whole seed's start-up budget.
 */
function gitShortSha(root: string): string {
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

export function runBuildReadbackPlan(options: BuildReadbackPlanOptions): Promise<CommandResult> {
  if (options.output) checkOutputPath(options.output);
  const generatedAt = generatedAtOf(options.generatedAt);
  const root = resolve(options.root);
  const sourcePath = resolve(root, options.sourceReport);
  const source = readReadbackSource(readSourceFile(sourcePath), sourcePath);
  const gitCommit = options.gitCommit ?? gitShortSha(root);

  const secrets = secretValuesFromEnv();
  const produce = (sink: TextSink): void => {
    const guarded: TextSink =
      secrets.length === 0 ? sink : { write: (text) => (assertNoKnownSecret(text, "the readback plan", secrets), sink.write(text)) };
    writeReadbackPlan(guarded, { source, generatedAt, gitCommit });
    sink.write("\n");
  };
  if (options.output) writeFileAtomic(resolve(options.output), produce);
  else writeToStdout(produce);
  return Promise.resolve({ exitCode: ExitCode.ok, summary: readbackSummaryLine(source.counts) });
}
