import { describe, expect, it } from "vitest";
import type { GateVerdict } from "@/server/domain/gate/verdict";
import type { ReleaseStatus } from "@/server/domain/releases/status";
import { BackendError } from "./backend-error";
import { formatGate, runGateCli, runReleaseRequestCli, type PipelineIo } from "./pipeline";
import type { PipelineBackend } from "./pipeline-backend";

/** The commands' logic on a simulated clock and backend: waiting, retries, timeouts, option checks. */
const pending: ReleaseStatus = {
  id: "6f1c2a52-8d7e-4a39-9c64-2f4f2b0e9a11",
  model: "m",
  version: 2,
  strategy: "full",
  share: null,
  status: "pending",
  rationale: "because it is better",
  requestedBy: "ds@x.dev",
  requestedAt: "2026-11-30T10:00:00.000Z",
  decision: null,
};
const approved: ReleaseStatus = {
  ...pending,
  status: "approved",
  decision: { decision: "approve", by: "boss@x.dev", at: "2026-11-30T10:05:00.000Z", note: "go" },
};

function world(polls: (ReleaseStatus | Error)[], gate?: GateVerdict) {
  let clock = 0;
  const out: string[] = [];
  const err: string[] = [];
  const targets: unknown[] = [];
  let polled = 0;
  const backend: PipelineBackend = {
    gate: async () => gate!,
    requestRelease: async () => pending,
    release: async () => {
      const next = polls[Math.min(polled++, polls.length - 1)]!;
      if (next instanceof Error) throw next;
      return next;
    },
  };
  const io: PipelineIo = {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    withBackend: (target, fn) => {
      targets.push(target);
      return fn(backend);
    },
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
    env: {},
  };
  return { io, out, err, targets, polled: () => polled, clock: () => clock };
}

const request = ["--model", "m", "--version", "2", "--strategy", "full", "--rationale", "because it is better"];

describe("release request --wait", () => {
  it("keeps waiting through an unreachable server and exits 0 on approval", async () => {
    const w = world([pending, new BackendError("Could not reach Ratchet.", true), approved]);
    expect(await runReleaseRequestCli([...request, "--wait"], w.io)).toBe(0);
    expect(w.err).toEqual(["Could not reach Ratchet. Still waiting."]);
    expect(w.out.at(-1)).toBe("Approved by boss@x.dev at 2026-11-30T10:05:00.000Z: go");
    expect(w.clock()).toBe(3 * 5000); // the default interval
  });

  it("stops at the timeout with exit 4 and the release's id", async () => {
    const w = world([pending]);
    expect(await runReleaseRequestCli([...request, "--wait", "--timeout", "12", "--interval", "5"], w.io)).toBe(4);
    expect(w.clock()).toBe(12_000);
    expect(w.err.at(-1)).toMatch(/^Still pending after 12 s: release 6f1c2a52-/);
  });

  it("gives up at once on a refusal (exit 2), and without --wait only requests (exit 0)", async () => {
    const refused = world([new BackendError("401: The API key is unknown or revoked.")]);
    expect(await runReleaseRequestCli([...request, "--wait"], refused.io)).toBe(2);
    expect(refused.polled()).toBe(1);
    const once = world([approved]);
    expect(await runReleaseRequestCli(request, once.io)).toBe(0);
    expect(once.polled()).toBe(0);
    expect(once.out[0]).toMatch(/^Requested release 6f1c2a52-\S+: m v2, full, by ds@x\.dev; pending/);
  });

  it("names the option at fault before asking anyone", async () => {
    const cases: [string[], RegExp][] = [
      [["--model", "m", "--version", "two", "--strategy", "full", "--rationale", "r"], /^--version: /],
      [[...request, "--share", "a tenth"], /^--share: /],
      [[...request, "--wait", "--timeout", "soon"], /^--timeout: /],
      [[...request, "--url", "localhost:3000", "--key", "rk_x"], /^--url: /],
      [[...request, "--url", "http://localhost:3000"], /^--key: /],
    ];
    for (const [args, message] of cases) {
      const w = world([pending]);
      expect(await runReleaseRequestCli(args, w.io), args.join(" ")).toBe(2);
      expect(w.err[0]).toMatch(message);
      expect(w.targets).toEqual([]);
    }
  });
});

describe("gate", () => {
  const verdict: GateVerdict = {
    model: "m",
    version: 3,
    status: "insufficient",
    checks: [
      { id: "a", name: "Requirements", status: "pass", summary: "8 checks met." },
      { id: "b", name: "Beats the champion", status: "insufficient", summary: "No shared examples." },
    ],
  };

  it("prints one aligned line per check and the verdict, exit 3 for missing evidence", async () => {
    expect(formatGate(verdict)).toEqual([
      "PASS          Requirements: 8 checks met.",
      "INSUFFICIENT  Beats the champion: No shared examples.",
      "Gate of m v3: INSUFFICIENT",
    ]);
    const w = world([], verdict);
    w.io.env = { RATCHET_URL: "https://ratchet.acme.dev", RATCHET_API_KEY: "rk_secret" };
    expect(await runGateCli(["--model", "m", "--version", "3"], w.io)).toBe(3);
    expect(w.targets).toEqual([{ url: "https://ratchet.acme.dev", key: "rk_secret" }]);
    for (const [status, code] of [
      ["pass", 0],
      ["fail", 1],
    ] as const) {
      const other = world([], { ...verdict, status });
      expect(await runGateCli(["--model", "m", "--version", "3", "--json"], other.io)).toBe(code);
      expect(JSON.parse(other.out[0]!)).toMatchObject({ status });
    }
  });
});
