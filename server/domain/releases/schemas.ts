import { z } from "zod";
import { RELEASE_STRATEGIES } from "@/server/domain/enums";
import { positiveInt32 } from "@/server/domain/ints";
import { modelName } from "../registry/schemas";

export const requestReleaseInput = z
  .object({
    model: modelName,
    version: positiveInt32(),
    strategy: z.enum(RELEASE_STRATEGIES),
    share: z
      .number()
      .gt(0, "a canary share must be above 0")
      .lt(1, "a canary share must be below 1 (use full for all traffic)")
      .optional(),
    rationale: z.string().min(10, "explain why this version should ship (at least 10 characters)").max(5000),
  })
  .refine((r) => (r.strategy === "canary") === (r.share !== undefined), {
    path: ["share"],
    message: "a canary needs a share of traffic (e.g. 0.1); full and shadow take none",
  });
export type RequestReleaseInput = z.input<typeof requestReleaseInput>;

export const decideReleaseInput = z
  .object({
    releaseId: z.uuid(),
    decision: z.enum(["approve", "reject"]),
    note: z.string().min(3, "add a short note for the record").max(5000),
    override: z.boolean().default(false),
    justification: z.string().max(5000).optional(),
  })
  .refine((d) => !d.override || (d.justification ?? "").trim().length >= 10, {
    path: ["justification"],
    message: "an override needs a written justification (at least 10 characters)",
  });
export type DecideReleaseInput = z.input<typeof decideReleaseInput>;

export const rollbackInput = z.object({
  model: modelName,
  toVersion: positiveInt32()
    .optional()
    .describe("A former champion; defaults to the most recent earlier champion not itself rolled back from"),
  reason: z.string().min(10, "say why you roll back (at least 10 characters)").max(5000),
});
export type RollbackInput = z.input<typeof rollbackInput>;
