"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldErrors, FormError, useTRPC } from "../../../../../../_components/trpc";
import { Button, Field, Input, Select, Textarea } from "../../../../../../_components/ui";

export function RequestReleaseForm({ model, version, gateStatus }: { model: string; version: number; gateStatus: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [strategy, setStrategy] = useState<"full" | "canary" | "shadow">("full");
  const request = useMutation(trpc.releases.request.mutationOptions({ onSuccess: (r) => router.push(`/releases/${r.id}`) }));
  const errors = fieldErrors(request.error);
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const share = Number(f.get("share")) / 100;
        request.mutate({ model, version, strategy, share: strategy === "canary" ? share : undefined, rationale: String(f.get("rationale")) });
      }}
    >
      <FormError error={request.error} />
      {gateStatus !== "pass" && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          The gate does not pass. A manager can only approve this as an explicit override with a written justification.
        </p>
      )}
      <Field label="Strategy" htmlFor="strategy" error={errors.strategy}>
        <Select id="strategy" value={strategy} onChange={(e) => setStrategy(e.target.value as typeof strategy)} className="w-full">
          <option value="full">full: becomes the champion</option>
          <option value="canary">canary: a share of live traffic</option>
          <option value="shadow">shadow: sees traffic, answers nobody</option>
        </Select>
      </Field>
      {strategy === "canary" && (
        <Field label="Canary share (%)" htmlFor="share" error={errors.share}>
          <Input id="share" name="share" type="number" min={1} max={99} step={1} defaultValue={10} />
        </Field>
      )}
      <Field label="Rationale" htmlFor="rationale" error={errors.rationale} hint="why this version should ship; managers read this">
        <Textarea id="rationale" name="rationale" rows={4} className="font-sans text-sm" required />
      </Field>
      <Button type="submit" disabled={request.isPending}>Request release</Button>
    </form>
  );
}
