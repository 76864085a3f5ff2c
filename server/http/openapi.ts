import { z } from "zod";
import { API_ROUTES } from "./routes";

const errorSchema = {
  type: "object",
  required: ["error", "message"],
  properties: {
    error: { type: "string" },
    message: { type: "string" },
    issues: { type: "array", items: { type: "object", properties: { field: { type: "string" }, reason: { type: "string" } } } },
  },
};
const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

/** Builds the OpenAPI 3.1 document from the same zod schemas the handlers validate with. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const query = route.query
      ? Object.entries((z.toJSONSchema(route.query, { io: "input" }) as { properties?: Record<string, unknown> }).properties ?? {}).map(
          ([name, schema]) => ({ name, in: "query", required: false, schema }),
        )
      : [];
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      security: [{ apiKey: [] }],
      "x-required-scope": route.permission,
      parameters: [...params, ...query],
      ...(route.body && {
        requestBody: { required: true, content: { "application/json": { schema: z.toJSONSchema(route.body, { io: "input", unrepresentable: "any" }) } } },
      }),
      responses: {
        [route.success]: { description: "Success", content: { "application/json": { schema: { type: "object" } } } },
        400: errorResponse("Invalid input: `issues` names each field and the reason"),
        401: errorResponse("Missing, unknown or revoked API key"),
        403: errorResponse("The key lacks the scope"),
        404: errorResponse("Unknown model"),
        409: errorResponse("Conflicts with what is recorded"),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Ratchet API", version: "1", description: "Model registry and release governance for ML in production." },
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key created by an admin (rk_…)" } },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
