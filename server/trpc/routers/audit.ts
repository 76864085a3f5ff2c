import { listAudit, listAuditInput } from "@/server/domain/audit";
import { authorizedProcedure, router } from "../init";

export const auditRouter = router({
  list: authorizedProcedure("audit:read")
    .input(listAuditInput)
    .query(({ ctx, input }) => listAudit(ctx, input)),
});
