import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli, summaryOf } from "../helpers/cli.js";

describe("opsgate schema", () => {
  it("lists the format names without a NAME", async () => {
    const result = await runCli(["schema"]);
    expect(result.code).toBe(0);
    const names = (JSON.parse(result.stdout) as { formats: { name: string }[] }).formats.map((f) => f.name);
    expect(names).toEqual(["approval-policy", "approval-record", "audit-event", "batch-plan", "netbox-state", "snapshot-manifest"]);
    expect(summaryOf(result)).toBe("SCHEMA_LIST formats=6");
  });

  it.each(["approval-policy", "approval-record", "audit-event", "batch-plan", "netbox-state", "snapshot-manifest"])("prints %s exactly as committed", async (name) => {
    const result = await runCli(["schema", name]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(PROJECT_ROOT, `snapshots/schemas/${name}.schema.json`), "utf8"));
    const schema = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.additionalProperties).toBe(false);
  });

  it("refuses an unknown name with exit 2 and lists the names", async () => {
    const result = await runCli(["schema", "netbox-stat"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown schema "netbox-stat"');
    expect(result.stderr).toContain("hint: one of: approval-policy, approval-record, audit-event, batch-plan, netbox-state, snapshot-manifest");
  });
});
