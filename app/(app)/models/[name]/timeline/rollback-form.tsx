"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { rollbackInput } from "@/server/domain/releases/schemas";
import { fieldErrors, FormError, useTRPC, type RouterOutputs } from "../../../../_components/trpc";
import { Button, Field, Select, Textarea } from "../../../../_components/ui";
import { ConfirmDialog } from "../../../../_components/ui/alert-dialog";

type Target = RouterOutputs["releases"]["rollbackTargets"]["eligible"][number];

/**
 * Offers only former champions (what the server accepts); a never-released version goes through a
 * request and a manager's decision instead. A valid form asks for confirmation, naming both versions,
 * before anything changes.
 */
export function RollbackForm({
  model,
  champion,
  targets,
  defaultVersion,
}: {
  model: string;
  champion: number;
  targets: Target[];
  defaultVersion: number | null;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const form = useForm({
    resolver: zodResolver(rollbackInput),
    mode: "onTouched",
    defaultValues: { model, toVersion: undefined as number | undefined, reason: "" },
  });
  const rollback = useMutation(
    trpc.releases.rollback.mutationOptions({
      onSuccess: () => {
        form.reset({ model, toVersion: undefined, reason: "" });
        router.refresh();
      },
    }),
  );
  const server = fieldErrors(rollback.error);
  const { errors } = form.formState;
  const chosen = useWatch({ control: form.control, name: "toVersion" }) ?? defaultVersion;
  if (targets.length === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid="no-rollback-targets">
        Champion now: v{champion}. No earlier champion to return to: a rollback goes only to a version that has been
        champion before. Other versions are released through a request and a manager&apos;s decision.
      </p>
    );
  }
  const reasonError = errors.reason?.message ? [errors.reason.message] : server.reason;
  return (
    <form className="space-y-3" noValidate onSubmit={form.handleSubmit(() => setConfirming(true))}>
      <FormError error={rollback.error} fields={["toVersion", "reason"]} />
      {rollback.data && (
        <p role="status" className="text-sm text-emerald-800">
          Rolled back from v{rollback.data.from} to v{rollback.data.to}.
        </p>
      )}
      <p className="text-sm text-slate-600">
        Champion now: v{champion}. One step, recorded as a rollback release, and only to a former champion.
      </p>
      <Field label="Return to" htmlFor="toVersion" error={server.toVersion}>
        <Select
          id="toVersion"
          className="w-full"
          {...form.register("toVersion", {
            setValueAs: (v: string) => (v === "" || v === undefined ? undefined : Number(v)),
          })}
        >
          {defaultVersion !== null && <option value="">the previous good champion (v{defaultVersion})</option>}
          {targets.map((t) => (
            <option key={t.version} value={t.version}>
              v{t.version}
              {t.rolledBackFrom ? " (was rolled back from)" : ""}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Reason" htmlFor="reason" error={reasonError}>
        <Textarea
          id="reason"
          rows={2}
          className="font-sans text-sm"
          aria-invalid={reasonError ? true : undefined}
          {...form.register("reason")}
        />
      </Field>
      <Button type="submit" variant="danger" disabled={rollback.isPending}>
        Roll back
      </Button>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Roll ${model} back to v${chosen ?? "?"}?`}
        confirmLabel={`Roll back to v${chosen ?? "?"}`}
        confirmVariant="destructive"
        onConfirm={() => rollback.mutate(form.getValues())}
      >
        <p data-testid="confirm-outcome">
          v{chosen ?? "?"} becomes the champion of {model} again, at once, and serves all traffic; v{champion} steps
          down.
        </p>
        <p>It is recorded as a rollback release with your reason, in the timeline and the audit log.</p>
      </ConfirmDialog>
    </form>
  );
}
