import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { DEVICE, interfacesWithIps, writeBatchWorkspace } from "../helpers/batch-workspace.js";
import { LARGE_INPUT_BYTES } from "../../src/io/heap.js";

// A large plan keeps V8's young generation at its starting size (src/io/heap.ts): on these VMs the
// pages a growing one touches cost more than the room saves. Seen from outside, through a preload
// that reports the young generation's size when the process ends.
const PRELOAD = `
const v8 = require("node:v8");
const size = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === "new_space").space_size;
const start = size();
process.on("exit", () => require("node:fs").writeSync(2, "NEW_SPACE " + start + " " + size() + "\\n"));
`;

async function youngGeneration(pairs: number): Promise<{ planBytes: number; start: number; end: number }> {
  const ws = writeBatchWorkspace(interfacesWithIps(pairs));
  const preload = join(ws.root, "new-space.cjs");
  writeFileSync(preload, PRELOAD);
  const result = await runCli(
    ["validate-batch-plan", "--plan", ws.planPath, "--expected-device-id", String(DEVICE.id), "--expected-device", DEVICE.name, "--approvals-dir", ws.approvalsDir, "--output", join(ws.root, "report.json")],
    { env: { NODE_OPTIONS: `--require ${preload}` } },
  );
  expect(result.code).toBe(0);
  const [, start, end] = /NEW_SPACE (\d+) (\d+)/.exec(result.stderr) ?? [];
  return { planBytes: statSync(ws.planPath).size, start: Number(start), end: Number(end) };
}

describe("validating a large plan", () => {
  it("keeps the young generation near its starting size (grown freely, it ends 32 times as large)", async () => {
    const large = await youngGeneration(2500);
    expect(large.planBytes).toBeGreaterThan(LARGE_INPUT_BYTES);
    expect(large.end).toBeLessThanOrEqual(4 * large.start);
  }, 60_000);
});
