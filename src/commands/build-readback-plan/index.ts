import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { CommandResult } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { writeFileAtomic, writeToStdout } from "../../io/files.js";
import { assertNoKnownSecret, secretValuesFromEnv } from "../../guards/secrets.js";
import { UTC_PLUS_8, isoSeconds, reportTime } from "../../clock/timestamps.js";
import { readReadbackSource } from "../../readback/source.js";
import { readbackSummaryLine, writeReadbackPlan } from "../../readback/plan.js";
import { readShortHead } from "../../readback/git-head.js";
import type { TextSink } from "../../json/python.js";

export interface BuildReadbackPlanOptions {
  root: string;
  sourceReport: string;
  output?: string;
  generatedAt?: string;
  gitCommit?: string;
}

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
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === "ENOENT" ? "source report not found" : code === "EISDIR" ? "source report is a folder" : `cannot read the source report (${code ?? "error"})`;
    throw new UserError(what, { where: path, hint: "pass --source-report (resolved against --root)" });
  }
}

export async function runBuildReadbackPlan(options: BuildReadbackPlanOptions): Promise<CommandResult> {
  const root = resolve(options.root);
  const sourcePath = resolve(root, options.sourceReport);
  const source = readReadbackSource(readSourceFile(sourcePath), sourcePath);
  const generatedAt = options.generatedAt || isoSeconds(reportTime(), UTC_PLUS_8);
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
