import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // One temp folder per run, removed at the end: the run leaves nothing in the system's temp folder.
    globalSetup: ["test/helpers/temp-root.ts"],
  },
});
