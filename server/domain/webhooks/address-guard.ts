import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import ipaddr from "ipaddr.js";

/**
 * Webhooks go only to public addresses: otherwise anyone who can register an endpoint could make the server
 * call its own admin ports, the cloud metadata service (169.254.169.254) or the internal network (SSRF).
 * Only ipaddr.js's "unicast" range (public, globally routed) is allowed; loopback, private, link-local,
 * unique-local, carrier-grade NAT, multicast, unspecified, reserved, documentation, 6to4/Teredo/NAT64
 * (which can embed a private IPv4) are refused, and IPv4-mapped IPv6 is judged as the IPv4 it carries.
 */
export function refusedAddressReason(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(bare)) return `${address} is not an IP address`;
  const ip = ipaddr.process(bare); // unwraps ::ffff:10.0.0.1 to 10.0.0.1
  const range = ip.range();
  return range === "unicast" ? null : `${ip.toString()} is a ${range} address, not a public one`;
}

/** True when a URL's host is written as an IP address (IPv6 in brackets), which DNS never sees. */
export function literalIp(hostname: string): string | null {
  const bare = hostname.replace(/^\[|\]$/g, "");
  return ipaddr.isValid(bare) ? bare : null;
}

export class RefusedAddressError extends Error {
  readonly code = "ERR_WEBHOOK_ADDRESS_REFUSED";
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the socket's connect options: resolves the name, and refuses the connection if any address
 * it resolves to is not public. Because it runs at connect time, the address checked is the one connected
 * to; a name that resolved to a public address at creation and to 127.0.0.1 now (DNS rebinding) fails.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const refused = addresses.map((a) => refusedAddressReason(a.address)).find((r) => r !== null);
    if (refused) return callback(new RefusedAddressError(`refused to connect: ${hostname} resolves to ${refused}`), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
    callback(null, first.address, first.family);
  });
}
