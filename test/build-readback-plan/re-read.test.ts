import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/cli.js";
import { readReadbackSource } from "../../src/readback/source.js";
import { writeReadbackPlan } from "../../src/readback/plan.js";

// A small source is read whole (by JSON.parse where that reads as the reader does) and keeps its
// parsed candidates; a large one is scanned by the reader, which keeps their offsets and re-reads
// each while the plan is written. Both must write the seed's bytes and refuse alike.
const fixtures = join(PROJECT_ROOT, "fixtures/readback");
const cases = readdirSync(fixtures).filter((name) => existsSync(join(fixtures, name, "expected.json")));

function render(name: string, keepParsedBytes?: number): string {
  const file = join(fixtures, name, "source.json");
  const source = readReadbackSource(readFileSync(file), file, keepParsedBytes);
  const parts: string[] = [];
  writeReadbackPlan({ write: (text) => parts.push(text) }, { source, generatedAt: "2026-05-01T10:00:00+08:00", gitCommit: "unknown" });
  return `${parts.join("")}\n`;
}

describe("the readback plan, candidates kept or re-read", () => {
  it.each(cases)("%s: the same bytes either way, and the seed's", (name) => {
    const expected = readFileSync(join(fixtures, name, "expected.json"), "utf8");
    expect(render(name)).toBe(expected);
    expect(render(name, 0)).toBe(expected);
  });
});

describe("a bad source, read whole or scanned", () => {
  const good = JSON.parse(readFileSync(join(fixtures, "basic/source.json"), "utf8")) as { acceptance_candidates: Record<string, unknown>[] };
  const candidate = good.acceptance_candidates[0] as Record<string, unknown>;
  const withoutSurface = Object.fromEntries(Object.entries(candidate).filter(([key]) => key !== "surface_id"));
  const source = (patch: Record<string, unknown>): string => JSON.stringify({ ...good, ...patch });
  const refusal = (text: string, keepParsedBytes?: number): string => {
    try {
      readReadbackSource(Buffer.from(text, "utf8"), "source.json", keepParsedBytes);
    } catch (error) {
      return (error as Error).message;
    }
    return "accepted";
  };

  it.each([
    ["a candidate that is not an object", source({ acceptance_candidates: [candidate, 7] })],
    ["a candidate without a field", source({ acceptance_candidates: [withoutSurface] })],
    ["a flag that is not a boolean", source({ acceptance_candidates: [{ ...candidate, requires_live_evidence: 1 }] })],
    ["a credential in a copied field", source({ acceptance_candidates: [{ ...candidate, label: "nbt_AbCd1234.0123456789abcdef" }] })],
    ["candidates that are not an array", source({ acceptance_candidates: { a: 1 } })],
    ["a summary that is not an object", source({ summary: [1] })],
    ["a credential in the status", source({ status: "Bearer 0123456789abcdef0123" })],
    ["a bad candidate list overridden by a later good one", source({}).replace('"acceptance_candidates":', '"acceptance_candidates": [1], "acceptance_candidates":')],
    ["a good candidate list overridden by a later bad one", source({}).replace(/}$/, ', "acceptance_candidates": [null]}')],
  ])("%s: the same answer either way", (_name, text) => {
    expect(refusal(text)).toBe(refusal(text, 0));
  });

  it("names the problem (not only agreeing)", () => {
    expect(refusal(source({ acceptance_candidates: [withoutSurface] }))).toBe("acceptance_candidates[0] lacks the field 'surface_id'");
    expect(refusal(source({}).replace(/}$/, ', "acceptance_candidates": [null]}'))).toBe("acceptance_candidates[0] must be an object, not null");
  });
});
