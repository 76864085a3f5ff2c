"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { fieldErrors, FormError, useTRPC } from "../../../_components/trpc";
import { Button, Field, Input, Select, Textarea } from "../../../_components/ui";

export function NewModelForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.models.create.mutationOptions({ onSuccess: (m) => router.push(`/models/${m.name}`) }));
  const errors = fieldErrors(create.error);
  return (
    <form
      className="max-w-xl space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const labels = String(f.get("labels") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
        create.mutate({
          name: String(f.get("name")),
          task: f.get("task") as "binary_classification",
          owner: String(f.get("owner")),
          description: String(f.get("description") ?? ""),
          labels,
        });
      }}
    >
      <FormError error={create.error} />
      <Field label="Name" htmlFor="name" error={errors.name} hint="lower-case letters, digits and dashes, e.g. credit-default">
        <Input id="name" name="name" required aria-invalid={Boolean(errors.name)} />
      </Field>
      <Field label="Task" htmlFor="task" error={errors.task}>
        <Select id="task" name="task" defaultValue="binary_classification">
          <option value="binary_classification">binary classification</option>
          <option value="multiclass_classification">multiclass classification</option>
          <option value="regression">regression</option>
        </Select>
      </Field>
      <Field label="Labels" htmlFor="labels" error={errors.labels} hint="comma-separated class names; empty for regression">
        <Input id="labels" name="labels" />
      </Field>
      <Field label="Owner (team)" htmlFor="owner" error={errors.owner}>
        <Input id="owner" name="owner" required />
      </Field>
      <Field label="Description" htmlFor="description" error={errors.description}>
        <Textarea id="description" name="description" rows={3} className="font-sans text-sm" />
      </Field>
      <Button type="submit" disabled={create.isPending}>Register model</Button>
    </form>
  );
}
