import { pageCaller } from "@/server/trpc/server-caller";
import { ModelBreadcrumbs } from "../../../_components/model-breadcrumbs";
import { Tabs } from "../../../_components/tabs";

export default async function ModelLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ name: string }>;
}) {
  const { name } = await params;
  // An unknown model is the Not-found page with a 404, decided here, before any page below starts streaming
  // (a loading.tsx sends the page's 200 first; a notFound() after that could no longer set the status).
  const { api } = await pageCaller("registry:read");
  await api.models.byName({ name });
  const base = `/models/${name}`;
  return (
    <>
      <ModelBreadcrumbs />
      <Tabs
        items={[
          { href: base, label: "Versions", exact: true },
          { href: `${base}/requirements`, label: "Requirements" },
          { href: `${base}/compare`, label: "Compare" },
          { href: `${base}/monitoring`, label: "Monitoring" },
          { href: `${base}/accuracy`, label: "Live accuracy" },
          { href: `${base}/timeline`, label: "Releases & timeline" },
          { href: `${base}/guidelines`, label: "Guidelines" },
          { href: `${base}/label-quality`, label: "Label quality" },
          { href: `${base}/features`, label: "Features" },
          { href: `${base}/alerts`, label: "Alerts" },
        ]}
      />
      {children}
    </>
  );
}
