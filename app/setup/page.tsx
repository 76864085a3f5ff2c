import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signOut } from "@/server/auth";
import { PENDING_STEP_MESSAGES } from "@/server/authz/policy";
import { currentPrincipal, requestContext } from "@/server/request";
import { createCaller } from "@/server/trpc/root";
import { MfaSettings } from "../_components/account/mfa-settings";
import { PasswordForm } from "../_components/account/password-form";
import { TrpcProvider } from "../_components/trpc";
import { Card } from "../_components/ui";

export const metadata: Metadata = { title: "Before you continue" };

/**
 * Where people with a pending step land (forced password reset, required second factor): the one thing
 * they may do before anything else. Outside the app shell, since every other page would refuse them.
 */
export default async function SetupPage() {
  const principal = await currentPrincipal();
  if (!principal || principal.kind !== "user") redirect("/signin");
  if (!principal.pending) redirect("/models");
  const status =
    principal.pending === "mfa_enrollment" ? await createCaller(await requestContext()).account.mfaStatus() : null;
  return (
    <main className="mx-auto max-w-xl px-4 py-12">
      <h1 className="mb-2 text-xl font-semibold">Before you continue</h1>
      <p data-testid="pending-step" className="mb-6 text-sm text-slate-700">
        {PENDING_STEP_MESSAGES[principal.pending]}
      </p>
      <TrpcProvider>
        {status ? (
          <Card title="Two-step sign-in">
            <MfaSettings status={status} doneHref="/models" />
          </Card>
        ) : (
          <Card title="Choose a new password">
            <PasswordForm />
          </Card>
        )}
      </TrpcProvider>
      <form
        className="mt-6 text-sm"
        action={async () => {
          "use server";
          // A relative redirect: the address the person used, never one built from headers.
          await signOut({ redirect: false });
          redirect("/signin");
        }}
      >
        <span className="text-slate-600">Signed in as {principal.email}. </span>
        <button type="submit" className="text-indigo-700 hover:underline">
          Sign out
        </button>
      </form>
    </main>
  );
}
