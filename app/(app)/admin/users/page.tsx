import type { Metadata } from "next";
import { pageCaller } from "@/server/trpc/server-caller";
import { offsetParam, Pager } from "../../../_components/pager";
import { PageHeader } from "../../../_components/ui";
import { UsersAdmin } from "./users-admin";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<{ offset?: string }> }) {
  const offset = offsetParam((await searchParams).offset);
  const { api, principal } = await pageCaller("users:manage");
  const { users, page } = await api.admin.users({ offset });
  return (
    <>
      <PageHeader
        title="Users"
        subtitle="Role changes, disabling and password resets end the person's sessions at once."
      />
      <UsersAdmin
        selfId={principal.kind === "user" ? principal.id : null}
        users={users.map((u) => ({
          id: u.id,
          email: u.email,
          name: u.name,
          roles: u.roles,
          disabled: u.disabled,
          passwordResetRequired: u.passwordResetRequired,
          mfa: u.mfaEnabledAt !== null,
        }))}
      />
      <Pager page={page} path="/admin/users" label="User pages" />
    </>
  );
}
