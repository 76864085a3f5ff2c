/** Statistics from human feedback labels. Import from "@/server/stats/feedback". */
export {
  weightedAccuracy,
  weightedAccuracyByGroup,
  weightedAccuracyFromSums,
  type WeightedSums,
  type WeightedOutcome,
  type WeightedAccuracy,
  type GroupedAccuracy,
} from "./weighted-accuracy";
export { isoWeekKey } from "./iso-week";
export { cohensKappa, type CohenKappa } from "./cohen-kappa";
export { fleissKappa, type FleissKappa } from "./fleiss-kappa";
export {
  reviewerGoldAccuracy,
  humanAccuracy,
  type GoldAnswer,
  type ReviewerLabel,
  type ReviewerAccuracy,
  type HumanAccuracy,
  type ProportionWithInterval,
} from "./reviewer-accuracy";
export { calibration, type Calibration, type CalibrationItem, type ReliabilityBin } from "./calibration";
