/** Deterministic synthetic outcomes for the demo: a seeded generator, so every install shows the same numbers. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(r: () => number) {
  // Box–Muller; 1 - r() avoids log(0).
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/**
 * Binary outcomes whose separation grows with `skill` (about 0.5 → AUC ≈ 0.64, 1.2 → ≈ 0.80).
 * Ids are shared across versions for the same seed, so paired comparisons line up example by example.
 */
export function binaryOutcomes(seed: number, n: number, skill: number, positiveRate: number, modelSeed: number) {
  const data = rng(seed);
  const noise = rng(modelSeed);
  // The same noise seed for every version of a model makes versions correlated, as real retrains are.
  const rows = [];
  for (let i = 0; i < n; i++) {
    const label = data() < positiveRate ? 1 : 0;
    const latent = (label ? skill : -skill) + normal(noise) * 1.1 + normal(data) * 0.3;
    const score = Math.round((1 / (1 + Math.exp(-latent + 1))) * 1e6) / 1e6;
    rows.push({ id: `ex-${seed}-${i}`, label, prediction: score >= 0.5 ? 1 : 0, score });
  }
  return rows;
}

/** Regression outcomes: prices around 300k with errors shrinking as `skill` grows. */
export function regressionOutcomes(seed: number, n: number, errorScale: number, modelSeed: number) {
  const data = rng(seed);
  const noise = rng(modelSeed);
  // The same noise seed for every version of a model makes versions correlated, as real retrains are.
  const rows = [];
  for (let i = 0; i < n; i++) {
    const label = Math.round(300_000 + normal(data) * 90_000);
    rows.push({ id: `home-${seed}-${i}`, label, prediction: Math.round(label + normal(noise) * errorScale) });
  }
  return rows;
}
