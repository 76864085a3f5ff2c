/**
 * The address a sign-in came from, for throttling and the audit log. `next start` fills X-Forwarded-For
 * with the connecting socket's address only when the request did not bring one, so without a trusted
 * proxy the first entry is what Next recorded (a direct client could still send its own header: the
 * per-account limit does not depend on it). Behind a proxy (RATCHET_TRUST_PROXY=on) the last entry is
 * the one the proxy appended, the only one a client cannot choose.
 */
export function clientAddress(headers: Headers, trustProxy: boolean): string {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const address = trustProxy ? forwarded.at(-1) : forwarded[0];
  return (address ?? "unknown").slice(0, 64);
}
