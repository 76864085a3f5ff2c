import { compareMany } from "@/server/domain/compare/compare-many";
import { compareVersions } from "@/server/domain/compare/compare-versions";
import { metricHistory } from "@/server/domain/compare/history";
import { compareManyInput, compareVersionsInput, metricHistoryInput } from "@/server/domain/compare/schemas";
import { authorizedProcedure, router } from "../init";

export const compareRouter = router({
  /** Two versions side by side on every dataset both were evaluated on, with paired statistics. */
  versions: authorizedProcedure("registry:read")
    .input(compareVersionsInput)
    .query(({ ctx, input }) => compareVersions(ctx, input)),
  /** Up to four versions on one metric table against a reference, with each one's paired verdict. */
  many: authorizedProcedure("registry:read")
    .input(compareManyInput)
    .query(({ ctx, input }) => compareMany(ctx, input)),
  /** One metric across all versions of a model, from a chosen report kind, dataset and slice. */
  metricHistory: authorizedProcedure("registry:read")
    .input(metricHistoryInput)
    .query(({ ctx, input }) => metricHistory(ctx, input)),
});
