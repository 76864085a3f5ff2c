import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDatabase } from "@/server/db";
import { signOutEverywhere, sessionStart } from "@/server/domain/account/session";
import { signInWithPassword } from "@/server/domain/account/signin";
import type { Throttled } from "@/server/domain/account/throttle";
import { env } from "@/server/env";
import { clientAddress } from "./client-address";
import { signInInput as credentials } from "./schemas";

/** Sign-in refusals the sign-in page words differently from "wrong email or password". */
export class ThrottledSignIn extends CredentialsSignin {
  code = "throttled";
  constructor(public readonly throttled: Throttled) {
    super();
  }
}
export class SecondFactorNeeded extends CredentialsSignin {
  code = "mfa_required";
}
export class SecondFactorWrong extends CredentialsSignin {
  code = "mfa_invalid";
}

/**
 * next-auth with email + password (+ a TOTP or recovery code when enabled). The session token carries only
 * the user's id and when the sign-in happened: roles, the disabled flag and "sessions valid after" are read
 * from the database on every request (see server/request.ts).
 * Configured lazily so `next build` never reads secrets or opens the database.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  // `Secure` (and `__Secure-`/`__Host-` names) in production; browsers accept them on http://localhost too.
  useSecureCookies: env().NODE_ENV === "production",
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/signin" },
  logger: {
    // A wrong password is an expected outcome, shown to the person; not a server error worth a stack trace.
    error(error) {
      // Compare the documented `type`, not the class name, which the production build minifies.
      if ((error as { type?: string }).type !== "CredentialsSignin") console.error("[auth]", error);
    },
  },
  providers: [
    Credentials({
      credentials: {
        email: { label: "Email" },
        password: { label: "Password", type: "password" },
        code: { label: "Code" },
      },
      async authorize(raw, request) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const { db } = await getDatabase();
        const result = await signInWithPassword(db, {
          ...parsed.data,
          address: clientAddress(request.headers, env().RATCHET_TRUST_PROXY === "on"),
        });
        if (result.ok) return { ...result.user, signedInAt: sessionStart(result.sessionsValidAfter) };
        if (result.reason === "throttled") throw new ThrottledSignIn(result.throttled);
        if (result.reason === "mfa_required") throw new SecondFactorNeeded();
        if (result.reason === "mfa_invalid") throw new SecondFactorWrong();
        return null;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.signedInAt = (user as { signedInAt?: number }).signedInAt ?? Date.now();
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return Object.assign(session, { signedInAt: typeof token.signedInAt === "number" ? token.signedInAt : 0 });
    },
  },
  events: {
    async signOut(message) {
      const userId = "token" in message ? message.token?.sub : undefined;
      if (userId) await signOutEverywhere((await getDatabase()).db, userId);
    },
  },
}));
