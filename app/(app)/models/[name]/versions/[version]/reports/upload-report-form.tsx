"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldErrors, FormError, useTRPC } from "../../../../../../_components/trpc";
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

/** Paste a report or choose a JSON file; model and version default to this page's. */
export function UploadReportForm({ model, version }: { model: string; version: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [text, setText] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const upload = useMutation(trpc.reports.upload.mutationOptions({ onSuccess: (r) => router.push(`/reports/${r.report.id}`) }));
  const errors = fieldErrors(upload.error);

  const submit = () => {
    setLocalError(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return setLocalError(`The report is not valid JSON (${(e as Error).message}).`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return setLocalError("The report must be one JSON object.");
    const report = { model, version, ...(parsed as Record<string, unknown>) };
    if (report.model !== model || report.version !== version) {
      return setLocalError(`This report is for ${String(report.model)} v${String(report.version)}, not ${model} v${version}.`);
    }
    // The server validates every field; the cast only satisfies the client's types.
    upload.mutate(report as Parameters<typeof upload.mutate>[0]);
  };

  return (
    <form className="max-w-3xl space-y-4" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      {localError && <p role="status" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{localError}</p>}
      <FormError error={upload.error} />
      {Object.keys(errors).length > 0 && (
        <ul className="list-disc pl-5 text-xs text-red-700" data-testid="report-errors">
          {Object.entries(errors).map(([field, reasons]) => <li key={field}><span className="font-mono">{field}</span>: {reasons.join("; ")}</li>)}
        </ul>
      )}
      <Field label="Report file (JSON)" htmlFor="report-file" hint="Up to 8 MB; post bigger reports to /api/v1/reports as NDJSON.">
        <Input
          id="report-file"
          type="file"
          accept="application/json,.json"
          onChange={async (e) => {
            const file = e.currentTarget.files?.[0];
            if (!file) return;
            if (file.size > MAX_FILE_BYTES) return setLocalError("The file is over 8 MB: post it to /api/v1/reports as NDJSON instead.");
            setText(await file.text());
          }}
        />
      </Field>
      <Field label="Report JSON" htmlFor="report-json" hint={`Model and version may be left out: they default to ${model} v${version}. Schema: /api/v1/reports/schema.json`}>
        <Textarea id="report-json" rows={12} value={text} placeholder={EXAMPLE} onChange={(e) => setText(e.target.value)} />
      </Field>
      <Button type="submit" disabled={upload.isPending || text.trim() === ""}>{upload.isPending ? "Uploading…" : "Upload report"}</Button>
    </form>
  );
}
