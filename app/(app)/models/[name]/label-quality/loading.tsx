import { PageLoading } from "../../../../_components/page-loading";

export default function Loading() {
  return <PageLoading what="the label quality" />;
}
