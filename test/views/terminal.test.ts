import { describe, expect, it } from "vitest";
import { fitLine, plainTerm, visibleLength } from "../../src/views/terminal/style.js";
import { fitWidths, renderTable } from "../../src/views/terminal/table.js";

describe("terminal drawing", () => {
  it("cuts a coloured line by what is visible and closes the colour", () => {
    const line = `\u001b[31m${"x".repeat(30)}\u001b[39m tail`;
    const cut = fitLine(line, 10);
    expect(visibleLength(cut)).toBe(10);
    expect(cut.endsWith("…\u001b[0m")).toBe(true);
    expect(fitLine("short", 10)).toBe("short");
  });

  it("a table fits the terminal: flexible columns give way first, then the widest", () => {
    expect(fitWidths([10, 40, 10], 70, [false, true, false])).toEqual([10, 40, 10]);
    expect(fitWidths([10, 40, 10], 50, [false, true, false])).toEqual([10, 26, 10]);
    expect(fitWidths([30, 40, 10], 50, [false, true, false])).toEqual([20, 16, 10]);
    const lines = renderTable([{ title: "ID" }, { title: "N", right: true }, { title: "TEXT", flexible: true }], [["a", "7", "y".repeat(80)]], plainTerm(40));
    expect(lines[0]).toBe("ID  N  TEXT");
    expect(lines[1]).toMatch(/^a {3}7 {2}y+…$/);
    expect(lines.every((line) => line.length <= 40)).toBe(true);
  });
});
