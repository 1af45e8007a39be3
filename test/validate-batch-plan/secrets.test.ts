import { describe, expect, it } from "vitest";
import { findSecrets } from "../../src/guards/secrets.js";

const HEX40 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b";

describe("findSecrets: real credential shapes fire", () => {
  it.each([
    ["NetBox v1 token in a token key", { netbox_token: HEX40 }],
    ["NetBox v1 token in NetBox's own `key` field", { key: HEX40 }],
    ["NetBox v1 token in an X-API-Key header", { headers: { "X-API-Key": HEX40 } }],
    ["a short v2 token", { description: "nbt_abc.def" }],
    ["v2 token anywhere", { description: "use nbt_Ab12Cd34Ef56.Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp0Oo9Nn8Mm7" }],
    ["Authorization header line", { note: `curl -H 'Authorization: Token ${HEX40}'` }],
    ["Authorization in embedded JSON", { raw: `{"Authorization": "Bearer abc123def456ghi789"}` }],
    ["Bearer value", { comments: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.x1" }],
    ["private key block", { cert: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----" }],
    ["PGP private key block", { note: "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQdGBF\n-----END PGP PRIVATE KEY BLOCK-----" }],
    ["password key", { custom_fields: { snmp_password: "hunter2" } }],
    ["URL with a password", { url: "https://svc-netbox:s3cr3t@netbox.example.net/api/" }],
    ["token in a query string", { url: "https://netbox.example.net/api/?token=abcd1234efgh" }],
  ])("%s", (_name, value) => {
    expect(findSecrets(value)).toHaveLength(1);
  });

  it("finds a credential pasted as a key name, and reports it at the object", () => {
    expect(findSecrets({ custom_fields: { "nbt_AbCd1234.0123456789abcdef": true } })).toEqual([
      { path: "custom_fields", message: "a key of this object looks like a NetBox v2 token (nbt_...)" },
    ]);
  });

  it("never puts the value in the finding", () => {
    const [finding] = findSecrets({ items: [{ staged_payload: { api_token: HEX40 } }] });
    expect(finding).toEqual({ path: "items[0].staged_payload.api_token", message: "key 'api_token' holds a 40-hex value shaped like a NetBox v1 token" });
  });
});

describe("findSecrets: near misses stay quiet", () => {
  it.each([
    ["a 40-hex repo_sha256", { repo_sha256: HEX40 }],
    ["a 40-hex git commit", { commit: HEX40, description: `built from ${HEX40}` }],
    ["a token count", { token_count: 5, password_required: true }],
    ["an empty password", { password: "" }],
    ["an interface named nbt_uplink", { name: "nbt_uplink" }],
    ["a mac_address and the word token in prose", { mac_address: "00:1B:21:3A:4F:5C", description: "token ring; rotate the token" }],
    ["a 64-hex digest under a non-secret key", { config_sha256: "ab".repeat(32) }],
    ["prose with Bearer and Token", { description: "Token ring adapter; Bearer capacity-planning-notes for the team" }],
    ["an author field", { author: "ops.maria", authority: "NOC" }],
    ["a URL without credentials", { url: "https://netbox.example.net/api/dcim/interfaces/?device_id=1890" }],
  ])("%s", (_name, value) => {
    expect(findSecrets(value)).toEqual([]);
  });
});
