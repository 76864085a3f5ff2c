"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldErrors, FormError, useTRPC } from "../../../../../_components/trpc";
import { Button, Field, Input, Select, Textarea } from "../../../../../_components/ui";

interface Props {
  model: string;
  latestVersion: number | null;
  /** The model's own datasets (names it already used) first, then the others. */
  datasets: { name: string; version: number; role: string; ownedByModel: boolean }[];
}

/** Parses a JSON object typed by hand; returns the reason instead of throwing so it can show beside the field. */
function parseObject(text: string): { value?: Record<string, unknown>; error?: string } {
  try {
    const value: unknown = JSON.parse(text || "{}");
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: "must be a JSON object, e.g. {\"intercept\": 0.1}" };
    return { value: value as Record<string, unknown> };
  } catch (e) {
    return { error: `is not valid JSON (${(e as Error).message})` };
  }
}

export function NewVersionForm({ model, latestVersion, datasets }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const [localErrors, setLocalErrors] = useState<Record<string, string[]>>({});
  const register = useMutation(
    trpc.models.registerVersion.mutationOptions({ onSuccess: (v) => router.push(`/models/${model}/versions/${v.version}`) }),
  );
  const errors = { ...fieldErrors(register.error), ...localErrors };
  return (
    <form
      className="max-w-2xl space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const config = parseObject(String(f.get("config")));
        const hyper = parseObject(String(f.get("hyperparameters")));
        const local: Record<string, string[]> = {};
        if (config.error) local.config = [config.error];
        if (hyper.error) local.hyperparameters = [hyper.error];
        setLocalErrors(local);
        if (!config.value || !hyper.value) return;
        const dataset = String(f.get("trainingDataset") ?? "");
        const [dsName, dsVersion] = dataset ? dataset.split("@") : [];
        const parent = String(f.get("parentVersion") ?? "");
        register.mutate({
          model,
          artifactUri: String(f.get("artifactUri")),
          artifactSha256: String(f.get("artifactSha256")).trim().toLowerCase(),
          config: config.value,
          hyperparameters: hyper.value,
          trainingDataset: dsName ? { name: dsName, version: Number(dsVersion) } : undefined,
          parentVersion: parent ? Number(parent) : undefined,
          codeCommit: String(f.get("codeCommit") ?? "") || undefined,
          description: String(f.get("description") ?? ""),
        });
      }}
    >
      <FormError error={register.error} fields={["artifactUri", "artifactSha256", "config", "hyperparameters", "trainingDataset", "parentVersion", "codeCommit", "description"]} />
      <Field label="Artifact URI" htmlFor="artifactUri" error={errors.artifactUri}>
        <Input id="artifactUri" name="artifactUri" required placeholder={`s3://models/${model}/model.joblib`} />
      </Field>
      <Field label="Artifact sha256" htmlFor="artifactSha256" error={errors.artifactSha256} hint="64 hex characters: sha256sum model.joblib">
        <Input id="artifactSha256" name="artifactSha256" required className="font-mono" aria-invalid={Boolean(errors.artifactSha256)} />
      </Field>
      <Field label="Coefficients / config (JSON)" htmlFor="config" error={errors.config}>
        <Textarea id="config" name="config" rows={8} defaultValue={'{\n  "intercept": 0,\n  "coefficients": {}\n}'} />
      </Field>
      <Field label="Hyper-parameters (JSON)" htmlFor="hyperparameters" error={errors.hyperparameters}>
        <Textarea id="hyperparameters" name="hyperparameters" rows={3} defaultValue="{}" />
      </Field>
      <div className="grid grid-cols-2 gap-4">
        <Field label="Training dataset" htmlFor="trainingDataset" error={errors.trainingDataset}>
          <Select id="trainingDataset" name="trainingDataset" defaultValue="" className="w-full">
            <option value="">— none —</option>
            {[{ label: `Datasets of ${model}`, owned: true }, { label: "Other datasets", owned: false }].map((group) => {
              const members = datasets.filter((d) => d.ownedByModel === group.owned);
              return members.length === 0 ? null : (
                <optgroup key={group.label} label={group.label}>
                  {members.map((d) => (
                    <option key={`${d.name}@${d.version}`} value={`${d.name}@${d.version}`}>{d.name} v{d.version} ({d.role})</option>
                  ))}
                </optgroup>
              );
            })}
          </Select>
        </Field>
        <Field label="Derived from version" htmlFor="parentVersion" error={errors.parentVersion}>
          <Input id="parentVersion" name="parentVersion" type="number" min={1} defaultValue={latestVersion ?? ""} />
        </Field>
      </div>
      <Field label="Code commit" htmlFor="codeCommit" error={errors.codeCommit}>
        <Input id="codeCommit" name="codeCommit" className="font-mono" />
      </Field>
      <Field label="Description" htmlFor="description" error={errors.description}>
        <Input id="description" name="description" />
      </Field>
      <Button type="submit" disabled={register.isPending}>Register version</Button>
    </form>
  );
}
