import type { Metadata } from "next";
import { pageCaller } from "@/server/trpc/server-caller";
import { offsetParam, Pager } from "../../../_components/pager";
import { PageHeader } from "../../../_components/ui";
import { KeysAdmin } from "./keys-admin";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage({ searchParams }: { searchParams: Promise<{ offset?: string }> }) {
  const offset = offsetParam((await searchParams).offset);
  const { api } = await pageCaller("keys:manage");
  const { keys, page } = await api.admin.keys({ offset });
  // Only active people can own a key: a key must not outlive its person.
  // (the first 200 by email: beyond that a search box would serve better than a select)
  const owners = (await api.admin.users({ activeOnly: true, limit: 200 })).users.map((u) => ({
    id: u.id,
    email: u.email,
  }));
  return (
    <>
      <PageHeader
        title="API keys"
        subtitle="For pipelines and production services. A key is shown once; only its hash is stored."
      />
      <KeysAdmin keys={keys} owners={owners} />
      <Pager page={page} path="/admin/keys" label="API key pages" />
    </>
  );
}
