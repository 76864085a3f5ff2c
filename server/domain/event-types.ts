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
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
