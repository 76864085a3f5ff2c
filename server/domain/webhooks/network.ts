import { lookup } from "node:dns/promises";
import { Agent } from "undici";
import { env } from "@/server/env";
import { literalIp, publicOnlyLookup, refusedAddressReason } from "./address-guard";

/** Where webhooks may go. From the environment by default; tests pass their own. */
export interface WebhookNetworkPolicy {
  /** `RATCHET_WEBHOOK_ALLOW_PRIVATE=on`: also loopback and internal networks (tests, on-premises receivers). */
  allowPrivate: boolean;
  /** http:// outside production, or in production with `RATCHET_WEBHOOK_ALLOW_HTTP=on`; https otherwise. */
  allowHttp: boolean;
}

export function networkPolicyFromEnv(): WebhookNetworkPolicy {
  const e = env();
  return {
    allowPrivate: e.RATCHET_WEBHOOK_ALLOW_PRIVATE === "on",
    allowHttp: e.NODE_ENV !== "production" || e.RATCHET_WEBHOOK_ALLOW_HTTP === "on",
  };
}

/**
 * What can be said about a target from its URL alone (scheme, a host written as an IP address, which DNS
 * never sees): checked when an endpoint is registered and again before each delivery. Names are checked at
 * connect time, by the agent below. Returns why the URL is refused, or null.
 */
export function refusedUrlReason(raw: string, policy: WebhookNetworkPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a valid URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "use an https:// URL";
  if (url.protocol === "http:" && !policy.allowHttp)
    return "http:// is refused in production: use https:// (or set RATCHET_WEBHOOK_ALLOW_HTTP=on)";
  if (url.username || url.password) return "put credentials in the receiver's URL path or a header, not user:password@";
  if (policy.allowPrivate) return null;
  const ip = literalIp(url.hostname);
  const reason = ip ? refusedAddressReason(ip) : null;
  return reason ? `${reason}; ${PUBLIC_ONLY}` : null;
}

const PUBLIC_ONLY = "webhooks go only to public addresses (RATCHET_WEBHOOK_ALLOW_PRIVATE=on allows internal ones)";

/**
 * At registration, also resolves the name, to tell the admin at once that `localhost` or an internal name
 * will never be delivered to. Advisory only (DNS can change; delivery checks again at connect time); a
 * name that does not resolve yet is accepted.
 */
export async function refusedTargetReason(raw: string, policy: WebhookNetworkPolicy): Promise<string | null> {
  const fromUrl = refusedUrlReason(raw, policy);
  if (fromUrl || policy.allowPrivate) return fromUrl;
  const host = new URL(raw).hostname;
  if (literalIp(host)) return null;
  const addresses = await lookup(host, { all: true }).catch(() => []);
  const reason = addresses.map((a) => refusedAddressReason(a.address)).find((r) => r !== null);
  return reason ? `${host} resolves to ${reason}; ${PUBLIC_ONLY}` : null;
}

const agents = new Map<boolean, Agent>();

/** The HTTP agent for deliveries: unless private targets are allowed, every connection goes through the public-only lookup. */
export function deliveryAgent(policy: WebhookNetworkPolicy): Agent {
  let agent = agents.get(policy.allowPrivate);
  if (!agent) {
    agent = new Agent(policy.allowPrivate ? {} : { connect: { lookup: publicOnlyLookup } });
    agents.set(policy.allowPrivate, agent);
  }
  return agent;
}
