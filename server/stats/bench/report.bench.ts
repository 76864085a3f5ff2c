/**
 * Benchmark: a 1,000,000-outcome report's metrics and intervals (what POST /api/reports computes).
 *
 *   npm run bench:report [-- rows]
 *
 * Times computeFromOutcomes for a binary classifier with scores and for a regressor, then, on the
 * same data in the same run, the previous engine's exact O(n)-per-resample paths (counts resampled
 * row by row, a weighted pass per metric): measured for a few resamples and scaled linearly to 2,000,
 * which is exact for a loop whose iterations cost the same.
 */
import { computeFromOutcomes, REPORT_BOOTSTRAP } from "@/server/domain/reports/compute";
import { aucResampler } from "../auc-bootstrap";
import { ResampleCounter } from "../resample";
import { createRng } from "../rng";
import { logLossTerm } from "../metrics";

const rows = Number(process.argv[2] ?? 1_000_000);
const BASELINE_RESAMPLES = 20;

function makeData(n: number) {
  const rng = createRng(12345);
  const labels = new Float64Array(n),
    scores = new Float64Array(n),
    predictions = new Float64Array(n);
  const target = new Float64Array(n),
    estimate = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = rng.nextDouble() < 0.3 ? 1 : 0;
    const z = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    const s = 1 / (1 + Math.exp(-(1.2 * y + z - 0.9)));
    labels[i] = y;
    scores[i] = Math.round(s * 1e6) / 1e6; // six decimals, as clients usually send
    predictions[i] = s >= 0.5 ? 1 : 0;
    target[i] = 100 + 30 * z;
    estimate[i] = target[i]! + 10 * (rng.nextDouble() - 0.5);
  }
  return { labels, scores, predictions, target, estimate };
}

function seconds(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** The previous exact path: per resample, draw n counts and run one weighted pass per statistic. */
function previousEngine(
  labels: Float64Array,
  scores: Float64Array,
  columns: Float64Array[],
  resamples: number,
): number {
  return seconds(() => {
    const counter = new ResampleCounter(labels.length, createRng(1));
    const resampler = scores.length > 0 ? aucResampler(labels, [scores]) : null;
    const counts = new Uint8Array(labels.length);
    const out = new Float64Array(1);
    for (let r = 0; r < resamples; r++) {
      counter.draw(counts);
      resampler?.aucs(counts, out);
      for (const c of columns) {
        let s = 0;
        for (let i = 0; i < c.length; i++) s += counts[i]! * c[i]!;
        out[0] = s;
      }
    }
  });
}

function main() {
  const full = REPORT_BOOTSTRAP.resamples;
  console.log(
    `report intervals benchmark: ${rows.toLocaleString("en")} outcomes, ${full} resamples, node ${process.version}`,
  );
  const d = makeData(rows);
  const ids: string[] = [];
  const binary = seconds(() =>
    computeFromOutcomes("binary_classification", {
      n: rows,
      idChunks: ids,
      labels: d.labels,
      predictions: d.predictions,
      scores: d.scores,
    }),
  );
  const regression = seconds(() =>
    computeFromOutcomes("regression", {
      n: rows,
      idChunks: ids,
      labels: d.target,
      predictions: d.estimate,
      scores: null,
    }),
  );
  const ll = d.labels.map((y, i) => logLossTerm(y, d.scores[i]!));
  const br = d.labels.map((y, i) => (d.scores[i]! - y) ** 2);
  const err = d.target.map((y, i) => d.estimate[i]! - y);
  const scale = full / BASELINE_RESAMPLES;
  const oldBinary = previousEngine(d.labels, d.scores, [ll, br], BASELINE_RESAMPLES) * scale;
  const oldRegression = previousEngine(d.labels, new Float64Array(0), [err, err, err, err], BASELINE_RESAMPLES) * scale;
  const line = (name: string, now: number, before: number) =>
    console.log(
      `  ${name.padEnd(12)} ${now.toFixed(2).padStart(6)} s   previous O(n) path ≈ ${before.toFixed(1).padStart(5)} s (${BASELINE_RESAMPLES} resamples ×${scale})   speed-up ${(before / now).toFixed(1)}×`,
    );
  line("binary", binary, oldBinary);
  line("regression", regression, oldRegression);
  console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main();
