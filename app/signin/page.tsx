import type { Metadata } from "next";
import { SignInForm } from "./signin-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="mb-1 text-xl font-semibold">Sign in to Ratchet</h1>
        <p className="mb-5 text-sm text-slate-600">Model registry, release gates and human feedback.</p>
        <SignInForm next={next ?? "/models"} />
      </div>
    </main>
  );
}
