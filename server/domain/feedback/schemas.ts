import { z } from "zod";
import { modelName } from "../registry/schemas";

export const itemId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const nextInput = z
  .object({
    model: modelName.optional(),
    /** Items the page already holds (the one on screen): another one is wanted, e.g. to load ahead. */
    exclude: z.array(itemId).max(5).default([]),
  })
  .default({ exclude: [] });
export type NextInput = z.input<typeof nextInput>;

export const FLAGS = ["flagged", "unsure"] as const;

export const submitInput = z.object({
  itemId,
  /** The class as text, or a number for regression (an integer class is accepted for a classifier). */
  label: z.union([z.string().trim().min(1).max(200), z.number().finite()]),
  note: z.string().max(2000).optional(),
  flags: z
    .array(z.enum(FLAGS))
    .max(FLAGS.length)
    .refine((f) => new Set(f).size === f.length, "each flag at most once")
    .optional(),
  /**
   * The version of the model's labeling guidelines the page showed beside the item (null: it showed none).
   * It must be a version of the item's model; omitted, the version in force at submission is recorded.
   */
  guidelineVersion: z.number().int().min(1).max(2_147_483_647).nullable().optional(),
});
export type SubmitInput = z.input<typeof submitInput>;

export const itemInput = z.object({ itemId });

export const adjudicateInput = z.object({
  itemId,
  label: z.union([z.string().trim().min(1).max(200), z.number().finite()]),
  note: z.string().max(2000).optional(),
});
export type AdjudicateInput = z.input<typeof adjudicateInput>;

export const conflictsInput = z
  .object({
    model: modelName.optional(),
    limit: z.number().int().min(1).max(100).default(25),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .default({ limit: 25, offset: 0 });

export const progressInput = z.object({ model: modelName.optional() }).default({});

export const ORDER_KEYS = ["disagreement", "confidence", "recency"] as const;
export type OrderKey = (typeof ORDER_KEYS)[number];

const share = z.number().min(0).max(1);

export const policyInput = z
  .object({
    model: modelName,
    strategy: z.enum(["confidence", "margin", "entropy"]),
    /** confidence and margin: enqueue below it (0–1); entropy: enqueue above it (nats, 0–ln of the class count). */
    threshold: z.number().min(0).max(10),
    randomShare: share,
    goldShare: share,
    overlap: z.number().int().min(1).max(10),
    hideAnswerShare: share,
    secondOpinionAbove: share,
    order: z
      .array(z.enum(ORDER_KEYS))
      .min(1)
      .max(3)
      .refine((keys) => new Set(keys).size === keys.length, "each key at most once"),
  })
  .superRefine((p, issue) => {
    if (p.strategy !== "entropy" && p.threshold > 1)
      issue.addIssue({ code: "custom", path: ["threshold"], message: `a ${p.strategy} threshold is between 0 and 1` });
  });
export type PolicyInput = z.input<typeof policyInput>;
