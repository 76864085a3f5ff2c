import type { Metadata } from "next";
import { pageCaller } from "@/server/trpc/server-caller";
import { MfaSettings } from "../../_components/account/mfa-settings";
import { PasswordForm } from "../../_components/account/password-form";
import { Card, PageHeader } from "../../_components/ui";

export const metadata: Metadata = { title: "Account and security" };

export default async function AccountPage() {
  const { api, principal } = await pageCaller("account:self");
  const status = await api.account.mfaStatus();
  return (
    <>
      <PageHeader title="Account and security" subtitle={principal.kind === "user" ? principal.email : undefined} />
      <div className="space-y-6">
        <Card title="Password">
          <PasswordForm />
        </Card>
        <Card title="Two-step sign-in">
          <MfaSettings status={status} />
        </Card>
      </div>
    </>
  );
}
