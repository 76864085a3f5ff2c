"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { useForm, useWatch, type Path } from "react-hook-form";
import { z } from "zod";
import { ALERT_RULE_KINDS, QUALITY_MEASURES } from "@/server/domain/enums";
import type { AlertRuleParams } from "@/server/domain/alerts/params";
import { ALERT_SEVERITIES, saveAlertRuleInput } from "@/server/domain/alerts/schemas";
import { FormBanner, reasons, useServerRefusal } from "../../../../_components/form";
import { useTRPC, type RouterOutputs } from "../../../../_components/trpc";
import { Button, Field, Input, Select } from "../../../../_components/ui";

type Rule = RouterOutputs["alerts"]["rules"][number];

export const KIND_LABELS: Record<(typeof ALERT_RULE_KINDS)[number], string> = {
  feature_drift: "Feature drift",
  dataset_drift: "Dataset drift (at least half the features)",
  data_quality: "Data quality limit",
  output_drift: "Output distribution shift",
  latency_p95: "Latency p95 above a limit",
  model_age: "Champion older than N days",
  nowtest_floor: "Now-test below a requirement floor",
  live_accuracy: "Live accuracy (labels) below the floor",
};

/**
 * What the person edits: the server's shape with the kind's settings side by side (only the chosen
 * kind's are sent), features and recipients as lines of text, empty numbers as NaN (so the server's
 * schema says what is missing). Turned into the API's input and checked by the server's own schema,
 * so reasons land under the same fields.
 */
const editedRule = z.object({
  name: z.string(),
  severity: z.enum(ALERT_SEVERITIES),
  granularity: z.enum(["hour", "day", "week"]),
  autoResolve: z.boolean(),
  enabled: z.boolean(),
  emailRecipients: z.string(),
  params: z.object({
    kind: z.enum(ALERT_RULE_KINDS),
    features: z.string(),
    measure: z.enum(QUALITY_MEASURES),
    limit: z.number(),
    limitMs: z.number(),
    maxDays: z.number(),
    lastLabels: z.number(),
  }),
});
type EditedRule = z.input<typeof editedRule>;

const list = (text: string) =>
  text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
const scope = (text: string): "all" | "important" | string[] => {
  const t = text.trim();
  return t === "all" || t === "important" ? t : list(text);
};

type RuleInput = z.input<typeof saveAlertRuleInput>;

function paramsOf(p: EditedRule["params"]): RuleInput["params"] {
  switch (p.kind) {
    case "feature_drift":
      return { kind: p.kind, features: scope(p.features) };
    case "data_quality":
      return { kind: p.kind, measure: p.measure, limit: p.limit, features: scope(p.features) };
    case "latency_p95":
      return { kind: p.kind, limitMs: p.limitMs };
    case "model_age":
      return { kind: p.kind, maxDays: p.maxDays };
    case "live_accuracy":
      return { kind: p.kind, lastLabels: p.lastLabels };
    case "dataset_drift":
    case "output_drift":
    case "nowtest_floor":
      return { kind: p.kind };
  }
}

const schemaFor = (model: string, id: string | undefined) =>
  editedRule
    .transform((r): RuleInput => ({
      ...r,
      model,
      ...(id ? { id } : {}),
      emailRecipients: list(r.emailRecipients),
      params: paramsOf(r.params),
    }))
    .pipe(saveAlertRuleInput);

export function toEdited(rule: Rule | null): EditedRule {
  const p = (rule?.params ?? { kind: "feature_drift", features: "all" }) as AlertRuleParams;
  const features = "features" in p ? (Array.isArray(p.features) ? p.features.join(", ") : p.features) : "all";
  return {
    name: rule?.name ?? "",
    severity: rule?.severity ?? "warning",
    granularity: rule?.granularity ?? "day",
    autoResolve: rule?.autoResolve ?? true,
    enabled: rule?.enabled ?? true,
    emailRecipients: rule?.emailRecipients.join(", ") ?? "",
    params: {
      kind: p.kind,
      features,
      measure: p.kind === "data_quality" ? p.measure : "missing_share",
      limit: p.kind === "data_quality" ? p.limit : 0.05,
      limitMs: p.kind === "latency_p95" ? p.limitMs : 200,
      maxDays: p.kind === "model_age" ? p.maxDays : 90,
      lastLabels: p.kind === "live_accuracy" ? p.lastLabels : 200,
    },
  };
}

const FIELDS = [
  "name",
  "severity",
  "granularity",
  "autoResolve",
  "enabled",
  "emailRecipients",
  "params",
  "params.kind",
  "params.features",
  "params.measure",
  "params.limit",
  "params.limitMs",
  "params.maxDays",
  "params.lastLabels",
] as Path<EditedRule>[];

/** Create a rule, or edit `rule` (then `onDone` closes the editor). */
export function RuleForm({ model, rule, onDone }: { model: string; rule: Rule | null; onDone?: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const schema = useMemo(() => schemaFor(model, rule?.id), [model, rule?.id]);
  const form = useForm({ resolver: zodResolver(schema), mode: "onTouched", defaultValues: toEdited(rule) });
  const refusal = useServerRefusal(form.setError, FIELDS);
  const save = useMutation(
    trpc.alerts.saveRule.mutationOptions({
      onSuccess: () => {
        if (!rule) form.reset(toEdited(null));
        router.refresh();
        onDone?.();
      },
      onError: refusal.onError,
    }),
  );
  const kind = useWatch({ control: form.control, name: "params.kind" });
  const { errors } = form.formState;
  const id = (f: string) => `${rule?.id ?? "new"}-${f}`;
  const windowRule = !["model_age", "nowtest_floor", "live_accuracy"].includes(kind);
  return (
    <form
      className="grid gap-3 sm:grid-cols-2"
      noValidate
      aria-label={rule ? `Edit rule ${rule.name}` : "New alert rule"}
      onSubmit={form.handleSubmit((values) => {
        refusal.reset();
        save.mutate(values);
      })}
    >
      <div className="sm:col-span-2">
        <FormBanner message={refusal.banner} />
      </div>
      <Field label="Name" htmlFor={id("name")} error={reasons(errors.name)}>
        <Input id={id("name")} className="w-full" {...form.register("name")} />
      </Field>
      <Field label="Watches" htmlFor={id("kind")} error={reasons(errors.params?.kind)}>
        <Select id={id("kind")} className="w-full" {...form.register("params.kind")}>
          {ALERT_RULE_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Severity" htmlFor={id("severity")} hint="Critical alerts block releases until resolved.">
        <Select id={id("severity")} className="w-full" {...form.register("severity")}>
          {ALERT_SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
      </Field>
      {windowRule && (
        <Field label="Judged on windows of" htmlFor={id("granularity")}>
          <Select id={id("granularity")} className="w-full" {...form.register("granularity")}>
            <option value="hour">an hour</option>
            <option value="day">a day</option>
            <option value="week">a week</option>
          </Select>
        </Field>
      )}
      {(kind === "feature_drift" || kind === "data_quality") && (
        <Field
          label="Features"
          htmlFor={id("features")}
          hint="all, important (as the model declares them), or names separated by commas"
          error={reasons(errors.params?.features)}
        >
          <Input id={id("features")} className="w-full" {...form.register("params.features")} />
        </Field>
      )}
      {kind === "data_quality" && (
        <>
          <Field label="Measure" htmlFor={id("measure")}>
            <Select id={id("measure")} className="w-full" {...form.register("params.measure")}>
              <option value="missing_share">missing share</option>
              <option value="new_category_share">new-category share</option>
              <option value="out_of_range_share">out-of-range share</option>
            </Select>
          </Field>
          <Field label="Limit (share, 0–1)" htmlFor={id("limit")} error={reasons(errors.params?.limit)}>
            <Input
              id={id("limit")}
              type="number"
              step="any"
              className="w-full"
              {...form.register("params.limit", { valueAsNumber: true })}
            />
          </Field>
        </>
      )}
      {kind === "latency_p95" && (
        <Field label="Limit (ms)" htmlFor={id("limitMs")} error={reasons(errors.params?.limitMs)}>
          <Input
            id={id("limitMs")}
            type="number"
            step="any"
            className="w-full"
            {...form.register("params.limitMs", { valueAsNumber: true })}
          />
        </Field>
      )}
      {kind === "model_age" && (
        <Field label="Maximum age (days)" htmlFor={id("maxDays")} error={reasons(errors.params?.maxDays)}>
          <Input
            id={id("maxDays")}
            type="number"
            className="w-full"
            {...form.register("params.maxDays", { valueAsNumber: true })}
          />
        </Field>
      )}
      {kind === "live_accuracy" && (
        <Field
          label="Judge the newest labels (count)"
          htmlFor={id("lastLabels")}
          hint="The champion's newest labeled predictions; fires when the whole 95% interval is below the accuracy floor."
          error={reasons(errors.params?.lastLabels)}
        >
          <Input
            id={id("lastLabels")}
            type="number"
            className="w-full"
            {...form.register("params.lastLabels", { valueAsNumber: true })}
          />
        </Field>
      )}
      <Field
        label="Email recipients"
        htmlFor={id("emailRecipients")}
        hint="Sent when an alert opens or resolves, if the server has SMTP configured."
        error={reasons(errors.emailRecipients)}
      >
        <Input id={id("emailRecipients")} className="w-full" {...form.register("emailRecipients")} />
      </Field>
      <div className="flex flex-wrap items-center gap-4 text-sm sm:col-span-2">
        <label className="flex items-center gap-1.5">
          <input type="checkbox" {...form.register("autoResolve")} /> Resolve by itself when the condition clears
        </label>
        <label className="flex items-center gap-1.5">
          <input type="checkbox" {...form.register("enabled")} /> Enabled
        </label>
      </div>
      <div className="flex gap-2 sm:col-span-2">
        <Button type="submit" disabled={save.isPending}>
          {rule ? "Save rule" : "Add rule"}
        </Button>
        {onDone && (
          <Button type="button" variant="secondary" onClick={onDone}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
