/**
 * Embedded PGlite has one connection, and its queries run (WebAssembly) one at a time in arrival order.
 * A heavy request (a million-outcome report being staged, ten comparisons each reading two reports'
 * outcome columns) queues dozens of statements at once, and a page's few small queries then wait behind
 * all of them: a /models render took 0.4–1.4 s while a report was posted.
 *
 * Heavy work marks itself as background (`inBackground`); the embedded client then runs every waiting
 * foreground statement before the next background one. Background work is not starved: one that has
 * waited longer than BACKGROUND_MAX_WAIT_MS goes next. A transaction is one unit (its statements run
 * on the connection it holds). PostgreSQL servers have a pool of connections and need none of this.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { PGlite } from "@electric-sql/pglite";

export type QueryPriority = "foreground" | "background";

const priority = new AsyncLocalStorage<QueryPriority>();

/** Runs `fn` with its database statements (and those of everything it awaits) behind interactive ones. */
export function inBackground<T>(fn: () => Promise<T>): Promise<T> {
  return priority.run("background", fn);
}

export function currentPriority(): QueryPriority {
  return priority.getStore() ?? "foreground";
}

export const BACKGROUND_MAX_WAIT_MS = 250;

interface Waiting {
  start: () => void;
  since: number;
}

/** Grants the one connection to one unit of work at a time: foreground first, background when idle or overdue. */
export class PriorityGate {
  private busy = false;
  private readonly foreground: Waiting[] = [];
  private readonly background: Waiting[] = [];

  constructor(private readonly maxBackgroundWaitMs = BACKGROUND_MAX_WAIT_MS) {}

  async run<T>(level: QueryPriority, work: () => Promise<T>): Promise<T> {
    if (this.busy) {
      await new Promise<void>((start) =>
        (level === "background" ? this.background : this.foreground).push({ start, since: performance.now() }),
      );
    }
    this.busy = true;
    try {
      return await work();
    } finally {
      this.next();
    }
  }

  /** Waiting units, for tests and diagnostics. */
  get waiting(): { foreground: number; background: number } {
    return { foreground: this.foreground.length, background: this.background.length };
  }

  private next(): void {
    const overdue =
      this.background.length > 0 && performance.now() - this.background[0]!.since > this.maxBackgroundWaitMs;
    const turn = overdue ? this.background.shift() : (this.foreground.shift() ?? this.background.shift());
    if (turn) turn.start();
    else this.busy = false;
  }
}

/**
 * The PGlite client drizzle talks to, with its two entry points (`query` outside a transaction and
 * `transaction`) granted through the gate. Statements inside a transaction use the transaction's own
 * handle and never reach the gate again, so a transaction cannot wait for itself.
 */
export function prioritized(client: PGlite, gate = new PriorityGate()): PGlite {
  return new Proxy(client, {
    get(target, property) {
      if (property === "query" || property === "transaction" || property === "exec") {
        const original = Reflect.get(target, property, target) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => gate.run(currentPriority(), () => original.apply(target, args));
      }
      // The target as receiver: PGlite's getters read private fields, which a proxy does not have.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
