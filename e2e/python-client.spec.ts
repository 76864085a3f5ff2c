import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { SCOPES } from "../server/authz/policy";
import { expect, signInFast, test } from "./fixtures";

/** Runs a command to its end; resolves with its exit code and everything it printed (for the failure message). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

test("a pipeline installs the Python client with pip and drives the running server with it", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(300_000);
  // A key with every scope there is, owned by a data scientist, as an admin creates it on the API keys page.
  await signInFast(page, "admin");
  const created = await page.request.post("/api/trpc/admin.createKey", {
    headers: { "content-type": "application/json" },
    data: { json: { name: "python-client-tests", scopes: [...SCOPES], ownerEmail: "scientist@ratchet.dev" } },
  });
  expect(created.status()).toBe(200);
  const key = ((await created.json()) as { result: { data: { json: { key: string } } } }).result.data.json.key;
  expect(key).toMatch(/^rk_/);

  // Installed the way the README says, into a fresh virtual environment, with no package index at all.
  const venv = await mkdtemp(path.join(tmpdir(), "ratchet-client-venv-"));
  try {
    const made = await run("python3", ["-m", "venv", venv]);
    expect(made.code, made.output).toBe(0);
    const python = path.join(venv, "bin", "python");
    const installed = await run(python, ["-m", "pip", "install", "--no-index", "--no-cache-dir", "./clients/python"]);
    expect(installed.code, installed.output).toBe(0);

    const tests = await run(python, ["-m", "unittest", "discover", "-v", "clients/python/tests/integration"], {
      ...process.env,
      RATCHET_URL: baseURL,
      RATCHET_API_KEY: key,
      // The tests import the installed copy, and check that they did.
      RATCHET_CLIENT_TEST_INSTALLED: "1",
    });
    console.log(tests.output);
    expect(tests.code, tests.output).toBe(0);
    expect(tests.output).toMatch(/^Ran \d+ tests/m);
  } finally {
    await rm(venv, { recursive: true, force: true });
  }
});
