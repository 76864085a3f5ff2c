import { isProduction } from "@/server/env";
import { InvalidInputError } from "@/server/domain/errors";
import { ingestPredictions } from "@/server/domain/predictions/ingest";
import { parseJsonBatch, parseNdjsonBatch } from "@/server/domain/predictions/parse";
import { PREDICTION_BATCH_LIMIT, readBodyBytes } from "@/server/http/body";
import { apiRoute } from "@/server/http/handler";
import { idempotent } from "@/server/http/idempotency";
import { newNonce, securityHeaders } from "@/server/http/security-headers";

/**
 * POST a batch of up to 10,000 predictions as JSON `{"predictions":[…]}` or NDJSON (one per line).
 * 201 `{accepted, dataQuality}`; a structural error refuses the whole batch (400 naming row and field).
 * With `Idempotency-Key`, a retry gets the first answer and stores nothing more.
 */
const handle = apiRoute("predictions:write", async ({ req, ctx }) => {
  const type = req.headers.get("content-type") ?? "";
  const ndjson = type.includes("application/x-ndjson");
  if (!ndjson && !type.includes("application/json")) {
    throw new InvalidInputError(
      "body",
      'send `Content-Type: application/json` ({"predictions":[…]}) or `application/x-ndjson` (one prediction per line)',
    );
  }
  const body = await readBodyBytes(req, {
    limit: PREDICTION_BATCH_LIMIT,
    what: "a batch of predictions",
    hint: "send at most 10,000 predictions per request",
  });
  return idempotent(ctx, req, { body }, async (record) => {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    } catch {
      throw new InvalidInputError("body", "is not valid UTF-8");
    }
    const batch = ndjson ? parseNdjsonBatch(text) : parseJsonBatch(text);
    return { status: 201, body: await ingestPredictions(ctx, batch, { record }) };
  });
});

/** The proxy skips this route (it would buffer and cut the body at 10 MB), so the headers are set here. */
export const POST = async (...args: Parameters<typeof handle>): Promise<Response> => {
  const res = await handle(...args);
  for (const [name, value] of Object.entries(securityHeaders({ nonce: newNonce(), production: isProduction() })))
    res.headers.set(name, value);
  return res;
};
