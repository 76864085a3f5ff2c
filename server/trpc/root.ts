import { createCallerFactory, router } from "./init";
import { accountRouter } from "./routers/account";
import { adminRouter } from "./routers/admin";
import { alertsRouter } from "./routers/alerts";
import { auditRouter } from "./routers/audit";
import { compareRouter } from "./routers/compare";
import { datasetsRouter } from "./routers/datasets";
import { guidelinesRouter } from "./routers/guidelines";
import { featuresRouter } from "./routers/features";
import { feedbackRouter } from "./routers/feedback";
import { modelsRouter } from "./routers/models";
import { referenceDataRouter } from "./routers/reference-data";
import { monitoringChecksRouter } from "./routers/monitoring-checks";
import { monitoringRouter } from "./routers/monitoring";
import { reportsRouter } from "./routers/reports";
import { releasesRouter } from "./routers/releases";
import { requirementsRouter } from "./routers/requirements";
import { webhooksRouter } from "./routers/webhooks";

export const appRouter = router({
  models: modelsRouter,
  datasets: datasetsRouter,
  admin: adminRouter,
  account: accountRouter,
  audit: auditRouter,
  reports: reportsRouter,
  requirements: requirementsRouter,
  releases: releasesRouter,
  compare: compareRouter,
  webhooks: webhooksRouter,
  guidelines: guidelinesRouter,
  referenceData: referenceDataRouter,
  features: featuresRouter,
  monitoringChecks: monitoringChecksRouter,
  monitoring: monitoringRouter,
  alerts: alertsRouter,
  feedback: feedbackRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
