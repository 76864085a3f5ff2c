"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { FEATURE_KINDS } from "@/server/domain/references/schemas";
import { FormBanner, useServerRefusal } from "../../../../_components/form";
import { FormError, useTRPC } from "../../../../_components/trpc";
import { Badge, Button, Select, Table } from "../../../../_components/ui";

interface Feature {
  name: string;
  kind: (typeof FEATURE_KINDS)[number];
  important: boolean;
  categories: string[] | null;
}

const featureForm = z.object({ kind: z.enum(FEATURE_KINDS), important: z.boolean() });

function categoriesLabel(f: Feature) {
  if (f.kind === "numerical") return "—";
  if (f.categories === null) return "not listed: new categories are not checked";
  const shown = f.categories.slice(0, 8).join(", ");
  return f.categories.length > 8 ? `${shown} … (${f.categories.length})` : shown;
}

/** One feature's row: kind and importance saved together, audited on the model; or removed. */
function FeatureRow({ model, feature, canEdit }: { model: string; feature: Feature; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm({
    resolver: zodResolver(featureForm),
    values: { kind: feature.kind, important: feature.important },
  });
  const refusal = useServerRefusal(form.setError, []);
  const save = useMutation(
    trpc.features.update.mutationOptions({ onSuccess: () => router.refresh(), onError: refusal.onError }),
  );
  const remove = useMutation(trpc.features.remove.mutationOptions({ onSuccess: () => router.refresh() }));
  const id = `feature-${feature.name}`;
  return (
    <tr data-testid={id}>
      <td className="font-mono text-xs">
        {feature.name} {feature.important && <Badge tone="warning">important</Badge>}
      </td>
      {canEdit ? (
        <>
          <td>
            <Select aria-label={`Kind of ${feature.name}`} {...form.register("kind")}>
              {FEATURE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </Select>
          </td>
          <td>
            <input
              type="checkbox"
              aria-label={`${feature.name} is important`}
              className="h-4 w-4"
              {...form.register("important")}
            />
          </td>
        </>
      ) : (
        <>
          <td>{feature.kind}</td>
          <td>{feature.important ? "yes" : "no"}</td>
        </>
      )}
      <td className="text-xs">{categoriesLabel(feature)}</td>
      {canEdit && (
        <td className="space-y-1">
          <form
            className="flex gap-2"
            onSubmit={form.handleSubmit((values) => {
              refusal.reset();
              save.mutate({ model, name: feature.name, ...values });
            })}
          >
            <Button type="submit" variant="secondary" disabled={!form.formState.isDirty || save.isPending}>
              {save.isPending ? "Saving…" : "Save"}
            </Button>
            <Button
              type="button"
              variant="danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate({ model, name: feature.name })}
            >
              Remove
            </Button>
          </form>
          <FormBanner message={refusal.banner} />
          <FormError error={remove.error} />
        </td>
      )}
    </tr>
  );
}

export function FeaturesEditor({ model, features, canEdit }: { model: string; features: Feature[]; canEdit: boolean }) {
  return (
    <Table label="Declared features">
      <thead>
        <tr>
          <th>Feature</th>
          <th>Kind</th>
          <th>Important</th>
          <th>Known categories</th>
          {canEdit && <th>Change</th>}
        </tr>
      </thead>
      <tbody>
        {features.map((f) => (
          <FeatureRow key={f.name} model={model} feature={f} canEdit={canEdit} />
        ))}
      </tbody>
    </Table>
  );
}
