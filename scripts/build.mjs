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
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
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
  // NO_MINIFY=1 npm run build keeps names, for reading a `node --cpu-prof` profile.
  minify: !process.env.NO_MINIFY,
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

// commander requires node:child_process at load (for executable subcommands, which opsgate has
// none of); loading it pulls in net, dgram and every stream module. It gets a stand-in that loads
// the real module on first use.
const lazyChildProcessForCommander = {
  name: "lazy-child-process-for-commander",
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "lazy-child-process" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-child-process" }, () => ({
      contents: 'let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require("node:child_process"))[key] });',
      loader: "js",
    }));
  },
};

await build({ ...common, entryPoints: { main: "src/main.ts" }, plugins: [commandsStayOutside, lazyBuiltins, lazyChildProcessForCommander] });

/**
 * The readback plan's constant text (src/readback/templates.ts), rendered once here rather than at
 * every run: the module is bundled on its own and run, and the command bundles get, in its place,
 * a module returning what it rendered (so they carry neither the renderer nor the seed's constants).
 */
async function renderedReadbackTemplates() {
  const module = join(ROOT, "src/readback/templates.ts");
  const scratch = mkdtempSync(join(tmpdir(), "opsgate-build-templates-"));
  let rendered;
  try {
    const outfile = join(scratch, "templates.cjs");
    await build({ ...common, outdir: undefined, outfile, entryPoints: [module] });
    const { CANDIDATES_SLOT, CANDIDATE_ID_SLOT, readbackTemplates } = createRequire(import.meta.url)(outfile);
    rendered = [
      `export const CANDIDATES_SLOT = ${JSON.stringify(CANDIDATES_SLOT)};`,
      `export const CANDIDATE_ID_SLOT = ${JSON.stringify(CANDIDATE_ID_SLOT)};`,
      `const rendered = ${JSON.stringify(readbackTemplates())};`,
      "export function readbackTemplates() { return rendered; }",
    ].join("\n");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return {
    name: "rendered-readback-templates",
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]readback[\\/]templates\.ts$/ }, (args) => (args.path === module ? { contents: rendered, loader: "js" } : undefined));
    },
  };
}

const commands = readdirSync(join(ROOT, "src/commands"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
await build({
  ...common,
  entryPoints: Object.fromEntries(commands.map((name) => [`commands/${name}`, `src/commands/${name}/index.ts`])),
  plugins: [lazyBuiltins, await renderedReadbackTemplates()],
});
// Nothing may be left for a dynamic import (see lazyBuiltins). Each bundle is then written as the
// function a CommonJS module is, which bin/opsgate.js compiles as it is (wrapping it at run time
// made V8 copy the whole source once more), and ends with its build line, the key its code cache
// must match.
const { MODULE_WRAPPER } = createRequire(import.meta.url)("../bin/opsgate.js");
for (const name of ["main", ...commands.map((command) => `commands/${command}`)]) {
  const file = join(DIST, `${name}.js`);
  const body = readFileSync(file, "utf8");
  if (/\bimport\(/.test(body)) throw new Error(`dist/${name}.js still has a dynamic import()`);
  const wrapped = `${MODULE_WRAPPER}${body}\n})\n`;
  writeFileSync(file, `${wrapped}//# opsgate-build=${createHash("sha256").update(wrapped).digest("hex")}\n`);
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
