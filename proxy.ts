import { NextResponse, type NextRequest } from "next/server";
import { isProduction } from "@/server/env";
import { RETURN_PATH_HEADER } from "@/server/http/return-path";
import { newNonce, securityHeaders } from "@/server/http/security-headers";

/**
 * Runs before every request (pages, /api/* and static files all get the headers) but one: Next buffers a
 * request body for the proxy and cuts it at 10 MB, which truncated streamed NDJSON reports (and held
 * them in memory whole). POST /api/v1/reports, /api/v1/predictions (batches up to 32 MB) and a version's /reference (samples up to
 * 32 MB) set the same headers themselves (their route.ts).
 * The nonce goes into the request's Content-Security-Policy header, where Next reads it while rendering
 * and puts it on its inline and framework scripts; pages are rendered per request for that reason
 * (see app/layout.tsx). Authorization is not done here: it stays in procedures and route handlers.
 */
export function proxy(request: NextRequest) {
  const headers = securityHeaders({ nonce: newNonce(), production: isProduction() });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", headers["content-security-policy"]!);
  // Layouts cannot see their URL; the sign-in redirect needs it to come back here afterwards.
  requestHeaders.set(RETURN_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: ["/((?!api/v1/(?:reports|predictions|models/[^/]+/versions/[^/]+/reference)$).*)"],
};
