import { notFound } from "next/navigation";
import { pageCaller } from "@/server/trpc/server-caller";

/**
 * An unknown version (/models/churn/versions/999, and its reports and release pages) is a 404, decided
 * before the version's loading.tsx starts streaming the page.
 */
export default async function VersionLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ name: string; version: string }>;
}) {
  const { name, version: raw } = await params;
  const version = Number(raw);
  if (!Number.isInteger(version) || version < 1 || version > 2_147_483_647) notFound();
  const { api } = await pageCaller("registry:read");
  await api.models.version({ model: name, version });
  return children;
}
