import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/cli.js";

// bin/opsgate.js loads dist/ through the V8 code cache built with it; these run a copy of the
// package so that its dist/ can be broken without touching the real one.
const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

function copyPackage(withDist: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), "opsgate-launcher-"));
  copies.push(dir);
  cpSync(join(PROJECT_ROOT, "bin"), join(dir, "bin"), { recursive: true });
  if (withDist) cpSync(join(PROJECT_ROOT, "dist"), join(dir, "dist"), { recursive: true });
  return dir;
}

const ARGS = ["build-readback-plan", "--root", join(PROJECT_ROOT, "fixtures/readback/basic"), "--source-report", "source.json",
  "--generated-at", "2026-05-01T10:00:00+08:00", "--git-commit", "0000000"];
function run(dir: string, args = ARGS): { code: number | null; stdout: string; stderr: string } {
  const out = spawnSync(process.execPath, [join(dir, "bin", "opsgate.js"), ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" } });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}
const expected = readFileSync(join(PROJECT_ROOT, "snapshots/build-readback-plan/basic.json"), "utf8");

describe("bin/opsgate.js", () => {
  it("says to run the build when dist/ is missing, without a stack", () => {
    const result = run(copyPackage(false), ["--help"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("npm run build");
    expect(result.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|\n\s+at /);
  });

  it("says to run the build when dist/ holds bundles an older build wrote (not wrapped), without a stack", () => {
    const dir = copyPackage(true);
    for (const name of ["main", "commands/build-readback-plan"]) {
      const file = join(dir, "dist", `${name}.js`);
      const wrapped = readFileSync(file, "utf8");
      writeFileSync(file, wrapped.slice(wrapped.indexOf("{") + 1, wrapped.lastIndexOf("\n})\n")));
    }
    for (const args of [ARGS, ["--help"]]) {
      const result = run(dir, args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("was built by an older opsgate");
      expect(result.stderr).toContain("npm run build");
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("ships a code cache for every bundle, each naming its bundle's build", () => {
    const caches = readdirSync(join(PROJECT_ROOT, "dist/commands")).filter((name) => name.endsWith(".cache"));
    const bundles = readdirSync(join(PROJECT_ROOT, "dist/commands")).filter((name) => name.endsWith(".js"));
    expect(caches.map((name) => name.replace(/\.cache$/, ""))).toEqual(bundles.map((name) => name.replace(/\.js$/, "")));
    const main = readFileSync(join(PROJECT_ROOT, "dist/main.js"), "utf8");
    const build = /\/\/# opsgate-build=([0-9a-f]{64})\n$/.exec(main)?.[1];
    expect(build).toBeDefined();
    expect(readFileSync(join(PROJECT_ROOT, "dist/main.cache"), "latin1").split("\n")[0]).toBe(`opsgate-code-cache 1 ${process.version} ${process.arch} ${build}`);
  });

  it("runs the same with caches from another Node, another build, or corrupted", () => {
    const dir = copyPackage(true);
    const caches = ["main", "commands/build-readback-plan"].map((name) => join(dir, "dist", `${name}.cache`));
    const [mainCache, commandCache] = caches.map((file) => readFileSync(file));
    // Another Node version: the header no longer matches, the cache is skipped.
    writeFileSync(caches[0]!, Buffer.from(mainCache!.toString("latin1").replace(process.version, "v99.0.0"), "latin1"));
    // Same header, corrupted V8 data: V8 rejects it and the bundle is compiled from source.
    const header = commandCache!.indexOf(10) + 1;
    const broken = Buffer.from(commandCache!);
    for (let i = header; i < broken.length; i += 7) broken[i] = broken[i]! ^ 0x5a;
    writeFileSync(caches[1]!, broken);
    let result = run(dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(expected);
    // Another build of the bundle: the build line differs, the cache is skipped.
    const bundle = join(dir, "dist/commands/build-readback-plan.js");
    writeFileSync(bundle, readFileSync(bundle, "utf8").replace(/opsgate-build=[0-9a-f]{64}/, `opsgate-build=${"0".repeat(64)}`));
    result = run(dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(expected);
    // No cache at all.
    for (const file of caches) rmSync(file);
    expect(run(dir).stdout).toBe(expected);
  });
});
