"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { policyInput, type PolicyInput } from "@/server/domain/feedback/schemas";
import { FormBanner, reasons, useServerRefusal } from "../../../_components/form";
import { useTRPC, type RouterOutputs } from "../../../_components/trpc";
import { Button, Field, Input, Select } from "../../../_components/ui";

type Policy = RouterOutputs["feedback"]["policy"]["current"];

const ORDERS = [
  "disagreement,confidence,recency",
  "disagreement,recency,confidence",
  "confidence,disagreement,recency",
  "confidence,recency",
  "recency",
];

/** Switches the page to another model. */
export function ModelPicker({ models, value }: { models: string[]; value: string }) {
  const router = useRouter();
  return (
    <Select aria-label="Model" value={value} onChange={(e) => router.push(`/review/policy?model=${e.target.value}`)}>
      {models.map((m) => (
        <option key={m}>{m}</option>
      ))}
    </Select>
  );
}

const FIELDS = [
  "strategy",
  "threshold",
  "randomShare",
  "goldShare",
  "overlap",
  "hideAnswerShare",
  "secondOpinionAbove",
  "order",
] as const;

/** Saves a new version of the policy (shares are fractions: 0.05 is 5 %). */
export function PolicyForm({ model, task, current }: { model: string; task: string; current: Policy }) {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm<PolicyInput>({
    resolver: zodResolver(policyInput),
    mode: "onChange",
    defaultValues: { model, ...current, order: current.order },
  });
  const refusal = useServerRefusal(form.setError, [...FIELDS]);
  const save = useMutation(
    trpc.feedback.setPolicy.mutationOptions({ onSuccess: () => router.refresh(), onError: refusal.onError }),
  );
  const { errors } = form.formState;
  const number = (name: (typeof FIELDS)[number], label: string, hint: string, step = "0.01") => (
    <Field label={label} htmlFor={name} error={reasons(errors[name])} hint={hint}>
      <Input
        id={name}
        type="number"
        step={step}
        aria-invalid={Boolean(errors[name])}
        {...form.register(name, { valueAsNumber: true })}
      />
    </Field>
  );
  return (
    <form
      className="grid grid-cols-2 gap-4"
      noValidate
      onSubmit={form.handleSubmit((input) => {
        refusal.reset();
        save.mutate(input);
      })}
    >
      <div className="col-span-2">
        <FormBanner message={refusal.banner} />
      </div>
      <Field label="Rule" htmlFor="strategy" error={reasons(errors.strategy)}>
        <Select id="strategy" {...form.register("strategy")}>
          <option value="confidence">confidence below the threshold</option>
          <option value="margin">margin of the top two classes below it</option>
          {task !== "regression" && <option value="entropy">entropy (nats) above it</option>}
        </Select>
      </Field>
      {number("threshold", "Threshold", "0–1; entropy in nats")}
      {number("randomShare", "Random share", "of all predictions, for unbiased estimates")}
      {number("goldShare", "Gold share", "of claims served from gold items")}
      {number("overlap", "Reviewers per item", "1–10", "1")}
      {number("hideAnswerShare", "Hide the model's answer", "share of items shown without it")}
      {number("secondOpinionAbove", "Second opinion at confidence", "a first label against the model above this")}
      <Field label="Order" htmlFor="order" error={reasons(errors.order)}>
        <Select
          id="order"
          {...form.register("order", { setValueAs: (v: string | string[]) => (Array.isArray(v) ? v : v.split(",")) })}
        >
          {ORDERS.map((o) => (
            <option key={o} value={o}>
              {o.replaceAll(",", ", then ")}
            </option>
          ))}
        </Select>
      </Field>
      <div className="col-span-2">
        <Button type="submit" disabled={save.isPending}>
          Save as a new version
        </Button>
      </div>
    </form>
  );
}
