#!/usr/bin/env node
"use strict";
/*
 * opsgate's launcher. It loads the CommonJS bundles that `npm run build` writes to dist/ (one main
 * bundle, one per command, loaded only when that command runs) through the V8 code cache built
 * with them (dist/<bundle>.cache), which spares most of the parsing and compiling at start-up.
 * The build writes each bundle already wrapped as the function a CommonJS module is.
 *
 * A cache is used only if it was built with this very bundle (the build ends each bundle with a
 * `//# opsgate-build=<sha256 of the bundle>` line, and the cache's header repeats it) by this
 * Node version on this architecture; V8 then checks its own version, flags and the source length
 * and may still reject it (`script.cachedDataRejected`), in which case the bundle is simply
 * compiled from source. Nothing is ever written at run time, so a read-only install works.
 * (node:crypto is not loaded here to hash the bundle: loading it costs more than the cache saves.)
 */
const { readFileSync, writeFileSync } = require("node:fs");
const { basename, dirname, join } = require("node:path");
const { Script } = require("node:vm");

const DIST = join(__dirname, "..", "dist");
const MODULE_WRAPPER = "(function (exports, require, module, __filename, __dirname) {";
const HEADER = "opsgate-code-cache 1";
/** @type {Map<string, { module: { exports: any }, script: import("node:vm").Script, source: string }>} */
const loaded = new Map();

const BUILD_LINE = "\n//# opsgate-build=";

/** The header a cache for this bundle must carry, or undefined for a bundle without a build line. */
function cacheHeader(source) {
  const at = source.lastIndexOf(BUILD_LINE);
  if (at === -1) return undefined;
  const build = source.slice(at + BUILD_LINE.length).trim();
  return /^[0-9a-f]{64}$/.test(build) ? `${HEADER} ${process.version} ${process.arch} ${build}\n` : undefined;
}

/** The cache built for exactly this source by this Node, else undefined. */
function readCache(name, source) {
  let data;
  try {
    data = readFileSync(join(DIST, `${name}.cache`));
  } catch {
    return undefined;
  }
  const header = cacheHeader(source);
  if (header === undefined || data.length <= header.length || data.toString("latin1", 0, header.length) !== header) return undefined;
  return data.subarray(header.length);
}

/** What a bundle may require: node's built-ins, and other bundles as "./commands/<name>.js". */
function bundleRequire(id) {
  if (!id.startsWith("./")) return require(id); // a built-in: no regular expression to compile for it
  const command = /^\.\/(commands\/[a-z0-9-]+)\.js$/.exec(id);
  return command ? loadBundle(command[1]) : require(id);
}

/** Loads dist/<name>.js as a CommonJS module (once), through its code cache when it fits. */
function loadBundle(name) {
  const done = loaded.get(name);
  if (done) return done.module.exports;
  const file = join(DIST, `${name}.js`);
  const source = readFileSync(file, "utf8");
  if (!source.startsWith(MODULE_WRAPPER)) throw Object.assign(new Error(`${file} was built by an older opsgate`), { code: "OPSGATE_NOT_BUILT", path: file });
  const script = new Script(source, { filename: file, cachedData: readCache(name, source) });
  const module = { exports: {} };
  loaded.set(name, { module, script, source });
  script.runInThisContext().call(module.exports, module.exports, bundleRequire, module, file, dirname(file));
  return module.exports;
}

/** Runs one command line; resolves to its exit code. */
function run(argv) {
  return loadBundle("main").main(argv);
}

/**
 * Writes dist/<name>.cache for every bundle loaded so far (scripts/build-code-cache.cjs calls this
 * at build time, after exercising the bundles; never called at run time).
 */
function writeCodeCaches() {
  const written = [];
  for (const [name, { script, source }] of loaded) {
    const header = cacheHeader(source);
    if (header === undefined) throw new Error(`dist/${name}.js has no build line`);
    writeFileSync(join(DIST, `${name}.cache`), Buffer.concat([Buffer.from(header, "latin1"), script.createCachedData()]));
    written.push(name);
  }
  return written;
}

/**
 * Commands whose bundle reads its usual command line itself (`runPlain`), skipping commander
 * and the main bundle; anything unusual still goes to main (see src/commands/<name>/index.ts).
 */
const PLAIN_COMMANDS = new Set(["build-readback-plan", "validate-batch-plan"]);

/** A bundle missing from dist/, or one an older build wrote. */
function notBuilt(error) {
  return Boolean(error) && (error.code === "ENOENT" || error.code === "OPSGATE_NOT_BUILT");
}

/** The exit code of a plain run, or undefined when the command line is for main. */
function runPlain(argv) {
  if (!PLAIN_COMMANDS.has(argv[2])) return undefined;
  try {
    return loadBundle(`commands/${argv[2]}`).runPlain(argv.slice(3));
  } catch (error) {
    if (notBuilt(error)) return undefined; // main says so
    throw error;
  }
}

if (require.main === module) {
  const plain = runPlain(process.argv);
  if (plain) {
    // A plain run has written everything (synchronously: the output file, fd 1 and fd 2) when it
    // settles; exiting at once spares waiting for the event loop and the platform's threads to wind down.
    plain.then((code) => {
      process.exit(code);
    });
    return;
  }
  let main;
  try {
    main = loadBundle("main");
  } catch (error) {
    if (notBuilt(error) && basename(error.path || "") === "main.js") {
      const file = join(DIST, "main.js");
      const problem = error.code === "ENOENT" ? `opsgate is not built yet (${file} is missing)` : `opsgate's build is out of date (${file} was built by an older opsgate)`;
      process.stderr.write(`opsgate: error: ${problem}\nhint: run \`npm run build\` in ${dirname(__dirname)}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  main.main(process.argv).then((code) => {
    process.exitCode = code;
  });
} else {
  module.exports = { MODULE_WRAPPER, loadBundle, run, writeCodeCaches };
}
