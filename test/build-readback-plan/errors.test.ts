import { mkdtempSync, writeFileSync, existsSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

const GOOD = JSON.parse(readFileSync(join(PROJECT_ROOT, "fixtures/readback/basic/source.json"), "utf8")) as {
  acceptance_candidates: Record<string, unknown>[];
};

function withCandidate(patch: Record<string, unknown>, drop?: string): string {
  const candidate: Record<string, unknown> = { ...GOOD.acceptance_candidates[0], ...patch };
  if (drop) delete candidate[drop];
  return JSON.stringify({ ...GOOD, acceptance_candidates: [candidate] });
}

// Inputs the seed would crash on (a traceback) or silently mis-handle: opsgate says what and where, exit 2.
const BAD: [string, string | Buffer, RegExp][] = [
  ["malformed JSON", '{"acceptance_candidates": [}', /malformed JSON: expected a value at line 1 column 28/],
  ["an empty file", "", /malformed JSON: expected a value, found the end of the file/],
  ["a UTF-8 BOM", "\ufeff{}", /BOM/],
  ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), /invalid UTF-8/],
  ["a top-level array", "[]", /must be a JSON object, not array/],
  ["a candidate that is not an object", JSON.stringify({ acceptance_candidates: ["x"] }), /acceptance_candidates\[0\] must be an object, not string/],
  ["a candidate without surface_id", withCandidate({}, "surface_id"), /acceptance_candidates\[0\] lacks the field 'surface_id'/],
  ["a candidate without requires_live_evidence", withCandidate({}, "requires_live_evidence"), /lacks the field 'requires_live_evidence'/],
  ["summary of the wrong type", JSON.stringify({ summary: [], acceptance_candidates: [] }), /summary must be an object, not array/],
  ["summary null", JSON.stringify({ summary: null }), /summary must be an object, not null/],
  ["candidates of the wrong type", JSON.stringify({ acceptance_candidates: {} }), /acceptance_candidates must be an array, not object/],
  ["a non-boolean write_capable_surface", withCandidate({ write_capable_surface: "yes" }), /write_capable_surface must be true or false, not string/],
  ["a non-boolean requires_live_evidence", withCandidate({ requires_live_evidence: 1 }), /requires_live_evidence must be true or false, not number/],
  ["an unhashable config_kind", withCandidate({ config_kind: ["a"] }), /config_kind must be a string, not array/],
  ["an unpaired surrogate", withCandidate({ label: "\\ud800" }).replace("\\\\ud800", "\\ud800"), /unpaired UTF-16 surrogate/],
];

describe("build-readback-plan input errors", () => {
  it.each(BAD)("rejects %s with exit 2, the file named, no stack and no output", async (_name, content, message) => {
    const dir = mkdtempSync(join(tmpdir(), "opsgate-bad-"));
    writeFileSync(join(dir, "source.json"), content);
    const result = await runCli(["build-readback-plan", "--root", dir, "--source-report", "source.json", "--output", "plan.json"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^opsgate: error: /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(join(dir, "source.json"));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe("");
    expect(existsSync(join(dir, "plan.json"))).toBe(false);
  });

  it("names a missing source file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opsgate-bad-"));
    const result = await runCli(["build-readback-plan", "--root", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("source report not found");
    expect(result.stderr).toContain("docs/security/monitoring-owner-response-acceptance.snapshot.json");
  });

  it("treats an unknown flag as a usage error", async () => {
    const result = await runCli(["build-readback-plan", "--no-such-flag"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--no-such-flag'");
  });
});

describe("build-readback-plan output errors", () => {
  it("says why an --output path cannot be written (exit 2, nothing left behind)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opsgate-out-"));
    writeFileSync(join(dir, "source.json"), JSON.stringify({ acceptance_candidates: [] }));
    writeFileSync(join(dir, "a-file"), "");
    const underFile = await runCli(["build-readback-plan", "--root", dir, "--source-report", "source.json", "--output", "a-file/plan.json"], { cwd: dir });
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toContain("opsgate: error: cannot write the file");
    const folder = await runCli(["build-readback-plan", "--root", dir, "--source-report", "source.json", "--output", "."], { cwd: dir });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain("cannot write the file: it is a folder");
    expect(readdirSync(dir).sort()).toEqual(["a-file", "source.json"]);
  });
});
