import { main } from "../../src/main.js";
import { captureStdout } from "../../src/io/files.js";
import { captureStderr } from "../../src/io/log.js";

/** A command line read by commander (`main`, in this process) from `cwd`: its exit code and what it printed, as the binary prints it. */
export async function runMain(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const { result, stderr } = await captureStderr(() => captureStdout(() => main(["node", "opsgate", ...args])));
    return { code: result.result, stdout: result.stdout.toString("utf8"), stderr };
  } finally {
    process.chdir(before);
  }
}
