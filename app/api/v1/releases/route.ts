import { apiRoute } from "@/server/http/handler";
import { parseJsonBytes, readJsonBytes } from "@/server/http/body";
import { idempotent } from "@/server/http/idempotency";
import { requestRelease } from "@/server/domain/releases/request";
import { requestReleaseInput } from "@/server/domain/releases/schemas";
import { releaseStatusIn, type ReleaseStatus } from "@/server/domain/releases/status";

/**
 * A pipeline requests a release. The key's owner is the requester, so four eyes keeps them from approving
 * it. 201 with the request (status `pending`); poll `GET /api/v1/releases/{id}` for the decision.
 * With `Idempotency-Key`, a retry gets the first answer instead of a 409 for a second pending request.
 */
export const POST = apiRoute("releases:request", async ({ req, ctx }) => {
  const body = await readJsonBytes(req);
  return idempotent(ctx, req, { body }, async (record) => {
    const input = requestReleaseInput.parse(parseJsonBytes(body));
    let answer: ReleaseStatus | null = null;
    await requestRelease(ctx, input, {
      inTransaction: async (tx, release) => {
        answer = await releaseStatusIn(tx, release.id);
        await record?.(tx, { status: 201, body: answer });
      },
    });
    return { status: 201, body: answer };
  });
});
