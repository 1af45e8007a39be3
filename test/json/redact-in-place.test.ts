import { describe, expect, it } from "vitest";
import { redactInPlace } from "../../src/guards/redact-in-place.js";
import { redactValue } from "../../src/guards/secrets.js";

describe("redactInPlace", () => {
  it("gives what redactValue gives, without a copy", () => {
    const make = (): Record<string, unknown> => ({
      item_id: "if-1",
      password: "hunter2",
      tokens: ["abc", "  ", { note: "uses tok-SECRET-123 here" }],
      nested: { api_key: "", message: "token tok-SECRET-123", list: ["tok-SECRET-123", 1, null] },
      count: 3,
    });
    const original = make();
    const inPlace = make();
    redactInPlace(inPlace, ["tok-SECRET-123"]);
    expect(inPlace).toEqual(redactValue(original, ["tok-SECRET-123"]));
    expect(JSON.stringify(inPlace)).not.toContain("tok-SECRET-123");
    expect(JSON.stringify(inPlace)).not.toContain("hunter2");
  });
});
