import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ThreadedPGlite } from "./pglite-thread";

/** The embedded database on its own thread must behave as PGlite in-process did, for everything drizzle relies on. */
describe("PGlite on a worker thread", () => {
  let pg: ThreadedPGlite;
  beforeAll(async () => {
    pg = new ThreadedPGlite(null);
    await pg.waitReady();
    await pg.exec("create table t (id int primary key, blob bytea, at timestamptz)");
  });
  afterAll(() => pg.close());

  it("round-trips bytea as bytes and keeps the types drizzle asks for as text", async () => {
    const bytes = new Uint8Array([0, 1, 254, 255]);
    await pg.query("insert into t values ($1, $2, $3)", [1, bytes, "2026-11-30T10:00:00Z"]);
    const text = await pg.query<{ blob: Uint8Array; at: unknown }>("select blob, at from t where id = 1", [], {
      parsers: { 1184: (value: string) => value },
    });
    expect(Array.from(text.rows[0]!.blob)).toEqual([0, 1, 254, 255]);
    expect(typeof text.rows[0]!.at).toBe("string");
    const parsed = await pg.query<{ at: unknown }>("select at from t where id = 1");
    expect(parsed.rows[0]!.at).toBeInstanceOf(Date);
  });

  it("passes Postgres' error fields across the thread", async () => {
    await expect(pg.query("insert into t (id) values (1)")).rejects.toMatchObject({
      code: "23505",
      constraint: "t_pkey",
    });
  });

  it("commits a transaction, and rolls back every statement of one that throws", async () => {
    await pg.transaction(async (tx) => {
      await tx.query("insert into t (id) values (2)");
    });
    await expect(
      pg.transaction(async (tx) => {
        await tx.query("insert into t (id) values (3)");
        throw new Error("the caller changed its mind");
      }),
    ).rejects.toThrow("the caller changed its mind");
    const ids = await pg.query<{ id: number }>("select id from t order by id");
    expect(ids.rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it("refuses a parser it cannot carry instead of dropping it silently", () => {
    expect(() => pg.query("select 1", [], { parsers: { 23: (v: string) => Number(v) * 2 } })).toThrow(
      /identity parsers/,
    );
  });

  it("fails calls after close with a clear message", async () => {
    const other = new ThreadedPGlite(null);
    await other.waitReady();
    await other.close();
    await expect(other.query("select 1")).rejects.toThrow("the embedded database is closed");
  });
});
