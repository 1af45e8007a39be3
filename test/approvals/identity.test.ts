// Who acts is a key: look-alike names are just names, a key under two principals names nobody,
// OPSGATE_ACTOR/--actor only assert, and a key held in ssh-agent signs as it does for git.
import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { runCli, summaryOf } from "../helpers/cli.js";
import { copyWorkspace, manageSigned, newRecord, signedWorkspace, type SignedWorkspace } from "./signed-helpers.js";

// The look-alikes of ops.maria: Armenian o, Latin alpha, small capital O, Cherokee A,
// a grave accent, and a dotted capital I.
const LOOKALIKES = ["\u0585ps.maria", "ops.m\u0251ria", "\u1d0fps.maria", "ops.m\u13aaria", "ops.mari\u00e0", "OPS.MAR\u0130A"];

let pending: SignedWorkspace;
beforeAll(async () => {
  pending = signedWorkspace(["ops.maria", "ana.approver"]);
  expect((await newRecord(pending, pending.keys["ops.maria"]!)).code).toBe(0);
  expect((await manageSigned(pending, "proposed", "submit", pending.keys["ops.maria"], "Ready for review")).code).toBe(0);
}, 60_000);

describe("look-alike names cannot approve ops.maria's request: they are not principals with keys", () => {
  for (const name of LOOKALIKES) {
    it.concurrent(`${JSON.stringify(name)}: no key, another's key, or listed in allowed_signers`, async () => {
      const ws = copyWorkspace(pending);
      // Typed as a name, it signs nothing.
      const noKey = await manageSigned(ws, "pending", "approve", undefined, undefined, ["--actor", name]);
      expect(noKey.code).toBe(1);
      expect(summaryOf(noKey)).toMatch(/reason=missing_signing_key$/);
      // With a real approver's key, the key decides who acts; the name is refused as a lie.
      const lie = await manageSigned(ws, "pending", "approve", ws.keys["ana.approver"], undefined, ["--actor", name]);
      expect(summaryOf(lie)).toMatch(/reason=actor_mismatch$/);
      expect(lie.stderr).toContain("the signing key belongs to ana.approver");
      // Listing the name with a key in allowed_signers is refused outright.
      const key = readFileSync(`${ws.keys["ana.approver"]!}.pub`, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
      appendFileSync(join(ws.root, "allowed_signers"), `${name} ${key}\n`);
      const listed = await runCli(["approvals", "list", "--approvals-dir", ws.root]);
      expect(listed.code).toBe(2);
      expect(listed.stderr).toMatch(/allowed_signers is malformed: line \d+: principal .* (is not a plain name|differs from "ops.maria" only in case)/);
      expect(existsSync(join(ws.root, "pending", "approval-0007.json"))).toBe(true);
    });
  }

  it.concurrent("the requester's own key is refused (four eyes by principal), whatever --actor says", async () => {
    const ws = copyWorkspace(pending);
    const own = await manageSigned(ws, "pending", "approve", ws.keys["ops.maria"]);
    expect(summaryOf(own)).toBe("APPROVAL_STATE_REFUSED approval_id=approval-0007 from=pending to=approved actor=ops.maria reason=self_approval");
    const renamed = await manageSigned(ws, "pending", "approve", ws.keys["ops.maria"], undefined, ["--actor", "ana.approver"]);
    expect(summaryOf(renamed)).toMatch(/reason=actor_mismatch$/);
  });

  it.concurrent("OPSGATE_ACTOR ties the name to nobody: the key decides, a different name is refused", async () => {
    const ws = copyWorkspace(pending);
    const result = await manageSigned(ws, "pending", "approve", undefined, undefined, [], { OPSGATE_ACTOR: "ana.approver", OPSGATE_SIGNING_KEY: ws.keys["ops.maria"]! });
    expect(summaryOf(result)).toMatch(/actor=ana.approver reason=actor_mismatch$/);
    const ok = await manageSigned(ws, "pending", "approve", undefined, undefined, [], { OPSGATE_SIGNING_KEY: ws.keys["ana.approver"]! });
    expect(summaryOf(ok)).toBe("APPROVAL_STATE_OK approval_id=approval-0007 from=pending to=approved actor=ana.approver");
  });

  it.concurrent("a key listed under two principals names nobody", async () => {
    const ws = copyWorkspace(pending);
    const key = readFileSync(`${ws.keys["ana.approver"]!}.pub`, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
    appendFileSync(join(ws.root, "allowed_signers"), `bruno.approver ${key}\n`);
    const result = await manageSigned(ws, "pending", "approve", ws.keys["ana.approver"]);
    expect(summaryOf(result)).toMatch(/reason=ambiguous_signer$/);
    expect(result.stderr).toMatch(/listed under 2 principals \(ana.approver, bruno.approver\)/);
  });

  it.concurrent("a key not in allowed_signers is refused", async () => {
    const ws = copyWorkspace(pending);
    const stranger = join(ws.dir, "stranger");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", stranger]);
    const result = await manageSigned(ws, "pending", "approve", stranger);
    expect(summaryOf(result)).toMatch(/actor=\(none\) reason=unknown_signer$/);
  });

  it.concurrent("an allowed_signers line restricted to other namespaces does not sign approvals", async () => {
    const ws = signedWorkspace(["ops.maria"]);
    const carla = join(ws.dir, "carla");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", carla]);
    const key = readFileSync(`${carla}.pub`, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
    appendFileSync(join(ws.root, "allowed_signers"), `carla.approver namespaces="git" ${key}\n`);
    const result = await newRecord(ws, carla);
    expect(summaryOf(result)).toMatch(/reason=unknown_signer$/);
    expect(result.stderr).toContain("not allowed for namespace approval-create@opsgate");
  });
});

describe("ssh-agent", () => {
  it("signs with the public key when the agent holds the private one (as git does)", async () => {
    const ws = copyWorkspace(pending);
    const noAgent = copyWorkspace(pending);
    const key = join(ws.dir, "dora");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
    const pub = readFileSync(`${key}.pub`, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
    for (const root of [ws.root, noAgent.root]) appendFileSync(join(root, "allowed_signers"), `dora.approver ${pub}\n`);
    const out = execFileSync("ssh-agent", ["-s"], { encoding: "utf8" });
    const sock = /SSH_AUTH_SOCK=([^;]+);/.exec(out)![1]!;
    const pid = Number(/SSH_AGENT_PID=(\d+);/.exec(out)![1]);
    try {
      execFileSync("ssh-add", ["-q", key], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: "ignore" });
      // The private key file is gone: only the agent can sign.
      renameSync(key, `${key}.away`);
      const result = await manageSigned(ws, "pending", "approve", `${key}.pub`, undefined, [], { SSH_AUTH_SOCK: sock });
      expect(summaryOf(result)).toBe("APPROVAL_STATE_OK approval_id=approval-0007 from=pending to=approved actor=dora.approver");
      const refused = await manageSigned(noAgent, "pending", "approve", `${key}.pub`);
      expect(summaryOf(refused)).toMatch(/actor=dora.approver reason=signing_failed$/);
      expect(existsSync(join(noAgent.root, "pending", "approval-0007.json"))).toBe(true);
    } finally {
      process.kill(pid);
    }
  }, 60_000);
});
