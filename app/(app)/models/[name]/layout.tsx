import { ModelBreadcrumbs } from "../../../_components/model-breadcrumbs";
import { Tabs } from "../../../_components/tabs";

export default async function ModelLayout({ children, params }: { children: React.ReactNode; params: Promise<{ name: string }> }) {
  const { name } = await params;
  const base = `/models/${name}`;
  return (
    <>
      <ModelBreadcrumbs />
      <Tabs
        items={[
          { href: base, label: "Versions", exact: true },
          { href: `${base}/requirements`, label: "Requirements" },
          { href: `${base}/compare`, label: "Compare" },
          { href: `${base}/timeline`, label: "Releases & timeline" },
        ]}
      />
      {children}
    </>
  );
}
