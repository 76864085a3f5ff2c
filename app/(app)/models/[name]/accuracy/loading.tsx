import { PageLoading } from "../../../../_components/page-loading";

export default function Loading() {
  return <PageLoading what="live accuracy" />;
}
