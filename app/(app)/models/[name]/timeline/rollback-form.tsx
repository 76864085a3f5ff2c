"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { fieldErrors, FormError, useTRPC } from "../../../../_components/trpc";
import { Button, Field, Select, Textarea } from "../../../../_components/ui";

interface Target { version: number; rolledBackFrom: boolean }

/**
 * Offers only former champions (what the server accepts); a never-released version goes through a
 * request and a manager's decision instead.
 */
export function RollbackForm({ model, champion, targets, defaultVersion }: { model: string; champion: number; targets: Target[]; defaultVersion: number | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const rollback = useMutation(trpc.releases.rollback.mutationOptions({ onSuccess: () => router.refresh() }));
  const errors = fieldErrors(rollback.error);
  if (targets.length === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid="no-rollback-targets">
        Champion now: v{champion}. No earlier champion to return to: a rollback goes only to a version that has been champion before.
        Other versions are released through a request and a manager&apos;s decision.
      </p>
    );
  }
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
      <p className="text-sm text-slate-600">Champion now: v{champion}. One step, recorded as a rollback release, and only to a former champion.</p>
      <Field label="Return to" htmlFor="toVersion" error={errors.toVersion}>
        <Select id="toVersion" name="toVersion" defaultValue="" className="w-full">
          {defaultVersion !== null && <option value="">the previous good champion (v{defaultVersion})</option>}
          {targets.map((t) => (
            <option key={t.version} value={t.version}>v{t.version}{t.rolledBackFrom ? " (was rolled back from)" : ""}</option>
          ))}
        </Select>
      </Field>
      <Field label="Reason" htmlFor="reason" error={errors.reason}>
        <Textarea id="reason" name="reason" rows={2} className="font-sans text-sm" />
      </Field>
      <Button type="submit" variant="danger" disabled={rollback.isPending}>Roll back</Button>
    </form>
  );
}
