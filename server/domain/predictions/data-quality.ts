import { isNonFiniteMarker } from "./parse";
import { dataQualityProblems, type DataQualityProblem } from "./schemas";

/** A feature the model declares; `categories` null means the known categories are not recorded. */
export interface FeatureSpec {
  name: string;
  kind: "numerical" | "categorical";
  categories: string[] | null;
}

export type ProblemCounts = Record<DataQualityProblem, { total: number; byFeature: Record<string, number> }>;

const emptyCounts = (): ProblemCounts =>
  Object.fromEntries(dataQualityProblems.map((p) => [p, { total: 0, byFeature: {} }])) as unknown as ProblemCounts;

/** Which checks cannot be made for a model: everything but non-finite values without declared features. */
export function uncheckedProblems(features: FeatureSpec[] | null): DataQualityProblem[] {
  if (!features || features.length === 0) return ["missingFeature", "extraFeature", "wrongType", "newCategory"];
  const categoriesKnown = features.some((f) => f.kind === "categorical" && f.categories !== null);
  return categoriesKnown ? [] : ["newCategory"];
}

/**
 * Counts feature-level problems in the rows of one model version against its declared features (if any).
 * Rows are never refused for these: `check` returns the features to store, with non-finite values
 * (which JSON and jsonb cannot hold) replaced by null.
 */
export class DataQualityCounter {
  readonly counts = emptyCounts();
  rows = 0;
  rowsWithProblems = 0;
  private readonly declared: Map<string, FeatureSpec & { categorySet: Set<string> | null }> | null;

  constructor(features: FeatureSpec[] | null) {
    this.declared =
      features && features.length > 0
        ? new Map(features.map((f) => [f.name, { ...f, categorySet: f.categories ? new Set(f.categories) : null }]))
        : null;
  }

  private add(problem: DataQualityProblem, feature: string) {
    const c = this.counts[problem];
    c.total++;
    c.byFeature[feature] = (c.byFeature[feature] ?? 0) + 1;
  }

  check(features: Record<string, unknown>): Record<string, unknown> {
    this.rows++;
    const before = this.problemTotal();
    let cleaned: Record<string, unknown> | null = null;
    for (const name in features) {
      const value = features[name];
      const nonFinite = (typeof value === "number" && !Number.isFinite(value)) || isNonFiniteMarker(value);
      if (nonFinite) {
        this.add("nonFinite", name);
        cleaned ??= { ...features };
        cleaned[name] = null;
      }
      if (!this.declared) continue;
      const spec = this.declared.get(name);
      if (!spec) {
        this.add("extraFeature", name);
        continue;
      }
      if (nonFinite) continue;
      if (value === null || value === undefined || value === "") this.add("missingFeature", name);
      else if (spec.kind === "numerical") {
        if (typeof value !== "number") this.add("wrongType", name);
      } else if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
        this.add("wrongType", name);
      else if (spec.categorySet && !spec.categorySet.has(String(value))) this.add("newCategory", name);
    }
    if (this.declared)
      for (const name of this.declared.keys()) if (!(name in features)) this.add("missingFeature", name);
    if (this.problemTotal() > before) this.rowsWithProblems++;
    return cleaned ?? features;
  }

  private problemTotal(): number {
    let n = 0;
    for (const p of dataQualityProblems) n += this.counts[p].total;
    return n;
  }
}
