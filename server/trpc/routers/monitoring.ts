import { monitoringPage } from "@/server/domain/monitoring/page";
import { monitoringPageInput } from "@/server/domain/monitoring/schemas";
import { authorizedProcedure, router } from "../init";

export const monitoringRouter = router({
  /** The monitoring page of one model: tiles, drift heat map, distributions, output per arm, data quality. */
  page: authorizedProcedure("registry:read")
    .input(monitoringPageInput)
    .query(({ ctx, input }) => monitoringPage(ctx, input)),
});
