import { PageLoading } from "../../../../_components/page-loading";

/** The model page waits for its versions and champion; the model layout (breadcrumbs, tabs) shows meanwhile. */
export default function Loading() {
  return <PageLoading what="the model" />;
}
