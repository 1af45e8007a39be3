// Bundles the CLI into dist/: one small entry chunk, one lazily loaded chunk per command.
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: ["src/main.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  banner: {
    // Some bundled CommonJS dependencies call require(); give them one.
    js: "import { createRequire as __opsgateCreateRequire } from 'node:module'; const require = __opsgateCreateRequire(import.meta.url);",
  },
});
