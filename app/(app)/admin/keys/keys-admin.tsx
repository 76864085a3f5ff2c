"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { SCOPES } from "@/server/authz/policy";
import { createKeyInput } from "@/server/domain/admin/schemas";
import { CopyButton } from "../../../_components/copy-button";
import { ago } from "../../../_components/format";
import { CheckboxGroup, FormBanner, reasons, useServerRefusal } from "../../../_components/form";
import { FormError, useTRPC, type RouterOutputs } from "../../../_components/trpc";
import { Badge, Button, Card, Field, Input, Select, Table } from "../../../_components/ui";

type Key = RouterOutputs["admin"]["keys"]["keys"][number];

export function KeysAdmin({ keys, owners }: { keys: Key[]; owners: { id: string; email: string }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const revoke = useMutation(trpc.admin.revokeKey.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <div className="space-y-6">
      <Card title="Create a key">
        <CreateKeyForm owners={owners} onCreated={() => router.refresh()} />
      </Card>
      <Card title="Keys">
        <FormError error={revoke.error} />
        <Table label="API keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key</th>
              <th>Owner</th>
              <th>Scopes</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <td className="font-medium">{k.name}</td>
                <td className="font-mono text-xs">{k.prefix}…</td>
                <td>
                  {k.owner ?? "none"}
                  {k.ownerDisabled && (
                    <>
                      {" "}
                      <Badge tone="revoked">owner disabled</Badge>
                    </>
                  )}
                </td>
                <td className="font-mono text-xs">{k.scopes.join(" ")}</td>
                <td>
                  {ago(k.createdAt)}
                  {k.createdBy && ` by ${k.createdBy}`}
                </td>
                <td>{k.lastUsedAt ? ago(k.lastUsedAt) : "never"}</td>
                <td>{k.revokedAt ? <Badge tone="revoked">revoked</Badge> : <Badge tone="champion">active</Badge>}</td>
                <td>
                  {!k.revokedAt && (
                    <Button variant="danger" onClick={() => revoke.mutate({ id: k.id })}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
            {keys.length === 0 && (
              <tr>
                <td colSpan={8} className="text-center text-slate-500">
                  No keys yet.
                </td>
              </tr>
            )}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}

const KEY_FIELDS = ["name", "ownerUserId", "ownerEmail", "scopes"] as const;

function CreateKeyForm({ owners, onCreated }: { owners: { id: string; email: string }[]; onCreated: () => void }) {
  const trpc = useTRPC();
  const form = useForm({
    resolver: zodResolver(createKeyInput),
    mode: "onChange",
    defaultValues: { name: "", scopes: [], ownerUserId: "" },
  });
  const refusal = useServerRefusal(form.setError, KEY_FIELDS);
  const create = useMutation(trpc.admin.createKey.mutationOptions({ onSuccess: onCreated, onError: refusal.onError }));
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
        <Field label="Name" htmlFor="key-name" error={reasons(errors.name)} hint="who uses it, e.g. training-pipeline">
          <Input id="key-name" aria-invalid={Boolean(errors.name)} {...form.register("name")} />
        </Field>
        <Field
          label="Owner"
          htmlFor="key-owner"
          error={reasons(errors.ownerUserId) ?? reasons(errors.ownerEmail)}
          hint="the person it acts for: what it registers counts as theirs, and it stops working if they are disabled"
        >
          {/* No choice yet reads as "no owner", which the schema refuses with its own reason. */}
          <Select
            id="key-owner"
            className="w-full"
            {...form.register("ownerUserId", { setValueAs: (v) => (v === "" ? undefined : v), deps: ["ownerEmail"] })}
          >
            <option value="" disabled>
              Choose a person…
            </option>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.email}
              </option>
            ))}
          </Select>
        </Field>
        <CheckboxGroup
          legend="Scopes"
          name="scopes"
          options={SCOPES}
          registration={form.register("scopes")}
          errors={reasons(errors.scopes)}
          mono
        />
        <div>
          <Button type="submit" disabled={create.isPending}>
            Create key
          </Button>
        </div>
      </form>
      {create.data && (
        <div role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="font-medium">Copy this key now: it will not be shown again.</p>
          <div className="mt-1 flex items-center gap-2">
            <code data-testid="new-key" className="block min-w-0 flex-1 font-mono text-xs break-all">
              {create.data.key}
            </code>
            <CopyButton value={create.data.key} label="Copy key" />
          </div>
        </div>
      )}
    </>
  );
}
