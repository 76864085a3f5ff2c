import { RateLimiterDrizzle, type RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "@/db/client";
import { rateLimits } from "@/db/schema";

/**
 * Sign-in throttling, counted in the database (rate_limits) so every instance sharing it sees the same
 * counters. Only failures consume points; a success clears the account's counter, so people who sign in
 * often (and the e2e suite) are never slowed down.
 */
export const THROTTLE = {
  account: { points: 5, durationSeconds: 15 * 60 },
  address: { points: 30, durationSeconds: 15 * 60 },
} as const;

export type ThrottleScope = keyof typeof THROTTLE;
export interface Throttled {
  scope: ThrottleScope;
  retryAfterSeconds: number;
}

const limiters = new WeakMap<Db, Record<ThrottleScope, RateLimiterDrizzle>>();

function limitersFor(db: Db) {
  let found = limiters.get(db);
  if (!found) {
    const make = (scope: ThrottleScope) =>
      new RateLimiterDrizzle({
        storeClient: db,
        schema: rateLimits,
        keyPrefix: `signin-${scope}`,
        points: THROTTLE[scope].points,
        duration: THROTTLE[scope].durationSeconds,
      });
    found = { account: make("account"), address: make("address") };
    limiters.set(db, found);
  }
  return found;
}

const accountKey = (email: string) => email.trim().toLowerCase();

/** Whether the next attempt must be refused, without counting it: checked before any password is compared. */
export async function throttleStatus(db: Db, email: string, address: string | null): Promise<Throttled | null> {
  const l = limitersFor(db);
  const [account, byAddress] = await Promise.all([
    l.account.get(accountKey(email)),
    address === null ? null : l.address.get(address),
  ]);
  for (const [scope, res] of [
    ["account", account],
    ["address", byAddress],
  ] as const) {
    if (res && res.consumedPoints >= THROTTLE[scope].points) {
      return { scope, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
    }
  }
  return null;
}

const ignoreRejection = (p: Promise<RateLimiterRes>) => p.catch(() => undefined);

export async function recordSignInFailure(db: Db, email: string, address: string | null): Promise<void> {
  const l = limitersFor(db);
  await Promise.all([
    ignoreRejection(l.account.consume(accountKey(email))),
    address === null ? undefined : ignoreRejection(l.address.consume(address)),
  ]);
}

export async function recordSignInSuccess(db: Db, email: string): Promise<void> {
  await limitersFor(db).account.delete(accountKey(email));
}

/** What the person is told, on the sign-in page and in the 429 body. */
export function throttleMessage(t: Throttled): string {
  const minutes = Math.ceil(t.retryAfterSeconds / 60);
  const wait = `Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  return t.scope === "account"
    ? `Too many failed sign-ins for this account. ${wait}`
    : `Too many failed sign-ins from your network address. ${wait}`;
}
