import { createReport } from "@/server/domain/reports/create";
import { readNdjsonReport } from "@/server/domain/reports/ndjson";
import { reportHeaderInput, reportInput } from "@/server/domain/reports/schemas";
import { InvalidInputError } from "@/server/domain/errors";
import { env, isProduction } from "@/server/env";
import { newNonce, securityHeaders } from "@/server/http/security-headers";
import { JSON_REPORT_LIMIT, readJsonBody } from "@/server/http/body";
import { json } from "@/server/http/errors";
import { apiRoute } from "@/server/http/handler";
import { acquireIngestionSlot } from "@/server/http/ingestion-slots";

/**
 * POST a report as JSON (outcomes inside), or as NDJSON for big ones: the first line the report, every
 * further line one outcome, parsed as it streams in. 201 for a new report, 200 when the same report
 * was posted before (nothing new is stored). A bounded number run at once per instance (503 beyond).
 */
const handle = apiRoute("reports:write", async ({ req, ctx }) => {
  const type = req.headers.get("content-type") ?? "";
  if (!type.includes("application/x-ndjson") && !type.includes("application/json")) {
    throw new InvalidInputError(
      "body",
      "send `Content-Type: application/json` (one report) or `application/x-ndjson` (report, then one outcome per line)",
    );
  }
  const release = acquireIngestionSlot(env().RATCHET_MAX_CONCURRENT_INGESTIONS);
  try {
    let result: Awaited<ReturnType<typeof createReport>>;
    if (type.includes("application/x-ndjson")) {
      if (!req.body)
        throw new InvalidInputError(
          "body",
          "is empty; the first line must be the report, the following lines its outcomes",
        );
      const ndjson = await readNdjsonReport(req.body);
      try {
        result = await createReport(ctx, reportHeaderInput.parse(ndjson.header), ndjson.body);
      } finally {
        await ndjson.close();
      }
    } else {
      // JSON is parsed whole, a few hundred bytes of memory per outcome: big reports must stream.
      const body = await readJsonBody(req, {
        limit: JSON_REPORT_LIMIT,
        what: "a JSON report",
        hint: "send big reports as application/x-ndjson (the report, then one outcome per line)",
      });
      result = await createReport(ctx, reportInput.parse(body));
    }
    return json(result, result.created ? 201 : 200, { location: `/reports/${result.report.id}` });
  } finally {
    release();
  }
});

/** The proxy skips this route (it would buffer and cut the body at 10 MB), so the headers are set here. */
export const POST = async (...args: Parameters<typeof handle>): Promise<Response> => {
  const res = await handle(...args);
  for (const [name, value] of Object.entries(securityHeaders({ nonce: newNonce(), production: isProduction() })))
    res.headers.set(name, value);
  return res;
};
