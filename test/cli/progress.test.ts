import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startProgress } from "../../src/views/progress.js";
import { runInTty } from "./tty.js";
import { BATCH, PLAN, SIM, goodBatch } from "./workspace.js";

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY, columns: 80, text: "", write(chunk: string) {
    stream.text += chunk;
    return true;
  } };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe("progress", () => {
  it("draws in place on a terminal, at most ten times a second, and clears the line at the end", () => {
    let clock = 0;
    const stream = fakeStream(true);
    const progress = startProgress("looking up", 1000, stream, () => clock);
    for (let done = 1; done <= 1000; done++) {
      clock += 1;
      progress.update(done);
    }
    progress.end();
    const draws = stream.text.split("\r").filter((part) => part.startsWith("\u001b[2mlooking up") || part.startsWith("looking up"));
    expect(draws.length).toBeLessThanOrEqual(12);
    expect(stream.text).toContain("1000/1000 (100%)");
    expect(stream.text.endsWith("\r\u001b[K")).toBe(true);
  });

  it("writes nothing when stderr is not a terminal", () => {
    const stream = fakeStream(false);
    const progress = startProgress("x", 10, stream);
    progress.update(5);
    progress.end();
    expect(stream.text).toBe("");
  });

  it("a dry-run shows its phases on a terminal's stderr, and none in a pipe", async () => {
    const root = goodBatch();
    const tty = await runInTty(["apply-batch", "--batch-plan", PLAN, ...SIM], { cwd: root, env: { NO_COLOR: "1" }, stderrOnTty: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain("apply-batch: validating 8 items: schema_valid (1/11)");
    expect(tty.stderr).toContain("apply-batch: looking up existing objects in NetBox: 8/8 (100%)");
    expect(tty.stderr).toContain("\r\u001b[K");
    // The progress line is cleared before the summary, which stays the last line on the screen.
    expect(tty.stderr.endsWith(`\r\u001b[KBATCH_APPLY_READY mode=dry_run batch_id=${BATCH} items=8 created=0 requests=6\n`)).toBe(true);
    const piped = await runCli(["apply-batch", "--batch-plan", PLAN, ...SIM], { cwd: root });
    expect(piped.stderr).not.toContain("\r");
  });
});
