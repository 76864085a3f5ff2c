/** Which of a report's metrics matter most: for the comparison's rows and the report lists' columns. */
const isDerived = (name: string) => name.startsWith("baseline_");
const PREFERRED = ["auc", "accuracy", "f1", "log_loss", "brier", "precision", "recall", "rmse", "mae", "r2"];

/** The metrics worth a column in a list: the primary metric first, then the usual suspects, then the rest. */
export function keyMetricNames(metrics: Record<string, unknown>, primary?: string | null, max = 4): string[] {
  const own = Object.keys(metrics).filter((m) => !isDerived(m));
  const rank = (m: string) => (m === primary ? -1 : PREFERRED.includes(m) ? PREFERRED.indexOf(m) : PREFERRED.length);
  return own.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).slice(0, max);
}
