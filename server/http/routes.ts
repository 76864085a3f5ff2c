import { z } from "zod";
import type { Permission } from "@/server/authz/policy";
import {
  createModelInput,
  listModelsInput,
  registerDatasetInput,
  registerVersionInput,
} from "@/server/domain/registry/schemas";
import { reportInput } from "@/server/domain/reports/schemas";
import { ingestResult, predictionBatch } from "@/server/domain/predictions/schemas";

/**
 * The machine API's catalogue: what the OpenAPI document describes and what the authorization matrix
 * test checks against the route files in app/api/v1 (a route missing here fails that test).
 */
const championQuery = z.object({
  at: z.iso.datetime({ offset: true }).optional().describe("Answer who was champion at this time"),
});

export interface ApiRoute {
  method: "GET" | "POST";
  path: string;
  permission: Permission;
  summary: string;
  body?: z.ZodType;
  /** Also accepted as NDJSON: one item of the body's array per line (the document says which). */
  ndjson?: string;
  query?: z.ZodType;
  success: number;
  /** The success answer's shape, where the document gives it. */
  response?: z.ZodType;
  /** Honours an `Idempotency-Key` header (replays 2xx answers; 409 in flight, 422 reused). */
  idempotent?: boolean;
}

export const API_ROUTES: ApiRoute[] = [
  {
    method: "GET",
    path: "/api/v1/models",
    permission: "registry:read",
    summary: "List models (search, page, pageSize)",
    query: listModelsInput,
    success: 200,
  },
  {
    method: "POST",
    path: "/api/v1/models",
    permission: "models:write",
    summary: "Register a model",
    body: createModelInput,
    success: 201,
  },
  {
    method: "GET",
    path: "/api/v1/models/{name}",
    permission: "registry:read",
    summary: "A model with its versions",
    success: 200,
  },
  {
    method: "GET",
    path: "/api/v1/models/{name}/champion",
    permission: "registry:read",
    summary:
      "The champion and its config, the challenger with strategy and share, for serving systems; with ?at=ISO-time, who was champion then",
    query: championQuery,
    success: 200,
  },
  {
    method: "POST",
    path: "/api/v1/models/{name}/versions",
    permission: "versions:write",
    summary: "Register the next version of a model",
    body: registerVersionInput,
    success: 201,
  },
  {
    method: "POST",
    path: "/api/v1/datasets",
    permission: "datasets:write",
    summary: "Record a dataset version (idempotent on name + hash)",
    body: registerDatasetInput,
    success: 201,
  },
  {
    method: "POST",
    path: "/api/v1/predictions",
    permission: "predictions:write",
    summary:
      "Log a batch of up to 10,000 production predictions; a structural error refuses the whole batch, feature-level problems are stored and counted",
    body: predictionBatch,
    ndjson: "one prediction object (an item of `predictions`) per line",
    success: 201,
    response: ingestResult,
    idempotent: true,
  },
  {
    method: "POST",
    path: "/api/v1/reports",
    permission: "reports:write",
    summary:
      "Post an evaluation report (JSON, or NDJSON: the report, then one outcome per line); idempotent on content",
    body: reportInput,
    success: 201,
  },
];
