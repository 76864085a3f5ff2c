"use server";
import { AuthError } from "next-auth";
import { signIn } from "@/server/auth";

export async function signInAction(_prev: { error: string } | null, form: FormData) {
  const next = String(form.get("next") ?? "/models");
  try {
    await signIn("credentials", {
      email: form.get("email"),
      password: form.get("password"),
      // Only same-site paths, so the form cannot be used to bounce people to another site.
      redirectTo: next.startsWith("/") && !next.startsWith("//") ? next : "/models",
    });
    return null;
  } catch (error) {
    if (error instanceof AuthError) return { error: "That email and password do not match an active account." };
    throw error; // the redirect after a successful sign-in travels as an exception
  }
}
