import type { RouterOutputs } from "../../../_components/trpc";

/** The fields of a release that say what deciding it does. */
export type ReleaseSummary = Pick<
  RouterOutputs["releases"]["byId"],
  "id" | "model" | "toVersion" | "fromVersion" | "strategy" | "share"
>;

/** What approving or rejecting a release does to the model's stages, in one sentence for the confirmation. */
export function releaseOutcome(r: ReleaseSummary, decision: "approve" | "reject"): string {
  const champion = r.fromVersion === null ? "there is no champion yet" : `v${r.fromVersion} stays champion`;
  if (decision === "reject") return `Nothing changes in production: ${champion}, and v${r.toVersion} is not released.`;
  switch (r.strategy) {
    case "full":
      return r.fromVersion === null
        ? `v${r.toVersion} becomes the champion of ${r.model} and serves all traffic.`
        : `v${r.toVersion} becomes the champion of ${r.model} and serves all traffic; v${r.fromVersion} is retired.`;
    case "canary":
      return `v${r.toVersion} becomes the challenger and serves ${Math.round((r.share ?? 0) * 100)} % of traffic as a canary; ${champion}.`;
    case "shadow":
      return `v${r.toVersion} becomes the challenger in shadow: it sees live traffic but its predictions are not served; ${champion}.`;
  }
}
