import { z } from "zod";
import { pageCaller } from "@/server/trpc/server-caller";
import { modelName } from "@/server/domain/registry/schemas";
import { PageHeader } from "../../_components/ui";
import { Labeler } from "./labeler";

const params = z.object({ model: modelName.optional().catch(undefined) });

/** The reviewer's labeling page: one item at a time, keyboard first, the next one already claimed. */
export default async function ReviewPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await pageCaller("feedback:label");
  const { model } = params.parse(await searchParams);
  return (
    <>
      <PageHeader
        title="Review queue"
        subtitle={model ? `Items of ${model}` : "Low-confidence, sampled and disputed predictions of every model"}
      />
      <Labeler model={model} />
    </>
  );
}
