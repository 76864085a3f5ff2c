import type { Crumb } from "./breadcrumbs";

const SECTION: Record<string, string> = {
  requirements: "Requirements",
  compare: "Compare",
  timeline: "Releases & timeline",
  reports: "Reports",
  release: "Request release",
  new: "New version",
};

/**
 * /models/churn/versions/3/reports → Models / churn / v3 / Reports. "versions" has no page of its own, so
 * it is folded into the version's crumb.
 */
export function modelCrumbs(pathname: string): Crumb[] {
  const parts = pathname.split("/").filter(Boolean);
  if (parts[0] !== "models" || parts.length < 2) return [{ label: "Models", href: "/models" }];
  const crumbs: Crumb[] = [{ label: "Models", href: "/models" }];
  let href = `/models/${parts[1]}`;
  crumbs.push({ label: decodeURIComponent(parts[1]!), href });
  for (let i = 2; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === "versions" && parts[i + 1] && parts[i + 1] !== "new") {
      href += `/versions/${parts[i + 1]}`;
      crumbs.push({ label: `v${decodeURIComponent(parts[i + 1]!)}`, href });
      i++;
      continue;
    }
    if (part === "versions") {
      href += "/versions";
      continue;
    }
    href += `/${part}`;
    crumbs.push({ label: SECTION[part] ?? decodeURIComponent(part), href });
  }
  return crumbs;
}
