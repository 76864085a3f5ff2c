import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/trpc/root";
import { requestContext } from "@/server/request";
import { JSON_LIMIT, MB, readBodyBytes, type BodyLimit } from "@/server/http/body";
import { errorResponse } from "@/server/http/errors";

const MAX_BATCH = 10;

/** The web's report upload carries up to 100,000 outcomes as JSON; every other call fits in the default. */
const UPLOAD_LIMIT: BodyLimit = {
  limit: 16 * MB,
  what: "a report uploaded from the web",
  hint: "post bigger reports to /api/v1/reports as NDJSON",
};
/** A reference sample's file, as text inside the JSON call. */
const REFERENCE_LIMIT: BodyLimit = {
  limit: 16 * MB,
  what: "a reference sample uploaded from the web",
  hint: "post bigger samples (up to 32 MB) to /api/v1/models/NAME/versions/N/reference",
};
const DEFAULT_LIMIT: BodyLimit = { limit: JSON_LIMIT, what: "a JSON request" };

function limitFor(req: Request): BodyLimit {
  const procedures = new URL(req.url).pathname.replace(/^\/api\/trpc\//, "").split(",");
  if (procedures.every((p) => p === "reports.upload")) return UPLOAD_LIMIT;
  return procedures.every((p) => p === "referenceData.upload") ? REFERENCE_LIMIT : DEFAULT_LIMIT;
}

async function handler(req: Request) {
  // CSRF: a cross-site form can only send urlencoded, multipart or text/plain bodies; mutations must be JSON.
  if (req.method === "POST" && !(req.headers.get("content-type") ?? "").startsWith("application/json")) {
    return Response.json({ error: { message: "tRPC mutations accept only application/json" } }, { status: 415 });
  }
  let request = req;
  if (req.method === "POST") {
    // Read (and count) the body here: tRPC itself would read any size.
    let body: Uint8Array;
    try {
      body = await readBodyBytes(req, limitFor(req));
    } catch (error) {
      return errorResponse(error);
    }
    request = new Request(req.url, {
      method: "POST",
      headers: req.headers,
      body: body as BodyInit,
      signal: req.signal,
    });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    maxBatchSize: MAX_BATCH,
    createContext: requestContext,
  });
}

export { handler as GET, handler as POST };
