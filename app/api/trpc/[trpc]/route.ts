import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/trpc/root";
import { requestContext } from "@/server/request";

const MAX_BATCH = 10;

async function handler(req: Request) {
  // CSRF: a cross-site form can only send urlencoded, multipart or text/plain bodies; mutations must be JSON.
  if (req.method === "POST" && !(req.headers.get("content-type") ?? "").startsWith("application/json")) {
    return Response.json({ error: { message: "tRPC mutations accept only application/json" } }, { status: 415 });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH,
    createContext: requestContext,
  });
}

export { handler as GET, handler as POST };
