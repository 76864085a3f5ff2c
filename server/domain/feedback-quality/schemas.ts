import { z } from "zod";
import { positiveInt32 } from "../ints";
import { modelName } from "../registry/schemas";

export const labelQualityInput = z.object({ model: modelName });
export type LabelQualityInput = z.input<typeof labelQualityInput>;

export const humanBaselineInput = z.object({
  model: modelName,
  /** The model version the baseline is stored for: the gate compares that version's reports with it. */
  version: positiveInt32(),
});
export type HumanBaselineInput = z.input<typeof humanBaselineInput>;

/** Equal-width bins of the reliability diagram (sklearn's `calibration_curve(n_bins=10, strategy="uniform")`). */
export const RELIABILITY_BINS = 10;
