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
      items: {
        type: "object",
        required: ["field", "reason"],
        properties: { field: { type: "string" }, reason: { type: "string" } },
      },
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
    content["application/x-ndjson"] = { schema: first ?? { type: "object" } };
  }
  // A media type has no description of its own in OpenAPI 3.1: the schema carries it.
  if (route.csv) content["text/csv"] = { schema: { type: "string", description: route.csv } };
  return content;
}

function pathParameters(route: (typeof API_ROUTES)[number]) {
  return [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => {
    const name = m[1]!;
    const declared = route.pathParams?.[name];
    return {
      name,
      in: "path",
      required: true,
      ...(declared && { description: declared.description }),
      schema: declared
        ? { type: declared.type, ...(declared.format && { format: declared.format }) }
        : { type: "string" },
    };
  });
}

/**
 * Builds the OpenAPI 3.1 document from the same zod schemas the handlers validate with. `serverUrl` is the
 * origin clients reach this instance at (the document's `servers`); paths start with /api/v1.
 * Kept clean under `redocly lint`'s recommended rules (openapi.test.ts), so generators and linters accept it.
 */
export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    const params = pathParameters(route);
    const querySchema = route.query
      ? (z.toJSONSchema(route.query, { io: "input" }) as { properties?: Record<string, unknown>; required?: string[] })
      : {};
    const query = Object.entries(querySchema.properties ?? {}).map(([name, schema]) => ({
      name,
      in: "query",
      required: querySchema.required?.includes(name) ?? false,
      schema,
    }));
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.operationId,
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
        requestBody: {
          required: true,
          ...(route.ndjson && { description: `JSON, or NDJSON: ${route.ndjson}` }),
          content: requestContent(route),
        },
      }),
      responses: {
        [route.success]: {
          description: "Success",
          content: route.download
            ? Object.fromEntries(
                Object.entries(route.download).map(([type, holds]) => [
                  type,
                  { schema: { type: "string", description: holds } },
                ]),
              )
            : {
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
        404: errorResponse(route.notFound ?? "Unknown model"),
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
      // The project is private (package.json has no license, so all rights are reserved): say so rather
      // than leave it unstated. LicenseRef- is SPDX's form for a license that is not on its list.
      license: { name: "Proprietary (private project)", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: serverUrl, description: "This Ratchet instance" }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key created by an admin (rk_…)" },
      },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
