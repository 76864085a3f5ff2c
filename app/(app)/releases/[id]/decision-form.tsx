"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { decideReleaseInput, type DecideReleaseInput } from "@/server/domain/releases/schemas";
import { fieldErrors, FormError, useTRPC } from "../../../_components/trpc";
import { Button, Field, Textarea } from "../../../_components/ui";
import { ConfirmDialog } from "../../../_components/ui/alert-dialog";
import { releaseOutcome, type ReleaseSummary } from "./release-outcome";

type Decision = DecideReleaseInput["decision"];

/**
 * Approve or reject a pending release. The note is checked as it is typed (the server's schema); a valid
 * form opens a dialog that says what the decision will do before anything changes.
 */
export function DecisionForm({ release, gatePasses }: { release: ReleaseSummary; gatePasses: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirming, setConfirming] = useState<Decision | null>(null);
  const form = useForm({
    resolver: zodResolver(decideReleaseInput),
    mode: "onTouched",
    defaultValues: {
      releaseId: release.id,
      decision: "approve" as Decision,
      note: "",
      override: false,
      justification: "",
    },
  });
  const decide = useMutation(trpc.releases.decide.mutationOptions({ onSuccess: () => router.refresh() }));
  const server = fieldErrors(decide.error);
  const override = useWatch({ control: form.control, name: "override" });
  const { errors } = form.formState;
  const ask = (decision: Decision) => {
    form.setValue("decision", decision);
    void form.handleSubmit((values) => {
      // The server would refuse it: say so here rather than ask to confirm an approval that cannot happen.
      if (decision === "approve" && !gatePasses && !values.override) {
        form.setError("override", {
          message: "The gate did not pass: approve only as an override, with a written justification.",
        });
        return;
      }
      setConfirming(decision);
    })();
  };
  const confirm = () => {
    const values = form.getValues();
    decide.mutate({ ...values, justification: values.override ? values.justification : undefined });
  };
  const message = (name: "note" | "justification") => {
    const own = errors[name]?.message;
    return own ? [own] : server[name];
  };
  return (
    <form className="space-y-4" onSubmit={(e) => e.preventDefault()} noValidate>
      <FormError error={decide.error} fields={["note", "justification"]} />
      <Field label="Note" htmlFor="note" error={message("note")}>
        <Textarea
          id="note"
          rows={3}
          className="font-sans text-sm"
          aria-invalid={message("note") ? true : undefined}
          {...form.register("note")}
        />
      </Field>
      {!gatePasses && (
        <p className="text-sm text-amber-900">The gate did not pass: approving needs an explicit override.</p>
      )}
      <div>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            aria-describedby={errors.override ? "override-error" : undefined}
            {...form.register("override", { onChange: () => form.clearErrors("override") })}
          />{" "}
          Approve as an override of the gate
        </label>
        {errors.override?.message && (
          <p id="override-error" className="mt-1 text-xs text-red-700" data-testid="error-override">
            {errors.override.message}
          </p>
        )}
      </div>
      {override && (
        <Field
          label="Justification (shown wherever this release appears)"
          htmlFor="justification"
          error={message("justification")}
        >
          <Textarea
            id="justification"
            rows={3}
            className="font-sans text-sm"
            aria-invalid={message("justification") ? true : undefined}
            {...form.register("justification")}
          />
        </Field>
      )}
      <div className="flex gap-2">
        <Button type="button" disabled={decide.isPending} onClick={() => ask("approve")}>
          Approve
        </Button>
        <Button type="button" variant="danger" disabled={decide.isPending} onClick={() => ask("reject")}>
          Reject
        </Button>
      </div>
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => !open && setConfirming(null)}
        title={
          confirming === "reject"
            ? `Reject ${release.model} v${release.toVersion}?`
            : `Approve ${release.model} v${release.toVersion}?`
        }
        confirmLabel={confirming === "reject" ? "Reject release" : "Approve release"}
        confirmVariant={confirming === "reject" ? "destructive" : "primary"}
        onConfirm={confirm}
      >
        {confirming && <p data-testid="confirm-outcome">{releaseOutcome(release, confirming)}</p>}
        {confirming === "approve" && override && (
          <p className="text-amber-900">
            This overrides a gate that did not pass; your justification is shown wherever this release appears.
          </p>
        )}
        <p>The decision and your note are recorded in the audit log.</p>
      </ConfirmDialog>
    </form>
  );
}
