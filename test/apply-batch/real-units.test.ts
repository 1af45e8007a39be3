import { describe, expect, it } from "vitest";
import { itemErrors } from "../../src/apply/real/write.js";
import { writeTuning } from "../../src/apply/tuning.js";
import { envInteger } from "../../src/guards/env.js";
import { chunksOf } from "../../src/apply/write-plan.js";

describe("bounded chunks", () => {
  const sizes = (n: number, max: number, concurrency: number) => chunksOf(Array.from({ length: n }, (_, i) => i), max, concurrency).map((c) => c.length);

  it("leave a group that fits alone, and cut a larger one into a multiple of the concurrency, evenly", () => {
    expect(sizes(0, 100, 3)).toEqual([]);
    expect(sizes(6, 100, 3)).toEqual([6]);
    expect(sizes(500, 100, 3)).toEqual([84, 84, 83, 83, 83, 83]);
    expect(sizes(500, 100, 1)).toEqual([100, 100, 100, 100, 100]);
    expect(sizes(7, 2, 3)).toEqual([2, 1, 1, 1, 1, 1]);
    expect(sizes(3, 1, 2)).toEqual([1, 1, 1]);
  });

  it("keep every item once, in order, never over the bound", () => {
    for (const [n, max, c] of [[1000, 100, 3], [101, 100, 4], [9999, 7, 16]] as const) {
      const items = Array.from({ length: n }, (_, i) => i);
      const chunks = chunksOf(items, max, c);
      expect(chunks.flat()).toEqual(items);
      expect(Math.max(...chunks.map((x) => x.length))).toBeLessThanOrEqual(max);
    }
  });
});

describe("a bulk 400 names the items", () => {
  const ids = ["a", "b", "c"];
  it("from NetBox's list with one error object per item", () => {
    expect(itemErrors([{}, { type: ["x"] }, {}], ids)).toEqual([{ item_id: "b", errors: { type: ["x"] } }]);
  });
  it("from NetBox 4.7's {detail, errors: [{index, errors}]}", () => {
    expect(itemErrors({ detail: "2 of 3 failed", errors: [{ index: 0, errors: { name: ["y"] } }, { index: 2, errors: { mtu: ["z"] } }] }, ids)).toEqual([
      { item_id: "a", errors: { name: ["y"] } },
      { item_id: "c", errors: { mtu: ["z"] } },
    ]);
  });
  it("and names nothing from a body it does not understand", () => {
    expect(itemErrors({ detail: "nope" }, ids)).toEqual([]);
    expect(itemErrors([{}, {}, {}, { extra: ["?"] }], ids)).toEqual([]);
  });
});

describe("tuning from the environment", () => {
  it("has documented defaults and refuses values out of range", () => {
    expect(writeTuning({})).toEqual({ chunkSize: 100, concurrency: 3, settleFenceMs: 180_000 });
    expect(envInteger({ X: " 7 " }, "X", 1, { min: 1, max: 10 })).toBe(7);
    for (const bad of ["0", "11", "-1", "1.5", "1e3", "abc"]) expect(() => envInteger({ X: bad }, "X", 1, { min: 1, max: 10 })).toThrow(/X must be a whole number from 1 to 10/);
  });
});
