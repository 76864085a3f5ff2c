import { createReport } from "@/server/domain/reports/create";
import { readNdjsonReport } from "@/server/domain/reports/ndjson";
import { reportHeaderInput, reportInput } from "@/server/domain/reports/schemas";
import { InvalidInputError } from "@/server/domain/errors";
import { json } from "@/server/http/errors";
import { apiRoute } from "@/server/http/handler";

const MAX_JSON_BYTES = 64 * 1024 * 1024;

/**
 * POST a report as JSON (outcomes inside), or as NDJSON for big ones: the first line the report, every
 * further line one outcome, parsed as it streams in. 201 for a new report, 200 when the same report
 * was posted before (nothing new is stored).
 */
export const POST = apiRoute("reports:write", async ({ req, ctx }) => {
  const type = req.headers.get("content-type") ?? "";
  let result: Awaited<ReturnType<typeof createReport>>;
  if (type.includes("application/x-ndjson")) {
    if (!req.body) throw new InvalidInputError("body", "is empty; the first line must be the report, the following lines its outcomes");
    const ndjson = await readNdjsonReport(req.body);
    try {
      result = await createReport(ctx, reportHeaderInput.parse(ndjson.header), ndjson.outcomes);
    } finally {
      await ndjson.close();
    }
  } else if (type.includes("application/json")) {
    // JSON is parsed whole, a few hundred bytes of memory per outcome: big reports must stream.
    if (Number(req.headers.get("content-length") ?? 0) > MAX_JSON_BYTES) {
      throw new InvalidInputError("body", `is over ${MAX_JSON_BYTES / 1048576} MB; send big reports as application/x-ndjson (the report, then one outcome per line)`);
    }
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      throw new InvalidInputError("body", "is not valid JSON (NaN and Infinity are not JSON either)");
    }
    result = await createReport(ctx, reportInput.parse(body));
  } else {
    throw new InvalidInputError("body", "send `Content-Type: application/json` (one report) or `application/x-ndjson` (report, then one outcome per line)");
  }
  return json(result, result.created ? 201 : 200, { location: `/reports/${result.report.id}` });
});
