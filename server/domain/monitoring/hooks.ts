import type { Db } from "@/db/client";
import type { WindowSummary } from "./window-summary";

/** What a window hook is told: the stored window, after its row was written (and committed). */
export interface ComputedWindow {
  windowId: string;
  modelVersionId: string;
  summary: WindowSummary;
}

export type WindowHook = (db: Db, window: ComputedWindow) => Promise<void>;

const holder = globalThis as unknown as { ratchetWindowHooks?: Set<WindowHook> };
const hooks = () => (holder.ratchetWindowHooks ??= new Set());

/**
 * Registers a function to run after each monitoring window is stored (e.g. the alert rules'
 * `evaluateAlertsForWindow`). Returns a function that unregisters it. Registering the same function
 * twice runs it once.
 */
export function afterWindowComputed(hook: WindowHook): () => void {
  hooks().add(hook);
  return () => void hooks().delete(hook);
}

/**
 * Runs every registered hook, in registration order. A hook that throws fails the window job (which is
 * retried, recomputing the window idempotently), so a hook must be idempotent too.
 */
export async function runWindowHooks(db: Db, window: ComputedWindow): Promise<void> {
  for (const hook of [...hooks()]) await hook(db, window);
}
