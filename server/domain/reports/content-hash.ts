import { createHash, type Hash } from "node:crypto";

/** JSON with object keys sorted at every level and undefined left out: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

const FLUSH_ROWS = 4096;

/**
 * sha256 of a report: the canonical JSON of everything but the outcomes, then one canonical line per
 * outcome, fed as they arrive. JSON and NDJSON postings of the same report hash alike, which is what
 * makes a repeated post idempotent whichever way it is sent. Rows are batched into one update per
 * few thousand because a million tiny updates cost more than the hashing itself.
 */
export class ReportHasher {
  private readonly hash: Hash = createHash("sha256");
  private pending: string[] = [];
  private result: string | null = null;

  constructor(header: Record<string, unknown>) {
    this.hash.update(canonicalJson(header));
    this.hash.update("\n");
  }

  addRow(id: string, label: number, prediction: number, score: number | undefined): void {
    if (this.result !== null) throw new Error("ReportHasher: row added after digest");
    this.pending.push(`${JSON.stringify(id)},${label},${prediction},${score ?? ""}\n`);
    if (this.pending.length >= FLUSH_ROWS) this.flush();
  }

  /** The hex digest; rows added after the first call are refused. */
  digest(): string {
    if (this.result === null) {
      this.flush();
      this.result = this.hash.digest("hex");
    }
    return this.result;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.hash.update(this.pending.join(""));
    this.pending = [];
  }
}
