import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { roleEnum } from "./enums";

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  roles: roleEnum("roles")
    .array()
    .notNull()
    .default(sql`'{}'::role[]`),
  disabled: boolean("disabled").notNull().default(false),
  /**
   * Session tokens issued before this moment are refused: signing out, a password change, disabling and a
   * role change set it, so they end that person's existing sessions everywhere.
   */
  sessionsValidAfter: timestamp("sessions_valid_after", { withTimezone: true }),
  passwordChangedAt: timestamp("password_changed_at", { withTimezone: true }),
  /** Set by an admin's forced reset: the next sign-in must choose a new password before anything else. */
  passwordResetRequired: boolean("password_reset_required").notNull().default(false),
  /** TOTP secret, encrypted at rest (server/crypto); null until the person enables a second factor. */
  mfaSecret: text("mfa_secret"),
  mfaEnabledAt: timestamp("mfa_enabled_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** The first characters of the key, shown in lists so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    /** sha256 of the whole key: keys are 256-bit random, so a fast hash is enough and lookups stay O(1). */
    hash: text("hash").notNull().unique(),
    scopes: text("scopes").array().notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "restrict" }),
    /**
     * The person a key acts for: what the key registers or requests counts as theirs, so they cannot approve
     * it (four eyes through keys). Required for new keys; older keys were backfilled from created_by.
     */
    ownerUserId: uuid("owner_user_id").references(() => users.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_keys_created_at_idx").on(t.createdAt), index("api_keys_owner_idx").on(t.ownerUserId)],
);

/** One-time recovery codes for the second factor, stored hashed; a used code is marked, never reused. */
export const userRecoveryCodes = pgTable(
  "user_recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("user_recovery_codes_user_idx").on(t.userId)],
);

/**
 * Sign-in throttling counters (rate-limiter-flexible's Drizzle store): kept in the database so the limits
 * hold across every app instance sharing it.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull(),
  expire: timestamp("expire", { withTimezone: true }),
});
