import type { CheckResult } from "@/server/domain/gate/gate";

/**
 * Turns a gate check's details (records whose fields differ per check, and which are stored with each
 * release, so older shapes must still read) into a table a person can read: columns named in words,
 * numbers formatted, p-values as "p < 0.001", verdicts as badges. Unknown fields still show, with their
 * name spelled out, so nothing the gate recorded is hidden.
 */
export type Verdict = "met" | "missed" | "notMeasured";

export type Cell =
  | { kind: "text"; text: string; mono?: boolean }
  | { kind: "verdict"; verdict: Verdict; text: string }
  | { kind: "metric"; metric: string }
  | { kind: "link"; text: string; href: string };

export interface DetailTable {
  columns: { key: string; header: string }[];
  rows: Cell[][];
}

type Row = Record<string, unknown>;

const EMPTY: Cell = { kind: "text", text: "—" };

/** A number as people read it: grouped thousands, at most four decimals for rates and scores. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const digits = Number.isInteger(x) ? 0 : abs >= 100 ? 1 : abs >= 1 ? 3 : 4;
  return x.toLocaleString("en", { maximumFractionDigits: digits });
}

/** A p-value as a statistician writes it: never "0", and "p < 0.001" below the precision shown. */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "no p-value";
  if (p < 0.001) return "p < 0.001";
  return `p = ${p.toFixed(3)}`;
}

const signed = (x: number) => (x > 0 ? `+${formatNumber(x)}` : x < 0 ? `−${formatNumber(-x)}` : "0");
const num = (v: unknown): Cell =>
  typeof v === "number" ? { kind: "text", text: formatNumber(v), mono: true } : text(v);
const text = (v: unknown): Cell =>
  v === null || v === undefined || v === "" ? EMPTY : { kind: "text", text: String(v) };
const yesNo = (v: unknown, yes: string, no: string): Cell =>
  typeof v === "boolean" ? { kind: "verdict", verdict: v ? "met" : "missed", text: v ? yes : no } : EMPTY;

/** The verdict a check's status stands for, in the check's own words. */
export function verdictOf(status: unknown, checkId?: string, row?: Row): { verdict: Verdict; text: string } {
  if (status === "pass") return { verdict: "met", text: checkId === "champion" ? "not worse" : "met" };
  if (status === "fail") return { verdict: "missed", text: checkId === "champion" ? "worse" : "missed" };
  // A number that did not count (posted, too few outcomes) is not "not measured": it is not enough evidence.
  const measured = row !== undefined && [row.value, row.challenger].some((v) => typeof v === "number");
  return { verdict: "notMeasured", text: measured ? "not enough evidence" : "not measured" };
}

interface Column {
  header: string;
  /** Fields this column reads; it shows when any row has one of them. */
  reads: string[];
  cell: (row: Row, checkId: string) => Cell;
}

/** Known fields in the order they read best; a field read by a column is not repeated as its own column. */
const COLUMNS: Column[] = [
  {
    header: "Result",
    reads: ["status"],
    cell: (r, id) => (r.status === undefined ? EMPTY : { kind: "verdict", ...verdictOf(r.status, id, r) }),
  },
  {
    header: "Metric",
    reads: ["metric"],
    cell: (r) => (typeof r.metric === "string" ? { kind: "metric", metric: r.metric } : EMPTY),
  },
  {
    header: "Required",
    reads: ["floor", "direction"],
    cell: (r) =>
      typeof r.floor === "number"
        ? { kind: "text", text: `${r.direction === "lower" ? "at most" : "at least"} ${formatNumber(r.floor)}` }
        : EMPTY,
  },
  { header: "Alert", reads: ["title"], cell: (r) => text(r.title) },
  { header: "Baseline", reads: ["baseline"], cell: (r) => text(r.baseline) },
  {
    header: "Report",
    reads: ["reportKind", "kind", "reportId"],
    cell: (r) => {
      const kind = r.reportKind ?? r.kind;
      if (kind === null || kind === undefined) return EMPTY;
      return typeof r.reportId === "string"
        ? { kind: "link", text: String(kind), href: `/reports/${r.reportId}` }
        : text(kind);
    },
  },
  { header: "Present", reads: ["present"], cell: (r) => yesNo(r.present, "present", "missing") },
  { header: "Slice", reads: ["slice"], cell: (r) => (r.slice === "" ? { kind: "text", text: "all" } : text(r.slice)) },
  { header: "Period", reads: ["period"], cell: (r) => text(r.period) },
  { header: "Value", reads: ["value"], cell: (r) => num(r.value) },
  {
    header: "Judged on",
    reads: ["judged", "usedInterval"],
    cell: (r) =>
      typeof r.judged === "number"
        ? {
            kind: "text",
            text: `${formatNumber(r.judged)}${r.usedInterval ? (r.direction === "lower" ? " (interval's high end)" : " (interval's low end)") : ""}`,
          }
        : EMPTY,
  },
  { header: "Target", reads: ["meetsTarget"], cell: (r) => yesNo(r.meetsTarget, "reached", "not yet") },
  { header: "This version", reads: ["challenger", "model"], cell: (r) => num(r.challenger ?? r.model) },
  { header: "Champion", reads: ["champion"], cell: (r) => num(r.champion) },
  { header: "Baseline value", reads: ["baselineValue"], cell: (r) => num(r.baselineValue) },
  { header: "Beats it", reads: ["beats"], cell: (r) => yesNo(r.beats, "yes", "no") },
  {
    header: "Difference",
    reads: ["difference"],
    cell: (r) => (typeof r.difference === "number" ? { kind: "text", text: signed(r.difference), mono: true } : EMPTY),
  },
  {
    header: "95% interval",
    reads: ["ciLow", "ciHigh"],
    cell: (r) =>
      typeof r.ciLow === "number" && typeof r.ciHigh === "number"
        ? { kind: "text", text: `${signed(r.ciLow)} to ${signed(r.ciHigh)}`, mono: true }
        : EMPTY,
  },
  {
    header: "p-value",
    reads: ["pValue"],
    cell: (r) => ({ kind: "text", text: formatPValue(r.pValue as number | null) }),
  },
  { header: "Matched examples", reads: ["matched"], cell: (r) => num(r.matched) },
  { header: "Verdict", reads: ["verdict"], cell: (r) => text(r.verdict) },
  { header: "Method", reads: ["method"], cell: (r) => text(r.method) },
  { header: "Evidence", reads: ["evidence"], cell: (r) => text(r.evidence) },
  { header: "Note", reads: ["note"], cell: (r) => text(r.note) },
];

/** Fields that repeat what a shown column says (notWorse is the status). */
const HIDDEN = new Set(["notWorse"]);

/** "baselineValue" → "Baseline value", "p_value" → "P value": a readable header for a field we do not know. */
export function spellOut(field: string): string {
  const words = field
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replaceAll("_", " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function detailTable(check: Pick<CheckResult, "id" | "details">): DetailTable {
  const rows = check.details;
  const present = new Set(rows.flatMap((r) => Object.keys(r).filter((k) => r[k] !== undefined)));
  const shown = COLUMNS.filter((c) => c.reads.some((f) => present.has(f)));
  const known = new Set([...COLUMNS.flatMap((c) => c.reads), ...HIDDEN]);
  const extra = [...present].filter((f) => !known.has(f));
  const columns = [
    ...shown.map((c) => ({ key: c.reads[0]!, header: c.header })),
    ...extra.map((f) => ({ key: f, header: spellOut(f) })),
  ];
  return {
    columns,
    rows: rows.map((r) => [
      ...shown.map((c) => c.cell(r, check.id)),
      ...extra.map((f) => (typeof r[f] === "boolean" ? text(r[f] ? "yes" : "no") : num(r[f]))),
    ]),
  };
}
