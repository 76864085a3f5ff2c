import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { releases } from "@/db/schema";
import { setDatabase } from "@/server/db";
import { decideRelease } from "@/server/domain/releases/decide";
import { startApiServer, type ApiServer } from "@/server/testing/api-server";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import {
  PIPELINE_MODEL as MODEL,
  pipelineKey,
  seedPipelineModel,
  type PipelinePeople,
} from "@/server/testing/pipeline-fixtures";

/**
 * `npx ratchet gate` and `npx ratchet release request --wait` as a CI job runs them: a separate process,
 * judged by its exit code, on the database or against a server, while a manager decides elsewhere.
 */
interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Starts the CLI; `onOutput` sees stdout as it grows (to act while the command waits). */
function ratchet(args: string[], env: Record<string, string> = {}, onOutput?: (out: string) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["server/cli/bin.mjs", ...args], {
      env: { ...process.env, DATABASE_URL: "", RATCHET_DEMO_DATA: "off", ...env },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      onOutput?.(out);
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

describe("npx ratchet gate on the database", () => {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "ratchet-gate-")), "pglite");
  beforeAll(async () => {
    const database = await openDatabase({ dataDir });
    try {
      await seedPipelineModel(database.db);
    } finally {
      await database.close();
    }
  }, 120_000);

  it("prints one line per check and exits 0 on pass, 1 on fail, 3 on missing evidence, 2 on an unknown version", async () => {
    const env = { PGLITE_DIR: dataDir };
    const pass = await ratchet(["gate", "--model", MODEL, "--version", "1"], env);
    expect(pass.err).toBe("");
    expect(pass.code).toBe(0);
    const lines = pass.out.trim().split("\n");
    expect(lines.at(-1)).toBe(`Gate of ${MODEL} v1: PASS`);
    expect(lines[0]).toMatch(/^PASS +Every requirement met on every report it applies to: /);
    expect(lines.length).toBeGreaterThanOrEqual(4);

    const fail = await ratchet(["gate", "--model", MODEL, "--version", "2"], env);
    expect(fail.code).toBe(1);
    expect(fail.out).toMatch(/^FAIL +Every requirement met/m);

    const insufficient = await ratchet(["gate", "--model", MODEL, "--version", "3", "--json"], env);
    expect(insufficient.code).toBe(3);
    const verdict = JSON.parse(insufficient.out) as { status: string; checks: { status: string }[] };
    expect(verdict.status).toBe("insufficient");
    expect(verdict.checks.map((c) => c.status)).toContain("insufficient");

    const unknown = await ratchet(["gate", "--model", MODEL, "--version", "42"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Version 42 of "loan-default" was not found/);
  }, 180_000);
});

// Waiting on the database needs a server database: the embedded one is held by the server deciding.
describe.skipIf(!testDatabaseKinds.includes("postgres"))("npx ratchet release request --wait on PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let people: PipelinePeople;
  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    people = await seedPipelineModel(database.db);
  });
  afterAll(async () => database?.close());

  it("requests as the operator and exits 0 when a manager approves in another session", async () => {
    let decided: Promise<unknown> | null = null;
    const run = await ratchet(
      [
        "release",
        "request",
        ...["--model", MODEL, "--version", "4", "--strategy", "shadow"],
        ...["--rationale", "shadow it from the console", "--wait", "--interval", "0.2"],
      ],
      { DATABASE_URL: database.url! },
      (out) => {
        const id = /Requested release ([0-9a-f-]{36})/.exec(out)?.[1];
        if (!decided && id && out.includes("Waiting for the decision"))
          decided = decideRelease(
            { db: database.db, principal: people.manager },
            { releaseId: id, decision: "approve", note: "shadow away" },
          );
      },
    );
    await decided;
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/, shadow, by cli:\S+; pending/);
    expect(run.out).toMatch(/Approved by manager@pipe\.dev at \S+: shadow away/);
  }, 120_000);
});

describe.each(testDatabaseKinds)("npx ratchet through the HTTP API, on %s", (kind) => {
  let database: Database;
  let server: ApiServer;
  let people: PipelinePeople;
  let key: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    setDatabase(database);
    people = await seedPipelineModel(database.db);
    key = (await pipelineKey(database.db, "scientist@pipe.dev", ["releases:request"])).key;
    server = await startApiServer();
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  /** Decides the release the waiting command printed, as `manager` would on the page. */
  function decideWhenWaiting(decision: "approve" | "reject", note: string) {
    let decided: Promise<unknown> | null = null;
    return {
      onOutput(out: string) {
        const id = /Requested release ([0-9a-f-]{36})/.exec(out)?.[1];
        if (!decided && id && out.includes("Waiting for the decision")) {
          decided = decideRelease({ db: database.db, principal: people.manager }, { releaseId: id, decision, note });
        }
      },
      done: () => decided,
    };
  }

  it("gate --url: the same lines and exit codes, with the key from RATCHET_API_KEY", async () => {
    const run = await ratchet(["gate", "--model", MODEL, "--version", "3", "--url", server.url], {
      RATCHET_API_KEY: key,
    });
    expect(run.code).toBe(3);
    expect(run.out.trim().split("\n").at(-1)).toBe(`Gate of ${MODEL} v3: INSUFFICIENT`);
    const refused = await ratchet(["gate", "--model", MODEL, "--version", "1", "--url", server.url, "--key", "rk_x"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^401: /);
  }, 120_000);

  it("release request --wait exits 0 once another person approves", async () => {
    const manager = decideWhenWaiting("approve", "the canary can start");
    const run = await ratchet(
      [
        "release",
        "request",
        ...["--model", MODEL, "--version", "1", "--strategy", "canary", "--share", "0.1"],
        ...["--rationale", "better AUC on the holdout", "--wait", "--interval", "0.2"],
        ...["--url", server.url, "--key", key],
      ],
      {},
      manager.onOutput,
    );
    await manager.done();
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/, canary at 10 %, by scientist@pipe\.dev; pending/);
    expect(run.out).toMatch(/Approved by manager@pipe\.dev at \S+: the canary can start/);
  }, 120_000);

  it("release request --wait exits 1 when rejected, and 4 when nobody decides in time", async () => {
    const manager = decideWhenWaiting("reject", "the requirements are not met");
    const common = ["--strategy", "full", "--rationale", "ship it please, the pipeline passed", "--wait"];
    const target = ["--url", server.url, "--key", key, "--interval", "0.2"];
    const [rejected, timedOut] = await Promise.all([
      ratchet(["release", "request", "--model", MODEL, "--version", "2", ...common, ...target], {}, manager.onOutput),
      ratchet(["release", "request", "--model", MODEL, "--version", "3", ...common, ...target, "--timeout", "1"]),
    ]);
    await manager.done();
    expect(rejected.code).toBe(1);
    expect(rejected.out).toMatch(/Rejected by manager@pipe\.dev at \S+: the requirements are not met/);
    expect(timedOut.code).toBe(4);
    expect(timedOut.err).toMatch(/Still pending after 1 s: release [0-9a-f-]{36} stays requested/);
  }, 120_000);

  it("refuses bad input with exit 2 and the option at fault, requesting nothing", async () => {
    const before = await database.db.$count(releases);
    const run = await ratchet([
      "release",
      "request",
      ...["--model", MODEL, "--version", "4", "--strategy", "canary", "--rationale", "no share given here"],
      ...["--url", server.url, "--key", key],
    ]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--share: a canary needs a share of traffic/);
    expect(await database.db.$count(releases)).toBe(before);
    const noKey = await ratchet(["gate", "--model", MODEL, "--version", "1", "--url", server.url], {
      RATCHET_API_KEY: "",
    });
    expect(noKey.code).toBe(2);
    expect(noKey.err).toMatch(/--key: an API key is needed with --url/);
  }, 120_000);
});
