"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { fieldErrors, FormError, useTRPC } from "../../_components/trpc";
import { Button, Field, Input, Select } from "../../_components/ui";

export function RegisterDatasetForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const register = useMutation(trpc.datasets.register.mutationOptions({ onSuccess: () => router.refresh() }));
  const errors = fieldErrors(register.error);
  return (
    <form
      className="grid max-w-3xl grid-cols-2 gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const opt = (k: string) => String(f.get(k) ?? "") || undefined;
        register.mutate({
          name: String(f.get("name")),
          role: f.get("role") as "train",
          periodStart: opt("periodStart"),
          periodEnd: opt("periodEnd"),
          rowCount: Number(f.get("rowCount")),
          hash: String(f.get("hash")),
          uri: String(f.get("uri")),
        });
      }}
    >
      <div className="col-span-2"><FormError error={register.error} /></div>
      {register.data && (
        <p role="status" className="col-span-2 text-sm text-emerald-800">
          {register.data.created ? `Recorded ${register.data.dataset.name} v${register.data.dataset.version}.` : `Already recorded as v${register.data.dataset.version}; nothing changed.`}
        </p>
      )}
      <Field label="Name" htmlFor="ds-name" error={errors.name}><Input id="ds-name" name="name" required /></Field>
      <Field label="Role" htmlFor="ds-role" error={errors.role}>
        <Select id="ds-role" name="role" className="w-full">
          <option value="train">train</option><option value="test">test</option><option value="backtest">back-test period</option><option value="live">live window</option>
        </Select>
      </Field>
      <Field label="Period start" htmlFor="ds-start" error={errors.periodStart}><Input id="ds-start" name="periodStart" type="date" /></Field>
      <Field label="Period end" htmlFor="ds-end" error={errors.periodEnd}><Input id="ds-end" name="periodEnd" type="date" /></Field>
      <Field label="Row count" htmlFor="ds-rows" error={errors.rowCount}><Input id="ds-rows" name="rowCount" type="number" min={0} required /></Field>
      <Field label="Content hash" htmlFor="ds-hash" error={errors.hash}><Input id="ds-hash" name="hash" required placeholder="sha256:…" /></Field>
      <div className="col-span-2"><Field label="Storage URI" htmlFor="ds-uri" error={errors.uri}><Input id="ds-uri" name="uri" required /></Field></div>
      <div><Button type="submit" disabled={register.isPending}>Record dataset</Button></div>
    </form>
  );
}
