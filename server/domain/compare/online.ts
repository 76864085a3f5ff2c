import { wilsonInterval } from "@/server/stats";
import type { SharedTrafficAccuracy } from "../feedback-accuracy/shared-traffic";
import type { OnlineTraffic } from "./online-traffic";

/**
 * Online evidence: production traffic of both versions (outputs, latency, disagreement; online-traffic.ts)
 * and, from reviewers' labels, both versions' accuracy on the requests they both answered with the paired
 * difference (feedback-accuracy/shared-traffic.ts; null for regression, where accuracy is not defined).
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
  /** The window of production traffic shown; null when only labels exist (no shadow or canary traffic). */
  window: { from: Date; to: Date } | null;
  /** Labeled accuracy per arm; empty until reviewers label production predictions ("not measured"). */
  arms: OnlineArm[];
  /** Shadow or canary traffic without labels: outputs, latency, disagreement with the champion. */
  traffic: OnlineTraffic | null;
  /** Both versions' labeled accuracy on the requests both answered, and the paired difference. */
  shared: SharedTrafficAccuracy | null;
}

/** Shapes one arm's counts; the only maths is the engine's Wilson interval. Null without labels. */
export function onlineArm(arm: TrafficArm, version: number, correct: number, labeled: number): OnlineArm | null {
  if (labeled <= 0) return null;
  return { arm, version, labeled, correct, accuracy: correct / labeled, ci: wilsonInterval(correct, labeled) };
}
