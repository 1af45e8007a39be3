import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "fixtures/", "snapshots/"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "error",
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["zod", "zod/*"], message: "import { z } from src/schemas/zod.ts (it configures zod's English messages)" }] },
      ],
    },
  },
  {
    files: ["src/schemas/zod.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["test/**/*.ts", "scripts/**"],
    rules: { "no-console": "off" },
  },
);
