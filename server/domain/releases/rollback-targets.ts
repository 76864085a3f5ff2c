/**
 * Pure rules for rollbacks. A rollback skips the gate and the second person, so it may only return to a
 * version that already passed them once: one that has been champion, through an approved full release or
 * an earlier rollback. Everything else goes through a request and a manager's decision.
 */
export interface ChampionChange {
  kind: "promote" | "rollback";
  fromVersionId: string | null;
  toVersionId: string;
  toVersion: number;
  effectiveAt: Date;
}

export interface RollbackTarget {
  versionId: string;
  version: number;
  /** When its most recent reign began. */
  lastChampionAt: Date;
  /** Its most recent reign ended with a rollback away from it: it is never the default. */
  rolledBackFrom: boolean;
}

export interface RollbackTargets {
  /** Former champions other than the current one, most recent reign first. */
  eligible: RollbackTarget[];
  /** The most recent earlier champion that was not itself rolled back from, or null. */
  defaultTarget: RollbackTarget | null;
}

/**
 * Over the approved full releases of one model (promotions and rollbacks, any order), which versions a
 * rollback may return to. Two rollbacks in a row go further back: the version just rolled back from is
 * skipped as the default.
 */
export function rollbackTargets(changes: ChampionChange[], currentVersionId: string | null): RollbackTargets {
  const reigns = [...changes].sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime());
  const latest = new Map<string, RollbackTarget>();
  for (const [i, c] of reigns.entries()) {
    const next = reigns[i + 1];
    latest.set(c.toVersionId, {
      versionId: c.toVersionId,
      version: c.toVersion,
      lastChampionAt: c.effectiveAt,
      rolledBackFrom: next?.kind === "rollback" && next.fromVersionId === c.toVersionId,
    });
  }
  const eligible = [...latest.values()]
    .filter((t) => t.versionId !== currentVersionId)
    .sort((a, b) => b.lastChampionAt.getTime() - a.lastChampionAt.getTime());
  return { eligible, defaultTarget: eligible.find((t) => !t.rolledBackFrom) ?? null };
}

/** Why a version cannot be rolled back to, in words for the person who asked. */
export function notAFormerChampion(version: number): string {
  return `v${version} was never champion; release it through a request and a manager's decision`;
}
