import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireEmbeddedLock, EmbeddedDatabaseLockedError } from "./lock";

describe("embedded database lock", () => {
  it("refuses a second process while a live one holds the folder, and frees it on release", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "ratchet-lock-")), "pglite");
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      writeFileSync(`${dir}.lock`, String(holder.pid));
      expect(() => acquireEmbeddedLock(dir)).toThrow(EmbeddedDatabaseLockedError);
      expect(() => acquireEmbeddedLock(dir)).toThrow(/in use by process \d+.*DATABASE_URL/);
    } finally {
      holder.kill();
    }
    await new Promise((r) => holder.once("exit", r));
    const release = acquireEmbeddedLock(dir); // the holder died: its stale lock is taken over
    expect(existsSync(`${dir}.lock`)).toBe(true);
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });
});
