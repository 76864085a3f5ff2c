import type { Metadata } from "next";
import { EVENT_TYPES } from "@/server/domain/events";
import { pageCaller } from "@/server/trpc/server-caller";
import { offsetParam } from "../../../_components/pager";
import { PageHeader } from "../../../_components/ui";
import { WebhooksAdmin } from "./webhooks-admin";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<{ offset?: string }> }) {
  const offset = offsetParam((await searchParams).offset);
  const { api } = await pageCaller("webhooks:manage");
  const [endpoints, deliveries] = await Promise.all([
    api.webhooks.list(),
    api.webhooks.deliveries({ limit: 50, offset }),
  ]);
  return (
    <>
      <PageHeader
        title="Webhooks"
        subtitle="Ratchet POSTs each event as signed JSON (HMAC-SHA256, header Ratchet-Signature) and retries failures with backoff for about an hour."
      />
      {/* The event list comes from the server so the client bundle never imports the database schema. */}
      <WebhooksAdmin eventTypes={[...EVENT_TYPES]} endpoints={endpoints} deliveries={deliveries} offset={offset} />
    </>
  );
}
