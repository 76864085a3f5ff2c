/** The webhook event types (a closed set); apart from events.ts so forms can list them without the database. */
export const EVENT_TYPES = [
  "version.created",
  "version.archived",
  "version.unarchived",
  "release.requested",
  "release.approved",
  "release.rejected",
  "release.rolled_back",
  "requirement.changed",
  "user.roles_changed",
  /** A model version's reference data was set or replaced (drift is measured against it from now on). */
  "reference.changed",
  /** A model's declared features changed (ingestion checks traffic against them). */
  "features.changed",
  "alert.opened",
  "alert.resolved",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
