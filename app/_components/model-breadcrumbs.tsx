"use client";
import { usePathname } from "next/navigation";
import { Breadcrumbs } from "./breadcrumbs";
import { modelCrumbs } from "./model-crumbs";

/** The breadcrumb trail of any page below a model, read from the address (a layout does not see it). */
export function ModelBreadcrumbs() {
  return <Breadcrumbs items={modelCrumbs(usePathname())} />;
}
