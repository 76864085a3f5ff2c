"use client";
import { useState } from "react";
import type { AlertRuleParams } from "@/server/domain/alerts/params";
import type { RouterOutputs } from "../../../../_components/trpc";
import { Badge, Button, Table } from "../../../../_components/ui";
import { KIND_LABELS, RuleForm } from "./rule-form";

type Rule = RouterOutputs["alerts"]["rules"][number];

/** A rule's settings in words. */
export function describeRule(rule: Rule): string {
  const p = rule.params as AlertRuleParams;
  const features =
    "features" in p ? (Array.isArray(p.features) ? p.features.join(", ") : `${p.features} features`) : "";
  const windows = `on ${rule.granularity === "hour" ? "hourly" : rule.granularity === "day" ? "daily" : "weekly"} windows`;
  switch (p.kind) {
    case "feature_drift":
      return `drift in ${features}, ${windows}`;
    case "data_quality":
      return `${p.measure.replaceAll("_", " ")} above ${p.limit * 100}% in ${features}, ${windows}`;
    case "latency_p95":
      return `latency p95 above ${p.limitMs} ms, ${windows}`;
    case "model_age":
      return `champion older than ${p.maxDays} days (checked hourly)`;
    case "nowtest_floor":
      return "the champion's newest now-test against the active requirements (checked hourly)";
    case "live_accuracy":
      return `the champion's live accuracy on its newest ${p.lastLabels} labels against the accuracy floor (checked as labels arrive, and hourly)`;
    default:
      return `${KIND_LABELS[p.kind]}, ${windows}`;
  }
}

/** The model's rules; data scientists edit one in place. */
export function RulesList({ model, rules, canConfigure }: { model: string; rules: Rule[]; canConfigure: boolean }) {
  const [editing, setEditing] = useState<string | null>(null);
  if (rules.length === 0) return <p className="text-sm text-slate-600">No alert rules yet: nothing is watched.</p>;
  return (
    <Table label="Alert rules">
      <thead>
        <tr>
          <th>Rule</th>
          <th>Watches</th>
          <th>Severity</th>
          <th>Email</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rules.map((r) =>
          editing === r.id ? (
            <tr key={r.id}>
              <td colSpan={5}>
                <RuleForm model={model} rule={r} onDone={() => setEditing(null)} />
              </td>
            </tr>
          ) : (
            <tr key={r.id}>
              <td>
                {r.name} {!r.enabled && <Badge variant="neutral">disabled</Badge>}
              </td>
              <td className="text-xs">
                {describeRule(r)}
                {r.autoResolve ? "; resolves by itself" : "; resolved by a person only"}
              </td>
              <td>
                <Badge variant={r.severity === "critical" ? "missed" : "warning"}>{r.severity}</Badge>
              </td>
              <td className="text-xs">{r.emailRecipients.join(", ") || "—"}</td>
              <td>
                {canConfigure && (
                  <Button variant="secondary" onClick={() => setEditing(r.id)} aria-label={`Edit ${r.name}`}>
                    Edit
                  </Button>
                )}
              </td>
            </tr>
          ),
        )}
      </tbody>
    </Table>
  );
}
