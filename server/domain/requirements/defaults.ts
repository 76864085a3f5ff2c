/** The schema's defaults for the evidence minimums, for sets that do not say. Kept apart (no imports) so forms can load it. */
export const EVIDENCE_DEFAULTS = { minOutcomes: 200, minAucClassCount: 20 } as const;
