/**
 * Serving with Ratchet, in a Node service (Node 20+, no dependencies): ask Ratchet which version is the
 * champion (and its config, the learned numbers), follow a canary's share of traffic, and log every
 * prediction back in batches. Ratchet being down never fails a request: the last known champion keeps
 * serving, and predictions that cannot be delivered are dropped (and counted) once the buffer is full.
 *
 *   RATCHET_URL=http://localhost:3000 RATCHET_API_KEY=rk_... npx tsx examples/serving/ratchet-serving.ts
 *
 * The key needs the scopes registry:read (the champion) and predictions:write (the log).
 */
import { createHash, randomUUID } from "node:crypto";

export interface ServingVersion {
  version: number;
  config: Record<string, unknown>;
}
interface ChampionAnswer {
  champion: ServingVersion | null;
  challenger: (ServingVersion & { strategy: "full" | "canary" | "shadow" | null; share: number | null }) | null;
}
export interface Prediction {
  id: string;
  features: Record<string, unknown>;
  prediction: number | string;
  confidence?: number;
  latencyMs?: number;
}

export interface RatchetServingOptions {
  url: string;
  apiKey: string;
  model: string;
  /** How often the champion is asked for again (a release takes effect within this time). */
  refreshMs?: number;
  /** Predictions are sent when this many are waiting, or on flush(). */
  batchSize?: number;
  /** At most this many predictions wait while Ratchet is unreachable; beyond, the oldest are dropped. */
  maxBuffered?: number;
}

export class RatchetServing {
  private serving: ChampionAnswer | null = null;
  private buffer: (Prediction & { version: number; arm: string; time: string })[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight: { key: string; body: string; rows: number } | null = null;
  private sending: Promise<void> = Promise.resolve();
  /** Predictions given up on (buffer full while Ratchet was unreachable): report it on your own metrics. */
  dropped = 0;

  constructor(private readonly opts: RatchetServingOptions) {}

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.opts.url.replace(/\/+$/, "")}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${this.opts.apiKey}`, ...init.headers },
      signal: AbortSignal.timeout(5000),
    });
  }

  /** Reads the champion now; then again every refreshMs, keeping the last answer when Ratchet is down. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), this.opts.refreshMs ?? 60_000);
    this.timer.unref();
  }

  async refresh(): Promise<void> {
    const res = await this.call(`/api/v1/models/${encodeURIComponent(this.opts.model)}/champion`);
    if (!res.ok) throw new Error(`Ratchet answered ${res.status}: ${await res.text()}`);
    this.serving = (await res.json()) as ChampionAnswer;
  }

  /**
   * The version that answers this request: the canary for its share of traffic (the same request id
   * always lands on the same side), else the champion. Shadow versions are scored on the side, not routed.
   */
  route(requestId: string): { arm: "champion" | "canary"; version: ServingVersion } {
    const s = this.serving;
    if (!s?.champion) throw new Error(`"${this.opts.model}" has no champion yet`);
    const canary = s.challenger?.strategy === "canary" ? s.challenger : null;
    const bucket = createHash("sha256").update(requestId).digest().readUInt32BE(0) / 2 ** 32;
    if (canary && bucket < (canary.share ?? 0)) return { arm: "canary", version: canary };
    return { arm: "champion", version: s.champion };
  }

  /** Queues one prediction for the log; never throws and never waits for Ratchet. */
  log(version: number, arm: string, p: Prediction): void {
    this.buffer.push({ ...p, version, arm, time: new Date().toISOString() });
    const max = this.opts.maxBuffered ?? 50_000;
    if (this.buffer.length > max) this.dropped += this.buffer.splice(0, this.buffer.length - max).length;
    if (this.buffer.length >= (this.opts.batchSize ?? 500)) void this.flush();
  }

  /**
   * Sends what is buffered, one batch at a time. A batch that fails (Ratchet unreachable, 5xx) is sent
   * again on the next flush with the same body and the same Idempotency-Key, so a batch whose answer was
   * lost is not stored twice.
   */
  flush(): Promise<void> {
    this.sending = this.sending.then(async () => {
      for (;;) {
        if (!this.inFlight) {
          if (this.buffer.length === 0) return;
          const batch = this.buffer.splice(0, 10_000);
          this.inFlight = {
            key: randomUUID(),
            body: JSON.stringify({ predictions: batch.map((p) => ({ model: this.opts.model, ...p })) }),
            rows: batch.length,
          };
        }
        const { key, body, rows } = this.inFlight;
        let res: Response;
        try {
          res = await this.call("/api/v1/predictions", {
            method: "POST",
            headers: { "content-type": "application/json", "idempotency-key": key },
            body,
          });
        } catch {
          return; // unreachable: try again on the next flush
        }
        if (res.status >= 500 || res.status === 409) return;
        // 2xx: stored. 4xx: this batch will never be accepted (the answer names the row): drop it, counted.
        if (!res.ok) this.dropped += rows;
        this.inFlight = null;
      }
    });
    return this.sending;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}

/** The champion's config as a logistic regression: an intercept and a coefficient per feature. */
export function score(config: Record<string, unknown>, features: Record<string, number>): number {
  const coefficients = (config.coefficients ?? {}) as Record<string, number>;
  let z = Number(config.intercept ?? 0);
  for (const [name, weight] of Object.entries(coefficients)) z += weight * (features[name] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

async function main() {
  const serving = new RatchetServing({
    url: process.env.RATCHET_URL ?? "http://localhost:3000",
    apiKey: process.env.RATCHET_API_KEY ?? "",
    model: process.env.RATCHET_MODEL ?? "credit-default",
  });
  await serving.start();
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const requestId = `demo-${randomUUID()}`;
    const features = { debt_to_income: Math.random(), income: 30_000 + Math.random() * 70_000 };
    const { arm, version } = serving.route(requestId);
    const p = score(version.config, features);
    serving.log(version.version, arm, {
      id: requestId,
      features,
      prediction: p >= 0.5 ? 1 : 0,
      confidence: Math.max(p, 1 - p),
      latencyMs: performance.now() - started,
    });
    console.log(`${requestId}: v${version.version} (${arm}) p=${p.toFixed(3)}`);
  }
  await serving.stop();
  console.log(`Logged; ${serving.dropped} dropped.`);
}

if (process.argv[1]?.endsWith("ratchet-serving.ts")) await main();
