"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldErrors, FormError, useTRPC } from "../../../_components/trpc";
import { Button, Field, Textarea } from "../../../_components/ui";

export function DecisionForm({ releaseId, gatePasses }: { releaseId: string; gatePasses: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [override, setOverride] = useState(false);
  const decide = useMutation(trpc.releases.decide.mutationOptions({ onSuccess: () => router.refresh() }));
  const errors = fieldErrors(decide.error);
  const submit = (decision: "approve" | "reject", form: HTMLFormElement) => {
    const f = new FormData(form);
    decide.mutate({ releaseId, decision, note: String(f.get("note")), override, justification: override ? String(f.get("justification")) : undefined });
  };
  return (
    <form className="space-y-4" onSubmit={(e) => e.preventDefault()}>
      <FormError error={decide.error} fields={["note", "justification"]} />
      <Field label="Note" htmlFor="note" error={errors.note}>
        <Textarea id="note" name="note" rows={3} className="font-sans text-sm" />
      </Field>
      {!gatePasses && <p className="text-sm text-amber-900">The gate did not pass: approving needs an explicit override.</p>}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} /> Approve as an override of the gate
      </label>
      {override && (
        <Field label="Justification (shown wherever this release appears)" htmlFor="justification" error={errors.justification}>
          <Textarea id="justification" name="justification" rows={3} className="font-sans text-sm" />
        </Field>
      )}
      <div className="flex gap-2">
        <Button type="button" disabled={decide.isPending} onClick={(e) => submit("approve", e.currentTarget.form!)}>Approve</Button>
        <Button type="button" variant="danger" disabled={decide.isPending} onClick={(e) => submit("reject", e.currentTarget.form!)}>Reject</Button>
      </div>
    </form>
  );
}
