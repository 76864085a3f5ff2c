"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { useFieldArray, useForm, useWatch, type Path } from "react-hook-form";
import { z } from "zod";
import type { SetShape } from "@/server/domain/requirements/compare";
import { proposeSetInput } from "@/server/domain/requirements/schemas";
import { boundName } from "@/server/domain/requirements/wording";
import { FormBanner, reasons, useServerRefusal } from "../../../../_components/form";
import { useTRPC } from "../../../../_components/trpc";
import { Button, Field, Input, Select, Textarea } from "../../../../_components/ui";
import { gateKind, KINDS, type Kind } from "./report-kinds";

const MARGIN_METRICS = ["accuracy", "f1", "auc", "rmse", "mae"] as const;

/**
 * What the person edits: the server's shape, with report kinds typed as one comma-separated line, empty
 * number fields as NaN (the server's schema then says "required", never 0) and margins as text. It is
 * turned into the API's input and checked by the server's own schema, so field paths match the server's.
 */
const editedSet = z.object({
  requirements: z.array(
    z.object({
      metric: z.string(),
      direction: z.enum(["higher", "lower"]),
      floor: z.number(),
      // An empty target (NaN from the number field) means "no target"; an empty floor stays an error.
      target: z.union([z.number(), z.nan()]),
      reportKinds: z
        .string()
        .transform((line) =>
          line
            .split(",")
            .map((k) => k.trim())
            .filter(Boolean),
        )
        .pipe(z.array(gateKind)),
      slice: z.string(),
    }),
  ),
  primaryMetric: z.string(),
  requiredReportKinds: z.array(gateKind),
  comparisonMargins: z.record(z.string(), z.string()),
  minOutcomes: z.number(),
  minAucClassCount: z.number(),
  rationale: z.string(),
});
type EditedSet = z.input<typeof editedSet>;

const setSchemaFor = (model: string) =>
  editedSet
    .transform((s): z.input<typeof proposeSetInput> => ({
      model,
      ...s,
      requirements: s.requirements.map((r) => ({ ...r, target: Number.isNaN(r.target) ? null : r.target })),
      comparisonMargins: Object.fromEntries(
        Object.entries(s.comparisonMargins)
          .filter(([, v]) => v.trim() !== "")
          .map(([k, v]) => [k, Number(v)]),
      ),
    }))
    .pipe(proposeSetInput);

const toEdited = (current: SetShape | null): EditedSet => ({
  requirements: (
    current?.requirements ?? [
      { metric: "auc", direction: "higher", floor: 0.7, target: null, reportKinds: [], slice: "" },
    ]
  ).map((r) => ({
    metric: r.metric,
    direction: r.direction,
    floor: r.floor,
    target: r.target ?? Number.NaN,
    reportKinds: r.reportKinds.join(","),
    slice: r.slice,
  })),
  primaryMetric: current?.primaryMetric ?? "auc",
  requiredReportKinds: (current?.requiredReportKinds ?? []).filter((k): k is Kind =>
    (KINDS as readonly string[]).includes(k),
  ),
  comparisonMargins: Object.fromEntries(
    Object.entries(current?.comparisonMargins ?? {}).map(([k, v]) => [k, String(v)]),
  ),
  minOutcomes: current?.minOutcomes ?? 200,
  minAucClassCount: current?.minAucClassCount ?? 20,
  rationale: "",
});

const ROW_FIELDS = ["metric", "direction", "floor", "target", "reportKinds", "slice"] as const;

export function ProposeSetForm({ model, current }: { model: string; current: SetShape | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const schema = useMemo(() => setSchemaFor(model), [model]);
  const form = useForm({ resolver: zodResolver(schema), mode: "onChange", defaultValues: toEdited(current) });
  const rows = useFieldArray({ control: form.control, name: "requirements" });
  const fields = [
    "primaryMetric",
    "rationale",
    "requirements",
    "requiredReportKinds",
    "comparisonMargins",
    "minOutcomes",
    "minAucClassCount",
    ...rows.fields.flatMap((_, i) => ROW_FIELDS.map((f) => `requirements.${i}.${f}`)),
  ] as Path<EditedSet>[];
  const refusal = useServerRefusal(form.setError, fields);
  const propose = useMutation(
    trpc.requirements.propose.mutationOptions({ onSuccess: () => router.refresh(), onError: refusal.onError }),
  );
  const { errors } = form.formState;
  const watched = useWatch({ control: form.control, name: "requirements" });
  const directions = watched.map((r) => r.direction);
  const metrics = watched.map((r) => r.metric);
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={form.handleSubmit((values) => {
        refusal.reset();
        propose.mutate(values);
      })}
    >
      <FormBanner message={refusal.banner} />
      {propose.data && (
        <p role="status" data-testid="propose-result" className="text-sm text-emerald-800">
          {propose.data.status === "active"
            ? `Set v${propose.data.version} is active.`
            : `Set v${propose.data.version} loosens requirements and waits for a manager.`}
        </p>
      )}
      <table className="w-full text-sm" aria-label="Requirements to propose">
        <thead>
          <tr className="text-left text-xs text-slate-500">
            <th>Metric</th>
            <th>Better when</th>
            <th>Floor (higher) / ceiling (lower)</th>
            <th>Target</th>
            <th>Report kinds (comma)</th>
            <th>Slice</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.fields.map((row, i) => {
            const rowErrors = errors.requirements?.[i];
            const name = metrics[i] || String(i + 1);
            return [
              <tr key={row.id}>
                <td>
                  <Input
                    aria-label={`metric ${i + 1}`}
                    aria-invalid={Boolean(rowErrors?.metric)}
                    {...form.register(`requirements.${i}.metric`)}
                  />
                </td>
                <td>
                  <Select
                    aria-label={`direction ${i + 1}`}
                    {...form.register(`requirements.${i}.direction`, {
                      deps: [`requirements.${i}.floor`, `requirements.${i}.target`],
                    })}
                  >
                    <option value="higher">higher</option>
                    <option value="lower">lower</option>
                  </Select>
                </td>
                <td>
                  {/* Lower-is-better: the bound is a ceiling, and is labelled so. */}
                  <Input
                    aria-label={`${boundName(directions[i])} ${name}`}
                    type="number"
                    step="any"
                    aria-invalid={Boolean(rowErrors?.floor)}
                    {...form.register(`requirements.${i}.floor`, {
                      valueAsNumber: true,
                      deps: [`requirements.${i}.target`],
                    })}
                  />
                </td>
                <td>
                  <Input
                    aria-label={`target ${i + 1}`}
                    type="number"
                    step="any"
                    aria-invalid={Boolean(rowErrors?.target)}
                    {...form.register(`requirements.${i}.target`, { valueAsNumber: true })}
                  />
                </td>
                <td>
                  <Input
                    aria-label={`kinds ${i + 1}`}
                    aria-invalid={Boolean(rowErrors?.reportKinds)}
                    {...form.register(`requirements.${i}.reportKinds`)}
                  />
                </td>
                <td>
                  <Input
                    aria-label={`slice ${i + 1}`}
                    aria-invalid={Boolean(rowErrors?.slice)}
                    {...form.register(`requirements.${i}.slice`)}
                  />
                </td>
                <td>
                  <Button type="button" variant="secondary" onClick={() => rows.remove(i)}>
                    Remove
                  </Button>
                </td>
              </tr>,
              rowErrors && (
                <tr key={`${row.id}-errors`}>
                  <td colSpan={7} className="pb-2 text-xs text-red-700" data-testid={`requirement-${i + 1}-errors`}>
                    requirement {i + 1} ({name}): {reasons(rowErrors)?.join("; ")}
                  </td>
                </tr>
              ),
            ];
          })}
        </tbody>
      </table>
      {(errors.requirements?.message ?? errors.requirements?.root?.message) && (
        <p className="text-xs text-red-700" data-testid="error-requirements">
          {errors.requirements?.message ?? errors.requirements?.root?.message}
        </p>
      )}
      <Button
        type="button"
        variant="secondary"
        onClick={() =>
          rows.append({
            metric: "",
            direction: "higher",
            floor: Number.NaN,
            target: Number.NaN,
            reportKinds: "",
            slice: "",
          })
        }
      >
        Add requirement
      </Button>
      <div className="grid gap-4 md:grid-cols-2">
        <Field
          label="Primary metric (for beating champion and baselines)"
          htmlFor="primaryMetric"
          error={reasons(errors.primaryMetric)}
        >
          <Input id="primaryMetric" aria-invalid={Boolean(errors.primaryMetric)} {...form.register("primaryMetric")} />
        </Field>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Required report kinds</legend>
          <div className="mt-1 flex flex-wrap gap-3">
            {KINDS.map((k: Kind) => (
              <label key={k} className="flex items-center gap-1 text-xs">
                <input type="checkbox" value={k} {...form.register("requiredReportKinds")} />
                {k}
              </label>
            ))}
          </div>
          {reasons(errors.requiredReportKinds)?.map((m) => (
            <p key={m} className="text-xs text-red-700">
              {m}
            </p>
          ))}
        </fieldset>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <Field
          label="Minimum outcomes per report (fewer: not enough evidence)"
          htmlFor="minOutcomes"
          error={reasons(errors.minOutcomes)}
        >
          <Input
            id="minOutcomes"
            type="number"
            min={1}
            step={1}
            aria-invalid={Boolean(errors.minOutcomes)}
            {...form.register("minOutcomes", { valueAsNumber: true })}
          />
        </Field>
        <Field
          label="Minimum examples of each class for AUC"
          htmlFor="minAucClassCount"
          error={reasons(errors.minAucClassCount)}
        >
          <Input
            id="minAucClassCount"
            type="number"
            min={1}
            step={1}
            aria-invalid={Boolean(errors.minAucClassCount)}
            {...form.register("minAucClassCount", { valueAsNumber: true })}
          />
        </Field>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">
          Non-inferiority margins against the champion (empty: default)
        </legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {MARGIN_METRICS.map((m) => (
            <label key={m} className="flex items-center gap-1 text-xs">
              {m}
              <Input
                aria-label={`margin ${m}`}
                className="w-24"
                type="number"
                step="any"
                min={0}
                {...form.register(`comparisonMargins.${m}`)}
              />
            </label>
          ))}
        </div>
        {reasons(errors.comparisonMargins)?.map((m) => (
          <p key={m} className="text-xs text-red-700">
            {m}
          </p>
        ))}
      </fieldset>
      <Field label="Rationale" htmlFor="req-rationale" error={reasons(errors.rationale)}>
        <Textarea
          id="req-rationale"
          rows={2}
          className="font-sans text-sm"
          aria-invalid={Boolean(errors.rationale)}
          {...form.register("rationale")}
        />
      </Field>
      <Button type="submit" disabled={propose.isPending}>
        Propose set
      </Button>
    </form>
  );
}
