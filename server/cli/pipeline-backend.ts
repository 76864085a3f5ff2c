import { randomUUID } from "node:crypto";
import createClient from "openapi-fetch";
import type { Database } from "@/db/client";
import type { Principal } from "@/server/authz/policy";
import type { DomainContext } from "@/server/domain/context";
import { gateVerdict, type GateVerdict } from "@/server/domain/gate/verdict";
import { requestRelease } from "@/server/domain/releases/request";
import type { RequestReleaseInput } from "@/server/domain/releases/schemas";
import { releaseStatus, type ReleaseStatus } from "@/server/domain/releases/status";
import type { paths } from "@/server/http/api-types.generated";
import { BackendError } from "./backend-error";

/**
 * Where `npx ratchet gate` and `npx ratchet release request` get their answers: the database itself (as
 * the operator at the console), or a Ratchet server through its HTTP API with an API key (as the key's
 * owner, so four eyes applies). Both give the API's shapes, so the commands print the same either way.
 */
export interface PipelineBackend {
  gate(model: string, version: number): Promise<GateVerdict>;
  requestRelease(input: RequestReleaseInput): Promise<ReleaseStatus>;
  release(id: string): Promise<ReleaseStatus>;
}

/** Option names of the command line, for the API's field names in 400 answers. */
const OPTION_OF: Record<string, string> = { model: "--model", version: "--version", share: "--share" };

interface ApiError {
  error?: string;
  message?: string;
  issues?: { field: string; reason: string }[];
}

function refusal(status: number, body: ApiError | undefined): BackendError {
  const issues = body?.issues ?? [];
  if (status === 400 && issues.length > 0) {
    const lines = issues.map((i) => `  ${OPTION_OF[i.field] ?? `--${i.field}`}: ${i.reason}`);
    return new BackendError(`Invalid input:\n${lines.join("\n")}`);
  }
  const message = body?.message ?? `the server answered ${status}`;
  return new BackendError(`${status}: ${message}`, status >= 500);
}

export function databaseBackend(database: Database, principal: Principal): PipelineBackend {
  const ctx: DomainContext = { db: database.db, principal };
  return {
    gate: (model, version) => gateVerdict(ctx, { model, version }),
    requestRelease: async (input) => releaseStatus(ctx, { id: (await requestRelease(ctx, input)).id }),
    release: (id) => releaseStatus(ctx, { id }),
  };
}

const RETRY_DELAYS_MS = [1000, 3000];

export function httpBackend(baseUrl: string, apiKey: string): PipelineBackend {
  const client = createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ""),
    headers: { authorization: `Bearer ${apiKey}` },
  });
  /** One call; an unreachable server is a transient BackendError naming the address. */
  async function call<T>(run: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
      throw new BackendError(`Could not reach Ratchet at ${baseUrl} (${cause}).`, true);
    }
    if (result.data !== undefined) return result.data;
    throw refusal(result.response.status, result.error as ApiError | undefined);
  }
  return {
    gate: (model, version) =>
      call(() =>
        client.GET("/api/v1/models/{name}/versions/{version}/gate", {
          params: { path: { name: model, version: String(version) } },
        }),
      ),
    async requestRelease(input) {
      // One Idempotency-Key for every attempt: a retry after a lost answer gets that answer, never a second request.
      const key = randomUUID();
      for (let attempt = 0; ; attempt++) {
        try {
          return await call(() =>
            client.POST("/api/v1/releases", {
              body: input as never,
              params: { header: { "Idempotency-Key": key } },
            }),
          );
        } catch (error) {
          const delay = RETRY_DELAYS_MS[attempt];
          if (!(error instanceof BackendError) || !error.transient || delay === undefined) throw error;
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    },
    release: (id) => call(() => client.GET("/api/v1/releases/{id}", { params: { path: { id } } })),
  };
}
