/** Typed loader for the reference values written by fixtures/make_drift_fixtures.py (tests only). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface WeylSpec {
  n: number;
  seed: number;
  loc: number;
  scale: number;
  decimals: number | null;
}

type Raw = (number | string | null)[];

export interface ColumnCase {
  name: string;
  reference: Raw | WeylSpec;
  current: Raw | WeylSpec;
  options: { method?: string; threshold?: number };
  expected: {
    type: "numerical" | "categorical";
    method: string;
    statistic: number;
    pValue: number | null;
    threshold: number;
    drifted: boolean;
    ksMode: "exact" | "asymp" | null;
    newCategories: string[];
    missingShare: { reference: number; current: number };
  };
}

export interface DriftFixture {
  weyl: [number, number, number];
  columns: ColumnCase[];
  ks2samp: { n1: number; n2: number; diff: number; statistic: number; pValue: number }[];
  kstwoSf: { n: number; x: number; sf: number }[];
  smirnovSf: { n: number; x: number; sf: number }[];
  sturges: { values: number[]; edges: number[]; counts: number[] }[];
  dataset: {
    reference: Record<string, Raw>;
    current: Record<string, Raw>;
    columns: string[];
    pValues: number[];
    adjusted: number[];
    drifted: boolean[];
    bhDrifted: boolean[];
    driftedShare: number;
    bhDriftedShare: number;
  };
}

const revive = (_key: string, v: unknown) =>
  v === "Infinity" ? Number.POSITIVE_INFINITY : v === "-Infinity" ? Number.NEGATIVE_INFINITY : v;

export const driftFixture = JSON.parse(
  readFileSync(fileURLToPath(new URL("../fixtures/drift.json", import.meta.url)), "utf8"),
  revive,
) as DriftFixture;

/** The Python script's `weyl` generator, bit for bit (IEEE +, ×, % and floor only). */
export function weyl(spec: WeylSpec): number[] {
  const [w0, w1, w2] = driftFixture.weyl;
  const offset = spec.seed * w0;
  const out = new Array<number>(spec.n);
  for (let i = 0; i < spec.n; i++) {
    const u0 = (i * w0 + offset) % 1,
      u1 = (i * w1 + offset) % 1,
      u2 = (i * w2 + offset) % 1;
    let v = spec.loc + spec.scale * (u0 + u1 + u2 - 1.5);
    if (spec.decimals !== null) {
      const f = 10 ** spec.decimals;
      v = Math.floor(v * f) / f;
    }
    out[i] = v;
  }
  return out;
}

export const materialize = (c: Raw | WeylSpec): Raw => (Array.isArray(c) ? c : weyl(c));
