import openapiTS, { astToString } from "openapi-typescript";
import { openApiDocument } from "./openapi";

/**
 * TypeScript types for the API, generated from the OpenAPI document by openapi-typescript, for clients
 * written with openapi-fetch (the CLI's --url mode, the examples, the tests). They are committed in
 * api-types.generated.ts; `npm run openapi:types` rewrites them, and openapi.test.ts fails when they are stale.
 */
export const GENERATED_TYPES_FILE = "server/http/api-types.generated.ts";

const HEADER = `/**
 * Generated from the OpenAPI document (server/http/openapi.ts) by openapi-typescript.
 * Do not edit: run \`npm run openapi:types\` after changing an API route.
 */

`;

export async function generateApiTypes(): Promise<string> {
  // The server's address plays no part in the types.
  const ast = await openapiTS(openApiDocument("https://ratchet.invalid") as never);
  return HEADER + astToString(ast);
}

if (process.argv[1]?.endsWith("api-types.ts")) {
  const { writeFile } = await import("node:fs/promises");
  await writeFile(GENERATED_TYPES_FILE, await generateApiTypes());
  console.log(`Wrote ${GENERATED_TYPES_FILE}`);
}
