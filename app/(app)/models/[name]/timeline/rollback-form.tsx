"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { fieldErrors, FormError, useTRPC } from "../../../../_components/trpc";
import { Button, Field, Select, Textarea } from "../../../../_components/ui";

export function RollbackForm({ model, champion, versions }: { model: string; champion: number; versions: number[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const rollback = useMutation(trpc.releases.rollback.mutationOptions({ onSuccess: () => router.refresh() }));
  const errors = fieldErrors(rollback.error);
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const to = String(f.get("toVersion"));
        rollback.mutate({ model, toVersion: to ? Number(to) : undefined, reason: String(f.get("reason")) });
      }}
    >
      <FormError error={rollback.error} fields={["toVersion", "reason"]} />
      {rollback.data && <p role="status" className="text-sm text-emerald-800">Rolled back from v{rollback.data.from} to v{rollback.data.to}.</p>}
      <p className="text-sm text-slate-600">Champion now: v{champion}. One step, recorded as a rollback release.</p>
      <Field label="Return to" htmlFor="toVersion" error={errors.toVersion}>
        <Select id="toVersion" name="toVersion" defaultValue="" className="w-full">
          <option value="">the previous champion</option>
          {versions.map((v) => <option key={v} value={v}>v{v}</option>)}
        </Select>
      </Field>
      <Field label="Reason" htmlFor="reason" error={errors.reason}>
        <Textarea id="reason" name="reason" rows={2} className="font-sans text-sm" />
      </Field>
      <Button type="submit" variant="danger" disabled={rollback.isPending}>Roll back</Button>
    </form>
  );
}
