import { z } from "zod";
import { adjudicate, listConflicts, markGold } from "@/server/domain/feedback/adjudicate";
import { nextItem, releaseItem, renewClaim, skipItem } from "@/server/domain/feedback/claims";
import { getPolicy, policyInput, setPolicy } from "@/server/domain/feedback/policy";
import { reviewProgress } from "@/server/domain/feedback/progress";
import {
  adjudicateInput,
  conflictsInput,
  itemInput,
  nextInput,
  progressInput,
  submitInput,
} from "@/server/domain/feedback/schemas";
import { submitLabel } from "@/server/domain/feedback/submit";
import { humanBaselines, recordHumanBaseline } from "@/server/domain/feedback-quality/baseline";
import { labelQuality } from "@/server/domain/feedback-quality/quality";
import { humanBaselineInput, labelQualityInput } from "@/server/domain/feedback-quality/schemas";
import { liveAccuracy, liveAccuracyInput } from "@/server/domain/feedback-accuracy/live-accuracy";
import { modelName } from "@/server/domain/registry/schemas";
import { authorizedProcedure, router } from "../init";

export const feedbackRouter = router({
  next: authorizedProcedure("feedback:label")
    .input(nextInput)
    .mutation(({ ctx, input }) => nextItem(ctx, input)),
  submit: authorizedProcedure("feedback:label")
    .input(submitInput)
    .mutation(({ ctx, input }) => submitLabel(ctx, input)),
  skip: authorizedProcedure("feedback:label")
    .input(itemInput)
    .mutation(({ ctx, input }) => skipItem(ctx, input)),
  release: authorizedProcedure("feedback:label")
    .input(itemInput)
    .mutation(({ ctx, input }) => releaseItem(ctx, input)),
  renew: authorizedProcedure("feedback:label")
    .input(itemInput)
    .mutation(({ ctx, input }) => renewClaim(ctx, input)),
  progress: authorizedProcedure("feedback:label")
    .input(progressInput)
    .query(({ ctx, input }) => reviewProgress(ctx, input)),
  liveAccuracy: authorizedProcedure("registry:read")
    .input(liveAccuracyInput)
    .query(({ ctx, input }) => liveAccuracy(ctx, input)),
  policy: authorizedProcedure("registry:read")
    .input(z.object({ model: modelName }))
    .query(({ ctx, input }) => getPolicy(ctx, input.model)),
  setPolicy: authorizedProcedure("feedback:policy")
    .input(policyInput)
    .mutation(({ ctx, input }) => setPolicy(ctx, input)),
  markGold: authorizedProcedure("feedback:policy")
    .input(itemInput)
    .mutation(({ ctx, input }) => markGold(ctx, input)),
  conflicts: authorizedProcedure("feedback:adjudicate")
    .input(conflictsInput)
    .query(({ ctx, input }) => listConflicts(ctx, input)),
  adjudicate: authorizedProcedure("feedback:adjudicate")
    .input(adjudicateInput)
    .mutation(({ ctx, input }) => adjudicate(ctx, input)),
  /** Agreement, reviewers' accuracy and calibration of a model (reviewers named only with feedback:reviewers). */
  quality: authorizedProcedure("registry:read")
    .input(labelQualityInput)
    .query(({ ctx, input }) => labelQuality(ctx, input)),
  humanBaselines: authorizedProcedure("registry:read")
    .input(labelQualityInput)
    .query(({ ctx, input }) => humanBaselines(ctx, input)),
  /** Stores human accuracy as a `baseline` report (human) of a version, through the reports domain. */
  recordHumanBaseline: authorizedProcedure("reports:write")
    .input(humanBaselineInput)
    .mutation(({ ctx, input }) => recordHumanBaseline(ctx, input)),
});
