/**
 * Benchmark: compareModels on 1,000,000 paired outcomes, 2,000 resamples.
 *
 *   npx tsx server/stats/bench/compare.bench.ts [rows] [resamples]
 *
 * Data: binary labels (30% positive); champion and challenger scores share
 * a latent signal (so they are correlated, as real model versions are) plus
 * independent noise; predicted classes are the scores thresholded at 0.5.
 *
 * Baseline (measured in the same run, same data): the textbook bootstrap —
 * per resample allocate a fresh index array, draw n indices, gather the
 * columns into fresh arrays and recompute the metric from scratch (for AUC:
 * sort + rank). It is run for a few resamples only and scaled linearly to
 * the full count, which is exact for a loop whose iterations cost the same.
 */
import { accuracy } from "../metrics";
import { rocAuc } from "../auc";
import { compareModels } from "../compare";
import { createRng } from "../rng";

const rows = Number(process.argv[2] ?? 1_000_000);
const resamples = Number(process.argv[3] ?? 2000);
const BASELINE_RESAMPLES = { accuracy: 20, auc: 4 } as const;

function makeData(n: number) {
  const rng = createRng(12345);
  const labels = new Uint8Array(n);
  const scoreA = new Float64Array(n),
    scoreB = new Float64Array(n);
  const predA = new Uint8Array(n),
    predB = new Uint8Array(n);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  for (let i = 0; i < n; i++) {
    const y = rng.nextDouble() < 0.3 ? 1 : 0;
    const shared = gauss();
    const a = 1 / (1 + Math.exp(-(1.2 * y + shared + 0.7 * gauss() - 0.9)));
    const b = 1 / (1 + Math.exp(-(1.35 * y + shared + 0.7 * gauss() - 0.95)));
    labels[i] = y;
    scoreA[i] = a;
    scoreB[i] = b;
    predA[i] = a >= 0.5 ? 1 : 0;
    predB[i] = b >= 0.5 ? 1 : 0;
  }
  return { labels, scoreA, scoreB, predA, predB };
}

/** The naive loop: new index array + gathered copies + full metric per resample. */
function naiveBootstrap(
  n: number,
  count: number,
  columns: ArrayLike<number>[],
  metric: (cols: Float64Array[]) => [number, number],
): void {
  const rng = createRng(1);
  for (let r = 0; r < count; r++) {
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = rng.nextBelow(n);
    const gathered = columns.map((c) => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = c[idx[i]!]!;
      return out;
    });
    metric(gathered);
  }
}

function time<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function main() {
  console.log(
    `compareModels benchmark: ${rows.toLocaleString("en")} rows, ${resamples} resamples, node ${process.version}`,
  );
  const gen = time(() => makeData(rows));
  const data = gen.value;
  console.log(`data generated in ${gen.seconds.toFixed(2)} s; RSS now ${mb(process.memoryUsage().rss / 1024)}`);
  console.log("");

  const cases: { metric: "accuracy" | "auc"; champion: ArrayLike<number>; challenger: ArrayLike<number> }[] = [
    { metric: "accuracy", champion: data.predA, challenger: data.predB },
    { metric: "auc", champion: data.scoreA, challenger: data.scoreB },
  ];
  for (const c of cases) {
    const run = time(() =>
      compareModels({
        metric: c.metric,
        labels: data.labels,
        champion: c.champion,
        challenger: c.challenger,
        seed: 7,
        resamples,
      }),
    );
    const peak = process.resourceUsage().maxRSS;
    const r = run.value;

    // Reference: one pass computing both models' point metric.
    const onePass = time(() =>
      c.metric === "auc"
        ? [rocAuc(data.labels, c.champion), rocAuc(data.labels, c.challenger)]
        : [accuracy(data.labels, c.champion), accuracy(data.labels, c.challenger)],
    );

    const baseCount = BASELINE_RESAMPLES[c.metric];
    const base = time(() =>
      naiveBootstrap(rows, baseCount, [data.labels, c.champion, c.challenger], (cols) =>
        c.metric === "auc"
          ? [rocAuc(cols[0]!, cols[1]!), rocAuc(cols[0]!, cols[2]!)]
          : [accuracy(cols[0]!, cols[1]!), accuracy(cols[0]!, cols[2]!)],
      ),
    );
    const baseScaled = (base.seconds / baseCount) * resamples;

    const fmt = (v: { value: number; ci: [number, number] }) =>
      `${v.value.toFixed(5)} [${v.ci[0].toFixed(5)}, ${v.ci[1].toFixed(5)}]`;
    console.log(`== ${c.metric} ==`);
    console.log(`  champion   ${fmt(r.champion)}`);
    console.log(`  challenger ${fmt(r.challenger)}`);
    console.log(`  difference ${fmt(r.difference)}  verdict: ${r.verdict}`);
    if (r.mcnemar) console.log(`  McNemar b=${r.mcnemar.b} c=${r.mcnemar.c} p=${r.mcnemar.pValue.toExponential(3)}`);
    if (r.delong) console.log(`  DeLong z=${r.delong.z.toFixed(3)} p=${r.delong.pValue.toExponential(3)}`);
    console.log(
      `  compareModels (paired bootstrap ${resamples}× + ${r.mcnemar ? "McNemar" : "DeLong"}): ${run.seconds.toFixed(2)} s, peak RSS so far ${mb(peak)}`,
    );
    console.log(
      `  one pass computing both point metrics:       ${(onePass.seconds * 1000).toFixed(1)} ms  → compareModels ≈ ${(run.seconds / onePass.seconds).toFixed(0)} such passes`,
    );
    console.log(`  naive bootstrap (new index array + gathered copies + full metric per resample),`);
    console.log(
      `    measured ${baseCount} resamples in ${base.seconds.toFixed(2)} s → ${baseScaled.toFixed(0)} s scaled to ${resamples}`,
    );
    console.log(`  speed-up vs naive: ${(baseScaled / run.seconds).toFixed(1)}×`);
    console.log("");
  }
  // The other paired metrics: confusion counts (precision, recall, F1), sorted blocks past 100,000 rows (log loss, Brier).
  console.log("== the other paired metrics (compareModels only) ==");
  for (const [metric, champion, challenger] of [
    ["precision", data.predA, data.predB],
    ["recall", data.predA, data.predB],
    ["f1", data.predA, data.predB],
    ["log_loss", data.scoreA, data.scoreB],
    ["brier", data.scoreA, data.scoreB],
  ] as const) {
    const run = time(() => compareModels({ metric, labels: data.labels, champion, challenger, seed: 7, resamples }));
    const d = run.value.difference;
    console.log(
      `  ${metric.padEnd(9)} ${run.seconds.toFixed(2)} s  difference ${d.value.toFixed(5)} [${d.ci[0].toFixed(5)}, ${d.ci[1].toFixed(5)}]  ${run.value.verdict}`,
    );
  }
  console.log("");
  console.log(`final peak RSS (includes the naive baseline's allocations): ${mb(process.resourceUsage().maxRSS)}`);
}

main();
