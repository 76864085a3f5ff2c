import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";

/**
 * The one place that reads process.env. Everything else imports `env`.
 * Embedded mode (no DATABASE_URL) gets safe defaults so `npm start` works on a fresh machine;
 * server mode in production refuses to start without a real secret.
 */
const schema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /**
   * The schema owner, for migrations only; DATABASE_URL is then a less privileged role (e.g. one that may
   * only INSERT and SELECT on audit_log). Unset: migrations run as DATABASE_URL.
   */
  MIGRATION_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  /**
   * Encrypts secrets kept at rest (webhook signing secrets, TOTP secrets). Unset: derived from AUTH_SECRET.
   * Set it separately to rotate session signing without losing what was encrypted.
   */
  RATCHET_ENCRYPTION_KEY: z.string().min(32, "RATCHET_ENCRYPTION_KEY must be at least 32 characters").optional(),
  /**
   * Unset: on in embedded mode (a one-machine try-out wants the demo), off on PostgreSQL in production,
   * where the demo accounts' published passwords would be a back door on a fresh database.
   */
  RATCHET_DEMO_DATA: z.enum(["on", "off"]).optional(),
  /** `off` stops this process from sending webhooks (e.g. when a separate worker instance does it). */
  RATCHET_WEBHOOK_WORKER: z.enum(["on", "off"]).default("on"),
  /**
   * `on` lets webhooks reach loopback, private and link-local addresses (tests, receivers on an internal
   * network). Off by default: a webhook URL must not become a way into the server's own network.
   */
  RATCHET_WEBHOOK_ALLOW_PRIVATE: z.enum(["on", "off"]).default("off"),
  /** `on` allows http:// webhook URLs in production (https only otherwise). */
  RATCHET_WEBHOOK_ALLOW_HTTP: z.enum(["on", "off"]).default("off"),
  RATCHET_WEBHOOK_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** Reports ingested at once by this instance; more get 503 with Retry-After rather than exhausting memory. */
  RATCHET_MAX_CONCURRENT_INGESTIONS: z.coerce.number().int().min(1).max(64).default(2),
  /** `managers`: managers and admins must enable a TOTP second factor before they can do anything else. */
  RATCHET_REQUIRE_MFA: z.enum(["off", "managers"]).default("off"),
  /**
   * `on` when a reverse proxy sets X-Forwarded-For: sign-in throttling then counts per the address the proxy
   * saw. Off, a client could name any address in that header, so only the address Next itself recorded counts.
   */
  RATCHET_TRUST_PROXY: z.enum(["on", "off"]).default("off"),
  /** Embedded PGlite on a worker thread of its own, so its statements never hold the event loop. */
  RATCHET_PGLITE_THREAD: z.enum(["on", "off"]).default("on"),
  /**
   * The public address (e.g. https://ratchet.example.com) every absolute URL uses, whatever Host a request
   * carries. Unset: the Host a request came with (X-Forwarded-Host/-Proto behind a trusted proxy).
   */
  AUTH_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Worker threads for heavy statistics (report intervals, paired comparisons, the gate's paired test).
   * Default: one fewer than the CPUs, at most 4, at least 1 — the event loop (and an embedded PGlite)
   * keeps a core, and each thread may hold two large reports in memory. 0 runs them in-process.
   */
  RATCHET_STATS_THREADS: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(Math.max(1, Math.min(4, availableParallelism() - 1))),
  /**
   * Raw predictions are kept this many days, then dropped a whole day's partition at a time by the
   * maintenance worker (window aggregates are kept apart from the raw rows).
   */
  RATCHET_PREDICTION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** `off` stops this instance from running upkeep (prediction partitions, retention, expired idempotency keys). */
  RATCHET_MAINTENANCE_WORKER: z.enum(["on", "off"]).default("on"),
  /**
   * `off` stops this instance from running jobs at all (webhooks, monitoring windows, upkeep): for web-only
   * instances when other instances do the work. Each kind can also be switched off on its own.
   */
  RATCHET_JOBS_WORKER: z.enum(["on", "off"]).default("on"),
  /** How often an idle job worker looks for due jobs. */
  RATCHET_JOBS_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  /** `off` stops this instance from computing monitoring windows (other instances still do). */
  RATCHET_MONITORING_WORKER: z.enum(["on", "off"]).default("on"),
  /**
   * How long after rows arrive their windows are recomputed: rows arriving meanwhile join the same
   * computation, so a steady stream costs one computation per window per delay, not one per batch.
   */
  RATCHET_MONITORING_DEBOUNCE_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  /** After a window ends, how long late rows still change it; computed then, the window is final. */
  RATCHET_MONITORING_LATE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400_000)
    .default(600_000),
  /** KS and Wasserstein are exact up to this many rows per side; above it they run on a seeded uniform sample of it. */
  RATCHET_MONITORING_EXACT_ROWS: z.coerce.number().int().min(1_000).max(5_000_000).default(100_000),
  /**
   * Nice value (0–19) of the statistics and ingestion worker threads: on a busy machine the thread that
   * answers requests (nice 0) wins the CPU over a bootstrap or a million-line parse. Linux sets it per
   * thread; 0 leaves them equal.
   */
  RATCHET_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * Who exported labels name as their reviewer: `pseudonym` (a keyed HMAC of the user id, the same for the
   * same person) or `identity` (the user id itself).
   */
  RATCHET_EXPORT_REVIEWERS: z.enum(["pseudonym", "identity"]).default("pseudonym"),
  /** Key of the reviewer pseudonyms. Unset: derived from AUTH_SECRET (then rotating it changes them). */
  RATCHET_PSEUDONYM_KEY: z.string().min(32, "RATCHET_PSEUDONYM_KEY must be at least 32 characters").optional(),
  /** `smtp://user:pass@host:587` or `smtps://…`: alert emails are sent through it. Unset: no alert email. */
  RATCHET_SMTP_URL: z.url({ protocol: /^smtps?$/, error: "an smtp:// or smtps:// URL" }).optional(),
  /** The sender of alert emails. */
  RATCHET_ALERT_EMAIL_FROM: z.string().min(3).max(300).default("Ratchet <ratchet@localhost>"),
  /** `off` stops this instance's alert worker (alert email, and the hourly age and now-test check). */
  RATCHET_ALERT_WORKER: z.enum(["on", "off"]).default("on"),
  /**
   * How long a reviewer's claim on a review item lasts without a renewal (the labeling page renews it
   * every minute while open); after that another reviewer may take the item.
   */
  RATCHET_REVIEW_LEASE_MINUTES: z.coerce.number().int().min(1).max(240).default(10),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type Env = Omit<z.infer<typeof schema>, "RATCHET_DEMO_DATA"> & {
  AUTH_SECRET: string;
  RATCHET_DEMO_DATA: "on" | "off";
  databaseKind: "pglite" | "postgres";
};

export class EnvError extends Error {}

function embeddedSecret(pgliteDir: string): string {
  // Kept beside the embedded database so sessions survive restarts of a one-machine install.
  const file = path.join(path.dirname(path.resolve(pgliteDir)), "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse({
    ...source,
    DATABASE_URL: source.DATABASE_URL || undefined,
    MIGRATION_DATABASE_URL: source.MIGRATION_DATABASE_URL || undefined,
    AUTH_SECRET: source.AUTH_SECRET || undefined,
    RATCHET_ENCRYPTION_KEY: source.RATCHET_ENCRYPTION_KEY || undefined,
    RATCHET_WEBHOOK_INTERVAL_MS: source.RATCHET_WEBHOOK_INTERVAL_MS || undefined,
    RATCHET_DEMO_DATA: source.RATCHET_DEMO_DATA || undefined,
    RATCHET_MAX_CONCURRENT_INGESTIONS: source.RATCHET_MAX_CONCURRENT_INGESTIONS || undefined,
    RATCHET_REQUIRE_MFA: source.RATCHET_REQUIRE_MFA || undefined,
    RATCHET_TRUST_PROXY: source.RATCHET_TRUST_PROXY || undefined,
    RATCHET_PGLITE_THREAD: source.RATCHET_PGLITE_THREAD || undefined,
    AUTH_URL: source.AUTH_URL || undefined,
    RATCHET_STATS_THREADS: source.RATCHET_STATS_THREADS || undefined,
    RATCHET_PREDICTION_RETENTION_DAYS: source.RATCHET_PREDICTION_RETENTION_DAYS || undefined,
    RATCHET_MAINTENANCE_WORKER: source.RATCHET_MAINTENANCE_WORKER || undefined,
    RATCHET_JOBS_WORKER: source.RATCHET_JOBS_WORKER || undefined,
    RATCHET_JOBS_INTERVAL_MS: source.RATCHET_JOBS_INTERVAL_MS || undefined,
    RATCHET_MONITORING_WORKER: source.RATCHET_MONITORING_WORKER || undefined,
    RATCHET_MONITORING_DEBOUNCE_MS: source.RATCHET_MONITORING_DEBOUNCE_MS || undefined,
    RATCHET_MONITORING_LATE_MS: source.RATCHET_MONITORING_LATE_MS || undefined,
    RATCHET_MONITORING_EXACT_ROWS: source.RATCHET_MONITORING_EXACT_ROWS || undefined,
    RATCHET_WORKER_NICE: source.RATCHET_WORKER_NICE || undefined,
    RATCHET_EXPORT_REVIEWERS: source.RATCHET_EXPORT_REVIEWERS || undefined,
    RATCHET_PSEUDONYM_KEY: source.RATCHET_PSEUDONYM_KEY || undefined,
    RATCHET_SMTP_URL: source.RATCHET_SMTP_URL || undefined,
    RATCHET_ALERT_EMAIL_FROM: source.RATCHET_ALERT_EMAIL_FROM || undefined,
    RATCHET_ALERT_WORKER: source.RATCHET_ALERT_WORKER || undefined,
    RATCHET_REVIEW_LEASE_MINUTES: source.RATCHET_REVIEW_LEASE_MINUTES || undefined,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Ratchet cannot start: invalid environment\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const databaseKind = e.DATABASE_URL ? "postgres" : "pglite";
  let secret = e.AUTH_SECRET;
  if (!secret) {
    if (databaseKind === "postgres" && e.NODE_ENV === "production") {
      throw new EnvError(
        "Ratchet cannot start: AUTH_SECRET is not set. With DATABASE_URL in production every instance " +
          "must share one secret: generate one with `openssl rand -base64 32` and set AUTH_SECRET.",
      );
    }
    secret = embeddedSecret(e.PGLITE_DIR);
  }
  const demoData = e.RATCHET_DEMO_DATA ?? (databaseKind === "postgres" && e.NODE_ENV === "production" ? "off" : "on");
  return { ...e, AUTH_SECRET: secret, RATCHET_DEMO_DATA: demoData, databaseKind };
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= loadEnv();
  return cached;
}

/**
 * Production build or not, without validating the rest: the request proxy needs only this, and must not
 * fail (or write the embedded secret) because some unrelated setting is missing. Next inlines NODE_ENV.
 */
export function isProduction(): boolean {
  return process.env.NODE_ENV === "production";
}
