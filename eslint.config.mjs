import js from "@eslint/js";
import drizzle from "eslint-plugin-drizzle";
import tseslint from "typescript-eslint";
import nextVitals from "eslint-config-next/core-web-vitals";

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".data/**",
      "db/migrations/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "**/.scratch/**",
      // Written by openapi-typescript (npm run openapi:types); a test keeps it in step with the document.
      "server/http/api-types.generated.ts",
    ],
  },
  js.configs.recommended,
  // Next's own rules: core web vitals (next/link, next/image, scripts), React hooks, jsx-a11y basics.
  ...nextVitals,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.mts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { drizzle },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // An update or delete without where rewrites the whole table: never what anyone meant.
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through server/env.ts." },
      ],
    },
  },
  {
    // Configuration files, the CLI entry, tests, examples and the env module itself may read process.env.
    files: [
      "server/env.ts",
      "instrumentation.ts",
      "server/cli/**",
      "**/*.test.ts",
      "server/testing/**",
      "*.config.*",
      "e2e/**",
      "server/stats/bench/**",
      // Stand-alone programs for other services to copy: their settings are theirs, not Ratchet's.
      "examples/**",
    ],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // Layering: pages, route handlers and routers call domain functions; queries and the database live in server/domain.
    files: ["app/**/*.ts", "app/**/*.tsx", "server/trpc/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["drizzle-orm", "drizzle-orm/*", "@/db", "@/db/*", "pg", "@electric-sql/pglite"],
              message:
                "Keep the database out of app/ and server/trpc/: call a domain function in server/domain instead.",
            },
          ],
        },
      ],
    },
  },
  { files: ["**/*.mjs"], languageOptions: { globals: { process: "readonly", console: "readonly" } } },
);
