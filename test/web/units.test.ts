import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { holdsCredential, listArtifacts, suspiciousPath } from "../../src/web/data/artifacts.js";
import { loadBatches } from "../../src/web/data/batches.js";
import { readFileSafely, readJsonSafely } from "../../src/web/data/files.js";
import { planViewOf } from "../../src/web/data/plan-view.js";
import { queueCsv } from "../../src/web/csv.js";
import { allowedHostValues } from "../../src/web/security.js";
import type { QueueEntry } from "../../src/approvals/queue.js";

const dir = mkdtempSync(join(tmpdir(), "opsgate-web-units-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("web: request paths", () => {
  it("refuses traversal and encoding tricks before any look-up", () => {
    for (const path of ["/download/a/../b", "/download/%2e%2e/b", "/download/a%2Fb", "/download/a%5cb", "/download/a\\b", "/download/.env", "/download/a/%2E%2E", "/download/a%00b", "/download/%zz", "/download/a/./b"]) {
      expect(suspiciousPath(path), path).toBeDefined();
    }
    for (const path of ["/", "/download/results/BATCH-1/ledger.jsonl", "/approvals/approval-0007", "/readback/reports/plan.json"]) {
      expect(suspiciousPath(path), path).toBeUndefined();
    }
  });

  it("allows the Host values of the bound address only", () => {
    const loopback = allowedHostValues("127.0.0.1", 8890);
    expect([...loopback].sort()).toEqual(["127.0.0.1:8890", "[::1]:8890", "localhost:8890"]);
    expect(allowedHostValues("10.0.0.5", 80).has("10.0.0.5")).toBe(true);
    expect(allowedHostValues("10.0.0.5", 8890).has("localhost:8890")).toBe(false);
  });
});

describe("web: hostile files", () => {
  it("reads no FIFO, symlink or oversized file, and never throws", () => {
    const fifo = join(dir, "fifo.json");
    execFileSync("mkfifo", [fifo]);
    expect(readFileSafely(fifo)).toEqual({ ok: false, problem: "not a regular file" });
    writeFileSync(join(dir, "big.json"), "x".repeat(2048));
    expect(readFileSafely(join(dir, "big.json"), 1024).ok).toBe(false);
    symlinkSync(join(dir, "big.json"), join(dir, "link.json"));
    expect(readFileSafely(join(dir, "link.json"))).toEqual({ ok: false, problem: "a symbolic link (not followed)" });
    writeFileSync(join(dir, "bad.json"), "{\"a\": ");
    expect(readJsonSafely(join(dir, "bad.json")).ok).toBe(false);
    writeFileSync(join(dir, "deep.json"), "[".repeat(100_000) + "]".repeat(100_000));
    expect(() => readJsonSafely(join(dir, "deep.json"))).not.toThrow();
    expect(readFileSafely(join(dir, "missing.json")).ok).toBe(false);
  });

  it("lists artifacts without following symlinks or entering dot folders", () => {
    const root = join(dir, "root");
    mkdirSync(join(root, ".git"), { recursive: true });
    mkdirSync(join(root, "sub"));
    writeFileSync(join(root, ".git", "config.txt"), "x");
    writeFileSync(join(root, "sub", "a.csv"), "a,b\r\n");
    writeFileSync(join(root, "b.exe"), "x");
    symlinkSync("/etc", join(root, "etc"));
    symlinkSync("/etc/hostname", join(root, "host.txt"));
    expect(listArtifacts([{ key: "reports", dir: root }]).map((a) => a.id)).toEqual(["reports/sub/a.csv"]);
  });

  it("finds credential shapes in any artifact, and none in a plain one", () => {
    expect(holdsCredential(Buffer.from('{"password": "hunter2hunter2"}'), ".json")).toBe(true);
    expect(holdsCredential(Buffer.from('{"a":1}\n{"token":"0123456789abcdef0123456789abcdef01234567"}\n'), ".jsonl")).toBe(true);
    expect(holdsCredential(Buffer.from("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n"), ".txt")).toBe(true);
    expect(holdsCredential(Buffer.from("ok line\nhttps://user:pa55word@netbox.example.net/\n"), ".log")).toBe(true);
    expect(holdsCredential(Buffer.from('{"summary": "KTG VLAN 310", "payload_sha256": "ab"}'), ".json")).toBe(false);
  });

  it("draws a hand-edited report as a problem, not a crash", () => {
    const built = planViewOf({ schema_version: "batch_apply_report_v1", mode: "dry_run" });
    expect("problem" in built).toBe(true);
  });

  it("reads a results folder with torn ledgers and junk without throwing", () => {
    const results = join(dir, "results");
    mkdirSync(join(results, "B-1"), { recursive: true });
    mkdirSync(join(results, "..weird"), { recursive: true });
    writeFileSync(join(results, "B-1", "ledger.jsonl"), '{"kind":"run_start","run_id":"run-1","mode":"real","batch_id":"B-1","plan_sha256":"x","operator":"o","netbox_url":null,"at":"2026-01-01T00:00:00+00:00"}\n{"kind":"intent","run_id":"run-1","seq":1,"phase":"write","method":"POST","path":"/api/ipam/vlans/","object_type":"ipam.vlan","item_ids":["v"],"object_ids":[],"at":"x"}\n{"kind":"outcome","run_id":"run-1","seq":1,"result":"ok","status":201,"request_id":null,"created":[{"item_id":"v","object_type":"ipam.vlan","id":7}],"error":null,"at":"x"}\n{"kind":"run_e');
    writeFileSync(join(results, "B-1", "apply-run-1.json"), "[1,2");
    const data = loadBatches(results);
    expect(data.batches.map((b) => b.batchId)).toEqual(["B-1"]);
    const batch = data.batches[0]!;
    expect(batch.needsRecover).toBe(true);
    expect(batch.leftForRecover).toEqual([{ item_id: "v", object_type: "ipam.vlan", id: 7 }]);
    expect(batch.problems.map((p) => p.path).sort()).toEqual(["B-1/apply-run-1.json", "B-1/ledger.jsonl"]);
  });
});

describe("web: CSV", () => {
  it("quotes per RFC 4180 and defuses spreadsheet formulas", () => {
    const entry = { approval_id: "a-1", state: "pending", device: { id: 1, name: "R1" }, risk_level: "low", requested_by: "=HYPERLINK(\"x\")", requested_at: "t", age_days: 0, decided_by: null, expires_at: null, expired: false, item_count: 1, summary: 'a, "b"\nc', path: "pending/a-1.json" } as unknown as QueueEntry;
    const [, row] = queueCsv([entry]).split("\r\n");
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
    expect(queueCsv([entry])).toContain(`"a, ""b""\nc"`);
  });
});
