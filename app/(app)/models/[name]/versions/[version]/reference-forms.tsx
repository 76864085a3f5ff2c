"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { PREDICTION_ARMS, referenceFormat } from "@/server/domain/references/schemas";
import { FormBanner, reasons, useServerRefusal } from "../../../../../_components/form";
import { FormError, useTRPC } from "../../../../../_components/trpc";
import { Button, Field, Input, Select } from "../../../../../_components/ui";

/** The tRPC call carries the file as text; past this the API (32 MB) is the way. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

const uploadSchema = z.object({
  content: z.string().min(1, "choose a CSV or JSON file"),
  format: referenceFormat,
  fileName: z.string().optional(),
});

/** A training sample as a file: CSV with a header row, or JSON rows. Replaces the version's reference. */
export function UploadReferenceForm({ model, version }: { model: string; version: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm({
    resolver: zodResolver(uploadSchema),
    defaultValues: { content: "", format: "csv" as const, fileName: "" },
  });
  const refusal = useServerRefusal(form.setError, [], "content");
  const upload = useMutation(
    trpc.referenceData.upload.mutationOptions({
      onSuccess: () => {
        form.reset();
        router.refresh();
      },
      onError: refusal.onError,
    }),
  );
  const problems = reasons(form.formState.errors.content);
  return (
    <form
      className="space-y-3"
      noValidate
      aria-label="Upload reference data"
      onSubmit={form.handleSubmit((values) => {
        refusal.reset();
        upload.mutate({ model, version, ...values, fileName: values.fileName || undefined });
      })}
    >
      <FormBanner message={refusal.banner} />
      <Field
        label="Reference sample (CSV or JSON)"
        htmlFor="reference-file"
        hint="Columns are features, plus optional `prediction` and `target`; up to 100,000 rows and 8 MB here (32 MB through the API)."
        error={problems}
      >
        <Input
          id="reference-file"
          type="file"
          accept=".csv,text/csv,.json,application/json"
          onChange={async (e) => {
            const file = e.currentTarget.files?.[0];
            if (!file) return;
            if (file.size > MAX_FILE_BYTES) {
              form.setError("content", {
                type: "file",
                message: `the file is over 8 MB: post it to /api/v1/models/${model}/versions/${version}/reference`,
              });
              return;
            }
            const json = file.name.toLowerCase().endsWith(".json") || file.type === "application/json";
            form.setValue("format", json ? "json" : "csv");
            form.setValue("fileName", file.name);
            form.setValue("content", await file.text(), { shouldValidate: true });
          }}
        />
      </Field>
      <Button type="submit" disabled={upload.isPending}>
        {upload.isPending ? "Uploading…" : "Upload reference"}
      </Button>
    </form>
  );
}

const windowSchema = z
  .object({
    from: z.string().min(1, "choose the start"),
    to: z.string().min(1, "choose the end"),
    arm: z.enum(["", ...PREDICTION_ARMS]),
  })
  .refine((w) => !w.from || !w.to || new Date(w.from) < new Date(w.to), {
    message: "must be after the start",
    path: ["to"],
  });

/** A window of the version's own production traffic, copied in the database. */
export function WindowReferenceForm({ model, version }: { model: string; version: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm({ resolver: zodResolver(windowSchema), defaultValues: { from: "", to: "", arm: "" as const } });
  const refusal = useServerRefusal(form.setError, ["window.from", "window.to"] as never[]);
  const take = useMutation(
    trpc.referenceData.fromWindow.mutationOptions({ onSuccess: () => router.refresh(), onError: refusal.onError }),
  );
  const errors = form.formState.errors;
  return (
    <form
      className="space-y-3"
      noValidate
      aria-label="Reference from production traffic"
      onSubmit={form.handleSubmit(({ from, to, arm }) => {
        refusal.reset();
        // datetime-local is the browser's local time; the server takes an instant.
        take.mutate({
          model,
          version,
          window: {
            from: new Date(from).toISOString(),
            to: new Date(to).toISOString(),
            ...(arm ? { arm } : {}),
          },
        });
      })}
    >
      <FormBanner message={refusal.banner} />
      <div className="flex flex-wrap items-end gap-3">
        <Field label="From (your local time)" htmlFor="window-from" error={reasons(errors.from)}>
          <Input id="window-from" type="datetime-local" {...form.register("from")} />
        </Field>
        <Field label="To (exclusive)" htmlFor="window-to" error={reasons(errors.to)}>
          <Input id="window-to" type="datetime-local" {...form.register("to")} />
        </Field>
        <Field label="Arm" htmlFor="window-arm">
          <Select id="window-arm" {...form.register("arm")}>
            <option value="">every arm</option>
            {PREDICTION_ARMS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" variant="secondary" disabled={take.isPending}>
          {take.isPending ? "Copying…" : "Use this window"}
        </Button>
      </div>
    </form>
  );
}

/** Declares what the reference proposes (importance is kept); then the features page to edit them. */
export function DeclareFeaturesButton({ model, version, count }: { model: string; version: number; count: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const apply = useMutation(
    trpc.features.applyProposal.mutationOptions({ onSuccess: () => router.push(`/models/${model}/features`) }),
  );
  return (
    <div className="space-y-2">
      <Button type="button" disabled={apply.isPending} onClick={() => apply.mutate({ model, version })}>
        {apply.isPending ? "Declaring…" : `Declare ${count} feature${count === 1 ? "" : "s"} as proposed`}
      </Button>
      <FormError error={apply.error} />
    </div>
  );
}
