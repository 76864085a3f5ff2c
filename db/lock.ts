import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";

/**
 * PGlite corrupts its folder when two processes open it. Every process that opens the embedded folder
 * (the server, the CLI) first takes this lock; a live holder makes the second one refuse clearly.
 */
export class EmbeddedDatabaseLockedError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function acquireEmbeddedLock(dataDir: string): () => void {
  const lockFile = `${path.resolve(dataDir)}.lock`;
  mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => {
        try {
          if (readFileSync(lockFile, "utf8") === String(process.pid)) unlinkSync(lockFile);
        } catch {
          /* already gone */
        }
      };
      process.once("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number(readFileSync(lockFile, "utf8"));
      if (holder === process.pid) return () => {};
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new EmbeddedDatabaseLockedError(
          `The embedded database ${dataDir} is in use by process ${holder} (probably the Ratchet server). ` +
            `Stop that process first, or set DATABASE_URL to work on a PostgreSQL server, which many processes can share.`,
        );
      }
      unlinkSync(lockFile); // stale lock from a process that died: take it over
    }
  }
  throw new EmbeddedDatabaseLockedError(`Could not lock ${dataDir}; try again.`);
}
