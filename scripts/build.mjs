// Bundles the CLI into dist/ as CommonJS: one small main bundle (commander, the command registry,
// error mapping) and one self-contained bundle per command, loaded only when that command runs.
// Then builds a V8 code cache for every bundle (dist/*.cache), so a run skips most of the parsing
// and compiling: bin/opsgate.js loads the bundles through it. Why this shape (measured, see
// docs/performance.md): ESM chunk graphs cost more to load than a few CommonJS files, a single
// bundle compiles code the command does not need, and a V8 flag on the command line costs more than
// it saves.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "dist");
rmSync(DIST, { recursive: true, force: true });

const common = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  absWorkingDir: ROOT,
  outdir: DIST,
};

// In the main bundle, `import("./commands/<name>/index.js")` (src/cli.ts) becomes a call to the
// launcher's require("./commands/<name>.js"), which loads that command's bundle with its cache.
const commandsStayOutside = {
  name: "commands-stay-outside",
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/[^/]+\/index\.js$/ }, (args) => ({ path: args.path.split("/")[2], namespace: "command" }));
    b.onLoad({ filter: /.*/, namespace: "command" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`./commands/${args.path}.js`)});`,
      loader: "js",
    }));
    b.onResolve({ filter: /^\.\/commands\/[a-z0-9-]+\.js$/, namespace: "command" }, (args) => ({ path: args.path, external: true }));
  },
};

// CommonJS output keeps `import("node:x")` as a real dynamic import, which code run through
// vm.Script cannot do; a bundled stub that require()s the built-in keeps it lazy instead.
const lazyBuiltins = {
  name: "lazy-builtins",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === "dynamic-import" ? { path: args.path, namespace: "lazy-builtin" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: "js" }));
    b.onResolve({ filter: /^node:/, namespace: "lazy-builtin" }, (args) => ({ path: args.path, external: true }));
  },
};

await build({ ...common, entryPoints: { main: "src/main.ts" }, plugins: [commandsStayOutside, lazyBuiltins] });

const commands = readdirSync(join(ROOT, "src/commands"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
await build({
  ...common,
  entryPoints: Object.fromEntries(commands.map((name) => [`commands/${name}`, `src/commands/${name}/index.ts`])),
  plugins: [lazyBuiltins],
});
// Nothing may be left for a dynamic import (see lazyBuiltins).
for (const name of ["main", ...commands.map((command) => `commands/${command}`)]) {
  if (/\bimport\(/.test(readFileSync(join(DIST, `${name}.js`), "utf8"))) throw new Error(`dist/${name}.js still has a dynamic import()`);
}
// Each bundle ends with its build line, the key its code cache must match (see bin/opsgate.js).
for (const name of ["main", ...commands.map((command) => `commands/${command}`)]) {
  const file = join(DIST, `${name}.js`);
  const body = readFileSync(file);
  appendFileSync(file, `//# opsgate-build=${createHash("sha256").update(body).digest("hex")}\n`);
}
// The bundles are CommonJS whatever the package's "type" says.
writeFileSync(join(DIST, "package.json"), '{ "type": "commonjs" }\n');

// The code cache: each bundle is loaded and exercised on the bundled fixtures, so that the cache
// holds the functions a real run compiles, not only the top level. See bin/opsgate.js.
const scratch = mkdtempSync(join(tmpdir(), "opsgate-build-"));
try {
  const trained = spawnSync(process.execPath, [join(ROOT, "scripts/build-code-cache.cjs"), scratch], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  if (trained.status !== 0) throw new Error(`building the code cache failed (exit ${trained.status}): ${trained.stderr}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
