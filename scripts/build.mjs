// Bundles the CLI into dist/: one small entry chunk, one lazily loaded chunk per command.
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });

// zod re-exports every translation of its error messages; opsgate uses only the English ones,
// and evaluating the other 60-odd locales costs start-up time on every command that validates.
const englishOnlyZodLocales = {
  name: "english-only-zod-locales",
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${"node_modules"}/zod/`) ? { path: "zod-locales-en", namespace: "opsgate" } : undefined,
    );
    b.onLoad({ filter: /^zod-locales-en$/, namespace: "opsgate" }, () => ({
      contents: 'export { default as en } from "zod/v4/locales/en.js";',
      resolveDir: new URL("..", import.meta.url).pathname,
    }));
  },
};
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
  plugins: [englishOnlyZodLocales],
  logLevel: "warning",
  banner: {
    // Some bundled CommonJS dependencies call require(); give them one.
    js: "import { createRequire as __opsgateCreateRequire } from 'node:module'; const require = __opsgateCreateRequire(import.meta.url);",
  },
});
