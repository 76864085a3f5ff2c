import { createCallerFactory, router } from "./init";
import { accountRouter } from "./routers/account";
import { adminRouter } from "./routers/admin";
import { auditRouter } from "./routers/audit";
import { compareRouter } from "./routers/compare";
import { datasetsRouter } from "./routers/datasets";
import { modelsRouter } from "./routers/models";
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
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
