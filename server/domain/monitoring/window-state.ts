/**
 * The mergeable state of a monitoring window: everything a `WindowSummary` holds but the drift, kept as
 * counts that add up (rows per arm, class counts, histograms on the reference's edges, exact latency
 * value counts), so the state of a batch's rows merges into an hour's, and hours' into a day's or a
 * week's, with the same result as aggregating the union of the rows. Pure: no database.
 *
 * Aggregates only merge when the bins are the same everywhere: a state records the reference and the
 * features it was binned with, and states binned differently (or not binned: no reference) do not merge
 * (`mergeStates` returns null), so the window is recomputed from its rows instead.
 */
import type { FeatureSpec } from "./aggregates";
import { mergeLatency, newLatency, addLatency, type LatencyState } from "./latency-state";
import type { Distribution, TrafficArm } from "./window-summary";

/** How a reference bins a version's windows: its features and the edges of each numerical one (and of a regression output). */
export interface Binning {
  referenceId: string;
  /** Whether `features` are the model's declared ones (else the reference's own columns). */
  declared: boolean;
  features: FeatureSpec[];
  edges: Record<string, number[]>;
  /** Null when the reference has no numerical output. */
  outputEdges: number[] | null;
}

type Numerical = Extract<Distribution, { kind: "numerical" }>;
type Categorical = Extract<Distribution, { kind: "categorical" }>;

export interface WindowState {
  /** The reference the state was binned on; null when the rows could not be binned (no reference). */
  referenceId: string | null;
  /** The binning's features, `name:kind`, sorted: states merge only when these are equal. */
  featureKey: string;
  /** False when some rows could not be aggregated exactly (a numerical output with no reference edges). */
  mergeable: boolean;
  rowCount: number;
  rowsPerArm: Partial<Record<TrafficArm, number>>;
  latency: LatencyState;
  output: Partial<Record<TrafficArm, Distribution>>;
  features: Record<string, Distribution>;
}

/** One row as ingest stores it: features after the data-quality check, the output, latency and arm. */
export interface StateRow {
  features: Record<string, unknown>;
  number: number | null;
  label: string | null;
  latencyMs: number | null;
  arm: TrafficArm;
}

export const featureKey = (features: readonly FeatureSpec[]) =>
  features
    .map((f) => `${f.name}:${f.kind}`)
    .sort()
    .join(",");

const emptyHistogram = (edges: number[]): Numerical => ({
  kind: "numerical",
  edges,
  counts: new Array<number>(Math.max(0, edges.length - 1)).fill(0),
  below: 0,
  above: 0,
  missing: 0,
  min: null,
  max: null,
});

/** A state with no rows, binned on `binning` (or on nothing: no reference). */
export function emptyState(binning: Binning | null): WindowState {
  const features: Record<string, Distribution> = {};
  for (const f of binning?.features ?? [])
    features[f.name] =
      f.kind === "categorical"
        ? { kind: "categorical", counts: {}, missing: 0 }
        : emptyHistogram(binning!.edges[f.name] ?? []);
  return {
    referenceId: binning?.referenceId ?? null,
    featureKey: featureKey(binning?.features ?? []),
    mergeable: binning !== null,
    rowCount: 0,
    rowsPerArm: {},
    latency: newLatency(),
    output: {},
    features,
  };
}

/**
 * The bin of `v` on `edges` as `width_bucket(v, edges)` numbers it (how many edges are ≤ v: 0 below,
 * edges.length above), with numpy's closed last bin: a value equal to the last edge is in the last bin.
 */
export function bucketOf(v: number, edges: readonly number[]): number {
  if (edges.length === 0) return 0;
  if (v === edges.at(-1)) return edges.length - 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v < edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function addToHistogram(d: Numerical, v: number) {
  const bins = d.counts.length;
  const b = bucketOf(v, d.edges);
  if (bins === 0 || b === 0) d.below++;
  else if (b > bins) d.above++;
  else d.counts[b - 1]!++;
  d.min = d.min === null ? v : Math.min(d.min, v);
  d.max = d.max === null ? v : Math.max(d.max, v);
}

/** Plain decimal digits of a JavaScript number's JSON text, as PostgreSQL's numeric prints it back (no exponent). */
function numericText(n: number): string {
  const s = JSON.stringify(n);
  const e = s.search(/e/i);
  if (e < 0) return s;
  const sign = s.startsWith("-") ? "-" : "";
  const mantissa = s.slice(sign.length, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A string as jsonb's output escapes it: as JSON.stringify does (the same named and \u00xx escapes). */
const jsonbString = (s: string) => JSON.stringify(s);

/** jsonb's text of a JSON value: keys ordered by length then bytes, `", "` and `": "` separators. */
function jsonbText(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return jsonbString(v);
  if (typeof v === "number") return numericText(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(jsonbText).join(", ")}]`;
  const keys = Object.keys(v as object).sort((a, b) => {
    const la = Buffer.byteLength(a);
    const lb = Buffer.byteLength(b);
    return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b));
  });
  return `{${keys.map((k) => `${jsonbString(k)}: ${jsonbText((v as Record<string, unknown>)[k])}`).join(", ")}}`;
}

/** `nullif(features->>name, '')`: the category a stored JSON value counts as; null is missing. */
export function categoryOf(v: unknown): string | null {
  if (v === undefined || v === null || v === "") return null;
  if (typeof v === "string") return v;
  return jsonbText(v);
}

/** Adds rows (all of one version, binned on `binning`) to `state`, in place. */
export function addRows(state: WindowState, rows: Iterable<StateRow>, binning: Binning | null): WindowState {
  for (const r of rows) {
    state.rowCount++;
    state.rowsPerArm[r.arm] = (state.rowsPerArm[r.arm] ?? 0) + 1;
    // The log stores latency as real (float4): the state counts the stored value.
    if (r.latencyMs !== null) addLatency(state.latency, Math.fround(r.latencyMs));
    if (!binning) continue;
    if (r.label !== null) {
      const d = (state.output[r.arm] ??= { kind: "categorical", counts: {}, missing: 0 }) as Categorical;
      d.counts[r.label] = (d.counts[r.label] ?? 0) + 1;
    }
    if (r.number !== null) {
      if (!binning.outputEdges) state.mergeable = false;
      else addToHistogram((state.output[r.arm] ??= emptyHistogram(binning.outputEdges)) as Numerical, r.number);
    }
    for (const f of binning.features) {
      const v = r.features[f.name];
      const d = state.features[f.name]!;
      if (d.kind === "categorical") {
        const c = categoryOf(v);
        if (c === null) d.missing++;
        else d.counts[c] = (d.counts[c] ?? 0) + 1;
      } else if (typeof v === "number") addToHistogram(d, v);
      else d.missing++;
    }
  }
  return state;
}

function mergeDistribution(a: Distribution, b: Distribution): Distribution {
  if (a.kind === "categorical" && b.kind === "categorical") {
    const counts = { ...a.counts };
    for (const [k, n] of Object.entries(b.counts)) counts[k] = (counts[k] ?? 0) + n;
    return { kind: "categorical", counts, missing: a.missing + b.missing };
  }
  if (a.kind === "numerical" && b.kind === "numerical") {
    const min = a.min === null ? b.min : b.min === null ? a.min : Math.min(a.min, b.min);
    const max = a.max === null ? b.max : b.max === null ? a.max : Math.max(a.max, b.max);
    return {
      kind: "numerical",
      edges: a.edges,
      counts: a.counts.map((n, i) => n + b.counts[i]!),
      below: a.below + b.below,
      above: a.above + b.above,
      missing: a.missing + b.missing,
      min,
      max,
    };
  }
  throw new Error("cannot merge a categorical distribution with a numerical one");
}

function mergeRecords<K extends string, V>(
  a: Partial<Record<K, V>>,
  b: Partial<Record<K, V>>,
  merge: (x: V, y: V) => V,
) {
  const out: Partial<Record<K, V>> = { ...a };
  for (const k of Object.keys(b) as K[]) out[k] = out[k] === undefined ? b[k] : merge(out[k], b[k]!);
  return out;
}

/**
 * The state of the union of two disjoint sets of rows; null when the two were binned differently (or
 * one could not be binned), so no merge is exact.
 */
export function mergeStates(a: WindowState, b: WindowState): WindowState | null {
  if (!a.mergeable || !b.mergeable || a.referenceId !== b.referenceId || a.featureKey !== b.featureKey) return null;
  return {
    referenceId: a.referenceId,
    featureKey: a.featureKey,
    mergeable: true,
    rowCount: a.rowCount + b.rowCount,
    rowsPerArm: mergeRecords(a.rowsPerArm, b.rowsPerArm, (x, y) => x + y),
    latency: mergeLatency(a.latency, b.latency),
    output: mergeRecords(a.output, b.output, mergeDistribution),
    features: mergeRecords(a.features, b.features, mergeDistribution) as Record<string, Distribution>,
  };
}

/** Merges states in order; null as soon as two do not merge. */
export function mergeAll(states: readonly WindowState[], empty: WindowState): WindowState | null {
  let out: WindowState | null = empty;
  for (const s of states) {
    out = mergeStates(out, s);
    if (!out) return null;
  }
  return out;
}
