/**
 * Benchmark: drift and data quality of a 20-column table (14 numerical, 6 categorical),
 * 1,000,000 reference rows × 1,000,000 current rows, generated in memory (reading them from
 * the database comes with the monitoring jobs).
 *
 *   npm run bench:drift [-- rows]
 *
 * Timed: the engine with its defaults (reference > 1,000 rows, so Wasserstein for the numerical
 * columns and Jensen–Shannon for the categorical ones), KS on every numerical column (its p-value
 * is the asymptotic one at this size), the data-quality summary and the correlation change of the
 * numerical features. Goal: under 6 s and under 1 GB peak RSS on the 2-core machine.
 *
 * Baselines, same run:
 *  - a direct port of SciPy's `_cdf_distance` / `ks_2samp` to JavaScript (concatenate both
 *    samples, V8's native sort, binary-search every value in both sorted samples), measured on
 *    two numerical columns and scaled to 14 — what the engine replaces with one radix sort per
 *    side and a linear merge;
 *  - NumPy/SciPy on the same shape of data (when python3 with numpy and scipy is on the PATH),
 *    with Evidently's calls (wasserstein_distance / np.std, jensenshannon of value shares,
 *    ks_2samp), arrays already in memory; its own peak RSS is printed too.
 */
import { spawnSync } from "node:child_process";
import { createRng } from "../rng";
import { correlationChange } from "../drift/correlation";
import { driftPrepared, preparePair, summarize, type PreparedPair } from "../drift/engine";
import { columnQuality } from "../drift/quality";

const rows = Number(process.argv[2] ?? 1_000_000);
const NUMERICAL = 14;
const CATEGORICAL = 6;
const GOAL_SECONDS = 6;
const GOAL_MB = 1024;

function makeTable(seed: number, current: boolean) {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  const numerical: Float64Array[] = [];
  for (let c = 0; c < NUMERICAL; c++) {
    const col = new Float64Array(rows);
    const shift = current && c % 4 === 0 ? 0.15 : 0; // every fourth numerical column drifts
    const missing = c % 5 === 1 ? 0.02 : 0;
    for (let i = 0; i < rows; i++) {
      if (missing && rng.nextDouble() < missing) {
        col[i] = Number.NaN;
        continue;
      }
      const z = gauss() + shift;
      // a mix of shapes: normal, log-normal (skewed), rounded (many ties), shared factor (correlated)
      col[i] = c % 3 === 0 ? 50 + 10 * z : c % 3 === 1 ? Math.exp(0.5 * z) : Math.round(z * 20) / 20;
    }
    numerical.push(col);
  }
  const categorical: string[][] = [];
  for (let c = 0; c < CATEGORICAL; c++) {
    const k = [3, 5, 8, 12, 20, 50][c]!;
    const pool = Array.from({ length: k + 1 }, (_, j) => `cat${c}_${j}`);
    const col = new Array<string>(rows);
    const tilt = current && c % 3 === 0 ? 0.2 : 0;
    for (let i = 0; i < rows; i++) {
      const u = rng.nextDouble();
      // skewed category shares; the current data of column 5 brings a new category (pool[k])
      let j = Math.min(k - 1, Math.floor(k * u * u * (1 - tilt) + tilt * k * u));
      if (current && c === 5 && u < 0.01) j = k;
      col[i] = pool[j]!;
    }
    categorical.push(col);
  }
  return { numerical, categorical };
}

function time<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const mb = (kb: number) => kb / 1024;

/** SciPy's `_cdf_distance(1, u, v)` and `ks_2samp` statistic, ported literally: concat, sort, searchsorted. */
function scipyStylePort(u: Float64Array, v: Float64Array): { wasserstein: number; ks: number } {
  const clean = (a: Float64Array) => a.filter((x) => Number.isFinite(x));
  const us = clean(u).sort(),
    vs = clean(v).sort();
  const all = new Float64Array(us.length + vs.length);
  all.set(us);
  all.set(vs, us.length);
  all.sort();
  const searchRight = (a: Float64Array, x: number) => {
    let lo = 0,
      hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let w = 0,
    ks = 0;
  for (let i = 0; i < all.length; i++) {
    const fu = searchRight(us, all[i]!) / us.length,
      fv = searchRight(vs, all[i]!) / vs.length;
    if (i < all.length - 1) w += Math.abs(fu - fv) * (all[i + 1]! - all[i]!);
    ks = Math.max(ks, Math.abs(fu - fv));
  }
  return { wasserstein: w, ks };
}

const PYTHON = String.raw`
import resource, sys, time
import numpy as np
from scipy import stats
from scipy.spatial import distance
n = int(sys.argv[1]); rng = np.random.default_rng(1)
def table(current):
    num = []
    for c in range(14):
        z = rng.normal(0.15 if current and c % 4 == 0 else 0, 1, n)
        col = 50 + 10 * z if c % 3 == 0 else (np.exp(0.5 * z) if c % 3 == 1 else np.round(z * 20) / 20)
        if c % 5 == 1: col[rng.random(n) < 0.02] = np.nan
        num.append(col)
    cat = [np.array([f"cat{c}_{j}" for j in range(k)])[rng.integers(0, k, n)] for c, k in enumerate([3, 5, 8, 12, 20, 50])]
    return num, cat
ref, cur = table(False), table(True)
t0 = time.perf_counter()
for r, c in zip(ref[0], cur[0]):
    r, c = r[~np.isnan(r)], c[~np.isnan(c)]
    stats.wasserstein_distance(r, c) / max(np.std(r), 0.001)
t1 = time.perf_counter()
for r, c in zip(ref[1], cur[1]):
    keys = np.union1d(np.unique(r), np.unique(c))
    rc = np.array([np.sum(r == k) for k in keys]) / len(r); cc = np.array([np.sum(c == k) for k in keys]) / len(c)
    distance.jensenshannon(rc, cc)
t2 = time.perf_counter()
for r, c in zip(ref[0], cur[0]):
    stats.ks_2samp(r[~np.isnan(r)], c[~np.isnan(c)])
t3 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {t3 - t2:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
`;

function main() {
  console.log(
    `drift benchmark: ${NUMERICAL} numerical + ${CATEGORICAL} categorical columns, ${rows.toLocaleString("en")} reference × ${rows.toLocaleString("en")} current rows, node ${process.version}`,
  );
  const gen = time(() => ({ reference: makeTable(1, false), current: makeTable(2, true) }));
  const { reference, current } = gen.value;
  console.log(
    `data generated in ${gen.seconds.toFixed(1)} s; RSS now ${mb(process.memoryUsage().rss / 1024).toFixed(0)} MB`,
  );

  const names = [
    ...Array.from({ length: NUMERICAL }, (_, c) => `num${c}`),
    ...Array.from({ length: CATEGORICAL }, (_, c) => `cat${c}`),
  ];
  const raw = (t: typeof reference, c: number) => (c < NUMERICAL ? t.numerical[c]! : t.categorical[c - NUMERICAL]!);

  const prepare = time(() => names.map((_, c) => preparePair(raw(reference, c), raw(current, c))));
  const pairs: PreparedPair[] = prepare.value;
  const drift = time(() => summarize(pairs.map((p, c) => driftPrepared(names[c]!, p))));
  const ks = time(() => pairs.slice(0, NUMERICAL).map((p, c) => driftPrepared(names[c]!, p, { method: "ks" })));
  const quality = time(() => pairs.map((p, c) => columnQuality(names[c]!, p)));
  const corr = time(() => correlationChange(names.slice(0, NUMERICAL), reference.numerical, current.numerical));
  const total = prepare.seconds + drift.seconds + ks.seconds + quality.seconds + corr.seconds;
  const peak = mb(process.resourceUsage().maxRSS);

  const d = drift.value;
  console.log("");
  for (const c of d.columns)
    console.log(
      `  ${c.column.padEnd(6)} ${c.method.padEnd(13)} ${c.statistic!.toFixed(4).padStart(8)}  ${c.drifted ? "drifted" : "-"}`,
    );
  console.log(
    `  dataset: ${(d.driftedShare * 100).toFixed(0)}% of columns drifted → ${d.datasetDrifted ? "drift" : "no drift"}`,
  );
  console.log(`  KS p-values (asymptotic): ${ks.value.map((c) => c.pValue!.toExponential(1)).join(" ")}`);
  console.log(`  largest correlation change: ${corr.value.maxAbsChange?.toFixed(4)} (${corr.value.pair?.join(" × ")})`);
  console.log("");
  console.log(`  prepare (missing values out, radix sort per side) ${prepare.seconds.toFixed(2)} s`);
  console.log(`  drift, default methods (20 columns)               ${drift.seconds.toFixed(2)} s`);
  console.log(`  KS with p-values on the 14 numerical columns      ${ks.seconds.toFixed(2)} s`);
  console.log(`  data quality (20 columns)                         ${quality.seconds.toFixed(2)} s`);
  console.log(`  correlation change (14 × 14 Pearson, both sides)  ${corr.seconds.toFixed(2)} s`);
  console.log(
    `  total ${total.toFixed(2)} s (goal < ${GOAL_SECONDS} s: ${total < GOAL_SECONDS ? "met" : "NOT met"}); peak RSS ${peak.toFixed(0)} MB incl. the generated tables (goal < ${GOAL_MB} MB: ${peak < GOAL_MB ? "met" : "NOT met"})`,
  );

  // Baseline 1: the literal SciPy port, two columns, scaled to 14.
  const PORT_COLUMNS = 2;
  const port = time(() => {
    for (let c = 0; c < PORT_COLUMNS; c++) scipyStylePort(reference.numerical[c]!, current.numerical[c]!);
  });
  const portScaled = (port.seconds / PORT_COLUMNS) * NUMERICAL;
  const engineNumerical =
    ks.seconds + drift.seconds * (NUMERICAL / names.length) + prepare.seconds * (NUMERICAL / names.length);
  console.log("");
  console.log(
    `  baseline: SciPy's algorithm ported to JS (concat + native sort + searchsorted), Wasserstein and KS statistic,`,
  );
  console.log(
    `    measured on ${PORT_COLUMNS} columns in ${port.seconds.toFixed(2)} s → ${portScaled.toFixed(1)} s for 14; the engine's numerical share ≈ ${engineNumerical.toFixed(2)} s (${(portScaled / engineNumerical).toFixed(1)}×)`,
  );

  // Baseline 2: NumPy/SciPy themselves, same shapes, arrays in memory.
  const py = spawnSync("python3", ["-c", PYTHON, String(rows)], { encoding: "utf8", timeout: 600_000 });
  if (py.status === 0) {
    const [w, js, k, rss] = py.stdout.trim().split(" ").map(Number) as [number, number, number, number];
    console.log(
      `  baseline: NumPy/SciPy (Evidently's calls), same run: Wasserstein ×14 ${w.toFixed(2)} s, Jensen–Shannon ×6 ${js.toFixed(2)} s, ks_2samp ×14 ${k.toFixed(2)} s`,
    );
    console.log(
      `    = ${(w + js + k).toFixed(2)} s against the engine's ${(drift.seconds + ks.seconds + prepare.seconds).toFixed(2)} s for the same three (peak RSS of Python ${rss} MB)`,
    );
  } else {
    console.log(`  baseline: NumPy/SciPy not run (${py.error?.message ?? py.stderr.trim().split("\n").at(-1)})`);
  }
}

main();
