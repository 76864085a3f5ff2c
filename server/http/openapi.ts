import { z } from "zod";
import { API_ROUTES } from "./routes";

const errorSchema = {
  type: "object",
  required: ["error", "message"],
  properties: {
    error: { type: "string" },
    message: { type: "string" },
    issues: {
      type: "array",
      items: { type: "object", properties: { field: { type: "string" }, reason: { type: "string" } } },
    },
  },
};
const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

function requestContent(route: (typeof API_ROUTES)[number]) {
  const schema = z.toJSONSchema(route.body!, { io: "input", unrepresentable: "any" });
  const content: Record<string, unknown> = { "application/json": { schema } };
  if (route.ndjson) {
    const item = (schema as { properties?: Record<string, { items?: unknown }> }).properties;
    const first = item ? Object.values(item)[0]?.items : undefined;
    content["application/x-ndjson"] = { schema: first ?? { type: "object" }, description: route.ndjson };
  }
  return content;
}

/** Builds the OpenAPI 3.1 document from the same zod schemas the handlers validate with. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const query = route.query
      ? Object.entries(
          (z.toJSONSchema(route.query, { io: "input" }) as { properties?: Record<string, unknown> }).properties ?? {},
        ).map(([name, schema]) => ({ name, in: "query", required: false, schema }))
      : [];
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      security: [{ apiKey: [] }],
      "x-required-scope": route.permission,
      parameters: [
        ...params,
        ...query,
        ...(route.idempotent
          ? [
              {
                name: "Idempotency-Key",
                in: "header",
                required: false,
                schema: { type: "string", minLength: 1, maxLength: 255 },
                description:
                  "Makes a retry safe: the same key and body within 24 hours returns the first answer and stores nothing more",
              },
            ]
          : []),
      ],
      ...(route.body && {
        requestBody: { required: true, content: requestContent(route) },
      }),
      responses: {
        [route.success]: {
          description: "Success",
          content: {
            "application/json": {
              schema: route.response
                ? z.toJSONSchema(route.response, { io: "output", unrepresentable: "any" })
                : { type: "object" },
            },
          },
        },
        400: errorResponse("Invalid input: `issues` names each field and the reason"),
        401: errorResponse("Missing, unknown or revoked API key"),
        403: errorResponse("The key lacks the scope"),
        404: errorResponse("Unknown model"),
        409: errorResponse(
          route.idempotent
            ? "Conflicts with what is recorded, or a request with this Idempotency-Key is still running"
            : "Conflicts with what is recorded",
        ),
        ...(route.idempotent && { 422: errorResponse("The Idempotency-Key was used for a different request") }),
        413: errorResponse("The body is over its size limit"),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Ratchet API",
      version: "1",
      description: "Model registry and release governance for ML in production.",
    },
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key created by an admin (rk_…)" },
      },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
