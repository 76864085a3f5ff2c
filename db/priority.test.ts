import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./client";
import { currentPriority, inBackground, PriorityGate } from "./priority";

/** A unit of work that records when it started and finishes when told to. */
function held(log: string[], name: string) {
  let finish = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    work: async () => {
      log.push(name);
      await done;
    },
    finish: () => finish(),
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("PriorityGate", () => {
  it("runs every waiting foreground unit before a background one that arrived earlier", async () => {
    const gate = new PriorityGate(10_000);
    const log: string[] = [];
    const first = held(log, "bg-running");
    const running = gate.run("background", first.work);
    const bg = gate.run("background", async () => void log.push("bg-queued"));
    const fg1 = gate.run("foreground", async () => void log.push("fg-1"));
    const fg2 = gate.run("foreground", async () => void log.push("fg-2"));
    await tick();
    expect(gate.waiting).toEqual({ foreground: 2, background: 1 });
    first.finish();
    await Promise.all([running, bg, fg1, fg2]);
    expect(log).toEqual(["bg-running", "fg-1", "fg-2", "bg-queued"]);
  });

  it("does not starve background work: once overdue it goes before newer foreground work", async () => {
    const gate = new PriorityGate(20);
    const log: string[] = [];
    const first = held(log, "fg-running");
    const running = gate.run("foreground", first.work);
    const bg = gate.run("background", async () => void log.push("bg"));
    await new Promise((resolve) => setTimeout(resolve, 40));
    const fg = gate.run("foreground", async () => void log.push("fg-later"));
    first.finish();
    await Promise.all([running, bg, fg]);
    expect(log).toEqual(["fg-running", "bg", "fg-later"]);
  });

  it("frees the connection when a unit fails", async () => {
    const gate = new PriorityGate();
    await expect(gate.run("foreground", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(gate.run("foreground", async () => 1)).resolves.toBe(1);
    expect(gate.waiting).toEqual({ foreground: 0, background: 0 });
  });

  it("marks everything awaited inside inBackground, and nothing outside", async () => {
    expect(currentPriority()).toBe("foreground");
    const seen = await inBackground(async () => {
      await tick();
      return currentPriority();
    });
    expect(seen).toBe("background");
    expect(currentPriority()).toBe("foreground");
  });
});

describe("embedded PGlite through the gate", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: null });
  });
  afterAll(() => database.close());

  it("runs a transaction's own statements while other statements wait (no self-deadlock)", async () => {
    const { db } = database;
    const outside: Promise<unknown>[] = [];
    const inside = await inBackground(() =>
      db.transaction(async (tx) => {
        // Queued behind the transaction: they may only run after it commits.
        outside.push(
          db.execute(sql`select 1`),
          inBackground(() => db.execute(sql`select 2`)),
        );
        const a = await tx.execute(sql`select 40 + 2 as answer`);
        return a.rows[0];
      }),
    );
    expect(inside).toEqual({ answer: 42 });
    await expect(Promise.all(outside)).resolves.toHaveLength(2);
  });
});
