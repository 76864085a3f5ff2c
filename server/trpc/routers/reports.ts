import { createReport } from "@/server/domain/reports/create";
import { getReport, listReports } from "@/server/domain/reports/queries";
import { listReportsInput, reportIdInput, uploadReportInput } from "@/server/domain/reports/schemas";
import { env } from "@/server/env";
import { pageParams } from "@/server/domain/pagination";
import { acquireIngestionSlot } from "@/server/http/ingestion-slots";
import { authorizedProcedure, router } from "../init";

export const reportsRouter = router({
  list: authorizedProcedure("registry:read")
    .input(listReportsInput.extend(pageParams.partial().shape))
    .query(({ ctx, input: { model, version, ...page } }) => listReports(ctx, model, version, page)),
  byId: authorizedProcedure("registry:read")
    .input(reportIdInput)
    .query(({ ctx, input }) => getReport(ctx, input.id)),
  // The web upload: a report JSON pasted or chosen as a file. Big ones go to the HTTP API as NDJSON.
  upload: authorizedProcedure("reports:write")
    .input(uploadReportInput)
    .mutation(async ({ ctx, input }) => {
      // Shares the instance's ingestion bound with the HTTP API.
      const release = acquireIngestionSlot(env().RATCHET_MAX_CONCURRENT_INGESTIONS);
      try {
        return await createReport(ctx, input);
      } finally {
        release();
      }
    }),
});
