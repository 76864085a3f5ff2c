import { parseArgs } from "node:util";
import type { GateVerdict } from "@/server/domain/gate/verdict";
import type { ReleaseStatus } from "@/server/domain/releases/status";
import { BackendError } from "./backend-error";
import type { PipelineBackend } from "./pipeline-backend";

/**
 * The commands a CI job runs: `ratchet gate` (may this version ship?) and `ratchet release request
 * [--wait]` (ask, and block until a manager decides). Exit codes are the interface: a job step fails on
 * anything but 0, and a script can tell the cases apart.
 */
export const GATE_EXIT = { pass: 0, fail: 1, error: 2, insufficient: 3 } as const;
export const RELEASE_EXIT = { approved: 0, rejected: 1, error: 2, timeout: 4 } as const;

export interface Target {
  /** A Ratchet server's address; without it the command works on the database. */
  url?: string;
  key?: string;
}

export interface PipelineIo {
  stdout(line: string): void;
  stderr(line: string): void;
  withBackend<T>(target: Target, fn: (backend: PipelineBackend) => Promise<T>): Promise<T>;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** RATCHET_URL and RATCHET_API_KEY stand in for --url and --key (a CI secret stays out of the command line). */
  env: Record<string, string | undefined>;
}

export const PIPELINE_USAGE = `  gate --model M --version V [--json] [--url URL --key KEY]
                          the release gate of a version, one check per line; exit 0 pass, 1 fail,
                          3 evidence missing (insufficient), 2 when the gate could not be read
  release request --model M --version V --strategy full|canary|shadow [--share X] --rationale R
                  [--wait [--timeout S] [--interval S]] [--url URL --key KEY]
                          request a release; with --wait, block until a manager decides: exit 0 approved,
                          1 rejected, 4 still pending after --timeout seconds (default 3600; 0 waits for
                          ever), 2 on bad input or a refusal. --url/--key (or RATCHET_URL/RATCHET_API_KEY)
                          go through the HTTP API as the key's owner, who then may not approve it`;

class UsageError extends Error {}

const commonOptions = {
  model: { type: "string" },
  version: { type: "string" },
  url: { type: "string" },
  key: { type: "string" },
} as const;

function targetOf(values: { url?: string; key?: string }, env: PipelineIo["env"]): Target {
  const url = values.url ?? env.RATCHET_URL;
  const key = values.key ?? env.RATCHET_API_KEY;
  if (!url) return {};
  if (!/^https?:\/\//.test(url)) throw new UsageError(`--url: expected http(s)://host[:port], got "${url}"`);
  if (!key) throw new UsageError("--key: an API key is needed with --url (or set RATCHET_API_KEY)");
  return { url, key };
}

function versionOf(raw: string | undefined): number {
  if (raw === undefined) throw new UsageError("--version: the version number is required");
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`--version: expected a version number (1, 2, …), got "${raw}"`);
  return n;
}

function secondsOf(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || n < 0)
    throw new UsageError(`--${name}: expected a number of seconds, got "${raw}"`);
  return n;
}

/** Runs a command body, turning usage mistakes and refusals into a message and exit 2. */
async function guarded(io: PipelineIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UsageError || error instanceof BackendError) {
      io.stderr(error.message);
      return 2;
    }
    throw error; // domain and validation errors: main reports them (exit 2)
  }
}

const LABEL = { pass: "PASS", fail: "FAIL", insufficient: "INSUFFICIENT" } as const;

export function formatGate(verdict: GateVerdict): string[] {
  const width = Math.max(...verdict.checks.map((c) => LABEL[c.status].length), 4);
  return [
    ...verdict.checks.map((c) => `${LABEL[c.status].padEnd(width)}  ${c.name}: ${c.summary}`),
    `Gate of ${verdict.model} v${verdict.version}: ${LABEL[verdict.status]}`,
  ];
}

export async function runGateCli(argv: string[], io: PipelineIo): Promise<number> {
  return guarded(io, async () => {
    const { values } = parseArgs({ args: argv, options: { ...commonOptions, json: { type: "boolean" } } });
    if (!values.model) throw new UsageError("--model: the model's name is required");
    const version = versionOf(values.version);
    const verdict = await io.withBackend(targetOf(values, io.env), (b) => b.gate(values.model!, version));
    if (values.json) io.stdout(JSON.stringify(verdict));
    else for (const line of formatGate(verdict)) io.stdout(line);
    return GATE_EXIT[verdict.status];
  });
}

function describeRelease(r: ReleaseStatus): string {
  const how = r.strategy === "canary" ? `canary at ${Math.round((r.share ?? 0) * 1000) / 10} %` : r.strategy;
  return `${r.model} v${r.version}, ${how}`;
}

export async function runReleaseRequestCli(argv: string[], io: PipelineIo): Promise<number> {
  return guarded(io, async () => {
    const { values } = parseArgs({
      args: argv,
      options: {
        ...commonOptions,
        strategy: { type: "string" },
        share: { type: "string" },
        rationale: { type: "string" },
        wait: { type: "boolean" },
        timeout: { type: "string" },
        interval: { type: "string" },
      },
    });
    if (!values.model) throw new UsageError("--model: the model's name is required");
    const version = versionOf(values.version);
    if (!values.strategy) throw new UsageError("--strategy: full, canary (with --share) or shadow");
    if (!values.rationale) throw new UsageError("--rationale: say why this version should ship");
    const share = values.share === undefined ? undefined : Number(values.share);
    if (share !== undefined && !Number.isFinite(share))
      throw new UsageError(`--share: expected a fraction of traffic such as 0.1, got "${values.share}"`);
    const timeoutS = secondsOf("timeout", values.timeout, 3600);
    const intervalMs = secondsOf("interval", values.interval, 5) * 1000;
    const target = targetOf(values, io.env);

    return io.withBackend(target, async (backend) => {
      const requested = await backend.requestRelease({
        model: values.model!,
        version,
        strategy: values.strategy as "full",
        ...(share !== undefined && { share }),
        rationale: values.rationale!,
      });
      io.stdout(
        `Requested release ${requested.id}: ${describeRelease(requested)}, by ${requested.requestedBy}; pending a manager's decision.`,
      );
      if (target.url) io.stdout(`Decide at ${target.url.replace(/\/+$/, "")}/releases/${requested.id}`);
      if (!values.wait) return RELEASE_EXIT.approved;

      const deadline = timeoutS > 0 ? io.now() + timeoutS * 1000 : Infinity;
      io.stdout(`Waiting for the decision${timeoutS > 0 ? ` (at most ${timeoutS} s)` : ""}…`);
      for (;;) {
        await io.sleep(Math.max(0, Math.min(intervalMs, deadline - io.now())));
        let current: ReleaseStatus;
        try {
          current = await backend.release(requested.id);
        } catch (error) {
          // A server restarting or a network blip must not fail a job that waits for hours.
          if (!(error instanceof BackendError) || !error.transient) throw error;
          io.stderr(`${error.message} Still waiting.`);
          if (io.now() >= deadline) break;
          continue;
        }
        if (current.decision) {
          const { decision, by, at, note } = current.decision;
          const verb = decision === "approve" ? "Approved" : "Rejected";
          io.stdout(`${verb} by ${by} at ${at}: ${note}`);
          return decision === "approve" ? RELEASE_EXIT.approved : RELEASE_EXIT.rejected;
        }
        if (io.now() >= deadline) break;
      }
      io.stderr(
        `Still pending after ${timeoutS} s: release ${requested.id} stays requested (a second request would be refused); follow it with GET /api/v1/releases/${requested.id}.`,
      );
      return RELEASE_EXIT.timeout;
    });
  });
}
