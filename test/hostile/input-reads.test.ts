// readInputFile reads a regular file's known size in one go and stops at a short read past it; a
// file whose size says nothing (procfs gives 0 and answers a page per read) is read until a read
// returns nothing.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readInputFile } from "../../src/io/input.js";

const dir = mkdtempSync(join(tmpdir(), "opsgate-input-reads-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("reading an input file whole", () => {
  it.each([0, 1, 4095, 4096, 70_000, (1 << 20) + 3])("a regular file of %i bytes comes back byte for byte", (size) => {
    const bytes = Buffer.alloc(size, "ab\n");
    const file = join(dir, `file-${size}.json`);
    writeFileSync(file, bytes);
    expect(readInputFile(file, "batch plan").equals(bytes)).toBe(true);
  });

  it.skipIf(process.platform !== "linux")("a /proc file (size 0, a page per read) is read past its first page", () => {
    const text = readInputFile("/proc/self/smaps", "batch plan").toString("utf8");
    expect(text.length).toBeGreaterThan(8192);
    expect(text.trimEnd().split("\n").at(-1)).toMatch(/^VmFlags:/);
  });
});
