"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { registerDatasetInput } from "@/server/domain/registry/schemas";
import { FormBanner, reasons, useServerRefusal } from "../../_components/form";
import { useTRPC } from "../../_components/trpc";
import { Button, Field, Input, Select } from "../../_components/ui";

const FIELDS = ["name", "role", "periodStart", "periodEnd", "rowCount", "hash", "uri"] as const;
/** An empty date field means "no period", not an invalid date. */
const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

export function RegisterDatasetForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm({
    resolver: zodResolver(registerDatasetInput),
    mode: "onChange",
    defaultValues: { name: "", role: "train", hash: "", uri: "" },
  });
  const refusal = useServerRefusal(form.setError, FIELDS);
  const register = useMutation(
    trpc.datasets.register.mutationOptions({ onSuccess: () => router.refresh(), onError: refusal.onError }),
  );
  const { errors } = form.formState;
  const field = (name: (typeof FIELDS)[number]) => ({ "aria-invalid": Boolean(errors[name]) });
  return (
    <form
      className="grid max-w-3xl grid-cols-2 gap-4"
      noValidate
      onSubmit={form.handleSubmit((values) => {
        refusal.reset();
        register.mutate(values);
      })}
    >
      <div className="col-span-2">
        <FormBanner message={refusal.banner} />
      </div>
      {register.data && (
        <p role="status" className="col-span-2 text-sm text-emerald-800">
          {register.data.created
            ? `Recorded ${register.data.dataset.name} v${register.data.dataset.version}.`
            : `Already recorded as v${register.data.dataset.version}; nothing changed.`}
        </p>
      )}
      <Field label="Name" htmlFor="ds-name" error={reasons(errors.name)}>
        <Input id="ds-name" {...field("name")} {...form.register("name")} />
      </Field>
      <Field label="Role" htmlFor="ds-role" error={reasons(errors.role)}>
        <Select id="ds-role" className="w-full" {...form.register("role")}>
          <option value="train">train</option>
          <option value="test">test</option>
          <option value="backtest">back-test period</option>
          <option value="live">live window</option>
        </Select>
      </Field>
      <Field label="Period start" htmlFor="ds-start" error={reasons(errors.periodStart)}>
        <Input
          id="ds-start"
          type="date"
          {...field("periodStart")}
          {...form.register("periodStart", { setValueAs: emptyAsUndefined, deps: ["periodEnd"] })}
        />
      </Field>
      <Field label="Period end" htmlFor="ds-end" error={reasons(errors.periodEnd)}>
        <Input
          id="ds-end"
          type="date"
          {...field("periodEnd")}
          {...form.register("periodEnd", { setValueAs: emptyAsUndefined })}
        />
      </Field>
      <Field label="Row count" htmlFor="ds-rows" error={reasons(errors.rowCount)}>
        <Input
          id="ds-rows"
          type="number"
          min={0}
          {...field("rowCount")}
          {...form.register("rowCount", { valueAsNumber: true })}
        />
      </Field>
      <Field label="Content hash" htmlFor="ds-hash" error={reasons(errors.hash)}>
        <Input id="ds-hash" placeholder="sha256:…" {...field("hash")} {...form.register("hash")} />
      </Field>
      <div className="col-span-2">
        <Field label="Storage URI" htmlFor="ds-uri" error={reasons(errors.uri)}>
          <Input id="ds-uri" {...field("uri")} {...form.register("uri")} />
        </Field>
      </div>
      <div>
        <Button type="submit" disabled={register.isPending}>
          Record dataset
        </Button>
      </div>
    </form>
  );
}
