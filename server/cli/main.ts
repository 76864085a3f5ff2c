import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import { EmbeddedDatabaseLockedError } from "@/db/lock";
import type { Principal } from "@/server/authz/policy";
import { createApiKey } from "@/server/domain/admin/apiKeys";
import { createUser } from "@/server/domain/admin/users";
import { DomainError } from "@/server/domain/errors";
import { EnvError, loadEnv } from "@/server/env";
import { ZodError } from "zod";
import "@/server/validation/messages"; // plain-language validation messages
import { PIPELINE_USAGE, type PipelineIo } from "./pipeline";

const USAGE = `Usage: npx ratchet <command>

  user add --email E --password P --roles manager,reviewer [--name N]
  key create --name N --scopes registry:read,versions:write --owner EMAIL
                          the key acts for its owner (an active user): what it registers counts as theirs
  audit verify [--checkpoint ID:HASH]
                          check the audit log's hash chain; names the first broken entry (exit 1).
                          Prints the head (ID:HASH): keep it outside the database and pass it next time,
                          so a log cut back from the end is caught too
  compare --outcomes FILE.csv --metric accuracy|f1|auc|rmse|mae [--seed N] [--json]
  drift --reference REF.csv --current CUR.csv [--method auto|ks|ztest|chisquare|wasserstein|jensenshannon|psi]
        [--threshold X] [--columns a,b] [--benjamini-hochberg] [--json]
                          drift and data quality of CUR against REF (Evidently's defaults); no database
  migrate                 apply migrations (and demo data unless RATCHET_DEMO_DATA=off)
${PIPELINE_USAGE}

Works on DATABASE_URL when set, otherwise on the embedded database (PGLITE_DIR, default .data/pglite),
which only one process may open: stop the server first.`;

const operator = (): Principal => ({ kind: "operator", name: process.env.USER ?? "operator" });
const list = (s: string | undefined) =>
  (s ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const e = loadEnv();
  const database = await openDatabase(
    e.DATABASE_URL ? { url: e.DATABASE_URL, migrationUrl: e.MIGRATION_DATABASE_URL } : { dataDir: e.PGLITE_DIR },
  );
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** The pipeline commands' world: the HTTP API when --url is given, else the database as the operator. */
function pipelineIo(): PipelineIo {
  return {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    async withBackend(target, fn) {
      const { databaseBackend, httpBackend } = await import("./pipeline-backend");
      if (target.url) return fn(httpBackend(target.url, target.key!));
      return withDatabase((database) => fn(databaseBackend(database, operator())));
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    env: process.env,
  };
}

async function main(argv: string[]): Promise<number> {
  const [a, b] = argv;
  if (a === "gate") {
    const { runGateCli } = await import("./pipeline");
    return runGateCli(argv.slice(1), pipelineIo());
  }
  if (a === "release" && b === "request") {
    const { runReleaseRequestCli } = await import("./pipeline");
    return runReleaseRequestCli(argv.slice(2), pipelineIo());
  }
  if (a === "compare") {
    const { runCompareCli } = await import("@/server/stats/cli-compare");
    const { readFile } = await import("node:fs/promises");
    return runCompareCli(argv.slice(1), {
      readFile: (p: string) => readFile(p, "utf8"),
      stdout: (s: string) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`),
      stderr: (s: string) => process.stderr.write(s.endsWith("\n") ? s : `${s}\n`),
    });
  }
  if (a === "drift") {
    const { runDriftCli } = await import("@/server/stats/drift/cli-drift");
    const { readFile } = await import("node:fs/promises");
    return runDriftCli(argv.slice(1), {
      readFile: (p: string) => readFile(p, "utf8"),
      stdout: (s: string) => process.stdout.write(s),
      stderr: (s: string) => process.stderr.write(s),
    });
  }
  if (a === "user" && b === "add") {
    const { values } = parseArgs({
      args: argv.slice(2),
      options: {
        email: { type: "string" },
        password: { type: "string" },
        roles: { type: "string" },
        name: { type: "string" },
      },
    });
    const user = await withDatabase(({ db }) =>
      createUser(
        { db, principal: operator() },
        {
          email: values.email ?? "",
          password: values.password ?? "",
          name: values.name,
          roles: list(values.roles) as never,
        },
      ),
    );
    console.log(`Created ${user.email} with roles ${user.roles.join(", ")}`);
    return 0;
  }
  if (a === "key" && b === "create") {
    const { values } = parseArgs({
      args: argv.slice(2),
      options: { name: { type: "string" }, scopes: { type: "string" }, owner: { type: "string" } },
    });
    if (!values.owner) {
      console.error(
        "--owner is required: the email of the person the key acts for (four eyes counts its work as theirs).",
      );
      return 2;
    }
    const key = await withDatabase(({ db }) =>
      createApiKey(
        { db, principal: operator() },
        { name: values.name ?? "", scopes: list(values.scopes) as never, ownerEmail: values.owner },
      ),
    );
    console.log(
      `Created API key "${key.name}" for ${key.owner} with scopes ${key.scopes.join(" ")}. It is shown once, on the next line:`,
    );
    console.log(key.key);
    return 0;
  }
  if (a === "audit" && b === "verify") {
    const { verifyAuditChain, parseCheckpoint } = await import("@/server/domain/audit-verify");
    const { values } = parseArgs({ args: argv.slice(2), options: { checkpoint: { type: "string" } } });
    const checkpoint = values.checkpoint === undefined ? undefined : parseCheckpoint(values.checkpoint);
    if (checkpoint === null) {
      console.error(
        "--checkpoint: expected ID:HASH as printed by an earlier `audit verify` (a number, a colon, 64 hex digits).",
      );
      return 2;
    }
    const verdict = await withDatabase(({ db }) => verifyAuditChain({ db, principal: operator() }, checkpoint));
    if (verdict.ok) {
      const head = verdict.head
        ? ` Head: ${verdict.head.id}:${verdict.head.hash} (keep it; pass it as --checkpoint next time).`
        : "";
      console.log(
        `OK: the audit chain of ${verdict.count} entries is intact${checkpoint ? `, and it still holds checkpoint ${checkpoint.id}` : ""}.${head}`,
      );
      return 0;
    }
    const { id, action, at, reason } = verdict.broken;
    const where = at ? `entry ${id} (${action}, ${at.toISOString()})` : `entry ${id}`;
    console.error(`BROKEN at ${where}: ${reason}. The ${verdict.count} entries before it are intact.`);
    return 1;
  }
  if (a === "migrate") {
    await withDatabase(async ({ db, kind }) => {
      if (loadEnv().RATCHET_DEMO_DATA === "on") {
        const { seedDemoData } = await import("@/server/demo/demo");
        await seedDemoData(db);
      }
      console.log(`Migrations applied on ${kind}.`);
    });
    return 0;
  }
  console.error(USAGE);
  return a === undefined || a === "help" || a === "--help" ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ZodError) {
      console.error(`Invalid input:\n${error.issues.map((i) => `  --${i.path.join(".")}: ${i.message}`).join("\n")}`);
    } else if (
      error instanceof DomainError ||
      error instanceof EnvError ||
      error instanceof EmbeddedDatabaseLockedError
    ) {
      console.error(error.message);
    } else if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      console.error(`${error.message}\n\n${USAGE}`);
    } else {
      console.error(error);
    }
    process.exit(2);
  },
);
