"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { RELEASE_STRATEGIES } from "@/server/domain/enums";
import { requestReleaseInput } from "@/server/domain/releases/schemas";
import { FormBanner, reasons, useServerRefusal } from "../../../../../../_components/form";
import { useTRPC } from "../../../../../../_components/trpc";
import { Button, Field, Input, Select, Textarea } from "../../../../../../_components/ui";

/** The canary share is typed in per cent; the API takes a fraction. The server's schema checks the rest. */
const requestFor = (model: string, version: number) =>
  z
    .object({
      strategy: z.enum(RELEASE_STRATEGIES),
      sharePercent: z.number(),
      rationale: z.string(),
    })
    .superRefine((r, ctx) => {
      if (r.strategy !== "canary") return;
      if (Number.isNaN(r.sharePercent)) ctx.addIssue({ code: "custom", path: ["sharePercent"], message: "required" });
      else if (r.sharePercent <= 0 || r.sharePercent >= 100)
        ctx.addIssue({
          code: "custom",
          path: ["sharePercent"],
          message: "a canary share is above 0 % and below 100 % (use full for all traffic)",
        });
    })
    .transform((r): z.input<typeof requestReleaseInput> => ({
      model,
      version,
      strategy: r.strategy,
      share: r.strategy === "canary" ? r.sharePercent / 100 : undefined,
      rationale: r.rationale,
    }))
    .pipe(requestReleaseInput);

export function RequestReleaseForm({
  model,
  version,
  gateStatus,
}: {
  model: string;
  version: number;
  gateStatus: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const schema = useMemo(() => requestFor(model, version), [model, version]);
  const form = useForm({
    resolver: zodResolver(schema),
    mode: "onChange",
    defaultValues: { strategy: "full" as const, sharePercent: 10, rationale: "" },
  });
  const refusal = useServerRefusal(form.setError, ["strategy", "sharePercent", "rationale"]);
  const request = useMutation(
    trpc.releases.request.mutationOptions({
      onSuccess: (r) => router.push(`/releases/${r.id}`),
      onError: refusal.onError,
    }),
  );
  const { errors } = form.formState;
  const strategy = useWatch({ control: form.control, name: "strategy" });
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={form.handleSubmit((input) => {
        refusal.reset();
        request.mutate(input);
      })}
    >
      <FormBanner message={refusal.banner} />
      {gateStatus !== "pass" && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          The gate does not pass. A manager can only approve this as an explicit override with a written justification.
        </p>
      )}
      <Field label="Strategy" htmlFor="strategy" error={reasons(errors.strategy)}>
        <Select id="strategy" className="w-full" {...form.register("strategy")}>
          <option value="full">full: becomes the champion</option>
          <option value="canary">canary: a share of live traffic</option>
          <option value="shadow">shadow: sees traffic, answers nobody</option>
        </Select>
      </Field>
      {strategy === "canary" && (
        <Field label="Canary share (%)" htmlFor="share" error={reasons(errors.sharePercent)}>
          <Input
            id="share"
            type="number"
            min={1}
            max={99}
            step={1}
            aria-invalid={Boolean(errors.sharePercent)}
            {...form.register("sharePercent", { valueAsNumber: true })}
          />
        </Field>
      )}
      <Field
        label="Rationale"
        htmlFor="rationale"
        error={reasons(errors.rationale)}
        hint="why this version should ship; managers read this"
      >
        <Textarea
          id="rationale"
          rows={4}
          className="font-sans text-sm"
          aria-invalid={Boolean(errors.rationale)}
          {...form.register("rationale")}
        />
      </Field>
      <Button type="submit" disabled={request.isPending}>
        Request release
      </Button>
    </form>
  );
}
