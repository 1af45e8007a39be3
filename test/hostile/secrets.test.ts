// Secrets in every field, flag and setting, black box: a credential is refused before anything is
// written or sent (or redacted where the record is the approver's own text), and never repeated —
// not on stdout, stderr, in a report, a ledger, the audit log or a file name.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { summaryOf } from "../helpers/cli.js";
import { approveArgs, copyFixture, dryRunArgs, expectRefused, readbackArgs, readbackRoot, run, validateArgs, workspace, BATCH_ID } from "./kit.js";

const PASS = "Sup3rS3cretPass";
const NBT = "nbt_AbCd1234.0123456789abcdefXYZ";
const HEX40 = "0123456789abcdef0123456789abcdef01234567";

/** Every byte opsgate left anywhere under `dir`, plus what it printed. */
function everything(dir: string, out: { stdout: string; stderr: string }): string {
  const files = execFileSync("find", [dir, "-type", "f"], { encoding: "utf8" }).split("\n").filter(Boolean);
  return [out.stdout, out.stderr, execFileSync("find", [dir], { encoding: "utf8" }), ...files.map((file) => readFileSync(file, "latin1"))].join("\n");
}

describe.concurrent("apply-batch: a credential in a flag is refused before anything is written or sent", () => {
  const flags: [string, string, string[]][] = [
    ["--netbox-url user-info", "user:" + PASS, ["--offline", "--netbox-url", `https://user:${PASS}@netbox.example.net/`]],
    ["--netbox-url ?token=", PASS, ["--offline", "--netbox-url", `https://netbox.example.net/?token=${PASS}`]],
    ["--netbox-url user-name token", NBT, ["--offline", "--netbox-url", `https://${NBT}@netbox.example.net/`]],
  ];
  for (const [name, secret, extra] of flags) {
    it(name, async () => {
      const ws = workspace();
      const result = await run(dryRunArgs(ws.planPath, [...extra, "--results-dir", ws.resultsDir, "--report", join(ws.root, "report.json")]));
      expectRefused(result, 2, /--netbox-url looks like it holds/);
      expect(everything(ws.root, result)).not.toContain(secret);
    });
  }

  for (const [flag, value] of [["--operator", `https://ops:${PASS}@x`], ["--operator", NBT], ["--operator", `Bearer ${HEX40}`], ["--confirm-batch-id", NBT]] as const) {
    it(`${flag} ${value.slice(0, 12)}…: exit 2, nothing written`, async () => {
      const ws = workspace();
      const args = dryRunArgs(ws.planPath, ["--offline", "--results-dir", ws.resultsDir]).map((arg, i, all) => (all[i - 1] === flag ? value : arg));
      const result = await run(args);
      expectRefused(result, 2, new RegExp(`${flag} looks like it holds`));
      const secretPart = value.includes(PASS) ? PASS : value.includes(NBT) ? NBT : HEX40;
      expect(everything(ws.root, result)).not.toContain(secretPart);
    });
  }
});

describe.concurrent("manage-approval-state: a credential in --actor, --reason or the record", () => {
  for (const [where, extra] of [
    ["--actor", ["--actor", `https://u:${PASS}@x`]],
    ["--reason", ["--reason", `Checked, see https://u:${PASS}@wiki.example.net/CHG-4410`]],
    ["--reason ?token=", ["--reason", `Checked, see https://wiki.example.net/CHG-4410?access_token=${PASS}`]],
  ] as const) {
    it(`${where}: refused (exit 1), not in the audit log, the summary or stderr`, async () => {
      const root = copyFixture("approvals/lifecycle");
      const base = approveArgs(join(root, "pending/approval-0007.json"));
      const args = [...base.slice(0, base.indexOf(extra[0])), ...extra, ...base.slice(base.indexOf(extra[0]) + 2)];
      const result = await run(args);
      expect(result.code, result.stderr).toBe(1);
      expect(summaryOf(result)).toMatch(/reason=contains_secret$/);
      expect(everything(root, result)).not.toContain(PASS);
    });
  }

  it("OPSGATE_ACTOR holding a credential: same", async () => {
    const root = copyFixture("approvals/lifecycle");
    const args = approveArgs(join(root, "pending/approval-0007.json")).filter((arg, i, all) => arg !== "--actor" && all[i - 1] !== "--actor");
    const result = await run(args, { env: { OPSGATE_ACTOR: `https://u:${PASS}@x` } });
    expect(result.code).toBe(1);
    expect(everything(root, result)).not.toContain(PASS);
  });

  it("a record whose summary holds a token: stdout prints it redacted", async () => {
    const root = copyFixture("approvals/lifecycle");
    const path = join(root, "pending/approval-0007.json");
    const record = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    record.summary = `rotate creds; old one was ${NBT}`;
    writeFileSync(path, JSON.stringify(record, null, 2));
    const result = await run(approveArgs(path));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain(NBT);
    expect(result.stdout).toContain("[REDACTED]");
    expect(result.stderr).not.toContain(NBT);
  });

  it("a record with a lone surrogate escape is refused (exit 2), not rewritten with U+FFFD", async () => {
    const root = copyFixture("approvals/lifecycle");
    const path = join(root, "pending/approval-0007.json");
    const text = readFileSync(path, "utf8").replace(/"summary": "([^"]*)"/, '"summary": "$1 \\ud800"');
    writeFileSync(path, text);
    const result = await run(approveArgs(path));
    expectRefused(result, 2, /unpaired UTF-16 surrogate/);
    expect(readFileSync(path, "utf8")).toBe(text);
  });
});

describe("ids and sources", () => {
  it("a token-shaped batch_id never becomes a folder name or a summary value", async () => {
    for (const id of [NBT, HEX40]) {
      const ws = workspace();
      writeFileSync(ws.planPath, readFileSync(ws.planPath, "utf8").replace(BATCH_ID, id));
      const [validate, dry] = await Promise.all([run(validateArgs(ws.planPath)), run(dryRunArgs(ws.planPath, ["--offline", "--results-dir", ws.resultsDir]).map((a) => (a === BATCH_ID ? id : a)))]);
      expect(validate.code).toBe(1);
      expect(summaryOf(validate)).not.toContain(id);
      expect([1, 2]).toContain(dry.code);
      expect(dry.stderr).not.toMatch(/internal error/);
      expect(execFileSync("find", [ws.root], { encoding: "utf8" })).not.toContain(id);
      expect(validate.stderr + dry.stderr).not.toContain(id);
    }
  });

  it("build-readback-plan refuses a source holding a credential, naming the JSON path, never the value", async () => {
    const source = JSON.parse(readFileSync(join(process.cwd(), "fixtures/readback/basic/source.json"), "utf8")) as { acceptance_candidates: Record<string, unknown>[]; summary: Record<string, unknown> };
    source.acceptance_candidates[1]!.label = `ask for ${NBT}`;
    const root = readbackRoot(JSON.stringify(source));
    const result = await run(readbackArgs(root, ["--output", join(root, "plan.json")]));
    expectRefused(result, 2, /acceptance_candidates\[1\]\.label looks like a NetBox v2 token/);
    expect(everything(root, result).split(NBT).length).toBe(2); // only the source itself holds it
  });
});
