import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, signInFast, test } from "./fixtures";

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
  await expect
    .poll(
      async () =>
        fetch(`http://localhost:${port}/api/health`).then(
          () => "answering",
          () => "closed",
        ),
      { timeout: 10_000 },
    )
    .toBe("closed");
});

test("a streamed NDJSON report over 10 MB reaches the server whole and is stored", async ({ page }) => {
  // Guards the proxy: Next cuts bodies it buffers for the proxy at 10 MB, which silently truncated reports.
  await signInFast(page, "admin");
  const created = await page.request.post("/api/trpc/admin.createKey", {
    headers: { "content-type": "application/json" },
    data: { json: { name: "e2e-big-report", scopes: ["reports:write"], ownerEmail: "scientist@ratchet.dev" } },
  });
  expect(created.status()).toBe(200);
  const key = ((await created.json()) as { result: { data: { json: { key: string } } } }).result.data.json.key;

  const n = 200_000;
  const lines = [
    JSON.stringify({
      model: "credit-default",
      version: 6,
      kind: "backtest",
      periodStart: "2026-09-01",
      periodEnd: "2026-09-30",
      slice: "e2e-over-10mb",
      sampleSize: n,
    }),
  ];
  let seed = 7;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  for (let i = 0; i < n; i++) {
    const label = rand() < 0.3 ? 1 : 0;
    const score = Math.min(1, Math.max(0, 0.35 * label + 0.65 * rand()));
    lines.push(
      `{"id":"e2e-big-${i}","label":${label},"prediction":${score >= 0.5 ? 1 : 0},"score":${score.toFixed(6)}}`,
    );
  }
  const body = `${lines.join("\n")}\n`;
  expect(body.length).toBeGreaterThan(10 * 1024 * 1024);
  const posted = await page.request.post("/api/v1/reports", {
    headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
    data: body,
    timeout: 120_000,
  });
  expect(posted.status(), await posted.text()).toBe(201);
  const { report } = (await posted.json()) as {
    report: { outcomeCount: number; metrics: Record<string, { source: string }> };
  };
  expect(report.outcomeCount).toBe(n);
  expect(report.metrics.auc?.source).toBe("computed");
});
