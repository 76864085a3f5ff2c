import { wilsonInterval } from "@/server/stats";

/**
 * Online evidence: how each traffic arm did on production predictions that reviewers labeled. The
 * monitoring (prediction log, traffic arms) and feedback (reviewer labels) capabilities will supply the
 * counts; until then compareVersions returns `online: null` and the page shows an empty "Online
 * evidence" panel. This is the contract those capabilities fill in.
 */
export type TrafficArm = "champion" | "challenger" | "shadow" | "canary";

export interface OnlineArm {
  arm: TrafficArm;
  /** The model version that served (or shadowed) this arm. */
  version: number;
  /** Predictions of this arm that a reviewer labeled (skipped and unsure labels excluded). */
  labeled: number;
  /** Of those, how many the model got right. */
  correct: number;
  accuracy: number;
  /** Wilson score interval at 95 %: honest for small counts and for accuracies near 0 or 1. */
  ci: [number, number];
}

export interface OnlineEvidence {
  /** The window of prediction times the labels cover. */
  window: { from: Date; to: Date };
  arms: OnlineArm[];
}

/** Shapes one arm's counts; the only maths is the engine's Wilson interval. Null without labels. */
export function onlineArm(arm: TrafficArm, version: number, correct: number, labeled: number): OnlineArm | null {
  if (labeled <= 0) return null;
  return { arm, version, labeled, correct, accuracy: correct / labeled, ci: wilsonInterval(correct, labeled) };
}
