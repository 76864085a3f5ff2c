import { z } from "zod";
import { acknowledgeAlert, resolveAlert } from "@/server/domain/alerts/lifecycle";
import { listAlerts, unresolvedAlertCounts } from "@/server/domain/alerts/queries";
import { listAlertRules, saveAlertRule } from "@/server/domain/alerts/rules";
import { alertActionInput, listAlertsInput, saveAlertRuleInput } from "@/server/domain/alerts/schemas";
import { modelName } from "@/server/domain/registry/schemas";
import { authorizedProcedure, router } from "../init";

export const alertsRouter = router({
  list: authorizedProcedure("registry:read")
    .input(listAlertsInput)
    .query(({ ctx, input }) => listAlerts(ctx, input)),
  counts: authorizedProcedure("registry:read").query(({ ctx }) => unresolvedAlertCounts(ctx)),
  rules: authorizedProcedure("registry:read")
    .input(z.object({ model: modelName }))
    .query(({ ctx, input }) => listAlertRules(ctx, input.model)),
  saveRule: authorizedProcedure("alerts:configure")
    .input(saveAlertRuleInput)
    .mutation(({ ctx, input }) => saveAlertRule(ctx, input)),
  acknowledge: authorizedProcedure("alerts:manage")
    .input(alertActionInput)
    .mutation(({ ctx, input }) => acknowledgeAlert(ctx, input)),
  resolve: authorizedProcedure("alerts:manage")
    .input(alertActionInput)
    .mutation(({ ctx, input }) => resolveAlert(ctx, input)),
});
