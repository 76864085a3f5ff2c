/**
 * The origin (scheme://host[:port]) a person reached Ratchet by, for every absolute URL Ratchet builds
 * (the sign-in callback's redirects). `next start` builds request URLs from its own listening address
 * (http://localhost:<port>), which is wrong for anyone who came through another name.
 *
 * - AUTH_URL set: its origin, always (one fixed public address, e.g. behind a proxy that rewrites Host).
 * - RATCHET_TRUST_PROXY=on: the last X-Forwarded-Host / X-Forwarded-Proto (the entry the proxy added; one a
 *   client sent itself comes earlier), falling back to Host.
 * - Otherwise: the Host header over plain http, which is all `next start` speaks. X-Forwarded-* sent by a
 *   client are ignored: Next keeps a client's own header rather than setting it.
 * A value that is not a host name (or address) with an optional port falls back to the request's own origin.
 */
export interface PublicOriginOptions {
  authUrl?: string | undefined;
  trustProxy: boolean;
}

const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

const lastEntry = (value: string | null) =>
  value
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .at(-1);

export function publicOrigin(requestUrl: string, headers: Headers, options: PublicOriginOptions): string {
  if (options.authUrl) return new URL(options.authUrl).origin;
  const fallback = new URL(requestUrl).origin;
  const forwardedHost = options.trustProxy ? lastEntry(headers.get("x-forwarded-host")) : undefined;
  const host = forwardedHost ?? headers.get("host")?.trim();
  if (!host || !HOST.test(host)) return fallback;
  const forwardedProto = options.trustProxy ? lastEntry(headers.get("x-forwarded-proto"))?.toLowerCase() : undefined;
  const protocol = forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : "http";
  return `${protocol}://${host.toLowerCase()}`;
}

/** The same request as seen at its public origin: path, query, method, headers and body unchanged. */
export function atPublicOrigin(requestUrl: string, headers: Headers, options: PublicOriginOptions): string {
  const url = new URL(requestUrl);
  return publicOrigin(requestUrl, headers, options) + url.pathname + url.search;
}
