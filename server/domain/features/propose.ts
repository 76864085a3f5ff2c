/**
 * A proposal of a model's declared features, made from a reference's column profile and set against
 * what the model declares now, so a data scientist sees exactly what applying it would change.
 * Pure: the pages, the upload's answer and the apply verb all read the same result.
 */
import type { ReferenceProfile } from "@/db/schema";

export type FeatureKind = "numerical" | "categorical";

export interface DeclaredFeature {
  name: string;
  kind: FeatureKind;
  important: boolean;
  categories: string[] | null;
}

export interface ProposedFeature {
  name: string;
  kind: FeatureKind;
  /** The categories seen; null for numerical columns, or past the listing limit (new categories then go unchecked). */
  categories: string[] | null;
  /** Distinct values of a categorical column. */
  distinct: number | null;
  missingShare: number;
  /** `new`: not declared; `changed`: declared differently; `unchanged`: declared exactly so. */
  status: "new" | "changed" | "unchanged";
  /** In words, what applying the proposal changes for a declared feature. */
  changes: string[];
  /** Declared importance, kept when the proposal is applied (importance is a person's call, not the data's). */
  important: boolean;
}

export interface FeatureProposal {
  features: ProposedFeature[];
  /** Columns with no value at all: their kind cannot be told, so they are not proposed. */
  undetermined: string[];
  /** Declared features the reference does not have (applying the proposal leaves them declared). */
  notInReference: string[];
}

const SHOWN = 5;

function listDiff(before: string[], after: string[]): string {
  const was = new Set(before);
  const now = new Set(after);
  const added = after.filter((c) => !was.has(c));
  const removed = before.filter((c) => !now.has(c));
  const part = (sign: string, xs: string[]) =>
    xs.length === 0
      ? []
      : [
          `${sign}${xs.slice(0, SHOWN).join(`, ${sign}`)}${xs.length > SHOWN ? ` (and ${xs.length - SHOWN} more)` : ""}`,
        ];
  return [...part("+", added), ...part("−", removed)].join(", ");
}

function sameList(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}

function changesOf(declared: DeclaredFeature, kind: FeatureKind, categories: string[] | null): string[] {
  const changes: string[] = [];
  if (declared.kind !== kind) changes.push(`kind: ${declared.kind} → ${kind}`);
  if (kind === "categorical") {
    if (categories === null && declared.categories !== null)
      changes.push("categories: too many to list, new categories will no longer be checked");
    else if (categories !== null && declared.categories === null)
      changes.push(`categories: ${categories.length} listed, new categories will be checked`);
    else if (categories !== null && declared.categories !== null && !sameList(declared.categories, categories))
      changes.push(`categories: ${listDiff(declared.categories, categories)}`);
  }
  return changes;
}

export function proposeFeatures(
  profile: ReferenceProfile,
  rowCount: number,
  declared: readonly DeclaredFeature[],
): FeatureProposal {
  const byName = new Map(declared.map((d) => [d.name, d]));
  const features: ProposedFeature[] = [];
  const undetermined: string[] = [];
  for (const column of profile.columns) {
    if (column.type === null) {
      undetermined.push(column.name);
      continue;
    }
    const categories = column.type === "categorical" ? column.categories : null;
    const current = byName.get(column.name);
    const changes = current ? changesOf(current, column.type, categories) : [];
    features.push({
      name: column.name,
      kind: column.type,
      categories,
      distinct: column.distinct,
      missingShare: rowCount > 0 ? column.missing / rowCount : 0,
      status: !current ? "new" : changes.length > 0 ? "changed" : "unchanged",
      changes,
      important: current?.important ?? false,
    });
  }
  const inReference = new Set(profile.columns.map((c) => c.name));
  return {
    features,
    undetermined,
    notInReference: declared.filter((d) => !inReference.has(d.name)).map((d) => d.name),
  };
}
