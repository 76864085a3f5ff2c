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
import { referenceRowsBody } from "@/server/domain/references/schemas";
import { requestReleaseInput } from "@/server/domain/releases/schemas";
import { releaseStatusSchema } from "@/server/domain/releases/status";
import { gateVerdictSchema } from "@/server/domain/gate/verdict";
import { exportQuery } from "@/server/domain/feedback-export/query";

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
  /** The name generated clients give the call (unique; lowerCamelCase). */
  operationId: string;
  /** Path parameters that are not plain strings, e.g. a version number. */
  pathParams?: Record<string, { type: "integer" | "string"; format?: string; description: string }>;
  /** What a 404 means on this route. */
  notFound?: string;
  permission: Permission;
  summary: string;
  body?: z.ZodType;
  /** Also accepted as NDJSON: one item of the body's array per line (the document says which). */
  ndjson?: string;
  /** Also accepted as CSV (`text/csv`); says what the file holds. */
  csv?: string;
  query?: z.ZodType;
  success: number;
  /** The success answer's shape, where the document gives it. */
  response?: z.ZodType;
  /**
   * The success answer is a download in these media types (each with what it holds) instead of JSON;
   * which one is chosen by a query parameter.
   */
  download?: Record<string, string>;
  /** Honours an `Idempotency-Key` header (replays 2xx answers; 409 in flight, 422 reused). */
  idempotent?: boolean;
}

export const API_ROUTES: ApiRoute[] = [
  {
    method: "GET",
    path: "/api/v1/models",
    operationId: "listModels",
    permission: "registry:read",
    summary: "List models (search, page, pageSize)",
    query: listModelsInput,
    success: 200,
  },
  {
    method: "POST",
    path: "/api/v1/models",
    operationId: "createModel",
    permission: "models:write",
    summary: "Register a model",
    body: createModelInput,
    success: 201,
  },
  {
    method: "GET",
    path: "/api/v1/models/{name}",
    operationId: "getModel",
    permission: "registry:read",
    summary: "A model with its versions",
    success: 200,
  },
  {
    method: "GET",
    path: "/api/v1/models/{name}/champion",
    operationId: "getChampion",
    permission: "registry:read",
    summary:
      "The champion and its config, the challenger with strategy and share, for serving systems; with ?at=ISO-time, who was champion then",
    query: championQuery,
    success: 200,
  },
  {
    method: "POST",
    path: "/api/v1/models/{name}/versions",
    operationId: "registerVersion",
    permission: "versions:write",
    summary: "Register the next version of a model",
    body: registerVersionInput,
    success: 201,
  },
  {
    method: "GET",
    path: "/api/v1/models/{name}/features",
    operationId: "listFeatures",
    permission: "registry:read",
    summary: "The model's declared features (name, numerical or categorical, important, known categories)",
    success: 200,
  },
  {
    method: "POST",
    path: "/api/v1/models/{name}/versions/{version}/reference",
    operationId: "setReferenceData",
    permission: "reference:write",
    summary:
      "Set the version's reference data (what drift is measured against): a sample of up to 100,000 rows, or a window of its own traffic; replaces the current one (200 and nothing written when it already holds exactly this); answers with the proposed features",
    body: referenceRowsBody,
    csv: "a header row naming the columns (features, plus optional `prediction` and `target`), RFC 4180 quoting; `?fileName=` records the file's name",
    success: 201,
  },
  {
    method: "POST",
    path: "/api/v1/datasets",
    operationId: "registerDataset",
    permission: "datasets:write",
    summary: "Record a dataset version (idempotent on name + hash)",
    body: registerDatasetInput,
    success: 201,
  },
  {
    method: "POST",
    path: "/api/v1/predictions",
    operationId: "logPredictions",
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
    operationId: "postReport",
    permission: "reports:write",
    summary:
      "Post an evaluation report (JSON, or NDJSON: the report, then one outcome per line); idempotent on content",
    body: reportInput,
    success: 201,
  },
  {
    method: "POST",
    path: "/api/v1/releases",
    operationId: "requestRelease",
    permission: "releases:request",
    summary:
      "Request a release of a version (full, canary with a share, or shadow); the key's owner is the requester, so four eyes keeps them from approving it",
    body: requestReleaseInput,
    success: 201,
    response: releaseStatusSchema,
    idempotent: true,
    notFound: "Unknown model or version",
  },
  {
    method: "GET",
    path: "/api/v1/releases/{id}",
    operationId: "getRelease",
    pathParams: { id: { type: "string", format: "uuid", description: "The release id from the request's answer" } },
    permission: "registry:read",
    summary: "A release request's status (pending, approved, rejected) and its decision once there is one",
    success: 200,
    response: releaseStatusSchema,
    notFound: "Unknown release",
  },
  {
    method: "GET",
    path: "/api/v1/models/{name}/versions/{version}/gate",
    operationId: "getGate",
    pathParams: { v: { type: "integer", description: "The version number" } },
    permission: "registry:read",
    summary:
      "The release gate as it stands now for a version: the same checks as its page, each pass, fail or insufficient (evidence missing)",
    success: 200,
    response: gateVerdictSchema,
    notFound: "Unknown model or version",
  },
  {
    method: "GET",
    path: "/api/v1/models/{name}/feedback/export",
    operationId: "exportFeedback",
    permission: "feedback:read",
    summary:
      "The model's labeled items for retraining, streamed as CSV or JSON Lines: one row per label with its provenance (model version, prediction, confidence, sampling weight 1/π, the label that counts, the reviewer as a pseudonym, guideline version, adjudication)",
    query: exportQuery,
    success: 200,
    download: {
      "text/csv":
        "format=csv: RFC 4180 (CRLF line ends, quoted fields), a header row; features and flags as JSON text in one field each",
      "application/x-ndjson": "format=jsonl: JSON Lines, one object per label",
    },
    notFound: "Unknown model or version",
  },
];
