import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
// Each run gets its own embedded database folder, so e2e never touches the developer's .data/pglite.
// Set in the environment, so the workers (which load this file again) agree with the server on the folder.
const dataDir = (process.env.E2E_PGLITE_DIR ??= `.data/e2e-${Date.now()}/pglite`);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  // CI shares two cores between the server, PGlite's thread and Chromium: one retry there, so a journey that
  // lost a race with the machine is run again (and reported as flaky in the list), while one that fails twice
  // fails the run. Locally, no retries: a flaky journey shows at once.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  // A page's first server render on a loaded machine can take longer than the default 5 s; an assertion still
  // has to come true, it is only given the time a slow machine needs.
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    },
  },
  webServer: {
    command: `npx next start -p ${PORT}`,
    url: `http://localhost:${PORT}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    env: {
      PGLITE_DIR: dataDir,
      RATCHET_DEMO_DATA: "on",
      DATABASE_URL: "",
      NODE_ENV: "production",
      RATCHET_WEBHOOK_INTERVAL_MS: "500",
      // The e2e webhook receiver is http://127.0.0.1: opt in to private targets and plain http explicitly.
      RATCHET_WEBHOOK_ALLOW_PRIVATE: "on",
      RATCHET_WEBHOOK_ALLOW_HTTP: "on",
    },
  },
});
