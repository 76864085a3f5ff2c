/**
 * Prediction-log helpers for integration tests: batches go through the route handler itself (API key,
 * parsing, ingest), as a serving system's would.
 */
import { eq } from "drizzle-orm";
import { POST } from "@/app/api/v1/predictions/route";
import type { Db } from "@/db/client";
import { incrementalWindowsSince } from "@/db/schema";

/** POST /api/v1/predictions with a JSON batch and an API key holding `predictions:write`. */
export function postPredictions(key: string, predictions: readonly unknown[]): Promise<Response> {
  return POST(
    new Request("http://test/api/v1/predictions", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ predictions }),
    }),
    { params: Promise.resolve({}) },
  );
}

/**
 * As if partial states had been stored since long before the test's rows (migration 0022 records when
 * they began: the test database's creation). Tests of incremental windows post rows dated in the past.
 */
export async function partialsStoredSince(db: Db, since = new Date("2026-01-01T00:00:00Z")): Promise<void> {
  await db.update(incrementalWindowsSince).set({ since }).where(eq(incrementalWindowsSince.id, 1));
}
