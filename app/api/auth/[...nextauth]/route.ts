import { handlers } from "@/server/auth";
import { clientAddress } from "@/server/auth/client-address";
import { getDatabase } from "@/server/db";
import { refuseIfThrottled } from "@/server/domain/account/signin";
import { throttleMessage } from "@/server/domain/account/throttle";
import { env } from "@/server/env";

export const { GET } = handlers;

/**
 * Scripts and browsers posting to the credentials endpoint directly get a real 429 with Retry-After when
 * throttled (next-auth itself would only redirect); the check runs before any password comparison.
 */
export async function POST(req: Parameters<typeof handlers.POST>[0]) {
  if (new URL(req.url).pathname.endsWith("/callback/credentials")) {
    const form = await req.clone().formData().catch(() => null);
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
  return handlers.POST(req);
}
