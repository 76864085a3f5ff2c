/**
 * Seeded synthetic traffic of a credit-style model as in-memory tables: what the monitoring windows of
 * the demo, the monitoring page's tests and bench:monitoring are computed from. `shift` moves the world
 * (0: as in training); from 1 on, income rises, a new region appears and tenure stops tracking age.
 */
import type { Table } from "@/server/stats/drift";
import { rng } from "./synthetic";

function normal(r: () => number) {
  // Box–Muller; 1 - r() avoids log(0).
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

const REGIONS = ["north", "south", "east", "west"];

export interface SyntheticTraffic {
  features: Table;
  /** The model's class per row (`labels[0]` or `labels[1]`). */
  outputs: string[];
  latencies: number[];
}

export function syntheticTraffic(
  seed: number,
  rows: number,
  shift = 0,
  labels: readonly [string, string] = ["0", "1"],
): SyntheticTraffic {
  const r = rng(seed);
  const income: (number | null)[] = [],
    age: number[] = [],
    tenure: number[] = [],
    region: (string | null)[] = [],
    outputs: string[] = [],
    latencies: number[] = [];
  for (let i = 0; i < rows; i++) {
    const a = 18 + Math.floor(r() * 60);
    const inc = 52_000 + shift * 9_000 + 12_000 * normal(r);
    // A few missing incomes always; more once the world shifts (an upstream form field went optional).
    income.push(r() < 0.01 + shift * 0.03 ? null : Math.round(inc));
    age.push(a);
    tenure.push(shift >= 1 ? Math.round(r() * 40) : Math.max(0, Math.round((a - 18) * 0.6 + 3 * normal(r))));
    const regionDraw = r();
    region.push(shift >= 1 && regionDraw < 0.15 ? "central" : REGIONS[Math.floor(r() * REGIONS.length)]!);
    const score = (inc - 52_000) / 20_000 - (a - 45) / 40 + normal(r) * 0.8;
    outputs.push(score > 0.4 ? labels[1] : labels[0]);
    latencies.push(Math.round((3 + Math.abs(normal(r)) * 2 + (r() < 0.03 ? 20 : 0)) * 10) / 10);
  }
  return { features: { income, age, tenure, region }, outputs, latencies };
}
