import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, summaryOf } from "../helpers/cli.js";
import { copyFixture } from "../approvals/helpers.js";
import { appendAuditEvent } from "../../src/audit/append.js";
import { auditEventHash, verifyAuditLogText } from "../../src/audit/chain.js";
import { canonicalJson } from "../../src/json/canonical.js";
import type { JsonObject } from "../../src/json/value.js";

function fixtureLog(): { path: string; lines: string[] } {
  const dir = copyFixture("audit/chain");
  const path = join(dir, "audit.jsonl");
  return { path, lines: readFileSync(path, "utf8").trimEnd().split("\n") };
}

const verify = (path: string) => runCli(["audit", "verify", "--log", path]);

/** Rewrites a line with its hash recomputed: what a careful forger would do. */
function forge(line: string, change: (event: JsonObject) => void): string {
  const event = JSON.parse(line) as JsonObject;
  change(event);
  event.hash = auditEventHash(event);
  return canonicalJson(event);
}

describe("audit verify", () => {
  it("accepts the intact chain and prints its head", async () => {
    const { path, lines } = fixtureLog();
    const head = (JSON.parse(lines.at(-1)!) as { hash: string }).hash;
    const result = await verify(path);
    expect(result.code).toBe(0);
    expect(summaryOf(result)).toBe(`AUDIT_CHAIN_OK events=6 head=${head}`);
    expect(result.stdout).toBe("");
  });

  const tamperings: [string, (lines: string[]) => string, string][] = [
    ["an edited reason", (l) => [...l.slice(0, 3), l[3]!.replace("Change window", "No window"), ...l.slice(4)].join("\n") + "\n", "at_seq=4 reason=hash_mismatch"],
    ["an edited actor", (l) => [l[0]!.replace('"actor":"ops.maria"', '"actor":"ops.mario"'), ...l.slice(1)].join("\n") + "\n", "at_seq=1 reason=hash_mismatch"],
    ["an edit with the hash recomputed", (l) => [l[0], l[1], forge(l[2]!, (e) => ((e.details as JsonObject).refusal = "none")), ...l.slice(3)].join("\n") + "\n", "at_seq=4 reason=prev_hash_mismatch"],
    ["a deleted middle line", (l) => [...l.slice(0, 2), ...l.slice(3)].join("\n") + "\n", "at_seq=3 reason=seq_mismatch"],
    ["a deleted first line", (l) => l.slice(1).join("\n") + "\n", "at_seq=1 reason=seq_mismatch"],
    ["an inserted line", (l) => [...l.slice(0, 2), forge(l[1]!, (e) => (e.actor = "mallory")), ...l.slice(2)].join("\n") + "\n", "at_seq=3 reason=seq_mismatch"],
    [
      "an inserted line with renumbered successors",
      (l) => {
        const inserted = forge(l[1]!, (e) => {
          e.seq = 3;
          e.prev_hash = (JSON.parse(l[1]!) as { hash: string }).hash;
        });
        return [...l.slice(0, 2), inserted, ...l.slice(2).map((line) => forge(line, (e) => (e.seq = (e.seq as number) + 1)))].join("\n") + "\n";
      },
      "at_seq=4 reason=prev_hash_mismatch",
    ],
    ["two swapped lines", (l) => [l[0], l[2], l[1], ...l.slice(3)].join("\n") + "\n", "at_seq=2 reason=seq_mismatch"],
    ["a truncated last line", (l) => [...l.slice(0, 5), l[5]!.slice(0, 40)].join("\n"), "at_seq=6 reason=truncated_last_line"],
    ["a last line missing only its newline", (l) => l.join("\n"), "at_seq=6 reason=truncated_last_line"],
    ["a blank line", (l) => [...l.slice(0, 2), "", ...l.slice(2)].join("\n") + "\n", "at_seq=3 reason=blank_line"],
    ["garbage in a line", (l) => [...l.slice(0, 4), "{not json", ...l.slice(5)].join("\n") + "\n", "at_seq=5 reason=malformed_line"],
    ["an extra field", (l) => [...l.slice(0, 4), forge(l[4]!, (e) => (e.note = "x")), l[5]].join("\n") + "\n", "at_seq=5 reason=schema_invalid"],
  ];
  for (const [name, tamper, expected] of tamperings) {
    it(`names the first broken seq: ${name}`, async () => {
      const { path, lines } = fixtureLog();
      writeFileSync(path, tamper(lines));
      const result = await verify(path);
      expect(result.code).toBe(1);
      expect(summaryOf(result)).toBe(`AUDIT_CHAIN_BROKEN ${expected}`);
    });
  }

  it("a missing log is an input error (exit 2); an empty log is an empty chain", async () => {
    const { path } = fixtureLog();
    const missing = await verify(`${path}.nope`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^opsgate: error: audit log not found/);
    writeFileSync(path, "");
    expect(summaryOf(await verify(path))).toBe(`AUDIT_CHAIN_OK events=0 head=${"0".repeat(64)}`);
  });
});

describe("appendAuditEvent", () => {
  const entry = { actor: "ana.approver", command: "manage-approval-state", event: "approval.approve", subject: "approval-0007", details: { reason: "ok" } };

  it("extends the chain from the last line and keeps it verifiable", () => {
    const { path } = fixtureLog();
    const event = appendAuditEvent(path, entry, { now: () => new Date("2026-05-03T00:00:00Z") });
    expect(event.seq).toBe(7);
    expect(event.at).toBe("2026-05-03T00:00:00+00:00");
    const verdict = verifyAuditLogText(readFileSync(path, "utf8"));
    expect(verdict).toEqual({ ok: true, events: 7, head: event.hash });
  });

  it("starts a new log at seq 1 with a zero prev_hash", () => {
    const path = join(copyFixture("audit/chain"), "new.jsonl");
    const event = appendAuditEvent(path, entry);
    expect(event).toMatchObject({ seq: 1, prev_hash: "0".repeat(64) });
  });

  it("refuses to append after a torn last line instead of chaining onto it", () => {
    const { path, lines } = fixtureLog();
    writeFileSync(path, `${lines.join("\n")}\n${lines[0]!.slice(0, 30)}`);
    expect(() => appendAuditEvent(path, entry)).toThrow(/torn line/);
  });

  it("redacts credentials before hashing and writing", () => {
    const { path } = fixtureLog();
    const token = "0123456789abcdef0123456789abcdef01234567";
    const prior = process.env.NETBOX_WRITE_TOKEN;
    process.env.NETBOX_WRITE_TOKEN = token;
    try {
      appendAuditEvent(path, { ...entry, details: { reason: `token ${token}`, api_token: "hunter2-secret", header: "Authorization: Bearer abcdefghijklmnop0123456789" } });
    } finally {
      if (prior === undefined) delete process.env.NETBOX_WRITE_TOKEN;
      else process.env.NETBOX_WRITE_TOKEN = prior;
    }
    const text = readFileSync(path, "utf8");
    for (const secret of [token, "hunter2-secret", "abcdefghijklmnop0123456789"]) expect(text).not.toContain(secret);
    expect(verifyAuditLogText(text).ok).toBe(true);
  });
});
