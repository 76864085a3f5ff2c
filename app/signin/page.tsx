import type { Metadata } from "next";
import { getDatabase } from "@/server/db";
import { hasAnyUser } from "@/server/domain/admin/users";
import { safeReturnPath } from "@/server/http/return-path";
import { SignInForm } from "./signin-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; changed?: string }>;
}) {
  const { next, changed } = await searchParams;
  const empty = !(await hasAnyUser((await getDatabase()).db));
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="mb-1 text-xl font-semibold">Sign in to Ratchet</h1>
        <p className="mb-5 text-sm text-slate-600">Model registry, release gates and human feedback.</p>
        {empty && (
          <div
            role="note"
            data-testid="first-admin"
            className="mb-5 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900"
          >
            <p className="font-medium">No one can sign in yet: this database has no users.</p>
            <p className="mt-1">Create the first admin on the server, then sign in here:</p>
            <pre className="mt-2 overflow-x-auto rounded bg-white px-2 py-1 font-mono text-xs whitespace-pre-wrap">
              npx ratchet user add --email you@example.com --password &apos;a long passphrase&apos; --roles admin
            </pre>
          </div>
        )}
        {changed && (
          <p
            role="status"
            data-testid="password-changed"
            className="mb-5 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
          >
            Your password was changed and your sessions were ended. Sign in with the new password.
          </p>
        )}
        <SignInForm next={safeReturnPath(next)} />
      </div>
    </main>
  );
}
