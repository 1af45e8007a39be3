import { afterEach, describe, expect, it } from "vitest";
import { createReadClient } from "../../src/netbox/client.js";
import { createWriteClient } from "../../src/netbox/write-client.js";
import { mintWriteCapability, REAL_WRITE_GATES, type GateOutcome } from "../../src/guards/write-capability.js";
import { NetBoxError } from "../../src/netbox/errors.js";
import { startNetBoxServer, TEST_READ_TOKEN, TEST_WRITE_TOKEN, type NetBoxTestServer } from "../helpers/netbox-server.js";
import { deviceState } from "../helpers/netbox-fixtures.js";

let server: NetBoxTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const interfaces = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: i + 1, device: 1890, name: `ge-0/0/${i}`, type: "1000base-t" }));

async function failure(promise: Promise<unknown>): Promise<NetBoxError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NetBoxError);
  return error as NetBoxError;
}

describe("NetBox read client", () => {
  it("sends Bearer for nbt_ tokens and Token otherwise, with JSON headers and trailing slashes", async () => {
    server = await startNetBoxServer({ state: deviceState() });
    await createReadClient({ baseUrl: server.url, token: TEST_WRITE_TOKEN }).get("api/dcim/devices/1890");
    await createReadClient({ baseUrl: `${server.url}/api`, token: TEST_READ_TOKEN }).get("/api/dcim/devices/1890");
    expect(server.log.map((r) => [r.path, r.authorization?.split(" ")[0], r.status])).toEqual([
      ["/api/dcim/devices/1890/", "Bearer", 200],
      ["/api/dcim/devices/1890/", "Token", 200],
    ]);
    expect(server.log[0]?.contentType).toBe("application/json");
  });

  it("follows next pages on the same origin and captures API-Version", async () => {
    server = await startNetBoxServer({ state: deviceState({ "dcim.interface": interfaces(7) }) });
    const client = createReadClient({ baseUrl: server.url, token: TEST_READ_TOKEN });
    const result = await client.list("api/dcim/interfaces", "device_id=1890", 3);
    expect(result.results.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result.pages).toBe(3);
    expect(server.log.map((r) => r.query)).toEqual([
      "device_id=1890&limit=3",
      "device_id=1890&limit=3&offset=3",
      "device_id=1890&limit=3&offset=6",
    ]);
    expect(client.apiVersion).toBe("4.4");
  });

  it("re-issues a next link that names another origin on the configured origin: the token never goes there", async () => {
    const other = await startNetBoxServer({ state: deviceState() });
    try {
      // As NetBox behind a proxy builds it: another scheme/host than --netbox-url.
      server = await startNetBoxServer({ state: deviceState({ "dcim.interface": interfaces(5) }), faults: { nextOrigin: other.url } });
      const client = createReadClient({ baseUrl: server.url, token: TEST_READ_TOKEN });
      const result = await client.list("api/dcim/interfaces", "device_id=1890", 2);
      expect(result.results.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
      expect(other.log).toHaveLength(0);
      expect(server.log.map((r) => r.query)).toEqual(["device_id=1890&limit=2", "device_id=1890&limit=2&offset=2", "device_id=1890&limit=2&offset=4"]);
    } finally {
      await other.close();
    }
  });

  it("never sends the token to a next host that is another name of the same server", async () => {
    // `localhost` reaches the same server: had the link been followed, the log would show it.
    server = await startNetBoxServer({ state: deviceState({ "dcim.interface": interfaces(3) }), maxPageSize: 1 });
    server.faults = { nextOrigin: `http://localhost:${server.port}` };
    const result = await createReadClient({ baseUrl: server.url, token: TEST_READ_TOKEN }).list("api/dcim/interfaces", "", 1000);
    expect(result.results).toHaveLength(3);
    expect(new Set(server.log.map((r) => r.host))).toEqual(new Set([`127.0.0.1:${server.port}`]));
  });

  it("pages through NetBox's MAX_PAGE_SIZE cap, and against a NetBox with extra fields", async () => {
    server = await startNetBoxServer({ state: deviceState({ "dcim.interface": interfaces(5) }), maxPageSize: 2, independent: true });
    const result = await createReadClient({ baseUrl: server.url, token: TEST_READ_TOKEN }).list("api/dcim/interfaces", "id=1&id=3&id=5");
    expect(result.results.map((r) => r.id)).toEqual([1, 3, 5]);
    expect(result.pages).toBe(2);
    expect(server.log[0]?.query).toBe("id=1&id=3&id=5&limit=1000");
    expect(result.results[0]).toHaveProperty("created");
  });

  it("sends integers beyond 2^53 exactly (lossless JSON body)", async () => {
    server = await startNetBoxServer({ state: deviceState() });
    const allPass: GateOutcome[] = REAL_WRITE_GATES.map((gate_id) => ({ gate_id, status: "pass", message: "ok" }));
    const client = createWriteClient({ baseUrl: server.url, token: TEST_WRITE_TOKEN }, mintWriteCapability("B-1", allPass));
    await client.post("api/dcim/interfaces", [{ device: 1890, name: "xe-0/0/9", type: "1000base-t", custom_fields: { circuit_id: 12345678901234567890n } }]);
    const post = server.log.find((r) => r.method === "POST");
    expect(post?.rawBody).toContain('"circuit_id":12345678901234567890');
  });

  it("retries a GET on 5xx and on a dropped connection, then succeeds", async () => {
    server = await startNetBoxServer({ state: deviceState(), faults: { failRequest: { n: 1, status: 503 }, dropRequest: 2 } });
    const client = createReadClient({ baseUrl: server.url, token: TEST_READ_TOKEN, backoffMs: 5 });
    const response = await client.get("api/dcim/devices/1890/");
    expect(response.status).toBe(200);
    expect(server.log.map((r) => r.status)).toEqual([503, "dropped", 200]);
    expect(response.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("gives up after the bounded retries with a typed error", async () => {
    server = await startNetBoxServer({ state: deviceState() });
    server.faults = { failRequest: { n: 1, status: 502 } };
    const client = createReadClient({ baseUrl: server.url, token: TEST_READ_TOKEN, retries: 0 });
    const error = await failure(client.get("api/status/"));
    expect([error.kind, error.status]).toEqual(["http", 502]);
  });

  it("times out a request that never answers", async () => {
    server = await startNetBoxServer({ state: deviceState(), faults: { hangRequest: 1 } });
    const client = createReadClient({ baseUrl: server.url, token: TEST_READ_TOKEN, timeoutMs: 200, retries: 0 });
    const error = await failure(client.get("api/status/"));
    expect(error.kind).toBe("timeout");
  });

  it("retries a timed-out GET", async () => {
    server = await startNetBoxServer({ state: deviceState(), faults: { hangRequest: 1 } });
    const client = createReadClient({ baseUrl: server.url, token: TEST_READ_TOKEN, timeoutMs: 200, backoffMs: 1 });
    expect((await client.get("api/status/")).status).toBe(200);
  });

  it("does not follow a redirect (it would carry the token elsewhere)", async () => {
    const other = await startNetBoxServer({ state: deviceState() });
    try {
      server = await startNetBoxServer({ state: deviceState(), faults: { redirectRequest: { n: 1, location: `${other.url}/api/status/` } } });
      const client = createReadClient({ baseUrl: server.url, token: TEST_READ_TOKEN });
      const error = await failure(client.get("api/status/"));
      expect([error.kind, error.status]).toEqual(["redirect", 302]);
      expect(other.log).toHaveLength(0);
      expect(server.log).toHaveLength(1);
      const raw = await fetch(`${server.url}/api/status`, { method: "POST", redirect: "manual" });
      expect(raw.status).toBe(301);
    } finally {
      await other.close();
    }
  });

  it("reports 403 and unreachable as typed errors without the token", async () => {
    server = await startNetBoxServer({ state: deviceState(), faults: { echoTokenInErrors: true } });
    const secret = "nbt_WRONGkey.wrongsecretvalue123456789";
    const error = await failure(createReadClient({ baseUrl: server.url, token: secret }).get("api/dcim/devices/"));
    expect([error.kind, error.status]).toEqual(["auth", 403]);
    expect(error.message).toContain("Invalid token");
    expect(JSON.stringify(error.body)).not.toContain("wrongsecretvalue");
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(secret);
    const port = server.port;
    await server.close();
    server = undefined;
    const down = await failure(createReadClient({ baseUrl: `http://127.0.0.1:${port}`, token: secret, retries: 1, backoffMs: 1 }).get("api/status/"));
    expect(down.kind).toBe("unreachable");
    expect(down.message).not.toContain(secret);
  });

  it("has no write method and refuses non-GET at run time", async () => {
    server = await startNetBoxServer({ state: deviceState() });
    const client = createReadClient({ baseUrl: server.url, token: TEST_WRITE_TOKEN });
    expect("post" in client || "patch" in client || "delete" in client).toBe(false);
    const request = (client as unknown as { request(method: string, url: URL): Promise<unknown> }).request.bind(client);
    await expect(request("POST", new URL(`${server.url}/api/dcim/interfaces/`))).rejects.toThrow(/cannot send POST/);
    await expect(request("DELETE", new URL(`${server.url}/api/dcim/interfaces/`))).rejects.toThrow(/cannot send DELETE/);
    expect(server.log).toHaveLength(0);
  });
});
