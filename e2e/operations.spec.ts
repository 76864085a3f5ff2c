import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "./fixtures";

/** What an operator sees when starting and stopping Ratchet on one machine. */

function collect(child: ChildProcess) {
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { output: () => output, exited };
}

async function waitForHealth(port: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://localhost:${port}/api/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no answer on port ${port}`);
}

test("a second server on the embedded folder in use refuses to start, with the lock message and a non-zero exit", async () => {
  // The Playwright web server holds this folder; start another server on it.
  const child = spawn(process.execPath, ["server/cli/bin.mjs", "start"], {
    env: { ...process.env, PORT: "3190", PGLITE_DIR: process.env.E2E_PGLITE_DIR!, DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const { output, exited } = collect(child);
  const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 45_000))]);
  if (code === "timeout") child.kill("SIGKILL");
  expect(code).not.toBe("timeout");
  expect(code).not.toBe(0);
  expect(output()).toContain("is in use by process");
});

test("stopping `npm start` with SIGTERM stops the server and frees its port", async () => {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "ratchet-start-")), "pglite");
  const port = 3191;
  const child = spawn(process.execPath, ["server/cli/bin.mjs", "start"], {
    env: { ...process.env, PORT: String(port), PGLITE_DIR: dataDir, DATABASE_URL: "", RATCHET_DEMO_DATA: "off" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const { exited } = collect(child);
  await waitForHealth(port, 60_000);
  child.kill("SIGTERM");
  const code = await exited;
  expect(code).not.toBeNull();
  // The launcher has exited; nothing may still answer on its port.
  await expect.poll(async () => fetch(`http://localhost:${port}/api/health`).then(() => "answering", () => "closed"), { timeout: 10_000 }).toBe("closed");
});
