import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures, Stripe-style: the timestamp is signed together with the body so a captured
 * request cannot be replayed later, and receivers reject signatures older than a few minutes.
 * Pure (node:crypto only) so receivers, tests and Playwright can import it without a database.
 */
export const SIGNATURE_HEADER = "Ratchet-Signature";
export const EVENT_HEADER = "Ratchet-Event";
export const DELIVERY_HEADER = "Ratchet-Delivery";

/** Hex HMAC-SHA256 over `${timestamp}.${body}`. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** The Ratchet-Signature header value: `t=<unix seconds>,v1=<hex>`. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signPayload(secret, timestamp, body)}`;
}

export function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const [key, value] = part.trim().split("=", 2);
    if (key === "t" && value && /^\d+$/.test(value)) timestamp = Number(value);
    // Several v1 values may appear while a receiver rotates secrets; any one may match.
    else if (key === "v1" && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

export interface VerifyOptions {
  /** Reject signatures whose timestamp is further than this from now (replay protection). Default 300 s. */
  toleranceSeconds?: number;
  /** Unix seconds; defaults to the current time. */
  now?: number;
}

/** For receivers: true when the header carries a valid, fresh signature of exactly this body. */
export function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  opts: VerifyOptions = {},
): boolean {
  if (!header) return false;
  const parsed = parseSignatureHeader(header);
  if (!parsed) return false;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - parsed.timestamp) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signPayload(secret, parsed.timestamp, body), "hex");
  // Constant-time comparison, so response timing does not leak how much of a forged signature matched.
  return parsed.signatures.some((s) => {
    const given = Buffer.from(s, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
