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

/** Auth.js builds its redirects from the request's URL: give it the address the person used, not localhost. */
const publicUrl = (req: NextRequest) =>
  atPublicOrigin(req.url, req.headers, { authUrl: env().AUTH_URL, trustProxy: env().RATCHET_TRUST_PROXY === "on" });

export function GET(req: NextRequest) {
  return handlers.GET(new NextRequest(publicUrl(req), { method: "GET", headers: req.headers, signal: req.signal }));
}

/**
 * The body is read within its limit first. Scripts and browsers posting to the credentials endpoint
 * directly then get a real 429 with Retry-After when throttled (next-auth itself would only redirect);
 * the check runs before any password comparison.
 */
export async function POST(req: NextRequest) {
  let body: Uint8Array;
  try {
    body = await readBodyBytes(req, FORM_LIMIT);
  } catch (error) {
    return errorResponse(error);
  }
  const forward = () => new NextRequest(publicUrl(req), { method: "POST", headers: req.headers, body: body as BodyInit, signal: req.signal });
  if (new URL(req.url).pathname.endsWith("/callback/credentials")) {
    const form = await forward().formData().catch(() => null);
    const email = form?.get("email");
    if (typeof email === "string" && email) {
      const { db } = await getDatabase();
      const throttled = await refuseIfThrottled(db, email, clientAddress(req.headers, env().RATCHET_TRUST_PROXY === "on"));
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
