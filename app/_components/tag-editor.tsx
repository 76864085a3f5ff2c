"use client";
// First: must run before any schema below is created (see the module).
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { MAX_TAGS, tag } from "@/server/domain/registry/schemas";
import { FormError, fieldErrors, useTRPC } from "./trpc";
import { Badge, Button, Input } from "./ui";

const addTagForm = z.object({ tag });

/**
 * A model's or a version's tags as badges, with "×" to remove one and a field to add one when the person
 * may edit them. The field checks the tag with the server's own schema while typing.
 */
export function TagEditor({
  model,
  version,
  tags,
  canEdit,
}: {
  model: string;
  version?: number;
  tags: string[];
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const onSuccess = () => {
    form.reset({ tag: "" });
    router.refresh();
  };
  const tagModel = useMutation(trpc.models.tagModel.mutationOptions({ onSuccess }));
  const tagVersion = useMutation(trpc.models.tagVersion.mutationOptions({ onSuccess }));
  const mutation = version === undefined ? tagModel : tagVersion;
  const change = (add: string[], remove: string[]) =>
    version === undefined
      ? tagModel.mutate({ model, add, remove })
      : tagVersion.mutate({ model, version, add, remove });
  const form = useForm({ resolver: zodResolver(addTagForm), defaultValues: { tag: "" }, mode: "onChange" });
  const error = form.formState.errors.tag?.message ?? fieldErrors(mutation.error).add?.[0];
  return (
    <div className="space-y-2" data-testid="tag-editor">
      <ul className="flex flex-wrap gap-1" aria-label="Tags">
        {tags.map((t) => (
          <li key={t} className="inline-flex items-center">
            <Badge tone="tag">
              {t}
              {canEdit && (
                <button
                  type="button"
                  className="ml-1 text-indigo-500 hover:text-red-700"
                  aria-label={`Remove tag ${t}`}
                  disabled={mutation.isPending}
                  onClick={() => change([], [t])}
                >
                  ×
                </button>
              )}
            </Badge>
          </li>
        ))}
        {tags.length === 0 && <li className="text-sm text-slate-500">No tags.</li>}
      </ul>
      {canEdit && tags.length < MAX_TAGS && (
        <form
          className="flex items-start gap-2"
          onSubmit={form.handleSubmit(({ tag: added }) => change([added], []))}
          aria-label="Add a tag"
        >
          <div>
            <Input
              {...form.register("tag")}
              placeholder="new tag, e.g. tier-1"
              aria-label="New tag"
              aria-invalid={Boolean(error)}
              className="w-48"
            />
            {error && (
              <p className="mt-1 max-w-xs text-xs text-red-700" data-testid="error-tag">
                {error}
              </p>
            )}
          </div>
          <Button type="submit" variant="secondary" disabled={mutation.isPending}>
            Add tag
          </Button>
        </form>
      )}
      {mutation.error && !fieldErrors(mutation.error).add && <FormError error={mutation.error} />}
    </div>
  );
}
