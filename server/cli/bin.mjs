#!/usr/bin/env node
// Entry point of `npx ratchet ...` and `npm start`. Plain JavaScript so it runs before anything is built;
// the real commands are TypeScript, run through tsx.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
/**
 * Runs a child and resolves with its exit code. SIGINT and SIGTERM are forwarded, so stopping `npm start`
 * stops the server too instead of leaving it on its port.
 */
const run = (cmd, args, env = process.env) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: "inherit", cwd: root, env });
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 128 + (signal === "SIGINT" ? 2 : 15) : 1));
    });
  });

const [command, ...rest] = process.argv.slice(2);

if (command === "start") {
  // One command from a fresh clone: build once if there is no build, then serve on PORT (default 3000).
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    const code = await run(bin("next"), ["build"]);
    if (code !== 0) process.exit(code);
  }
  process.exit(
    await run(bin("next"), ["start", "-p", process.env.PORT ?? "3000", ...rest], {
      ...process.env,
      NODE_ENV: "production",
    }),
  );
}

process.exit(await run(bin("tsx"), [path.join(root, "server", "cli", "main.ts"), ...process.argv.slice(2)]));
