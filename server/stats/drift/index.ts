/**
 * Public API of the drift and data-quality engine. Import from "@/server/stats/drift".
 * The same functions serve the monitoring pages, the alert jobs and `ratchet drift`.
 */
export {
  driftColumn,
  driftDataset,
  driftPrepared,
  preparePair,
  runMethod,
  summarize,
  isDrifted,
  isDriftMethod,
  DRIFT_METHODS,
  P_VALUE_METHODS,
  DEFAULT_THRESHOLDS,
  SMALL_REFERENCE_MAX,
  WASSERSTEIN_MIN_STD,
  DriftInputError,
  type DriftMethod,
  type MethodChoice,
  type ColumnOptions,
  type ColumnDrift,
  type DatasetOptions,
  type DatasetDrift,
  type PreparedPair,
  type Table,
} from "./engine";
export { detectColumnType, type ColumnType, type ColumnValues } from "./columns";
export { columnQuality, type ColumnQuality, type NumericalQuality, type SideQuality } from "./quality";
export { correlationChange, pearson, type CorrelationChange } from "./correlation";
export { ksTwoSample, wassersteinSorted, type KsResult } from "./ks";
export { kstwoSf, smirnovSf, ks2SampPValue } from "./kolmogorov";
export { chiSquareGoodnessOfFit, twoProportionZTest } from "./categorical-tests";
export {
  jensenShannonDistance,
  populationStabilityIndex,
  sturgesEdges,
  histogramCounts,
  BINNING_MIN_UNIQUE,
  PSI_EMPTY_SHARE,
} from "./shares";
export { parseCsvTable, parseCsvValue, type CsvTable, type CsvValue } from "./csv-table";
export { runDriftCli, formatReport, type DriftCliIo } from "./cli-drift";
