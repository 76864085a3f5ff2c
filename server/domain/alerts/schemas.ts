import { z } from "zod";
import { ALERT_SEVERITIES, ALERT_STATUSES } from "../enums";
import { modelName } from "../registry/schemas";
import { alertRuleParams } from "./params";

export { ALERT_SEVERITIES, ALERT_STATUSES };

export const saveAlertRuleInput = z.object({
  model: modelName,
  /** Absent: a new rule. */
  id: z.uuid().optional(),
  name: z.string().trim().min(3, "at least 3 characters").max(200, "at most 200 characters"),
  severity: z.enum(ALERT_SEVERITIES),
  params: alertRuleParams,
  /** The window granularity a window rule judges (ignored by age and now-test rules). */
  granularity: z.enum(["hour", "day", "week"]).default("day"),
  autoResolve: z.boolean().default(true),
  emailRecipients: z.array(z.email("a valid email address")).max(20, "at most 20 recipients").default([]),
  enabled: z.boolean().default(true),
});
export type SaveAlertRuleInput = z.input<typeof saveAlertRuleInput>;

/** A person's note on what they did: required, so the record says why. */
const note = z
  .string()
  .trim()
  .min(3, "say what you did or why (at least 3 characters)")
  .max(2000, "at most 2000 characters");

export const alertActionInput = z.object({ alertId: z.uuid(), note });
export type AlertActionInput = z.input<typeof alertActionInput>;

/** `unresolved` (the default view) is open and acknowledged together. */
export const ALERT_FILTERS = ["unresolved", ...ALERT_STATUSES, "all"] as const;
export type AlertFilter = (typeof ALERT_FILTERS)[number];

export const listAlertsInput = z.object({
  model: modelName.optional(),
  status: z.enum(ALERT_FILTERS).default("unresolved"),
  offset: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListAlertsInput = z.input<typeof listAlertsInput>;
