import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createReadClient } from "../../src/netbox/client.js";
import { createWriteClient } from "../../src/netbox/write-client.js";
import { mintWriteCapability, REAL_WRITE_GATES, WriteCapability, type GateOutcome } from "../../src/guards/write-capability.js";
import { Transport } from "../../src/netbox/transport.js";
import { PROJECT_ROOT } from "../helpers/cli.js";

const allPass: GateOutcome[] = REAL_WRITE_GATES.map((gate_id) => ({ gate_id, status: "pass", message: "ok" }));
const options = { baseUrl: "http://127.0.0.1:9" };

describe("the write gate (SPEC §5)", () => {
  it("the read client's type has no write method", () => {
    const client = createReadClient(options);
    // @ts-expect-error a ReadClient cannot POST
    expect(client.post).toBeUndefined();
    // @ts-expect-error a ReadClient cannot PATCH
    expect(client.patch).toBeUndefined();
    // @ts-expect-error a ReadClient cannot DELETE
    expect(client.delete).toBeUndefined();
  });

  it("a capability cannot be constructed or forged outside the gate chain", () => {
    expect(() => {
      // @ts-expect-error the constructor is private to write-capability.ts
      void new WriteCapability({}, "B-1", []);
    }).toThrow();
    // @ts-expect-error fromChain needs the module-private mint key
    expect(() => WriteCapability.fromChain({}, "B-1", [])).toThrow(/only be minted/);
    const forged = Object.create(WriteCapability.prototype) as WriteCapability;
    expect(() => createWriteClient(options, forged)).toThrow(/minted by the real-write gate chain/);
    // @ts-expect-error a write client needs a capability
    expect(() => createWriteClient(options)).toThrow();
  });

  it("the transport refuses a write without a minted capability", async () => {
    const transport = new Transport(options);
    const forged = Object.create(WriteCapability.prototype) as WriteCapability;
    await expect(transport.send({ method: "POST", url: transport.resolve("api/dcim/interfaces/"), body: [], capability: forged })).rejects.toThrow(
      /no write capability/,
    );
  });

  it("is minted only when every real-write gate passed", () => {
    expect(() => mintWriteCapability("B-1", allPass.slice(0, -1))).toThrow(/preflight_none_exist/);
    const failed = allPass.map((g) => (g.gate_id === "plan_valid" ? { ...g, status: "fail" as const } : g));
    expect(() => mintWriteCapability("B-1", failed)).toThrow(/plan_valid/);
    const capability = mintWriteCapability("B-1", allPass);
    expect(createWriteClient(options, capability).capability).toBe(capability);
  });

  it("no dry-run module imports the write client or mints a capability", () => {
    // The real write lives in src/apply/real/; everything else of apply-batch is the dry-run side.
    const dir = join(PROJECT_ROOT, "src/apply");
    const dryRunFiles = readdirSync(dir).filter((f) => f.endsWith(".ts"));
    expect(dryRunFiles.length).toBeGreaterThan(0);
    for (const file of dryRunFiles) {
      const text = readFileSync(join(dir, file), "utf8");
      expect(text, file).not.toMatch(/write-client|mintWriteCapability|transport\.js/);
    }
  });
});
