import { describe, expect, it } from "vitest";
import { shortDiff } from "../../src/commands/snapshots-regenerate/diff.js";

describe("snapshots regenerate --check: the drift diff", () => {
  it("a two-line change in a long file shows as those two lines with a little context", () => {
    const lines = Array.from({ length: 3100 }, (_, i) => `  "line_${i}": ${i},`);
    const before = `{\n${lines.join("\n")}\n}\n`;
    const changed = [...lines];
    changed[1200] = '  "line_1200": "changed",';
    changed[2900] = '  "line_2900": "changed too",';
    const after = `{\n${changed.join("\n")}\n}\n`;
    const diff = shortDiff(before, after);
    expect(diff.filter((line) => line.startsWith("- "))).toEqual(['-   "line_1200": 1200,', '-   "line_2900": 2900,']);
    expect(diff.filter((line) => line.startsWith("+ "))).toEqual(['+   "line_1200": "changed",', '+   "line_2900": "changed too",']);
    expect(diff.filter((line) => line.startsWith("@@"))).toEqual(["@@ -1200,5 +1200,5 @@", "@@ -2900,5 +2900,5 @@"]);
    expect(diff.join("\n")).not.toContain("more");
  });

  it("an inserted line is one added line, not the rest of the file", () => {
    const before = Array.from({ length: 2000 }, (_, i) => `row ${i}`).join("\n");
    const after = before.replace("row 10\n", "row 10\nnew row\n");
    const diff = shortDiff(before, after);
    expect(diff.filter((line) => /^[-+] /.test(line))).toEqual(["+ new row"]);
  });

  it("a long diff stops and says how much is left", () => {
    const before = Array.from({ length: 200 }, (_, i) => `a${i}`).join("\n");
    const after = Array.from({ length: 200 }, (_, i) => `b${i}`).join("\n");
    const diff = shortDiff(before, after, 10);
    expect(diff).toHaveLength(11);
    expect(diff.at(-1)).toBe("... 391 more changed line(s) (400 in all)");
  });
});
