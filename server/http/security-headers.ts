/**
 * The security headers every response carries (pages, /api/*, static files), set by proxy.ts.
 * Scripts run only with this request's nonce (Next adds it to its own tags); 'strict-dynamic' lets
 * those scripts load the page's chunks. Styles allow inline: Tailwind's and recharts' `style`
 * attributes need it, and inline styles cannot run code. Development adds 'unsafe-eval', which React
 * uses there to rebuild server stacks; production never has it.
 */
export function contentSecurityPolicy({ nonce, production }: { nonce: string; production: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${production ? "" : " 'unsafe-eval'"}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders({ nonce, production }: { nonce: string; production: boolean }): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy({ nonce, production }),
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    // Older browsers ignore frame-ancestors; this says the same to them.
    "x-frame-options": "DENY",
    // Only in production: a browser remembers HSTS for the host, which would break http on a developer's localhost.
    ...(production ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** 128 random bits, base64: unguessable and fresh for every request. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
