"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatMetric } from "../../../../_components/format";
import { FormError, useTRPC } from "../../../../_components/trpc";
import { Button, Field, Select } from "../../../../_components/ui";

/**
 * "Record human baseline": stores the human accuracy shown above as a `baseline` report (human) of the
 * chosen version, through the reports domain (audited; the same evidence again changes nothing).
 */
export function HumanBaselineForm({
  model,
  versions,
  defaultVersion,
}: {
  model: string;
  versions: { version: number; stage: string }[];
  defaultVersion: number;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [version, setVersion] = useState(defaultVersion);
  const record = useMutation(trpc.feedback.recordHumanBaseline.mutationOptions({ onSuccess: () => router.refresh() }));
  const done = record.data;
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        record.mutate({ model, version });
      }}
    >
      <Field label="For version" htmlFor="baseline-version">
        <Select id="baseline-version" value={version} onChange={(e) => setVersion(Number(e.target.value))}>
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version} ({v.stage})
            </option>
          ))}
        </Select>
      </Field>
      <Button type="submit" disabled={record.isPending}>
        {record.isPending ? "Recording…" : "Record human baseline"}
      </Button>
      <div className="basis-full">
        <FormError error={record.error} fields={["version"]} />
        {done && (
          <p role="status" className="text-sm text-emerald-800" data-testid="human-baseline-recorded">
            {done.created ? "Recorded" : "Already recorded (same evidence)"}: human baseline for v{done.report.version},
            accuracy {done.report.accuracy ? formatMetric(done.report.accuracy.value) : "—"} on {done.report.sampleSize}{" "}
            labels.{" "}
            <a href={`/reports/${done.report.id}`} className="font-medium">
              Open the report
            </a>
          </p>
        )}
      </div>
    </form>
  );
}
