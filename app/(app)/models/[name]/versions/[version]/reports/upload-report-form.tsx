"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { uploadReportInput } from "@/server/domain/reports/schemas";
import { FormBanner, reasons, useServerRefusal } from "../../../../../../_components/form";
import { useTRPC } from "../../../../../../_components/trpc";
import { Button, Field, Input, Textarea } from "../../../../../../_components/ui";

/** Beyond this, the browser would send tens of megabytes through tRPC: the API takes NDJSON instead. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

const EXAMPLE = `{
  "kind": "holdout",
  "sampleSize": 4,
  "metrics": { "latency_p95_ms": 31 },
  "outcomes": [
    { "id": "a1", "label": 1, "prediction": 1, "score": 0.91 },
    { "id": "a2", "label": 0, "prediction": 0, "score": 0.12 },
    { "id": "a3", "label": 1, "prediction": 0, "score": 0.44 },
    { "id": "a4", "label": 0, "prediction": 0, "score": 0.30 }
  ]
}`;

/**
 * The report as typed or loaded: one JSON object for this page's model and version (which it may leave
 * out), then the server's own upload schema, so a missing field or a bad outcome shows before sending.
 */
const reportFor = (model: string, version: number) =>
  z.object({
    report: z
      .string()
      .min(1, "paste a report or choose a file")
      .transform((text, ctx) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (e) {
          ctx.addIssue({ code: "custom", message: `is not valid JSON (${(e as Error).message})` });
          return z.NEVER;
        }
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
          ctx.addIssue({ code: "custom", message: "must be one JSON object" });
          return z.NEVER;
        }
        const report = { model, version, ...parsed };
        if (report.model !== model || report.version !== version) {
          ctx.addIssue({
            code: "custom",
            message: `is for ${String(report.model)} v${String(report.version)}, not ${model} v${version}`,
          });
          return z.NEVER;
        }
        return report;
      })
      .pipe(uploadReportInput),
  });

export function UploadReportForm({ model, version }: { model: string; version: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const schema = useMemo(() => reportFor(model, version), [model, version]);
  const form = useForm({ resolver: zodResolver(schema), mode: "onChange", defaultValues: { report: "" } });
  const refusal = useServerRefusal(form.setError, [], "report");
  const upload = useMutation(
    trpc.reports.upload.mutationOptions({
      onSuccess: (r) => router.push(`/reports/${r.report.id}`),
      onError: refusal.onError,
    }),
  );
  const problems = reasons(form.formState.errors.report);

  return (
    <form
      className="max-w-3xl space-y-4"
      noValidate
      onSubmit={form.handleSubmit(({ report }) => {
        refusal.reset();
        upload.mutate(report);
      })}
    >
      <FormBanner message={refusal.banner} />
      <Field
        label="Report file (JSON)"
        htmlFor="report-file"
        hint="Up to 8 MB; post bigger reports to /api/v1/reports as NDJSON."
      >
        <Input
          id="report-file"
          type="file"
          accept="application/json,.json"
          onChange={async (e) => {
            const file = e.currentTarget.files?.[0];
            if (!file) return;
            if (file.size > MAX_FILE_BYTES) {
              form.setError("report", {
                type: "file",
                message: "the file is over 8 MB: post it to /api/v1/reports as NDJSON instead",
              });
              return;
            }
            form.setValue("report", await file.text(), { shouldValidate: true });
          }}
        />
      </Field>
      <Field
        label="Report JSON"
        htmlFor="report-json"
        hint={`Model and version may be left out: they default to ${model} v${version}. Schema: /api/v1/reports/schema.json`}
      >
        <Textarea
          id="report-json"
          rows={12}
          placeholder={EXAMPLE}
          aria-invalid={Boolean(problems)}
          {...form.register("report")}
        />
      </Field>
      {problems && (
        <ul className="list-disc pl-5 text-xs text-red-700" data-testid="report-errors">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <Button type="submit" disabled={upload.isPending}>
        {upload.isPending ? "Uploading…" : "Upload report"}
      </Button>
    </form>
  );
}
