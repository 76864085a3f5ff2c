import type { Metadata } from "next";
import { pageCaller } from "@/server/trpc/server-caller";
import { PageHeader } from "../../../_components/ui";
import { NewModelForm } from "./new-model-form";

export const metadata: Metadata = { title: "Register model" };

export default async function NewModelPage() {
  await pageCaller("models:write");
  return (
    <>
      <PageHeader title="Register a model" subtitle="A model groups the versions of one prediction task." />
      <NewModelForm />
    </>
  );
}
