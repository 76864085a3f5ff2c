"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { alertActionInput } from "@/server/domain/alerts/schemas";
import { FormBanner, reasons, useServerRefusal } from "../../../../_components/form";
import { useTRPC } from "../../../../_components/trpc";
import { Button, Field, Textarea } from "../../../../_components/ui";
import { ConfirmDialog } from "../../../../_components/ui/alert-dialog";

type Action = "acknowledge" | "resolve";

/**
 * Acknowledge or resolve one alert: a note first (checked as the server checks it), then a confirmation
 * that says what the step does to releases, then the change. A critical alert keeps blocking releases
 * when acknowledged; only resolving it unblocks them.
 */
export function AlertActions({
  alertId,
  title,
  status,
  severity,
}: {
  alertId: string;
  title: string;
  status: "open" | "acknowledged" | "resolved";
  severity: "warning" | "critical";
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [action, setAction] = useState<Action | null>(null);
  const [confirming, setConfirming] = useState(false);
  const form = useForm({
    resolver: zodResolver(alertActionInput),
    mode: "onTouched",
    defaultValues: { alertId, note: "" },
  });
  const refusal = useServerRefusal(form.setError, ["note"]);
  const done = {
    onSuccess: () => {
      setAction(null);
      form.reset({ alertId, note: "" });
      router.refresh();
    },
    onError: refusal.onError,
  };
  const acknowledge = useMutation(trpc.alerts.acknowledge.mutationOptions(done));
  const resolve = useMutation(trpc.alerts.resolve.mutationOptions(done));
  if (status === "resolved") return null;
  if (!action) {
    return (
      <div className="flex gap-2">
        {status === "open" && (
          <Button variant="secondary" onClick={() => setAction("acknowledge")} aria-label={`Acknowledge ${title}`}>
            Acknowledge
          </Button>
        )}
        <Button variant="secondary" onClick={() => setAction("resolve")} aria-label={`Resolve ${title}`}>
          Resolve
        </Button>
      </div>
    );
  }
  const verb = action === "acknowledge" ? "Acknowledge" : "Resolve";
  const pending = acknowledge.isPending || resolve.isPending;
  const noteId = `note-${alertId}`;
  return (
    <form
      className="w-72 space-y-2"
      noValidate
      onSubmit={form.handleSubmit(() => {
        refusal.reset();
        setConfirming(true);
      })}
    >
      <FormBanner message={refusal.banner} />
      <Field label={`${verb}: note`} htmlFor={noteId} error={reasons(form.formState.errors.note)}>
        <Textarea
          id={noteId}
          rows={2}
          className="w-full font-sans text-sm"
          aria-invalid={form.formState.errors.note ? true : undefined}
          {...form.register("note")}
        />
      </Field>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {verb}
        </Button>
        <Button type="button" variant="secondary" onClick={() => setAction(null)}>
          Cancel
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`${verb} "${title}"?`}
        confirmLabel={verb}
        onConfirm={() => (action === "acknowledge" ? acknowledge : resolve).mutate(form.getValues())}
      >
        {action === "acknowledge" ? (
          <p data-testid="confirm-outcome">
            The alert is marked as being looked at, with your name and note.{" "}
            {severity === "critical"
              ? "It stays unresolved: it keeps blocking releases of this model until it is resolved."
              : "It stays unresolved until someone resolves it or the condition clears."}
          </p>
        ) : (
          <p data-testid="confirm-outcome">
            The alert is closed with your name and note.
            {severity === "critical" ? " It no longer blocks releases of this model." : ""} If the condition is seen
            again, a new alert opens.
          </p>
        )}
      </ConfirmDialog>
    </form>
  );
}
