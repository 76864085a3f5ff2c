/**
 * Public API of the statistics engine. Import from "@/server/stats".
 * Internal helpers (resampling kernels, rank bookkeeping) stay importable
 * from their own files for tests and benchmarks, but are not re-exported.
 */
export type { NumericArray, BinaryLabels } from "./types";

// Point metrics and baselines
export {
  accuracy,
  precision,
  recall,
  f1,
  f1FromCounts,
  rocAuc,
  logLoss,
  logLossTerm,
  LOG_LOSS_EPS,
  brierScore,
  meanSquaredError,
  rmse,
  mae,
  r2,
  confusionMatrix,
  zeroRuleClassifier,
  zeroRuleRegressor,
  randomClassifierBaseline,
  type ConfusionMatrix,
  type ZeroRuleClassification,
  type ZeroRuleRegression,
  type RandomClassifierBaseline,
} from "./metrics";

// Randomness and bootstrap
export { createRng, Xoshiro128, DEFAULT_SEED, type Rng } from "./rng";
export {
  bootstrapIndices,
  bootstrapMetric,
  bootstrapMean,
  DEFAULT_RESAMPLES,
  DEFAULT_CONFIDENCE,
  type BootstrapOptions,
  type BootstrapInterval,
} from "./bootstrap";
export {
  bootstrapAccuracy,
  bootstrapF1,
  bootstrapAuc,
  bootstrapMae,
  bootstrapRmse,
  bootstrapBrier,
  bootstrapLogLoss,
} from "./bootstrap-metrics";
export { quantileSorted, percentileInterval } from "./percentile";

// Paired comparison
export {
  pairedBootstrap,
  pairedBootstrapMetric,
  pairedBootstrapMean,
  pairedBootstrapAccuracy,
  pairedBootstrapF1,
  pairedBootstrapConfusion,
  pairedBootstrapAuc,
  mcnemar,
  mcnemarFromCounts,
  delongTest,
  type PairedBootstrapResult,
  type McNemarResult,
  type DeLongResult,
} from "./paired";

// Proportions and multiple testing
export { wilsonInterval } from "./proportions";
export { benjaminiHochberg, type BenjaminiHochbergResult } from "./multiple";

// Distributions (thin jstat wrappers)
export { normalQuantile, normalCdf, normalTwoSidedP, chiSquareSf, binomialCdf } from "./distributions";

// Model comparison, CSV input and CLI
export {
  compareModels,
  metricDirection,
  verdictFor,
  isCompareMetric,
  COMPARE_METRICS,
  SCORE_METRICS,
  type CompareMetric,
  type CompareInput,
  type CompareResult,
  type MetricDirection,
  type Verdict,
  type ValueWithCi,
} from "./compare";
export { parseOutcomesCsv, CsvInputError, OUTCOME_COLUMNS, type Outcomes } from "./csv";
export { runCompareCli, formatTable, type CompareCliIo, type TextSink } from "./cli-compare";
