"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { registerVersionInput } from "@/server/domain/registry/schemas";
import { FormBanner, reasons, useServerRefusal } from "../../../../../_components/form";
import { useTRPC } from "../../../../../_components/trpc";
import { Button, Field, Input, Select, Textarea } from "../../../../../_components/ui";

interface Props {
  model: string;
  latestVersion: number | null;
  /** The model's own datasets (names it already used) first, then the others. */
  datasets: { name: string; version: number; role: string; ownedByModel: boolean }[];
}

const shape = registerVersionInput.shape;

/** A JSON object typed by hand: parsed, then held to the server's own rules (depth, size, finite numbers). */
const jsonText = (schema: typeof shape.config) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text.trim() || "{}") as unknown;
      } catch (e) {
        ctx.addIssue({ code: "custom", message: `is not valid JSON (${(e as Error).message})` });
        return z.NEVER;
      }
    })
    .pipe(schema);

const blankAsUndefined = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (v === "" || v === undefined || (typeof v === "number" && Number.isNaN(v)) ? undefined : v),
    schema,
  );

/** The server's schema, with the inputs a person types: JSON boxes, "name@version" for the dataset, blank optionals. */
const formSchema = registerVersionInput.extend({
  artifactSha256: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(shape.artifactSha256),
  config: jsonText(shape.config),
  hyperparameters: jsonText(shape.config),
  trainingDataset: z
    .string()
    .transform((v) => {
      if (!v) return undefined;
      const at = v.lastIndexOf("@");
      return { name: v.slice(0, at), version: Number(v.slice(at + 1)) };
    })
    .pipe(shape.trainingDataset),
  parentVersion: blankAsUndefined(shape.parentVersion),
  codeCommit: blankAsUndefined(shape.codeCommit),
});
const FIELDS = [
  "artifactUri",
  "artifactSha256",
  "config",
  "hyperparameters",
  "trainingDataset",
  "parentVersion",
  "codeCommit",
  "description",
] as const;

export function NewVersionForm({ model, latestVersion, datasets }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm({
    resolver: zodResolver(formSchema),
    mode: "onChange",
    defaultValues: {
      artifactUri: "",
      artifactSha256: "",
      config: '{\n  "intercept": 0,\n  "coefficients": {}\n}',
      hyperparameters: "{}",
      trainingDataset: "",
      parentVersion: latestVersion ?? undefined,
      codeCommit: "",
      description: "",
    },
  });
  const refusal = useServerRefusal(form.setError, FIELDS);
  const register = useMutation(
    trpc.models.registerVersion.mutationOptions({
      onSuccess: (v) => router.push(`/models/${model}/versions/${v.version}`),
      onError: refusal.onError,
    }),
  );
  const { errors } = form.formState;
  const invalid = (name: (typeof FIELDS)[number]) => ({ "aria-invalid": Boolean(errors[name]) });
  return (
    <form
      className="max-w-2xl space-y-4"
      noValidate
      onSubmit={form.handleSubmit((values) => {
        refusal.reset();
        register.mutate({ model, ...values });
      })}
    >
      <FormBanner message={refusal.banner} />
      <Field label="Artifact URI" htmlFor="artifactUri" error={reasons(errors.artifactUri)}>
        <Input
          id="artifactUri"
          placeholder={`s3://models/${model}/model.joblib`}
          {...invalid("artifactUri")}
          {...form.register("artifactUri")}
        />
      </Field>
      <Field
        label="Artifact sha256"
        htmlFor="artifactSha256"
        error={reasons(errors.artifactSha256)}
        hint="64 hex characters: sha256sum model.joblib"
      >
        <Input
          id="artifactSha256"
          className="font-mono"
          {...invalid("artifactSha256")}
          {...form.register("artifactSha256")}
        />
      </Field>
      <Field label="Coefficients / config (JSON)" htmlFor="config" error={reasons(errors.config)}>
        <Textarea id="config" rows={8} {...invalid("config")} {...form.register("config")} />
      </Field>
      <Field label="Hyper-parameters (JSON)" htmlFor="hyperparameters" error={reasons(errors.hyperparameters)}>
        <Textarea id="hyperparameters" rows={3} {...invalid("hyperparameters")} {...form.register("hyperparameters")} />
      </Field>
      <div className="grid grid-cols-2 gap-4">
        <Field label="Training dataset" htmlFor="trainingDataset" error={reasons(errors.trainingDataset)}>
          <Select id="trainingDataset" className="w-full" {...form.register("trainingDataset")}>
            <option value="">— none —</option>
            {[
              { label: `Datasets of ${model}`, owned: true },
              { label: "Other datasets", owned: false },
            ].map((group) => {
              const members = datasets.filter((d) => d.ownedByModel === group.owned);
              return members.length === 0 ? null : (
                <optgroup key={group.label} label={group.label}>
                  {members.map((d) => (
                    <option key={`${d.name}@${d.version}`} value={`${d.name}@${d.version}`}>
                      {d.name} v{d.version} ({d.role})
                    </option>
                  ))}
                </optgroup>
              );
            })}
          </Select>
        </Field>
        <Field label="Derived from version" htmlFor="parentVersion" error={reasons(errors.parentVersion)}>
          <Input
            id="parentVersion"
            type="number"
            min={1}
            {...invalid("parentVersion")}
            {...form.register("parentVersion", { valueAsNumber: true })}
          />
        </Field>
      </div>
      <Field label="Code commit" htmlFor="codeCommit" error={reasons(errors.codeCommit)}>
        <Input id="codeCommit" className="font-mono" {...invalid("codeCommit")} {...form.register("codeCommit")} />
      </Field>
      <Field label="Description" htmlFor="description" error={reasons(errors.description)}>
        <Input id="description" {...invalid("description")} {...form.register("description")} />
      </Field>
      <Button type="submit" disabled={register.isPending}>
        Register version
      </Button>
    </form>
  );
}
