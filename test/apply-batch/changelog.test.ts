import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { changelogMessage } from "../../src/apply/write-plan.js";
import { interfaceItem, writeBatchWorkspace } from "../helpers/batch-workspace.js";
import type { NetBoxTestServer } from "../helpers/netbox-server.js";
import { GENERATED_AT, REAL_FLAGS, cli, serve, writesOf } from "./real-kit.js";

/**
 * NetBox counts a changelog message in characters (code points, ≤ 200) and answers 500 to a lone
 * surrogate. A 128-character batch id and an operator whose 🌙 straddles the 200th UTF-16 unit
 * must give a message cut between characters, shown in the dry-run exactly as it is sent.
 */
const LONG_BATCH = `B${"x".repeat(127)}`;
// "opsgate apply-batch " (20) + batch id (128) + " operator=" (10) + 40 = 198 units: 🌙 is units 199–200.
const OPERATOR = `${"o".repeat(40)}🌙moon-shift`;

describe("changelog_message", () => {
  let server: NetBoxTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("is cut by code points, never inside a character", () => {
    const text = changelogMessage(LONG_BATCH, OPERATOR, "approval-0007");
    expect(text.isWellFormed()).toBe(true);
    expect([...text]).toHaveLength(200);
    expect(text.endsWith("🌙…")).toBe(true);
    expect(changelogMessage("B-1", "ops", "a-1")).toBe("opsgate apply-batch B-1 operator=ops approval=a-1");
  });

  it("the dry-run shows what the real write sends, and NetBox takes it", async () => {
    server = await serve();
    const ws = writeBatchWorkspace([interfaceItem("xe-0/0/1")]);
    const plan = JSON.parse(readFileSync(ws.planPath, "utf8")) as { batch_id: string };
    plan.batch_id = LONG_BATCH;
    writeFileSync(ws.planPath, JSON.stringify(plan));
    const args = ["apply-batch", "--batch-plan", ws.planPath, "--confirm-batch-id", LONG_BATCH, "--operator", OPERATOR, "--generated-at", GENERATED_AT, "--netbox-url", server.url];
    const dry = await cli(args);
    expect(dry.code, dry.stderr).toBe(0);
    const shown = (JSON.parse(dry.stdout) as { requests: { payload: { changelog_message: string }[] }[] }).requests[0]!.payload[0]!.changelog_message;
    expect(shown).toBe(changelogMessage(LONG_BATCH, OPERATOR, "approval-0007"));
    expect(dry.stdout).not.toContain("\ufffd");
    const from = server.log.length;
    const real = await cli([...args, ...REAL_FLAGS]);
    expect(real.code, real.stderr).toBe(0);
    const [post] = writesOf(server, from);
    expect((post?.body as { changelog_message: string }[])[0]!.changelog_message).toBe(shown);
  });
});
