#!/usr/bin/env node
// Entry point of `npx ratchet ...` and `npm start`. Plain JavaScript so it runs before anything is built;
// the real commands are TypeScript, run through tsx.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const run = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, env });
  if (r.error) throw r.error;
  return r.status ?? 1;
};

const [command, ...rest] = process.argv.slice(2);

if (command === "start") {
  // One command from a fresh clone: build once if there is no build, then serve on PORT (default 3000).
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    const code = run(bin("next"), ["build"]);
    if (code !== 0) process.exit(code);
  }
  process.exit(run(bin("next"), ["start", "-p", process.env.PORT ?? "3000", ...rest], { ...process.env, NODE_ENV: "production" }));
}

process.exit(run(bin("tsx"), [path.join(root, "server", "cli", "main.ts"), ...process.argv.slice(2)]));
