import { latestMonitoringCheck, monitoringCheckInput, runMonitoringCheck } from "@/server/domain/monitoring/checks";
import { authorizedProcedure, router } from "../init";

/** Checks of a model's monitoring windows, run now on the jobs queue (the monitoring page reads the windows). */
export const monitoringChecksRouter = router({
  run: authorizedProcedure("monitoring:run")
    .input(monitoringCheckInput)
    .mutation(({ ctx, input }) => runMonitoringCheck(ctx, input)),
  latest: authorizedProcedure("registry:read")
    .input(monitoringCheckInput)
    .query(({ ctx, input }) => latestMonitoringCheck(ctx, input)),
});
