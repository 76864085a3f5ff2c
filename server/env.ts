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
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  /**
   * Encrypts secrets kept at rest (webhook signing secrets, TOTP secrets). Unset: derived from AUTH_SECRET.
   * Set it separately to rotate session signing without losing what was encrypted.
   */
  RATCHET_ENCRYPTION_KEY: z.string().min(32, "RATCHET_ENCRYPTION_KEY must be at least 32 characters").optional(),
  RATCHET_DEMO_DATA: z.enum(["on", "off"]).default("on"),
  /** `off` stops this process from sending webhooks (e.g. when a separate worker instance does it). */
  RATCHET_WEBHOOK_WORKER: z.enum(["on", "off"]).default("on"),
  RATCHET_WEBHOOK_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /**
   * Worker threads for heavy statistics (report intervals, paired comparisons, the gate's paired test).
   * Default: one fewer than the CPUs, at most 4, at least 1 — the event loop (and an embedded PGlite)
   * keeps a core, and each thread may hold two large reports in memory. 0 runs them in-process.
   */
  RATCHET_STATS_THREADS: z.coerce.number().int().min(0).max(64).default(Math.max(1, Math.min(4, availableParallelism() - 1))),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type Env = z.infer<typeof schema> & { AUTH_SECRET: string; databaseKind: "pglite" | "postgres" };

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
    AUTH_SECRET: source.AUTH_SECRET || undefined,
    RATCHET_ENCRYPTION_KEY: source.RATCHET_ENCRYPTION_KEY || undefined,
    RATCHET_WEBHOOK_INTERVAL_MS: source.RATCHET_WEBHOOK_INTERVAL_MS || undefined,
    RATCHET_STATS_THREADS: source.RATCHET_STATS_THREADS || undefined,
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
  return { ...e, AUTH_SECRET: secret, databaseKind };
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= loadEnv();
  return cached;
}
