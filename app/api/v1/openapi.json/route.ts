import { env } from "@/server/env";
import { openApiDocument } from "@/server/http/openapi";
import { publicOrigin } from "@/server/http/public-origin";

// Public on purpose: the API's description holds no data and helps clients integrate. Its `servers` entry
// is the address the reader came by, so a client generated from it calls this instance.
export const GET = (req: Request) => {
  const { AUTH_URL, RATCHET_TRUST_PROXY } = env();
  const origin = publicOrigin(req.url, req.headers, { authUrl: AUTH_URL, trustProxy: RATCHET_TRUST_PROXY === "on" });
  return Response.json(openApiDocument(origin));
};
