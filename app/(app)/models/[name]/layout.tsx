import { Tabs } from "../../../_components/tabs";

export default async function ModelLayout({ children, params }: { children: React.ReactNode; params: Promise<{ name: string }> }) {
  const { name } = await params;
  const base = `/models/${name}`;
  return (
    <>
      <p className="mb-2 text-sm text-slate-500"><a href="/models">Models</a> / {name}</p>
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
