import { NextRequest } from "next/server";
import { handlers } from "@/server/auth";
import { clientAddress } from "@/server/auth/client-address";
import { getDatabase } from "@/server/db";
import { refuseIfThrottled } from "@/server/domain/account/signin";
import { throttleMessage } from "@/server/domain/account/throttle";
import { env } from "@/server/env";
import { readBodyBytes } from "@/server/http/body";
import { errorResponse } from "@/server/http/errors";
import { atPublicOrigin } from "@/server/http/public-origin";

/** A sign-in form is a few hundred bytes; Auth.js itself would read any size. */
const FORM_LIMIT = { limit: 64 * 1024, what: "a sign-in request" };

/**
 * Auth.js builds its redirects from the request's URL: give it the address the person used, not the
 * localhost `next start` listens on. A plain Request, because NextRequest rewrites 127.0.0.1 and [::1] to
 * "localhost" (a different cookie host). next-auth reads `nextUrl` only when AUTH_URL is set, and then it
 * replaces the origin itself, so only that case needs a NextRequest.
 */
function atPublicAddress(req: NextRequest, init: RequestInit): NextRequest {
  const { AUTH_URL, RATCHET_TRUST_PROXY } = env();
  const url = atPublicOrigin(req.url, req.headers, { authUrl: AUTH_URL, trustProxy: RATCHET_TRUST_PROXY === "on" });
  if (AUTH_URL) return new NextRequest(url, { ...init, signal: init.signal ?? undefined });
  return new Request(url, init) as NextRequest;
}

export function GET(req: NextRequest) {
  return handlers.GET(atPublicAddress(req, { method: "GET", headers: req.headers, signal: req.signal }));
}

export async function POST(req: NextRequest) {
  let body: Uint8Array;
  try {
    body = await readBodyBytes(req, FORM_LIMIT);
  } catch (error) {
    return errorResponse(error);
  }
  const forward = () =>
    atPublicAddress(req, { method: "POST", headers: req.headers, body: body as BodyInit, signal: req.signal });
  if (new URL(req.url).pathname.endsWith("/callback/credentials")) {
    const form = await forward()
      .formData()
      .catch(() => null);
    const email = form?.get("email");
    if (typeof email === "string" && email) {
      const { db } = await getDatabase();
      const throttled = await refuseIfThrottled(
        db,
        email,
        clientAddress(req.headers, env().RATCHET_TRUST_PROXY === "on"),
      );
      if (throttled) {
        return Response.json(
          { error: "too_many_attempts", message: throttleMessage(throttled) },
          { status: 429, headers: { "retry-after": String(throttled.retryAfterSeconds), "cache-control": "no-store" } },
        );
      }
    }
  }
  return handlers.POST(forward());
}
