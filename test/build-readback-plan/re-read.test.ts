import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/cli.js";
import { readReadbackSource } from "../../src/readback/source.js";
import { writeReadbackPlan } from "../../src/readback/plan.js";

// A small source keeps its parsed candidates; a large one keeps their offsets and re-reads each
// while the plan is written. Both must write the seed's bytes.
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
