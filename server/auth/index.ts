import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDatabase } from "@/server/db";
import { verifyCredentials } from "@/server/domain/admin/users";
import { env } from "@/server/env";

const credentials = z.object({ email: z.email(), password: z.string().min(1).max(200) });

/**
 * next-auth with email + password. The session token carries only the user's id: roles and the
 * disabled flag are read from the database on every request (see server/request.ts).
 * Configured lazily so `next build` never reads secrets or opens the database.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
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
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const { db } = await getDatabase();
        return verifyCredentials(db, parsed.data.email, parsed.data.password);
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
}));
