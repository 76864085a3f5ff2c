/**
 * npm run bench:responsiveness — does one heavy request stall the instance?
 *
 * Starts the production server (`next start`, building first if there is no build) on a fresh
 * embedded database with the demo data (or on DATABASE_URL when set: use an empty database), creates an
 * API key with the CLI, signs in as the demo viewer, then prints:
 *  1. idle: p50/p95/max of GET /api/health and of the /models page;
 *  2. load: the same while a 1,000,000-outcome NDJSON report is ingested and a tRPC batch of 10
 *     uncached comparisons (distinct margins, so each is computed) runs;
 *  3. the report's total ingest time and the server's peak RSS (VmHWM of its process tree).
 *
 * Probes are SCHEDULED: one every 50 ms (health) or 500 ms (page), fired on a timer whether or not earlier ones have
 * answered, and each latency counts from its scheduled time — so a stalled event loop shows up in every
 * probe it delays, not just one.
 *
 *   npm run bench:responsiveness [-- --rows 1000000 --port 3210]
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    port: { type: "string", default: "3210" },
    idle: { type: "string", default: "5" },
  },
});
const ROWS = Number(args.rows);
const PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;
/** Health is probed every 50 ms; a page render costs tens of ms of CPU, so it is probed every 500 ms. */
const PROBE_MS = { health: 50, page: 500 };
const root = process.cwd();
// The bench configures a child process (the server) rather than itself, so it passes the environment on.
// eslint-disable-next-line no-restricted-properties
const environment = process.env;

function cli(env: NodeJS.ProcessEnv, ...argv: string[]): string {
  const r = spawnSync("node", [path.join(root, "server/cli/bin.mjs"), ...argv], { cwd: root, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ratchet ${argv.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** VmHWM (peak resident set) summed over a process and its descendants, in MB. */
function peakRssMb(pid: number): number {
  const children = (p: number): number[] => {
    try {
      return readdirSync(`/proc/${p}/task`).flatMap((t) =>
        readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number),
      );
    } catch {
      return [];
    }
  };
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]!));
  let kb = 0;
  for (const p of all) {
    try {
      kb += Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      /* exited */
    }
  }
  return kb / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForHealth(server: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) throw new Error("the server exited before it answered");
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(250);
  }
  throw new Error("the server did not answer /api/health within 150 s");
}

/** Signs in through next-auth's credentials flow; returns the Cookie header for later requests. */
async function signIn(email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${BASE}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/models" }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token")))
    throw new Error(`sign-in as ${email} failed (${res.status})`);
  return cookie();
}

interface Probe {
  target: string;
  latencies: number[];
  failures: number;
}

/** Fires `fn` every `every` ms until `until()` is true; latency from the scheduled time. */
async function probe(target: string, every: number, fn: () => Promise<Response>, until: () => boolean): Promise<Probe> {
  const result: Probe = { target, latencies: [], failures: 0 };
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let k = 0; !until(); k++) {
    const scheduled = start + k * every;
    const wait = scheduled - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(
      fn().then(
        async (res) => {
          await res.arrayBuffer();
          if (!res.ok) result.failures++;
          result.latencies.push(performance.now() - scheduled);
        },
        () => {
          result.failures++;
        },
      ),
    );
  }
  await Promise.all(pending);
  return result;
}

function summary(p: Probe): string {
  const s = [...p.latencies].sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? Number.NaN;
  const slow = s.filter((x) => x > 1000).length;
  return `${p.target.padEnd(12)} n=${String(s.length).padStart(4)}  p50 ${q(0.5).toFixed(0).padStart(5)} ms  p95 ${q(0.95).toFixed(0).padStart(5)} ms  max ${(s.at(-1) ?? Number.NaN).toFixed(0).padStart(5)} ms  >1 s: ${slow}${p.failures ? `  failures: ${p.failures}` : ""}`;
}

/** Writes the NDJSON body (header line + one outcome per line) to a file, so the client does no work while measuring. */
async function writeReport(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r()));
  await write(
    `${JSON.stringify({ model: "credit-default", version: 6, kind: "backtest", periodStart: "2026-10-01", periodEnd: "2026-10-31", slice: "bench", sampleSize: rows })}\n`,
  );
  let seed = 12345;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  let batch = "";
  for (let i = 0; i < rows; i++) {
    const y = rand() < 0.3 ? 1 : 0;
    const s = Math.min(1, Math.max(0, 0.35 * y + 0.65 * rand()));
    batch += `{"id":"b${i}","label":${y},"prediction":${s >= 0.5 ? 1 : 0},"score":${s.toFixed(6)}}\n`;
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = "";
    }
  }
  await write(batch);
  await new Promise<void>((r) => out.end(r));
}

async function main() {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.log("no production build: running next build …");
    if (spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: root, stdio: "inherit" }).status !== 0)
      process.exit(1);
  }
  const dir = await mkdtemp(path.join(tmpdir(), "ratchet-bench-"));
  const env: NodeJS.ProcessEnv = {
    ...environment,
    PGLITE_DIR: path.join(dir, "pglite"),
    RATCHET_DEMO_DATA: "on",
    NODE_ENV: "production",
  };
  if (!environment.DATABASE_URL) delete env.DATABASE_URL;
  console.log(
    `responsiveness benchmark: ${ROWS.toLocaleString("en")} outcomes, probes every ${PROBE_MS.health} ms (health) and ${PROBE_MS.page} ms (page), ${environment.DATABASE_URL ? "DATABASE_URL" : "embedded PGlite"}, node ${process.version}`,
  );

  cli(env, "migrate"); // migrations + demo data, before the server holds the embedded folder
  const keyArgs = ["key", "create", "--name", "bench", "--scopes", "reports:write,registry:read"];
  let keyOut: string;
  try {
    keyOut = cli(env, ...keyArgs);
  } catch {
    keyOut = cli(env, ...keyArgs, "--owner", "scientist@ratchet.dev"); // keys name an owning person
  }
  const key = keyOut.trim().split("\n").at(-1)!.trim();
  const file = path.join(dir, "report.ndjson");
  await writeReport(file, ROWS);
  console.log(`report body: ${((await stat(file)).size / 1e6).toFixed(0)} MB NDJSON`);

  console.log("starting next start …");
  const server = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(PORT)], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  try {
    await waitForHealth(server);
    console.log("server up; probing");
    const cookie = await signIn("viewer@ratchet.dev", "ratchet-viewer");
    const health = () => fetch(`${BASE}/api/health`);
    const page = () => fetch(`${BASE}/models`, { headers: { cookie } });
    for (let i = 0; i < 3; i++) await (await page()).arrayBuffer(); // warm the route

    const idleEnd = performance.now() + Number(args.idle) * 1000;
    const idle = await Promise.all([
      probe("/api/health", PROBE_MS.health, health, () => performance.now() > idleEnd),
      probe("/models", PROBE_MS.page, page, () => performance.now() > idleEnd),
    ]);
    console.log("\nidle instance");
    for (const p of idle) console.log(`  ${summary(p)}`);

    let busy = 2;
    const done = () => busy === 0;
    const loadStart = performance.now();
    let ingestSeconds = Number.NaN,
      ingestStatus = 0,
      compareSeconds = Number.NaN,
      compareStatus = 0;
    const ingest = fetch(`${BASE}/api/v1/reports`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: "half",
    } as RequestInit)
      .then(async (res) => {
        await res.arrayBuffer();
        ingestStatus = res.status;
        ingestSeconds = (performance.now() - loadStart) / 1000;
      })
      .catch((error: unknown) => console.error("ingest failed:", error))
      .finally(() => busy--);
    // Ten uncached comparisons in one tRPC batch: distinct margins give distinct cache keys.
    const input = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [
        i,
        { json: { model: "churn", margins: { auc: 0.001 * (i + 1) + Math.random() * 1e-6 } } },
      ]),
    );
    const compare = fetch(
      `${BASE}/api/trpc/${Array(10).fill("compare.versions").join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`,
      { headers: { cookie } },
    )
      .then(async (res) => {
        await res.arrayBuffer();
        compareStatus = res.status;
        compareSeconds = (performance.now() - loadStart) / 1000;
      })
      .catch((error: unknown) => console.error("comparisons failed:", error))
      .finally(() => busy--);
    const loaded = await Promise.all([
      probe("/api/health", PROBE_MS.health, health, done),
      probe("/models", PROBE_MS.page, page, done),
    ]);
    await Promise.all([ingest, compare]);
    console.log("\nwhile a 1M-outcome report is ingested and 10 comparisons run");
    for (const p of loaded) console.log(`  ${summary(p)}`);
    console.log(`\nreport ingest: ${ingestSeconds.toFixed(1)} s total (HTTP ${ingestStatus})`);
    console.log(`10 comparisons (one tRPC batch): ${compareSeconds.toFixed(1)} s (HTTP ${compareStatus})`);
    console.log(`server peak RSS (VmHWM, process tree): ${peakRssMb(server.pid!).toFixed(0)} MB`);
  } finally {
    process.kill(-server.pid!, "SIGTERM");
    await sleep(1000);
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
