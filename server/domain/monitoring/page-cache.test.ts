import { describe, expect, it } from "vitest";
import { PageCache } from "./page-cache";

describe("the monitoring page's cache", () => {
  it("computes once per key and token, and again when the token changes", async () => {
    const cache = new PageCache<number>();
    let runs = 0;
    const compute = async () => ++runs;
    const [a, b] = await Promise.all([cache.get("k", "t1", compute), cache.get("k", "t1", compute)]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    expect(await cache.get("k", "t2", compute)).toBe(2);
    expect(await cache.get("other", "t2", compute)).toBe(3);
  });

  it("does not keep a failure", async () => {
    const cache = new PageCache<number>();
    await expect(cache.get("k", "t", () => Promise.reject(new Error("database went away")))).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get("k", "t", async () => 7)).toBe(7);
  });

  it("forgets the least recently used key beyond its size", async () => {
    const cache = new PageCache<number>();
    for (let i = 0; i < 201; i++) await cache.get(`k${i}`, "t", async () => i);
    expect(await cache.get("k0", "t", async () => -1)).toBe(-1);
    expect(await cache.get("k200", "t", async () => -1)).toBe(200);
  });
});
