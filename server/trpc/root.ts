import { createCallerFactory, router } from "./init";
import { adminRouter } from "./routers/admin";
import { auditRouter } from "./routers/audit";
import { datasetsRouter } from "./routers/datasets";
import { modelsRouter } from "./routers/models";

export const appRouter = router({
  models: modelsRouter,
  datasets: datasetsRouter,
  admin: adminRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
