"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { createModelInput, modelTask } from "@/server/domain/registry/schemas";
import { FormBanner, reasons, useServerRefusal } from "../../../_components/form";
import { useTRPC } from "../../../_components/trpc";
import { Button, Field, Input, Select, Textarea } from "../../../_components/ui";

/** The server's schema, with labels typed as one comma-separated line. */
const formSchema = createModelInput.extend({
  labels: z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(createModelInput.shape.labels.unwrap()),
});
const FIELDS = ["name", "task", "labels", "owner", "description"] as const;
const TASK_LABELS: Record<z.infer<typeof modelTask>, string> = {
  binary_classification: "binary classification",
  multiclass_classification: "multiclass classification",
  regression: "regression",
};

export function NewModelForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm({
    resolver: zodResolver(formSchema),
    mode: "onChange",
    defaultValues: { name: "", task: "binary_classification", labels: "", owner: "", description: "" },
  });
  const refusal = useServerRefusal(form.setError, FIELDS);
  const create = useMutation(
    trpc.models.create.mutationOptions({
      onSuccess: (m) => router.push(`/models/${m.name}`),
      onError: refusal.onError,
    }),
  );
  const { errors } = form.formState;
  return (
    <form
      className="max-w-xl space-y-4"
      noValidate
      onSubmit={form.handleSubmit((values) => {
        refusal.reset();
        create.mutate(values);
      })}
    >
      <FormBanner message={refusal.banner} />
      <Field
        label="Name"
        htmlFor="name"
        error={reasons(errors.name)}
        hint="lower-case letters, digits and dashes, e.g. credit-default"
      >
        <Input id="name" aria-invalid={Boolean(errors.name)} {...form.register("name")} />
      </Field>
      <Field label="Task" htmlFor="task" error={reasons(errors.task)}>
        <Select id="task" {...form.register("task")}>
          {modelTask.options.map((t) => (
            <option key={t} value={t}>
              {TASK_LABELS[t]}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label="Labels"
        htmlFor="labels"
        error={reasons(errors.labels)}
        hint="comma-separated class names; empty for regression"
      >
        <Input id="labels" aria-invalid={Boolean(errors.labels)} {...form.register("labels")} />
      </Field>
      <Field label="Owner (team)" htmlFor="owner" error={reasons(errors.owner)}>
        <Input id="owner" aria-invalid={Boolean(errors.owner)} {...form.register("owner")} />
      </Field>
      <Field label="Description" htmlFor="description" error={reasons(errors.description)}>
        <Textarea
          id="description"
          rows={3}
          className="font-sans text-sm"
          aria-invalid={Boolean(errors.description)}
          {...form.register("description")}
        />
      </Field>
      <Button type="submit" disabled={create.isPending}>
        Register model
      </Button>
    </form>
  );
}
