"use server";
import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { SecondFactorNeeded, SecondFactorWrong, signIn, ThrottledSignIn } from "@/server/auth";
import { signInInput, type SignInInput } from "@/server/auth/schemas";
import { throttleMessage } from "@/server/domain/account/throttle";
import { safeReturnPath } from "@/server/http/return-path";

export type SignInState = { error?: string; needsCode?: boolean } | null;

export async function signInAction(_prev: SignInState, raw: SignInInput & { next?: string }): Promise<SignInState> {
  const next = safeReturnPath(raw.next ?? "/");
  const parsed = signInInput.safeParse(raw);
  // The form checks the same schema first; a request that skips it is answered like a wrong password.
  if (!parsed.success) return { error: "That email and password do not match an active account." };
  const { email, password, code } = parsed.data;
  try {
    await signIn("credentials", {
      email,
      password,
      ...(code ? { code } : {}),
      // Redirected below to the relative path: next-auth would build an absolute URL from request headers.
      redirect: false,
    });
  } catch (error) {
    if (error instanceof ThrottledSignIn) return { error: throttleMessage(error.throttled) };
    if (error instanceof SecondFactorNeeded) return { needsCode: true };
    if (error instanceof SecondFactorWrong) {
      return {
        needsCode: true,
        error: "That code is not valid. Enter the current code from your authenticator app, or a recovery code.",
      };
    }
    if (error instanceof AuthError) return { error: "That email and password do not match an active account." };
    throw error;
  }
  redirect(next);
}
