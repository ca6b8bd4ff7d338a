import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".data/**", "eval/reports/**", "tests/artifacts/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        fetch: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-empty-object-type": "off",
      // process.env is read in one place only: server/config.ts (and test/CI tooling).
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through server/config.ts" }],
    },
  },
  {
    files: ["server/config.ts", "server/cli/**", "tests/**", "eval/**", "scripts/**", "widget/**", "console/**", "vitest.config.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // The wire contract is imported by the server and both bundles: it may import nothing of theirs.
    files: ["shared/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/server/**", "**/widget/**", "**/console/**"], message: "shared/ holds types and constants only" }] },
      ],
    },
  },
  {
    files: ["widget/**", "console/**"],
    languageOptions: {
      globals: { window: "readonly", document: "readonly", localStorage: "readonly", navigator: "readonly", HTMLElement: "readonly" },
    },
  },
);
