import { REPORT_KINDS, reportKind } from "@/server/domain/requirements/schemas";

/** The report kinds a requirement set may require and a requirement may name: every kind but the baseline. */
export const KINDS = REPORT_KINDS.filter((k) => k !== "baseline");
export const gateKind = reportKind.exclude(["baseline"]);
export type Kind = (typeof KINDS)[number];
