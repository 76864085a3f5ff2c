/**
 * npm run bench:pages — how fast do the main pages load in a browser?
 *
 * Starts the production server (`next start`, building first if there is no build) on a fresh embedded
 * database with the demo data, signs in as the demo viewer, and loads each main page ten times in Chromium
 * (after one unmeasured warm-up load). Prints per page the median and p95 of TTFB (navigation timing:
 * responseStart) and of LCP (largest-contentful-paint, buffered), and whether LCP p95 meets the goal (1 s).
 *
 *   npm run bench:pages [-- --port 3211 --loads 10]
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";

const { values: args } = parseArgs({
  options: { port: { type: "string", default: "3211" }, loads: { type: "string", default: "10" } },
});
const PORT = Number(args.port);
const LOADS = Number(args.loads);
const BASE = `http://127.0.0.1:${PORT}`;
const LCP_GOAL_MS = 1000;
const root = process.cwd();
// The bench configures a child process (the server) rather than itself, so it passes the environment on.
// eslint-disable-next-line no-restricted-properties
const environment = process.env;

const PAGES: [string, string][] = [
  ["overview", "/"],
  ["models list", "/models"],
  ["model", "/models/credit-default"],
  ["version", "/models/credit-default/versions/3"],
  ["comparison", "/models/churn/compare"],
  ["releases", "/releases"],
  ["audit", "/audit"],
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(values: number[], f: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? Number.NaN;
}

async function main() {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.log("no production build: running next build …");
    if (spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: root, stdio: "inherit" }).status !== 0)
      process.exit(1);
  }
  const dir = await mkdtemp(path.join(tmpdir(), "ratchet-pages-"));
  const env: NodeJS.ProcessEnv = {
    ...environment,
    PGLITE_DIR: path.join(dir, "pglite"),
    RATCHET_DEMO_DATA: "on",
    NODE_ENV: "production",
  };
  delete env.DATABASE_URL;
  const seeded = spawnSync("node", [path.join(root, "server/cli/bin.mjs"), "migrate"], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  if (seeded.status !== 0) throw new Error(`ratchet migrate failed:\n${seeded.stdout}${seeded.stderr}`);

  const server = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(PORT)], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    for (let i = 0; ; i++) {
      if (server.exitCode !== null) throw new Error("the server exited before it answered");
      if (i > 600) throw new Error("the server did not answer /api/health within 150 s");
      const ok = await fetch(`${BASE}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(250);
    }
    const context = await browser.newContext({ baseURL: BASE });
    const { csrfToken } = (await (await context.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const signedIn = await context.request.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: "viewer@ratchet.dev", password: "ratchet-viewer", callbackUrl: "/models" },
    });
    if (!signedIn.ok()) throw new Error(`sign-in failed (${signedIn.status()})`);
    // The largest contentful paint so far, kept on window for the bench to read after the load.
    await context.addInitScript(() => {
      const w = window as unknown as { __lcp: number };
      w.__lcp = Number.NaN;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__lcp = entry.startTime;
      }).observe({ type: "largest-contentful-paint", buffered: true });
    });
    const page = await context.newPage();
    console.log(
      `page loads: ${LOADS} per page in Chromium (after one warm-up), embedded PGlite with the demo data, signed in as the viewer`,
    );
    console.log(
      `${"page".padEnd(12)} ${"path".padEnd(36)} TTFB p50 / p95      LCP p50 / p95      LCP p95 < ${LCP_GOAL_MS} ms`,
    );
    for (const [name, url] of PAGES) {
      const ttfb: number[] = [],
        lcp: number[] = [];
      for (let i = 0; i <= LOADS; i++) {
        const res = await page.goto(url, { waitUntil: "load" });
        if (!res?.ok()) throw new Error(`${url} answered ${res?.status()}`);
        // A lost session would redirect to the sign-in page and time that instead.
        if (new URL(page.url()).pathname !== url) throw new Error(`${url} ended at ${page.url()}`);
        await sleep(200); // let the last paint be reported
        const m = await page.evaluate(() => {
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
          return { ttfb: nav.responseStart - nav.startTime, lcp: (window as unknown as { __lcp: number }).__lcp };
        });
        if (i === 0) continue; // warm-up
        ttfb.push(m.ttfb);
        if (Number.isFinite(m.lcp)) lcp.push(m.lcp);
      }
      const fmt = (v: number[]) =>
        v.length
          ? `${quantile(v, 0.5).toFixed(0).padStart(5)} / ${quantile(v, 0.95).toFixed(0).padStart(5)} ms`
          : "  not measured   ";
      const verdict =
        lcp.length === 0 ? "not measured (no LCP entry)" : quantile(lcp, 0.95) < LCP_GOAL_MS ? "met" : "NOT met";
      console.log(`${name.padEnd(12)} ${url.padEnd(36)} ${fmt(ttfb)}   ${fmt(lcp)}   ${verdict}`);
    }
  } finally {
    await browser.close();
    process.kill(-server.pid!, "SIGTERM");
    await sleep(1000);
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
