import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, loadEnv } from "./env";

describe("environment", () => {
  it("generates an AUTH_SECRET once in embedded mode and keeps it beside the data", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ratchet-env-"));
    const PGLITE_DIR = path.join(dir, "pglite");
    const first = loadEnv({ PGLITE_DIR, NODE_ENV: "production" });
    const second = loadEnv({ PGLITE_DIR, NODE_ENV: "production" });
    expect(first.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(second.AUTH_SECRET).toBe(first.AUTH_SECRET);
    expect(readFileSync(path.join(dir, "auth-secret"), "utf8")).toBe(first.AUTH_SECRET);
    expect(first.databaseKind).toBe("pglite");
  });

  it("stops a production server on PostgreSQL without AUTH_SECRET, saying what to do", () => {
    expect(() => loadEnv({ DATABASE_URL: "postgres://db/ratchet", NODE_ENV: "production" })).toThrow(
      /AUTH_SECRET is not set.*openssl rand/s,
    );
  });

  it("names the variable and the reason for invalid values", () => {
    expect(() => loadEnv({ DATABASE_URL: "mysql://x", AUTH_SECRET: "x".repeat(40) })).toThrow(EnvError);
    expect(() => loadEnv({ RATCHET_DEMO_DATA: "maybe" })).toThrow(/RATCHET_DEMO_DATA/);
    expect(() => loadEnv({ AUTH_SECRET: "short", PGLITE_DIR: "/tmp/x/pglite" })).toThrow(
      /AUTH_SECRET must be at least 32/,
    );
  });

  it("keeps demo data off on a production PostgreSQL server unless it is asked for", () => {
    const server = { DATABASE_URL: "postgres://db/ratchet", AUTH_SECRET: "s".repeat(40) };
    expect(loadEnv({ ...server, NODE_ENV: "production" }).RATCHET_DEMO_DATA).toBe("off");
    expect(loadEnv({ ...server, NODE_ENV: "production", RATCHET_DEMO_DATA: "" }).RATCHET_DEMO_DATA).toBe("off");
    expect(loadEnv({ ...server, NODE_ENV: "production", RATCHET_DEMO_DATA: "on" }).RATCHET_DEMO_DATA).toBe("on");
    expect(loadEnv({ ...server, NODE_ENV: "development" }).RATCHET_DEMO_DATA).toBe("on");
  });

  it("keeps demo data on for the embedded `npm start`, even in production mode", () => {
    const PGLITE_DIR = path.join(mkdtempSync(path.join(tmpdir(), "ratchet-env-")), "pglite");
    expect(loadEnv({ PGLITE_DIR, NODE_ENV: "production" }).RATCHET_DEMO_DATA).toBe("on");
    expect(loadEnv({ PGLITE_DIR, NODE_ENV: "production", RATCHET_DEMO_DATA: "off" }).RATCHET_DEMO_DATA).toBe("off");
  });
});
