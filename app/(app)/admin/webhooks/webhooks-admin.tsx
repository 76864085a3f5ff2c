"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { EventType } from "@/server/domain/event-types";
import { createEndpointInput } from "@/server/domain/webhooks/schemas";
import { ago, when } from "../../../_components/format";
import { Pager } from "../../../_components/pager";
import { CheckboxGroup, FormBanner, reasons, useServerRefusal } from "../../../_components/form";
import { FormError, useTRPC, type RouterOutputs } from "../../../_components/trpc";
import { Badge, Button, Card, Field, Input, Select, Table } from "../../../_components/ui";

type Endpoint = RouterOutputs["webhooks"]["list"][number];

const statusTone = { delivered: "champion", pending: "candidate", failed: "revoked" } as const;

type DeliveryPage = RouterOutputs["webhooks"]["deliveries"];

export function WebhooksAdmin({
  eventTypes,
  endpoints,
  deliveries,
  offset,
}: {
  eventTypes: EventType[];
  endpoints: Endpoint[];
  deliveries: DeliveryPage;
  offset: number;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const setActive = useMutation(trpc.webhooks.setActive.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <div className="space-y-6">
      <Card title="Register an endpoint">
        <RegisterEndpointForm eventTypes={eventTypes} onCreated={() => router.refresh()} />
      </Card>
      <Card title="Endpoints">
        <FormError error={setActive.error} />
        <Table label="Webhook endpoints">
          <thead>
            <tr>
              <th>URL</th>
              <th>Events</th>
              <th>Created</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {endpoints.map((ep) => (
              <tr key={ep.id} data-testid={`endpoint-${ep.url}`}>
                <td className="font-mono text-xs break-all">{ep.url}</td>
                <td className="font-mono text-xs">{ep.events.join(" ")}</td>
                <td>
                  {ago(ep.createdAt)}
                  {ep.createdBy && ` by ${ep.createdBy}`}
                </td>
                <td>{ep.active ? <Badge tone="champion">active</Badge> : <Badge tone="retired">paused</Badge>}</td>
                <td>
                  <Button
                    variant={ep.active ? "danger" : "secondary"}
                    disabled={setActive.isPending}
                    onClick={() => setActive.mutate({ id: ep.id, active: !ep.active })}
                  >
                    {ep.active ? "Pause" : "Resume"}
                  </Button>
                </td>
              </tr>
            ))}
            {endpoints.length === 0 && (
              <tr>
                <td colSpan={5} className="text-center text-slate-500">
                  No endpoints yet.
                </td>
              </tr>
            )}
          </tbody>
        </Table>
      </Card>
      <DeliveryLog endpoints={endpoints} initial={deliveries} offset={offset} />
    </div>
  );
}

/** Refetches every few seconds: the worker sends in the background, so the log changes on its own. */
function DeliveryLog({ endpoints, initial, offset }: { endpoints: Endpoint[]; initial: DeliveryPage; offset: number }) {
  const trpc = useTRPC();
  const [endpointId, setEndpointId] = useState("");
  const input = { limit: 50, offset: endpointId ? 0 : offset, ...(endpointId ? { endpointId } : {}) };
  const { data: log } = useQuery(
    trpc.webhooks.deliveries.queryOptions(input, {
      initialData: endpointId ? undefined : initial,
      refetchInterval: 5_000,
    }),
  );
  const data = log?.deliveries ?? [];
  return (
    <Card
      title="Delivery log"
      actions={
        <Select aria-label="Filter by endpoint" value={endpointId} onChange={(e) => setEndpointId(e.target.value)}>
          <option value="">All endpoints</option>
          {endpoints.map((ep) => (
            <option key={ep.id} value={ep.id}>
              {ep.url}
            </option>
          ))}
        </Select>
      }
    >
      <Table label="Webhook deliveries">
        <thead>
          <tr>
            <th>Event</th>
            <th>Endpoint</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Last answer</th>
            <th>Created</th>
            <th>Delivered / next try</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.id} data-testid={`delivery-${d.id}`}>
              <td className="font-mono text-xs">
                {d.eventType} <span className="text-slate-500">#{d.eventId}</span>
              </td>
              <td className="font-mono text-xs break-all">{d.endpointUrl}</td>
              <td>
                <Badge tone={statusTone[d.status]}>{d.status}</Badge>
              </td>
              <td>{d.attempts}</td>
              <td className="text-xs">
                {d.lastError ?? (d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : "—")}
              </td>
              <td>{when(d.createdAt)}</td>
              <td>
                {d.status === "delivered"
                  ? when(d.deliveredAt)
                  : d.status === "pending"
                    ? when(d.nextAttemptAt)
                    : "gave up"}
              </td>
            </tr>
          ))}
          {data.length === 0 && (
            <tr>
              <td colSpan={7} className="text-center text-slate-500">
                No deliveries yet.
              </td>
            </tr>
          )}
        </tbody>
      </Table>
      {log && <Pager page={log.page} path="/admin/webhooks" label="Delivery log pages" />}
    </Card>
  );
}

function RegisterEndpointForm({ eventTypes, onCreated }: { eventTypes: EventType[]; onCreated: () => void }) {
  const trpc = useTRPC();
  const form = useForm({
    resolver: zodResolver(createEndpointInput),
    mode: "onChange",
    defaultValues: { url: "", events: [] },
  });
  const refusal = useServerRefusal(form.setError, ["url", "events"]);
  const create = useMutation(trpc.webhooks.create.mutationOptions({ onSuccess: onCreated, onError: refusal.onError }));
  const { errors } = form.formState;
  return (
    <>
      <form
        className="grid max-w-2xl grid-cols-2 gap-4"
        noValidate
        onSubmit={form.handleSubmit((input) => {
          refusal.reset();
          create.mutate(input);
        })}
      >
        <div className="col-span-2">
          <FormBanner message={refusal.banner} />
        </div>
        <div className="col-span-2">
          <Field
            label="URL"
            htmlFor="url"
            error={reasons(errors.url)}
            hint="receives a POST per event, e.g. https://ci.example.com/ratchet"
          >
            <Input id="url" type="url" aria-invalid={Boolean(errors.url)} {...form.register("url")} />
          </Field>
        </div>
        <CheckboxGroup
          legend="Events"
          name="events"
          options={eventTypes}
          registration={form.register("events")}
          errors={reasons(errors.events)}
          mono
          className="col-span-2"
        />
        <div>
          <Button type="submit" disabled={create.isPending}>
            Register endpoint
          </Button>
        </div>
      </form>
      {create.data && (
        <div role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="font-medium">Copy this signing secret now: it will not be shown again.</p>
          <code data-testid="new-secret" className="mt-1 block font-mono text-xs break-all">
            {create.data.secret}
          </code>
          <p className="mt-1 text-xs text-slate-600">
            Verify each request: HMAC-SHA256 with this secret over <code>{"<t>.<raw body>"}</code> must equal{" "}
            <code>v1</code> in the <code>Ratchet-Signature: t=…,v1=…</code> header.
          </p>
        </div>
      )}
    </>
  );
}
