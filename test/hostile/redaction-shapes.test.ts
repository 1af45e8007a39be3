// The secrets guard skips the credential patterns for text that holds none of their hints (most
// text, and every summary line). These tests hold the hints to the patterns: each credential name
// a pattern knows is still found and redacted in text with no other hint (no URL scheme, no
// "token"), and name=value text without one is left alone.
import { describe, expect, it } from "vitest";
import { findSecrets, redactText } from "../../src/guards/secrets.js";

const PASS = "Sup3rS3cretPass";

// The names of CREDENTIAL_PARAM and KEY_VALUE_TEXT in src/guards/secrets.ts, in several spellings.
const QUERY_NAMES = ["api_key", "api-key", "apikey", "API_KEY", "key", "Key", "password", "PASSWORD", "passwd", "secret", "client_secret", "Client-Secret"];
const KEY_VALUE_NAMES = ["password", "Password", "passwd", "secret", "SECRET", "api_key", "apikey"];

describe("credential names without any other hint", () => {
  it.each(QUERY_NAMES)("?%s= in a path is redacted and found", (name) => {
    const text = `GET /api/dcim/devices/?${name}=${PASS}&limit=5`;
    expect(redactText(text, [])).not.toContain(PASS);
    expect(findSecrets({ note: text })).toEqual([{ path: "note", message: "looks like a URL with a credential query parameter" }]);
  });

  it.each(KEY_VALUE_NAMES)("%s=value in prose is redacted and found", (name) => {
    const text = `left the box with ${name}=${PASS} for the night shift`;
    expect(redactText(text, [])).toBe(`left the box with ${name}=[REDACTED] for the night shift`);
    expect(findSecrets({ note: text })).toHaveLength(1);
  });

  it("leaves name=value text with no credential name as it is", () => {
    const summary = "MONITORING_POST_INCIDENT_READBACK_PLAN_OK candidates=12 write_capable=4 checks=28 lanes=11 accepted=0 runtime_gate=0";
    expect(redactText(summary, [])).toBe(summary);
    expect(findSecrets({ line: summary, filter: "device_id=1890&status=active" })).toEqual([]);
  });
});

describe("hints in any case, in a value checked on its own", () => {
  // A copied value (the readback plan's candidate fields) is checked as a lone scalar.
  const SHAPES: [string, string][] = [
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "looks like a private key block"],
    ["AUTHORIZATION: Token 0123456789abcdef0123456789abcdef01234567", "looks like an Authorization header"],
    ["Bearer abcdef0123456789abcdef", "looks like a Bearer/Token credential"],
    ["HTTPS://svc:Sup3rS3cretPass@netbox.example.net/", "looks like a URL with a password"],
    ["Password=Sup3rS3cretPass", "looks like a password/token in key=value text"],
    ["nbt_AbC123.DeF456", "looks like a NetBox v2 token (nbt_...)"],
  ];

  it.each(SHAPES)("%j is found", (text, message) => {
    expect(findSecrets(text, [], "acceptance_candidates[0].label")).toEqual([{ path: "acceptance_candidates[0].label", message }]);
  });

  it("finds a token from the environment in a lone value, and nothing in numbers, booleans or null", () => {
    const token = "0123456789abcdef0123456789abcdef01234567";
    expect(findSecrets(`see ${token}`, [token], "summary.note")).toEqual([{ path: "summary.note", message: "holds the value of a token from the environment" }]);
    for (const value of [12, 0, true, false, null]) expect(findSecrets(value, [token], "x")).toEqual([]);
    expect(findSecrets("surface-12 infra/monitoring/rules/12.yaml", [token], "x")).toEqual([]);
  });
});

describe("a key name met again is judged the same, its values each on their own", () => {
  it("finds each secret-named or 40-hex key value, wherever the name repeats", () => {
    const hex = "0123456789abcdef0123456789abcdef01234567";
    const items = [{ token: "" }, { token: "Sup3rS3cretPass" }, { key: "short" }, { key: hex }, { label: hex }, { "nbt_AbC123.DeF456": 1 }, { "nbt_AbC123.DeF456": 2 }];
    expect(findSecrets({ items })).toEqual([
      { path: "items[1].token", message: "key 'token' holds a credential value" },
      { path: "items[3].key", message: "key 'key' holds a 40-hex value shaped like a NetBox v1 token" },
      { path: "items[5]", message: "a key of this object looks like a NetBox v2 token (nbt_...)" },
      { path: "items[6]", message: "a key of this object looks like a NetBox v2 token (nbt_...)" },
    ]);
  });
});
